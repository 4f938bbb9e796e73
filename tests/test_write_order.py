"""Result files and the store change together: a run that cannot write its results leaves the
store as it was, and one that fails after recording the list says so."""

from __future__ import annotations

import errno
import pathlib

import pytest

from tests.conftest import make_rows, write_csv
from validator import reports
from validator.engine import validate
from validator.errors import UserError


@pytest.fixture()
def outcome(tmp_path):
    headers, rows = make_rows("pkh", [{}, {"nik": "127117550680001"}])
    return validate(write_csv(tmp_path / "daftar.csv", headers, rows), "pkh")


def _full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_before_the_results_are_complete_leaves_the_store_unchanged(tmp_path, outcome, monkeypatch):
    recorded = []
    monkeypatch.setattr(reports, "render_json", _full_disk)
    with pytest.raises(UserError, match="disk penuh") as err:
        reports.write_outputs(outcome, tmp_path / "o", commit=lambda: recorded.append(1))
    assert recorded == [] and err.value.code == "out_dir" and "tercatat" not in err.value.message_id
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == []  # no result, no temp file


def test_a_failure_after_the_list_is_recorded_says_it_was_recorded(tmp_path, outcome, monkeypatch):
    recorded = []
    monkeypatch.setattr(reports.os, "replace", _full_disk)
    with pytest.raises(UserError, match="sudah tercatat di riwayat") as err:
        reports.write_outputs(outcome, tmp_path / "o", commit=lambda: recorded.append(1))
    assert recorded == [1] and outcome.submission_id in err.value.message_id and outcome.committed


def test_the_store_timing_reaches_result_json_and_an_old_result_is_replaced(tmp_path, outcome):
    out = tmp_path / "o"
    out.mkdir()
    (out / "result.json").write_text("{}")  # another list's result

    def commit() -> None:
        outcome.timings["store"] = 0.25

    paths = reports.write_outputs(outcome, out, commit=commit)
    assert '"store": 0.25' in paths["json"].read_text(encoding="utf-8").replace("\n", "")
    assert sorted(p.name for p in out.iterdir()) == ["result.json", "result.xlsx"]


def test_a_read_only_folder_is_told_as_such_not_as_an_internal_error(tmp_path, outcome, monkeypatch):
    monkeypatch.setattr(reports, "write_workbook", lambda *a, **k: _raise(errno.EROFS))
    real_unlink = pathlib.Path.unlink

    def unlink(self, missing_ok=False):  # a read-only disk refuses even removing what is not there
        if ".tmp" in self.name:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(pathlib.Path, "unlink", unlink)
    with pytest.raises(UserError, match="disk hanya dapat dibaca"):
        reports.write_outputs(outcome, tmp_path / "o")


def _raise(code: int):
    raise OSError(code, "error")


def test_a_full_disk_is_recognised_however_the_library_says_it():
    import duckdb

    from validator.errors import disk_full

    assert disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert disk_full(duckdb.IOException('IO Error: Could not write file "s.duckdb.wal": No space left on device'))
    assert not disk_full(duckdb.IOException("IO Error: Could not set lock on file"))


def test_a_full_disk_in_the_store_is_told_in_indonesian_with_exit_2(tmp_path, monkeypatch, capsys):
    import sys

    import duckdb

    from validator import cli

    def full(*args, **kwargs):
        raise duckdb.FatalException("FATAL Error: Failed: could not write to WAL: No space left on device")

    headers, rows = make_rows("pkh", [{}])
    src = write_csv(tmp_path / "daftar.csv", headers, rows)
    monkeypatch.setattr("validator.engine.record_outcome", full)
    monkeypatch.setattr(sys, "argv", ["bansos", "validate", str(src), "--program", "pkh", "--out", str(tmp_path / "o"),
                                      "--kecamatan", "127117", "--period", "2026-T1",
                                      "--store", str(tmp_path / "s.duckdb")])
    with pytest.raises(SystemExit) as ex:
        cli.main()
    err = capsys.readouterr().err
    assert ex.value.code == 2 and "Disk penuh" in err and "Riwayat tidak berubah" in err and "internal" not in err
    assert not (tmp_path / "o" / "result.json").exists()
