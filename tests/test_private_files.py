"""Files holding personal data stay private: xlsxwriter's sheet data is written beside the result
(and swept when a killed run left it), never in the system's /tmp; results, uploads and the store
are readable by their owner only."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import BASE, make_rows, write_csv


def _list(tmp_path: Path) -> Path:
    headers, rows = make_rows("pkh", [{}, {"nik": "1271171506750002", "nama": "BUDI", "jk": "L"}])
    return write_csv(tmp_path / "daftar.csv", headers, rows)


def _record_mkstemp(monkeypatch) -> list[Path]:
    """The folders xlsxwriter makes its temp files in (it calls tempfile.mkstemp for each part)."""
    seen: list[Path] = []
    real = tempfile.mkstemp

    def recording(*args, **kwargs):
        fd, name = real(*args, **kwargs)
        seen.append(Path(name).parent)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", recording)
    return seen


def test_workbook_parts_are_written_beside_the_result_and_removed(tmp_path, monkeypatch):
    from validator.engine import validate
    from validator.reports import write_outputs

    outcome = validate(_list(tmp_path), "pkh")
    out = tmp_path / "hasil"
    seen = _record_mkstemp(monkeypatch)
    write_outputs(outcome, out)
    assert seen, "xlsxwriter made no temp file: the test no longer sees where it writes"
    assert {p.resolve() for p in seen} == {(out / f".result.parts.{os.getpid()}.tmp").resolve()}
    assert sorted(p.name for p in out.iterdir()) == ["result.json", "result.xlsx"]  # nothing left behind


def test_parts_a_killed_run_left_are_swept_by_the_next(tmp_path):
    from validator.engine import validate
    from validator.reports import write_outputs

    out = tmp_path / "hasil"
    dead = out / ".result.parts.999999999.tmp"  # no such process: killed with kill -9 mid-write
    dead.mkdir(parents=True)
    (dead / "tmpq1w2e3").write_text(f"<c><is><t>{BASE['nik']}</t></is></c>")
    live = out / f".result.parts.{os.getppid()}.tmp"  # a run still going (the parent process lives)
    live.mkdir()
    write_outputs(validate(_list(tmp_path), "pkh"), out)
    assert not dead.exists() and live.exists()


def test_payment_workbook_parts_stay_in_its_folder(tmp_path, monkeypatch):
    from validator.batch import files

    paid = pl.DataFrame({f: [None] for f in files.FIELDS}).with_columns(
        pl.lit(BASE["nik"]).alias("nik"), pl.lit(1).alias("row"), pl.lit(600000.0).alias("nominal"))
    seen = _record_mkstemp(monkeypatch)
    files.write_xlsx(paid, tmp_path / "pencairan.xlsx", "Pencairan")
    assert seen and {p.resolve() for p in seen} == {tmp_path.resolve()}
    assert [p.name for p in tmp_path.iterdir()] == ["pencairan.xlsx"]


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def _private(paths) -> dict[str, str]:
    """Each path whose mode lets anyone but its owner in, with that mode."""
    return {str(p): oct(_mode(p)) for p in paths if _mode(p) & 0o077}


def test_cli_writes_private_files_whatever_the_umask(tmp_path):
    out, store = tmp_path / "hasil", tmp_path / "riwayat.duckdb"
    r = subprocess.run([sys.executable, "-m", "validator.cli", "validate", str(_list(tmp_path)), "--program", "pkh",
                        "--kecamatan", "12.71.17", "--period", "2026-T1", "--store", str(store), "--out", str(out)],
                       capture_output=True, text=True, timeout=120, umask=0o022)
    assert r.returncode == 0, r.stderr
    written = [out, out / "result.json", out / "result.xlsx", store, *tmp_path.glob("riwayat.duckdb*")]
    assert all(p.exists() for p in written)
    assert not _private(written)
    # `bansos history` on the same store keeps it so (its look-up record goes through the WAL).
    r = subprocess.run([sys.executable, "-m", "validator.cli", "history", BASE["nik"], "--store", str(store)],
                       capture_output=True, text=True, timeout=120, umask=0o022)
    assert r.returncode == 0, r.stderr
    assert not _private([store, *tmp_path.glob("riwayat.duckdb*")])


def test_a_new_store_is_private_even_from_a_library_call(tmp_path):
    from validator.store import Store

    old = os.umask(0o022)
    try:
        Store(tmp_path / "s.duckdb").close()
    finally:
        os.umask(old)
    assert _mode(tmp_path / "s.duckdb") == 0o600


def test_a_store_made_open_before_is_closed_up_when_next_written(tmp_path):
    from validator.store import Store

    store = tmp_path / "lama.duckdb"
    Store(store).close()
    store.chmod(0o644)  # as a store made under umask 022 before bansos set 077
    Store(store, read_only=True).close()
    assert _mode(store) == 0o644  # a reader changes nothing
    Store(store).close()
    assert _mode(store) == 0o600


def test_server_data_folder_is_private_even_if_made_open_before(tmp_path):
    from api.app import create_app

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    create_app(tmp_path / "s.duckdb", data)
    assert _mode(data) == 0o700


@pytest.mark.slow
def test_bansos_serve_keeps_uploads_results_and_store_private(tmp_path):
    import httpx2 as httpx

    from tests.test_crash import free_port, operator_auth

    store = tmp_path / "riwayat.duckdb"
    auth = operator_auth(store)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "validator.cli", "serve", "--store", str(store), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, umask=0o022)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            try:
                if httpx.get(url + "/api/v1/jobs/x", timeout=1).status_code == 401:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        listing = _list(tmp_path)
        r = httpx.post(url + "/api/v1/submissions", headers=auth, files={"file": ("daftar.csv", listing.read_bytes())},
                       data={"program": "pkh", "period": "2026-T1"}, timeout=60)
        assert r.status_code == 202, r.text
        job = r.json()["job_id"]
        while (state := httpx.get(f"{url}/api/v1/jobs/{job}", headers=auth).json()["state"]) not in ("done", "failed"):
            assert time.monotonic() < deadline + 60
            time.sleep(0.05)
        assert state == "done"
        data = tmp_path / "riwayat_files"
        written = [p for p in data.rglob("*")] + [data, store, *tmp_path.glob("riwayat.duckdb*")]
        assert any(p.name == "result.xlsx" for p in written) and any(p.name == "daftar.csv" for p in written)
        # The data folder is the account's alone; everything in it, and the store, too.
        assert not _private(written)
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
