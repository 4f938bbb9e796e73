"""kill -9 during a validation: after a restart the store opens, the interrupted submission is
absent or marked failed (never half-written), and its job says so in Indonesian."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import httpx2 as httpx
import pytest

from api.accounts import create_user
from api.jobs import INTERRUPTED, create_job, get_job, recover_interrupted
from tests.conftest import make_rows, write_csv
from tests.hostile_corpus import big_csv
from validator.engine import record_outcome, validate
from validator.store import Store, run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def operator_auth(store: Path) -> dict[str, str]:
    """The Medan Baru operator of the store, as a request header."""
    with Store(store) as db:
        token = create_user(db, "Operator Medan Baru", "operator", "12.71.17")[1]
    return {"Authorization": f"Bearer {token}"}


class Server:
    """`bansos serve` in a process of its own, its output kept in a file."""

    def __init__(self, store: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "validator.cli", "serve", "--store", str(store), "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, env=os.environ | {"PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "server stopped at start"
            try:
                if httpx.get(self.url + "/api/v1/jobs/x", timeout=1).status_code == 401:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError("server did not start")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


@pytest.mark.slow
def test_kill_during_validation_then_restart(tmp_path):
    store = tmp_path / "riwayat.duckdb"
    auth = operator_auth(store)
    big = big_csv(tmp_path / "besar.csv", 14)  # about 100,000 rows: several seconds of checks

    first = Server(store, tmp_path / "server.log")
    try:
        with big.open("rb") as fh:
            r = httpx.post(first.url + "/api/v1/submissions", headers=auth, files={"file": ("besar.csv", fh)},
                           data={"program": "pkh", "period": "2026-T1"}, timeout=60)
        assert r.status_code == 202, r.text
        job_id, sid = r.json()["job_id"], r.json()["submission_id"]
        deadline = time.monotonic() + 30
        while (state := httpx.get(f"{first.url}/api/v1/jobs/{job_id}", headers=auth).json())["state"] == "queued":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert state["state"] == "running", state
        time.sleep(0.5)
    finally:
        first.kill()

    second = Server(store, tmp_path / "server.log")
    try:
        job = httpx.get(f"{second.url}/api/v1/jobs/{job_id}", headers=auth).json()
        assert job["state"] == "failed" and job["error"]["code"] == "interrupted", job
        assert "Kirim ulang" in job["error"]["message"]
        r = httpx.get(f"{second.url}/api/v1/submissions/{sid}", headers=auth)
        assert r.status_code == 409 and r.json()["error"]["code"] == "job_failed"
        # The server works on: a new upload is validated.
        headers, rows = make_rows("pkh", [{}])
        small = write_csv(tmp_path / "kecil.csv", headers, rows)
        with small.open("rb") as fh:
            r = httpx.post(second.url + "/api/v1/submissions", headers=auth, files={"file": ("kecil.csv", fh)},
                           data={"program": "pkh", "period": "2026-T1"}, timeout=60)
        new_job = r.json()["job_id"]
        deadline = time.monotonic() + 60
        while (state := httpx.get(f"{second.url}/api/v1/jobs/{new_job}", headers=auth).json())["state"] not in (
                "done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert state["state"] == "done", state
    finally:
        second.stop()

    with Store(store) as db:
        recorded = run(db.con, "SELECT state FROM submissions WHERE id = ?", [sid])
        assert recorded in ([], [("failed",)])
        live_rows = run(db.con, """SELECT count(*) FROM row_results r JOIN submissions s
                                   ON s.id = r.submission_id AND s.state = 'complete' WHERE s.id = ?""", [sid])
        assert live_rows == [(0,)]
    results = store.parent / f"{store.stem}_files" / "results" / sid
    assert not results.exists() or not any(results.iterdir())


def test_recovery_when_killed_between_commit_and_results(tmp_path):
    """The narrow window: the submission committed, its result files not yet renamed into place.
    It must not stay live without results; the list it replaced is live again."""
    headers, rows = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "daftar.csv", headers, rows)
    ctx = SimpleNamespace(result_dir=lambda sid: tmp_path / "results" / sid)
    with Store(tmp_path / "s.duckdb") as db:
        ids = []
        for _ in range(2):
            outcome = validate(path, "pkh", kecamatan="127117", period="2026-T1", store=db, today=dt.date(2026, 11, 22))
            record_outcome(db, outcome)
            ids.append(outcome.submission_id)
        earlier, cut = ids
        job = create_job(db, submission_id=cut, user_id="u", program="pkh", period="2026-T1",
                         kecamatan="127117", file_name="daftar.csv")
        run(db.con, "UPDATE jobs SET state = 'running' WHERE id = ?", [job])
        (tmp_path / "results" / cut).mkdir(parents=True)
        (tmp_path / "results" / cut / ".result.xlsx.123.tmp").write_bytes(b"half")
        parts = tmp_path / "results" / cut / ".result.parts.123.tmp"  # xlsxwriter's sheet data
        parts.mkdir()
        (parts / "tmpk9x2").write_bytes(b"<row>1271175506800001</row>")

        assert recover_interrupted(ctx, db) == [job]
        assert get_job(db, job)["error"] == INTERRUPTED
        assert run(db.con, "SELECT id, state, superseded_by FROM submissions ORDER BY created_at") == [
            (earlier, "complete", None), (cut, "failed", None)]
        assert not any((tmp_path / "results" / cut).iterdir())


KILLED_AFTER_COMMIT = """
import datetime as dt, os, sys
from pathlib import Path
from validator.engine import validate
from validator.reports import write_outputs
out = Path(sys.argv[2])
outcome = validate(Path(sys.argv[1]), "pkh", kecamatan="127117", today=dt.date(2026, 11, 22))
write_outputs(outcome, out, commit=lambda: os._exit(9) if sys.argv[3] == "kill" else None)
"""


def test_a_run_killed_while_recording_keeps_the_earlier_results(tmp_path):
    """Killed before the store recorded the new list: the earlier list is still the live one, so
    its result files stay in --out as they were (they go only once the store has replaced it, at
    once, before the final result.json is rendered); the next run replaces them."""
    headers, rows = make_rows("pkh", [{}])
    first = write_csv(tmp_path / "pertama.csv", headers, rows)
    second = write_csv(tmp_path / "kedua.csv", headers, rows + rows)
    out = tmp_path / "hasil"
    script = tmp_path / "run.py"
    script.write_text(KILLED_AFTER_COMMIT, encoding="utf-8")

    def run_it(path, how):
        return subprocess.run([sys.executable, str(script), str(path), str(out), how], capture_output=True,
                              text=True, timeout=120, cwd=Path(__file__).resolve().parent.parent)

    assert run_it(first, "ok").returncode == 0 and (out / "result.json").exists()
    before = (out / "result.json").read_bytes()
    assert run_it(second, "kill").returncode == 9
    assert (out / "result.json").read_bytes() == before and (out / "result.xlsx").exists()
    assert run_it(second, "ok").returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["result.json", "result.xlsx"]  # the killed run's temp files swept
    assert '"kedua.csv"' in (out / "result.json").read_text(encoding="utf-8")


def test_a_run_whose_recording_fails_puts_the_earlier_results_back(tmp_path):
    from validator.engine import validate
    from validator.reports import write_outputs

    headers, rows = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "daftar.csv", headers, rows)
    out = tmp_path / "hasil"
    outcome = validate(path, "pkh", kecamatan="127117", today=dt.date(2026, 11, 22))
    write_outputs(outcome, out)
    before = (out / "result.json").read_bytes(), (out / "result.xlsx").read_bytes()

    def busy():
        raise OSError(28, "No space left on device")

    from validator.errors import UserError

    with pytest.raises(UserError):  # the disk-full OSError told as one line
        write_outputs(validate(path, "pkh", kecamatan="127117", today=dt.date(2026, 11, 22)), out, commit=busy)
    assert ((out / "result.json").read_bytes(), (out / "result.xlsx").read_bytes()) == before
    assert sorted(p.name for p in out.iterdir()) == ["result.json", "result.xlsx"]
