"""Read a recipient list as it really comes: xlsx, csv or parquet, title blocks and all."""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from validator.errors import UserError, mask_echo, thousands
from validator.ingest.columnar import read_parquet
from validator.ingest.delimited import read_delimited
from validator.ingest.excel import (
    check_extent,
    date1904,
    error_cells,
    open_workbook,
    read_sheet,
    sheet_names,
)
from validator.ingest.grid import Grid
from validator.ingest.guard import container
from validator.ingest.joined import split_joined
from validator.ingest.layout import WHY_TEXT, ListData, build_list, find_header, series_text

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}

__all__ = ["SUMMARY_ROWS_LABEL", "SUMMARY_SKIPPED_LABEL", "WHY_TEXT", "ListData", "check_file", "read_list", "sha256_of"]


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


# The Ringkasan sheet's counts of the list first sent: its data rows, and the rows set aside
# (title, totals, signatures: rows of the sheet that were no recipients).
SUMMARY_ROWS_LABEL = "Jumlah baris data"
SUMMARY_SKIPPED_LABEL = "Baris dilewati (skipped)"


def _summary_rows(head: list[list[str]]) -> tuple[int, int] | None:
    """(data rows, rows set aside) as the Ringkasan of a return workbook counts them, if it still
    says."""
    counts = {row[0]: int(row[1]) for row in head if len(row) > 1 and row[1].isdigit()}
    if SUMMARY_ROWS_LABEL not in counts:
        return None
    return counts[SUMMARY_ROWS_LABEL], counts.get(SUMMARY_SKIPPED_LABEL, 0)


# Sheets that explain the list or show its form, by their name, with at most a few example rows.
_EXAMPLE_ROWS = 3
_GUIDE_SHEET = r"(?i)\b(?:PETUNJUK|PANDUAN|CONTOH|TEMPLATE|TEMPLAT|FORMAT|INSTRUKSI|CARA\s+PENGISIAN|README|BACA)\b"


def _best_sheet(path: Path, header_map: dict[str, str]) -> tuple[Grid, list[tuple[str, int, bool, Grid]]]:
    """The sheet whose header names the most fields (a 'Petunjuk' sheet often comes first), then
    the one with the most rows under it, and the other sheets that also have a NIK column (read
    none of them silently). A hidden sheet is read only when no visible one holds a list: a
    template left visible while the list sits in a hidden sheet."""
    wb = open_workbook(path)
    names = sheet_names(wb)
    if not names:
        raise UserError(f"Berkas {path.name} tidak berisi sheet.", f"{path.name} has no sheets.",
                        code="file_empty")
    best: tuple[tuple[int, ...], Grid] | None = None
    summary_rows: tuple[int, int] | None = None
    with_nik: list[tuple[str, int, bool, Grid]] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        errors = pool.submit(error_cells, path) if container(path) == "zip" else None
        for name, visible in names:
            trimmed = check_extent(path, name) if errors is not None else None
            if trimmed is None:
                sheet = read_sheet(wb, name, errors=errors)
            else:  # the same sheet without the spaces typed far beyond the list
                try:
                    sheet = read_sheet(open_workbook(trimmed), name, errors=errors)
                finally:
                    trimmed.unlink(missing_ok=True)
            grid = split_joined(sheet, header_map)
            grid.visible = visible
            grid.hidden = errors.result()[2].get(name, frozenset()) if errors is not None else frozenset()
            head = grid.head_rows(40)
            if _own_summary(name, head):
                summary_rows = _summary_rows(head)
                continue
            at, found = find_header(head, header_map)
            below = grid.frame.height - at - 1
            # Rows under the header with a number in the NIK column: recipients, not the "16 digit"
            # of a column guide or an empty template.
            ids = (grid.frame.slice(at + 1).select(
                pl.col(f"c{found['nik']}").str.count_matches(r"\d").ge(6).sum()).item() or 0) if "nik" in found else 0
            # A sheet with recipients beats one without (a template with more columns named); a
            # visible one beats a hidden one, unless it is an instructions or template sheet by
            # its name (its example rows lose to the list kept hidden). Then the most fields
            # named, then the most recipients.
            # (A guide-named sheet holding a real list, the Dinas template filled in, is visible.)
            shown = visible and not (re.search(_GUIDE_SHEET, name) and ids <= _EXAMPLE_ROWS)
            score = (int(ids > 0), int(shown), len(found) + (100 if "nik" in found else 0), ids, below + 1)
            if "nik" in found:
                with_nik.append((name, below, visible, grid))
            if best is None or score > best[0]:
                best = (score, grid)
    if best is None:  # only the Ringkasan sheet of a return workbook, its list sheet deleted
        raise UserError(
            f"Berkas {path.name} hanya berisi sheet Ringkasan dari hasil validasi, bukan daftar penerima. Kirim "
            "berkas hasil lengkap (dengan sheet daftarnya) atau berkas daftar asli.",
            f"{path.name} holds only the Ringkasan sheet of a validation result, not a recipient list. Send the "
            "whole result workbook (with its list sheet) or the original list.", code="no_nik_column")
    grid = best[1]
    grid.date1904 = date1904(path)
    grid.summary_rows = summary_rows
    grid.formulas_without_values = errors.result()[1].get(grid.sheet or "", 0) if errors is not None else 0
    return grid, [s for s in with_nik if s[0] != grid.sheet and s[1] > 0]  # (an empty template leaves nothing out)


