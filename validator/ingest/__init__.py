"""Read a recipient list as it really comes: xlsx, csv or parquet, title blocks and all."""

from __future__ import annotations

import hashlib
from pathlib import Path

from validator.errors import UserError
from validator.ingest.columnar import read_parquet
from validator.ingest.delimited import read_delimited
from validator.ingest.excel import open_workbook, read_sheet, sheet_names
from validator.ingest.grid import Grid
from validator.ingest.layout import WHY_TEXT, ListData, build_list, find_header

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}

__all__ = ["WHY_TEXT", "ListData", "read_list", "sha256_of"]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _best_sheet(path: Path, header_map: dict[str, str]) -> Grid:
    """The sheet whose header names the most fields (a 'Petunjuk' sheet often comes first)."""
    wb = open_workbook(path)
    names = sheet_names(wb)
    if not names:
        raise UserError(f"Berkas {path.name} tidak berisi sheet.", f"{path.name} has no sheets.",
                        code="file_empty")
    best: tuple[int, Grid] | None = None
    for name in names:
        grid = read_sheet(wb, name)
        _, found = find_header(grid.head_rows(40), header_map)
        score = len(found) + (100 if "nik" in found else 0)
        if best is None or score > best[0]:
            best = (score, grid)
        if "nik" in found and len(names) == 1:
            break
    assert best is not None
    return best[1]


def read_grid(path: Path, header_map: dict[str, str]) -> Grid:
    if not path.exists() or not path.is_file():
        raise UserError(f"Berkas {path} tidak ditemukan. Periksa nama dan foldernya.",
                        f"File {path} not found.", code="file_missing")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _best_sheet(path, header_map)
    if suffix in TEXT_SUFFIXES:
        return read_delimited(path)
    if suffix == ".parquet":
        return read_parquet(path)
    raise UserError(
        f"Jenis berkas '{suffix or path.name}' tidak didukung. Kirim daftar sebagai .xlsx, .csv atau .parquet.",
        f"File type '{suffix or path.name}' is not supported. Send the list as .xlsx, .csv or .parquet.",
        code="file_type",
    )


def read_list(path: Path, header_map: dict[str, str]) -> ListData:
    grid = read_grid(path, header_map)
    if grid.width == 0 or grid.frame.height == 0:
        raise UserError(f"Berkas {path.name} kosong. Isi daftar penerima lalu kirim lagi.",
                        f"{path.name} is empty.", code="file_empty")
    return build_list(grid, header_map)
