"""Files holding personal data stay private: xlsxwriter's sheet data is written beside the result
(and swept when a killed run left it), never in the system's /tmp; results, uploads and the store
are readable by their owner only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polars as pl

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
