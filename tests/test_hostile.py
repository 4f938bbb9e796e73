"""Hostile and careless files (tests/hostile_corpus.py) through the CLI and the API upload:
each is validated or refused with one Indonesian line; never a traceback, a 5xx or a half result."""

from __future__ import annotations

import io
import json
import re
import resource
import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient

from api.accounts import create_user
from api.app import create_app
from tests.hostile_corpus import Hostile, big_csv, make_corpus
from tests.test_api import assert_envelope, wait_job
from validator import cli
from validator.store import Store

# Words an Indonesian instruction to the operator contains (the English half never has them).
INDONESIAN = re.compile(r"\b(berkas|kolom|kirim|lalu|simpan|tidak|kosong|ditolak)\b", re.IGNORECASE)
SECONDS_EACH = 20


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> dict[str, Hostile]:
    return make_corpus(tmp_path_factory.mktemp("hostile"))


def run_cli(args: list[str], capfd) -> tuple[int, str, str]:
    """`bansos …` in this process (one import of the engine for the whole corpus)."""
    argv = sys.argv
    sys.argv = ["bansos", *args]
    try:
        with pytest.raises(SystemExit) as done:
            cli.main()
    finally:
        sys.argv = argv
    out, err = capfd.readouterr()
    return done.value.code, out, err


def test_every_hostile_file_through_the_cli(corpus, tmp_path, capfd):
    for name, h in corpus.items():
        out = tmp_path / name
        t0 = time.monotonic()
        code, stdout, stderr = run_cli(["validate", str(h.path), "--program", "pkh", "--out", str(out)], capfd)
        took = time.monotonic() - t0
        assert took < SECONDS_EACH, (name, took)
        assert "Traceback" not in stdout + stderr, name
        if h.expect == "ok":
            assert code == 0, (name, stderr)
            summary = json.loads((out / "result.json").read_text())["summary"]
            if name in ("lama", "libreoffice"):  # .xls and .ods: every row read
                assert summary["rows"] == 5, (name, summary)
            assert (out / "result.xlsx").exists()
        else:
            assert code == 2, (name, code, stderr)
            assert INDONESIAN.search(stderr.split(" / ")[0]), (name, stderr)
            assert len(stderr.strip().splitlines()) <= 3, (name, stderr)  # one line, soft-wrapped at most
            assert not (out / "result.json").exists() and not (out / "result.xlsx").exists(), name


@pytest.mark.parametrize("name", ["bom_zip", "berkata_sandi", "sampah_csv"])
def test_refusals_in_a_fresh_process(corpus, tmp_path, name):
    """The real console script, as an operator runs it: exit 2, no traceback, nothing written."""
    h = corpus[name]
    r = subprocess.run([sys.executable, "-m", "validator.cli", "validate", str(h.path), "--program", "pkh",
                        "--out", str(tmp_path / "o")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "Traceback" not in r.stderr and INDONESIAN.search(r.stderr), r.stderr
    assert not (tmp_path / "o" / "result.json").exists()


def test_refusal_codes(corpus):
    """The reader's own verdicts, where a specific one is expected."""
    from validator.errors import UserError
    from validator.ingest import read_list
    from validator.rulebook import load_rules

    header_map = load_rules().header_map(load_rules().program("pkh"))
    for name, h in corpus.items():
        if h.code is None:
            continue
        with pytest.raises(UserError) as refused:
            read_list(h.path, header_map)
        if h.code != "no_nik_column":  # that verdict comes from the layout step, after reading
            assert refused.value.code == h.code, name


def test_zip_bomb_refused_from_the_directory_alone(corpus):
    """The bomb inflates to 1 GB; refusing it must not inflate it (fast, no memory)."""
    from validator.errors import UserError
    from validator.ingest.guard import check_workbook

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    with pytest.raises(UserError):
        check_workbook(corpus["bom_zip"].path)
    assert time.monotonic() - t0 < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB


def test_a_zip_whose_directory_lies_about_a_size_is_refused_without_inflating_it(corpus):
    """sheet1.xml inflates to 300 MB but its directory says 100 KB: calamine would inflate all of
    it, so the guard inflates up to the declared size only, and refuses."""
    from validator.errors import UserError
    from validator.ingest.guard import check_workbook

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UserError) as refused:
        check_workbook(corpus["bom_ukuran_palsu"].path)
    assert refused.value.code == "file_refused" and "ukuran yang tercatat" in refused.value.message_id
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB


def test_big_csv_in_the_cli_stays_bounded(tmp_path):
    """The 200 MB CSV scaled to 15 MB (the shape is the same; the machine is shared): the CLI
    reads it without holding many copies of it (about 110,000 rows)."""
    path = big_csv(tmp_path / "besar.csv", 15)
    # The peak of this one run, measured in a process of its own: RUSAGE_CHILDREN here would be the
    # largest of every child this test session has waited for.
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
             "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "validator.cli", "validate", str(path),
                        "--program", "pkh", "--out", str(tmp_path / "o")], capture_output=True, text=True,
                       timeout=120)
    took = time.monotonic() - t0
    code, peak_kb = r.stdout.split()
    peak_mb = int(peak_kb) / 1024
    assert code == "0", r.stderr
    assert took < 90
    assert peak_mb < 1500, peak_mb