def _binary(head: bytes) -> bool:
    """Control bytes other than tab and line ends: not text in any 8-bit encoding. (UTF-16 text
    has NUL bytes; read_delimited tells it by its byte-order mark.)"""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return any(b < 9 or 13 < b < 32 for b in head[:4096] if b not in (10, 12))


def check_file(path: Path, kinds: str = ".xlsx, .csv atau .parquet") -> None:
    """The list is a file this run can read: not a folder, a pipe or a device (reading /dev/zero
    or a pipe nobody writes to would never end), and readable. `kinds`: the file types to name
    (a registry extract or an exclusion list is CSV or Parquet only)."""
    try:
        _check_file(path, kinds)
    except PermissionError:  # a folder on the way that this account may not enter
        raise UserError(f"Berkas {path} tidak dapat dibuka: tidak ada izin membuka foldernya. Minta izin kepada "
                        "pemilik folder, atau salin berkas ke folder Anda sendiri.",
                        f"File {path} cannot be opened: no permission to enter its folder.",
                        code="file_unreadable") from None


def _check_file(path: Path, kinds: str) -> None:
    kinds_en = kinds.replace(" atau ", " or ")
    if path.is_dir():
        raise UserError(f"{path} adalah folder, bukan berkas. Sebutkan berkas {kinds} di dalamnya.",
                        f"{path} is a folder, not a file. Name the {kinds_en} file in it.", code="file_missing")
    if not path.exists():
        raise UserError(f"Berkas {path} tidak ditemukan. Periksa nama dan foldernya.",
                        f"File {path} not found.", code="file_missing")
    if not path.is_file():
        raise UserError(f"{path} bukan berkas biasa (melainkan pipa, perangkat, atau sejenisnya), jadi tidak dapat "
                        f"dibaca. Simpan isinya sebagai berkas {kinds}, lalu sebutkan berkas itu.",
                        f"{path} is not a regular file (a pipe, a device or the like). Save its content as a "
                        f"{kinds_en} file and name that file.", code="file_unreadable")
    try:
        with path.open("rb"):
            pass
    except PermissionError:
        raise UserError(f"Berkas {path} tidak dapat dibuka: tidak ada izin membaca. Minta izin baca kepada pemilik "
                        "berkas, atau salin berkas ke folder Anda sendiri.",
                        f"File {path} cannot be opened: no permission to read it.", code="file_unreadable") from None
    except OSError as exc:
        raise UserError(f"Berkas {path} tidak dapat dibuka ({exc.strerror or 'galat sistem'}). Salin berkas ke folder "
                        "lain lalu ulangi.", f"File {path} cannot be opened ({exc.strerror}).",
                        code="file_unreadable") from None


def _lock_file(path: Path) -> None:
    """Excel's owner file, `~$daftar.xlsx`, made beside a workbook while it is open (a few hundred
    bytes holding the user's name): picked by mistake from the folder, it is not the list."""
    if path.name.startswith("~$") and path.stat().st_size < 4096 and container(path) != "zip":
        real = path.name[2:]
        raise UserError(
            f"Berkas {path.name} adalah berkas kunci sementara yang dibuat Excel selama sebuah daftar terbuka, bukan "
            f"daftar penerima. Pilih berkas daftarnya sendiri (namanya berakhir ...{real}, tanpa ~$ di depan); "
            "sebaiknya tutup dulu daftar itu di Excel.",
            f"{path.name} is the temporary lock file Excel makes while a workbook is open, not a recipient list. "
            f"Choose the list itself (its name ends in ...{real}, without ~$ in front), best closed in Excel first.",
            code="file_unreadable")


