"""Schemathesis against the app's own OpenAPI schema: every operation, with the token of a role that
may call it; no 5xx, and every documented answer matches its schema. Bounded: a few dozen
examples per operation, well under a minute in all."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.accounts import create_user
from api.app import create_app
from tests.test_api import SAMPLE, upload, wait_job
from validator.store import Store

EXAMPLES = 20


def role_for(method: str, path: str) -> str:
    """The role whose token reaches the operation's own code (not just its 403)."""
    if path.startswith("/api/v1/admin/"):
        return "admin"
    if method == "POST" and path == "/api/v1/submissions":
        return "operator"
    if path.startswith("/api/v1/lookup/by-name"):
        return "council"
    return "finance"  # finance reads submissions, jobs, look-ups, batches and exports


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    with Store(tmp / "riwayat.duckdb") as db:
        tokens = {role: create_user(db, f"Fuzz {role}", role, "12.71.17" if role == "operator" else None)[1]
                  for role in ("operator", "finance", "council", "admin")}
    # Limits high enough that the fuzzer reaches the code behind them (their 429 is tested elsewhere).
    app = create_app(tmp / "riwayat.duckdb", tmp / "data", status_limit=100_000, lookup_limit=100_000,
                     max_upload_mb=2)
    with TestClient(app) as client:  # runs the lifespan: the store, the worker
        app.state.fuzz_tokens = tokens
        # One real list, so operations on a submission reach its data, not only their 404.
        sent = upload(client, {"Authorization": f"Bearer {tokens['operator']}"}, SAMPLE.read_bytes(), SAMPLE.name)
        app.state.fuzz_ids = sent.json()
        assert wait_job(client, {"Authorization": f"Bearer {tokens['finance']}"}, sent.json()["job_id"])["state"] == "done"
        yield app


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation in the schema, read at collection from an app built on a
    throw-away folder (building it opens nothing; the store opens when the app starts)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = create_app(Path(tmp) / "s.duckdb", Path(tmp) / "data").openapi()["paths"]
    return [(m.upper(), p) for p, ops in paths.items() for m in ops]


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


# schemathesis.pytest.from_fixture does not run under pytest 9 (it reads a private node id), so each
# operation's strategy is driven by hypothesis here, one test per operation.
@pytest.mark.parametrize(("method", "path"), operations(), ids=lambda v: v)
def test_api_fuzz(method, path, api_schema, fuzz_app):
    token = fuzz_app.state.fuzz_tokens[role_for(method, path)]
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case):
        for name, value in fuzz_app.state.fuzz_ids.items():  # submission_id, job_id
            if case.path_parameters and name in case.path_parameters:
                case.path_parameters[name] = value
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                               checks=[not_a_server_error, response_schema_conformance, content_type_conformance])

    fuzz()