# --- API -------------------------------------------------------------------------------------

UPLOAD_LIMIT_MB = 8


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile_api")
    with Store(tmp / "riwayat.duckdb") as db:
        token = create_user(db, "Operator Medan Baru", "operator", "12.71.17")[1]
    app = create_app(tmp / "riwayat.duckdb", tmp / "data", max_upload_mb=UPLOAD_LIMIT_MB)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, {"Authorization": f"Bearer {token}"}, tmp / "data"


def send(client, headers, content: bytes, name: str):
    return client.post("/api/v1/submissions", headers=headers, files={"file": (name, io.BytesIO(content))},
                       data={"program": "pkh", "period": "2026-T1"})


def test_every_hostile_file_through_the_api(server, corpus):
    client, headers, data = server
    for name, h in corpus.items():
        t0 = time.monotonic()
        r = send(client, headers, h.path.read_bytes(), h.upload_name or h.path.name)
        assert r.status_code == 202, (name, r.status_code, r.text)
        job = wait_job(client, headers, r.json()["job_id"], timeout=SECONDS_EACH)
        assert time.monotonic() - t0 < SECONDS_EACH, name
        assert job["state"] == ("done" if h.expect == "ok" and h.recorded else "failed"), (name, job)
        if job["state"] == "failed":
            assert INDONESIAN.search(job["error"]["message"]), (name, job["error"])
            assert "Traceback" not in job["error"]["message"]
        page = client.get(f"/api/v1/submissions/{job['submission_id']}", headers=headers)
        assert page.status_code < 500, (name, page.text)
    # Every upload stayed inside the data folder, under a name without folders, at most 120 characters.
    for kept in (data / "uploads").rglob("*"):
        assert kept.resolve().is_relative_to((data / "uploads").resolve())
        assert len(kept.name) <= 120
    assert client.get("/api/v1/jobs/none", headers=headers).status_code == 404  # still serving


def test_oversize_upload_413_with_the_envelope(server, tmp_path):
    client, headers, data = server
    declared = big_csv(tmp_path / "besar.csv", UPLOAD_LIMIT_MB + 2).read_bytes()  # refused by Content-Length
    error = assert_envelope(send(client, headers, declared, "besar.csv"), 413, "too_large")
    assert f"{UPLOAD_LIMIT_MB} MB" in error["message"] and INDONESIAN.search(error["message"])
    just_over = declared[: int((UPLOAD_LIMIT_MB + 0.5) * 2**20)]  # passes the header, stopped while saved
    assert_envelope(send(client, headers, just_over, "besar.csv"), 413, "too_large")
    before = sum(1 for _ in (data / "uploads").iterdir())

    def chunks():  # no Content-Length: counted as it arrives
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        for i in range(0, len(declared), 1 << 20):
            yield declared[i:i + (1 << 20)]
        yield b"\r\n--xyz--\r\n"

    r = client.post("/api/v1/submissions", headers=headers | {"Content-Type": "multipart/form-data; boundary=xyz"},
                    content=chunks())
    assert_envelope(r, 413, "too_large")
    assert sum(1 for _ in (data / "uploads").iterdir()) == before  # nothing kept
    assert client.get("/api/v1/jobs/none", headers=headers).status_code == 404


def test_unzipped_limit_is_configurable(corpus, monkeypatch):
    from validator.errors import UserError
    from validator.ingest.guard import check_workbook

    check_workbook(corpus["libreoffice"].path)
    monkeypatch.setenv("BANSOS_MAX_UNZIPPED_MB", "0.001")
    with pytest.raises(UserError) as refused:
        check_workbook(corpus["libreoffice"].path)
    assert refused.value.code == "file_refused" and "terlalu besar" in refused.value.message_id


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_bad_limit_setting_is_one_clear_line(monkeypatch, value):
    from api.services import max_upload_bytes
    from validator.errors import UserError

    monkeypatch.setenv("BANSOS_MAX_UPLOAD_MB", value)
    with pytest.raises(UserError) as refused:
        max_upload_bytes()
    assert refused.value.code == "bad_setting" and "BANSOS_MAX_UPLOAD_MB" in refused.value.message_id
    monkeypatch.setenv("BANSOS_MAX_UPLOAD_MB", "1.5")
    assert max_upload_bytes() == int(1.5 * 2**20)


def test_only_an_admin_may_send_an_import_ten_times_a_list(server, tmp_path):
    """The larger body an import may have is read before FastAPI checks anyone: without an admin's
    token it is a list's limit (an anonymous client could otherwise send gigabytes)."""
    client, headers, _ = server
    body = b"x" * int((UPLOAD_LIMIT_MB + 2) * 2**20)
    for who in ({}, headers, {"Authorization": "Bearer bukan-token"}):  # nobody, an operator, a wrong token
        r = client.post("/api/v1/admin/registry", headers=who, files={"file": ("dtks.csv", io.BytesIO(body))})
        error = assert_envelope(r, 413, "too_large")
        assert f"{UPLOAD_LIMIT_MB} MB" in error["message"] and "Parquet" in error["message"]