def read_grid(path: Path, header_map: dict[str, str]) -> tuple[Grid, list[tuple[str, int, bool, Grid]]]:
    check_file(path)
    _lock_file(path)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES and container(path) == "other":
        # Not a workbook inside, whatever the name: web systems save an HTML table or a CSV as .xls.
        with path.open("rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<")):
            raise UserError(
                f"Berkas {path.name} bukan berkas Excel, melainkan halaman web (HTML/XML) yang diberi akhiran "
                f"{suffix}. Buka di Excel, pilih Simpan Sebagai (Save As) > Buku Kerja Excel (Excel Workbook, .xlsx), "
                "lalu kirim berkas .xlsx itu.",
                f"{path.name} is not an Excel file but a web page (HTML/XML) named {suffix}. Open it in Excel, "
                "save it as an Excel Workbook (.xlsx) and send that file.", code="file_unreadable")
        if _binary(head) or head.startswith(b"%pdf"):
            raise UserError(
                f"Berkas {path.name} tidak dapat dibaca sebagai Excel karena isinya bukan buku kerja Excel (misalnya "
                "PDF, hasil pindaian, atau berkas rusak). Kirim daftar dalam format .xlsx atau .csv; jika berkas ini "
                "terbuka di Excel, simpan ulang sebagai Buku Kerja Excel (.xlsx).",
                f"{path.name} cannot be read as Excel: it is not an Excel workbook inside (e.g. a PDF, a scan or a "
                "damaged file). Send the list as .xlsx or .csv; if the file opens in Excel, save it again as an "
                "Excel Workbook (.xlsx).", code="file_unreadable")
        return read_delimited(path), []
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
    if grid.joined:
        shown = {"\t": "tab", ";": "titik koma (;)", ",": "koma (,)", "|": "garis tegak (|)"}[grid.joined]
        shown_en = {"\t": "tabs", ";": "semicolons", ",": "commas", "|": "bars"}[grid.joined]
        listing.warnings.append({
            "code": "columns_joined",
            "message": f"Semua kolom tertulis dalam satu sel per baris, dipisahkan dengan {shown}; validator sudah "
                       "memisahkannya sehingga daftar tetap diperiksa. Sebelum mengirim lagi, pisahkan kolomnya di "
                       "Excel lewat Data > Teks ke Kolom (Text to Columns).",
            "message_en": f"Every column was written in one cell per row, separated by {shown_en}; the list was "
                          "read by splitting them. In Excel, split them with Data > Text to Columns before "
                          "sending it again.",
        })
    if other_sheets:
        listing.warnings.append(_sheets_not_read(other_sheets, grid.sheet or ""))
        # Carried into the return workbook as they are, so the kecamatan's rows on them are not
        # lost when that workbook is fixed and sent back (nor the warning, read again then).
        listing.other_sheets = [g for *_, g in other_sheets]
    if not grid.visible:
        listing.warnings.append({
            "code": "sheet_hidden",
            "message": f"Daftar dibaca dari sheet '{grid.sheet}' yang tersembunyi di Excel, karena sheet yang tampak "
                       "hanya berisi petunjuk, contoh atau judul kolom, bukan daftar penerima. Pastikan sheet itu "
                       "memang daftar yang dikirim; tampilkan dengan klik kanan pada nama sheet > Unhide (Tampilkan).",
            "message_en": f"The list was read from sheet '{grid.sheet}', which is hidden in Excel, because the visible "
                          "sheets hold only instructions, examples or headers, not a recipient list. Make sure it is "
                          "the list meant to be sent; show it with a right click on a sheet tab > Unhide.",
        })
    return listing


def _sheets_not_read(others: list[tuple[str, int, bool, Grid]], read: str) -> dict:
    """One warning for every other sheet with a NIK column: which (hidden ones said so), and how
    many rows they hold."""
    rows = sum(n for _, n, _, _ in others)
    # (A sheet named after a NIK is quoted masked, as anything typed is.)
    shown = [f"'{mask_echo(n)}'" + ("" if visible else " (tersembunyi)") for n, _, visible, _ in others[:10]]
    shown_en = [f"'{mask_echo(n)}'" + ("" if visible else " (hidden)") for n, _, visible, _ in others[:10]]
    rest = len(others) - len(shown)
    names = series_text(shown + ([f"{rest} sheet lainnya"] if rest else []), "dan")
    names_en = series_text(shown_en + ([f"{rest} more"] if rest else []), "and")
    one = len(others) == 1
    rows_id = thousands(rows)
    return {
        "code": "sheet_not_read",
        "message": f"Hanya sheet '{mask_echo(read)}' yang diperiksa. Sheet lain, yaitu {names}, juga berisi kolom NIK "
                   f"(seluruhnya {rows_id} baris data) tetapi tidak diperiksa. Gabungkan semua baris ke dalam satu "
                   "sheet, atau kirim setiap sheet sebagai berkas tersendiri.",
        "message_en": f"Only sheet '{mask_echo(read)}' was checked. {'Another sheet' if one else 'Other sheets'}, {names_en}, "
                      f"also {'has' if one else 'have'} a NIK column ({rows:,} data {'row' if rows == 1 else 'rows'} "
                      f"in all) but "
                      f"{'was' if one else 'were'} not checked. Put all rows on one sheet, or send each sheet as a "
                      "file of its own.",
    }
