"""No NIK, KK or account number in any log of a full scenario (server at DEBUG, the CLI's output);
council answers masked; tokens hashed; every look-up audited; look-ups rate-limited per account."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import socket
import subprocess
import sys
import threading
import time

import httpx2 as httpx
import pytest
import uvicorn

from api.accounts import create_user
from api.app import create_app
from tests.conftest import make_rows, write_csv
from validator.store import Store, run

LOOKUP_LIMIT = 8
# Accepted rows, a short account (REKENING_PANJANG quotes it in its message), a KK equal to the NIK,
# a NIK stored the Excel way, a duplicate: values that findings repeat, so a careless log would too.
ROWS = [{}, {"nik": "1271171506750002", "kk": "1271170101100002", "jk": "L", "tgl": "15-06-1975", "nama": "BUDI",
             "rek": "30020100012350"},
        {"nik": "1271174507880003", "kk": "1271174507880003", "nama": "RATNA", "tgl": "05-07-1988"},
        {"nik": "1271175506800001", "nama": "SITI AMINAH", "rek": "300201000123599"},
        {"nik": "1.27117E+15", "nama": "JOKO", "rek": "300201000123588"}]


def secrets_of(rows: list[list[str]], headers: list[str]) -> set[str]:
    """The ID numbers of the list, in full (8 digits or more: shorter fragments are not personal)."""
    cols = [headers.index(h) for h in ("NIK", "No KK", "No Rekening")]
    return {r[c] for r in rows for c in cols if re.fullmatch(r"\d{8,}", r[c] or "")}


def leaks(text: str, secrets: set[str]) -> list[str]:
    return sorted(s for s in secrets if s in text)


@pytest.fixture()
def debug_log():
    """Everything the service's loggers write, at DEBUG, into one buffer (uvicorn runs with
    log_config=None, so its loggers propagate here too)."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    handler.setLevel(logging.DEBUG)
    # The test's own HTTP client logs the URLs it sends; that is this test, not the service.
    handler.addFilter(lambda record: not record.name.startswith(("httpx", "httpcore")))
    root = logging.getLogger()
    # A server started earlier in the session with uvicorn's own log config stops its loggers
    # from propagating: let them through for this test, as they were afterwards.
    named = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.error", "uvicorn.access", "bansos", "bansos.api")]
    saved = [(lg, lg.level, lg.propagate, lg.disabled) for lg in [root, *named]]
    root.addHandler(handler)
    for lg in [root, *named]:
        lg.setLevel(logging.DEBUG)
        lg.propagate, lg.disabled = True, False
    try:
        yield buf
    finally:
        root.removeHandler(handler)
        for lg, level, propagate, disabled in saved:
            lg.setLevel(level)
            lg.propagate, lg.disabled = propagate, disabled


def serve(app):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="debug", log_config=None,
                                        access_log=True))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    return srv, thread, f"http://127.0.0.1:{port}"


