"""Read a recipient list as it really comes: xlsx, csv or parquet, title blocks and all."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from validator.errors import UserError
from validator.ingest.columnar import read_parquet
from validator.ingest.delimited import read_delimited
from validator.ingest.excel import error_cells, open_workbook, read_sheet, sheet_names
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


def _own_summary(name: str, head: list[list[str]]) -> bool:
    """The Ringkasan sheet of a return workbook this service wrote (sent back after fixing): its
    counts and codes are not recipients."""
    first = head[0][0] if head and head[0] else ""
    return name.strip().lower() == "ringkasan" and str(first or "").startswith("Hasil validasi")


def _best_sheet(path: Path, header_map: dict[str, str]) -> tuple[Grid, list[str]]:
    """The sheet whose header names the most fields (a 'Petunjuk' sheet often comes first), then
    the one with the most rows under it,
    and the other sheets that also have a NIK column (read none of them silently)."""
    wb = open_workbook(path)
    names = sheet_names(wb)
    if not names:
        raise UserError(f"Berkas {path.name} tidak berisi sheet.", f"{path.name} has no sheets.",
                        code="file_empty")
    best: tuple[tuple[int, int], Grid] | None = None
    with_nik: list[str] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        errors = pool.submit(error_cells, path) if path.suffix.lower() in (".xlsx", ".xlsm") else None
        for name in names:
            grid = read_sheet(wb, name, errors=errors)
            head = grid.head_rows(40)
            if _own_summary(name, head):
                continue
            at, found = find_header(head, header_map)
            # Equal headers (a template or an instructions sheet with one example row, then the
            # list): the sheet with more rows under its header holds the list.
            score = (len(found) + (100 if "nik" in found else 0), grid.frame.height - at)
            if "nik" in found:
                with_nik.append(name)
            if best is None or score > best[0]:
                best = (score, grid)
    assert best is not None
    grid = best[1]
    grid.formulas_without_values = errors.result()[1].get(grid.sheet or "", 0) if errors is not None else 0
    return grid, [n for n in with_nik if n != grid.sheet]


def read_grid(path: Path, header_map: dict[str, str]) -> tuple[Grid, list[str]]:
    if not path.exists() or not path.is_file():
        raise UserError(f"Berkas {path} tidak ditemukan. Periksa nama dan foldernya.",
                        f"File {path} not found.", code="file_missing")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _best_sheet(path, header_map)
    if suffix in TEXT_SUFFIXES:
        return read_delimited(path), []
    if suffix == ".parquet":
        return read_parquet(path), []
    raise UserError(
        f"Jenis berkas '{suffix or path.name}' tidak didukung. Kirim daftar sebagai .xlsx, .csv atau .parquet.",
        f"File type '{suffix or path.name}' is not supported. Send the list as .xlsx, .csv or .parquet.",
        code="file_type",
    )


def read_list(path: Path, header_map: dict[str, str]) -> ListData:
    grid, other_sheets = read_grid(path, header_map)
    if grid.width == 0 or grid.frame.height == 0:
        raise UserError(f"Berkas {path.name} kosong. Isi daftar penerima lalu kirim lagi.",
                        f"{path.name} is empty.", code="file_empty")
    listing = build_list(grid, header_map)
    if listing.frame.height == 0:
        listing.warnings.append({
            "code": "no_data_rows",
            "message": "Daftar tidak berisi baris data di bawah judul kolom. Isi data penerima lalu kirim lagi.",
            "message_en": "The list has no data rows below its header. Fill in the recipients and send it again.",
        })
    if grid.formulas_without_values:
        n = grid.formulas_without_values
        listing.warnings.append({
            "code": "formulas_without_values",
            "message": f"{n} sel berisi rumus tanpa nilai tersimpan (berkas dibuat oleh program yang tidak menghitung "
                       "rumus), jadi terbaca kosong dan barisnya bisa hilang dari pemeriksaan. Buka berkas di Excel "
                       "atau LibreOffice, simpan ulang, lalu kirim lagi.",
            "message_en": f"{n} cells hold a formula with no saved value (the file was made by a program that does "
                          "not calculate), so they read as empty and their rows may be missing. Open the file in "
                          "Excel or LibreOffice, save it again and send it again.",
        })
    for name in other_sheets:
        listing.warnings.append({
            "code": "sheet_not_read",
            "message": f"Sheet '{name}' juga berisi kolom NIK tetapi tidak diperiksa. Kirim satu daftar "
                       "per berkas, atau gabungkan semua baris dalam satu sheet.",
            "message_en": f"Sheet '{name}' also has a NIK column but was not checked. Send one list per "
                          "file, or put all rows on one sheet.",
        })
    return listing