def test_full_scenario_leaks_nothing(tmp_path, debug_log):
    headers, rows = make_rows("pkh", ROWS)
    secrets = secrets_of(rows, headers)
    assert len(secrets) >= 9
    listing = write_csv(tmp_path / "daftar.csv", headers, rows)
    store_path = tmp_path / "riwayat.duckdb"
    with Store(store_path) as db:
        tokens = {role: create_user(db, f"Akun {role}", role.rstrip("2"), "12.71.17" if role == "operator" else None)[1]
                  for role in ("operator", "finance", "council", "council2", "admin")}
    auth = {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}

    srv, thread, url = serve(create_app(store_path, tmp_path / "data", lookup_limit=LOOKUP_LIMIT))
    lookups_made = 0
    try:
        with httpx.Client(base_url=url, timeout=60) as c:
            r = c.post("/api/v1/submissions", headers=auth["operator"], files={"file": ("daftar.csv", listing.read_bytes())},
                       data={"program": "pkh", "period": "2026-T1"})
            assert r.status_code == 202, r.text
            job, sid = r.json()["job_id"], r.json()["submission_id"]
            while c.get(f"/api/v1/jobs/{job}", headers=auth["operator"]).json()["state"] not in ("done", "failed"):
                time.sleep(0.05)
            assert c.get(f"/api/v1/jobs/{job}", headers=auth["operator"]).json()["state"] == "done"
            assert c.get(f"/api/v1/submissions/{sid}", headers=auth["finance"]).status_code == 200
            assert c.get(f"/api/v1/submissions/{sid}/workbook", headers=auth["operator"]).status_code == 200
            for nik in ("1271175506800001", "1271171506750002", "9999999999999999"):
                answer = c.get("/api/v1/lookup", params={"nik": nik}, headers=auth["council"])
                lookups_made += 1
                assert answer.status_code == 200
                assert not leaks(answer.text, secrets), answer.text  # masked, no account numbers
            answer = c.get("/api/v1/lookup/by-name", params={"nama": "Siti Aminah", "kecamatan": "12.71.17"},
                           headers=auth["finance"])
            assert answer.status_code == 200 and answer.json()["matches"] and not leaks(answer.text, secrets)
            lookups_made += 1  # one person found: one audit row
            for body in ({"nik": "1271175506800001", "tanggal_lahir": "1980-06-15"},
                         {"nik": "1271171506750002", "tanggal_lahir": "1999-01-01"}):
                assert c.post("/api/v1/status", json=body).status_code == 200
                lookups_made += 1
            # Mistakes echo nothing either: a bad token, a NIK with letters, a malformed body.
            assert c.get("/api/v1/lookup", params={"nik": "1271175506800001"},
                         headers={"Authorization": "Bearer 1271175506800001"}).status_code == 401
            bad = c.get("/api/v1/lookup", params={"nik": "12711755068000011271170101100001"}, headers=auth["council"])
            assert bad.status_code == 422 and not leaks(bad.text, secrets)  # refused: not a look-up
            bad = c.post("/api/v1/status", content=b'{"nik": 1271175506800001, "tanggal_lahir": }',
                         headers={"Content-Type": "application/json"})
            assert bad.status_code == 422 and not leaks(bad.text, secrets)
            # The per-account limit: the next look-up past it is 429 with the envelope, for that account only.
            for i in range(LOOKUP_LIMIT):
                assert c.get("/api/v1/lookup", params={"nik": f"127117550680{i:04d}"},
                             headers=auth["council2"]).status_code == 200
                lookups_made += 1
            limited = c.get("/api/v1/lookup", params={"nik": "1271175506800001"}, headers=auth["council2"])
            assert limited.status_code == 429 and limited.json()["error"]["code"] == "lookup_rate_limited"
            assert set(limited.json()["error"]) == {"code", "message", "message_en"}
            assert int(limited.headers["Retry-After"]) >= 1
            assert c.get("/api/v1/lookup", params={"nik": "1271175506800001"},
                         headers=auth["finance"]).status_code == 200
            lookups_made += 1
    finally:
        srv.should_exit = True
        thread.join(30)

    # The CLI on the same store after the server let go of it: validate with --store, and history.
    cli = [sys.executable, "-m", "validator.cli"]
    outputs = [
        subprocess.run([*cli, "validate", str(listing), "--program", "pkh", "--kecamatan", "12.71.17",
                        "--period", "2026-T1", "--store", str(store_path), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, timeout=120),
        subprocess.run([*cli, "history", "1271175506800001", "--store", str(store_path)],
                       capture_output=True, text=True, timeout=120),
        subprocess.run([*cli, "validate", str(tmp_path / "tidak_ada.csv"), "--program", "pkh", "--out",
                        str(tmp_path / "o2")], capture_output=True, text=True, timeout=120),
    ]
    assert [o.returncode for o in outputs] == [0, 0, 2], [o.stderr for o in outputs]
    lookups_made += 1  # `bansos history` is recorded too

    server_log = debug_log.getvalue()
    assert "uvicorn.access" in server_log and "/api/v1/lookup?nik=*** HTTP" in server_log
    assert "Traceback" not in server_log
    assert not leaks(server_log, secrets), [line for line in server_log.splitlines() if leaks(line, secrets)][:5]
    for o in outputs:
        assert not leaks(o.stdout + o.stderr, secrets), o.stdout + o.stderr

    with Store(store_path) as db:
        stored = run(db.con, "SELECT name, token_sha256 FROM users")
        audit = run(db.con, "SELECT actor, channel, nik_masked FROM lookups")
    hashes = {h for _, h in stored}
    assert all(hashlib.sha256(t.encode()).hexdigest() in hashes for t in tokens.values())
    dump = repr(stored)
    assert not any(t in dump for t in tokens.values())  # only hashes are kept
    assert len(audit) == lookups_made, audit
    assert {ch for _, ch, _ in audit} >= {"api", "api-name", "status"}
    assert not leaks(repr(audit), secrets)
