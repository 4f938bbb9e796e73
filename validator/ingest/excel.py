"""Excel reader (calamine): keeps, for every cell, its text and whether Excel stored it as a number."""

from __future__ import annotations

import datetime as dt
import html
import re
import struct
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path

import polars as pl
from python_calamine import CalamineWorkbook

from validator.errors import UserError, env_number
from validator.ingest.grid import Grid, grid_from_columns
from validator.ingest.guard import check_workbook, container, protected


def number_text(v: float) -> str:
    """A numeric cell as the digits it holds.

    An integral float becomes its exact integer digits (never `3.27E+15`, never `…0.0`):
    Excel stores a NIK typed as a number as a double, which is exact for every integer
    it can hold, so `int()` loses nothing that the file still had.
    """
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return repr(v)


def _cell_text(v) -> tuple[str | None, bool]:
    t = type(v)
    if t is str:
        return (v if v != "" else None), False
    if t is float:
        return number_text(v), True
    if t is int:
        return str(v), True
    if t is bool:
        return ("TRUE" if v else "FALSE"), False
    if t is dt.datetime:
        return (v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")), False
    if t is dt.date:
        return v.isoformat(), False
    if t is dt.time or t is dt.timedelta:
        return str(v), False
    return (str(v) if v is not None else None), False


def _column(cells: Sequence) -> tuple[pl.Series, pl.Series | None]:
    """One column of cells as (text, stored-as-number flags), vectorised where the types allow."""
    types = set(map(type, cells))
    if types <= {str}:
        text = pl.Series(cells, dtype=pl.Utf8)
        return pl.select(pl.when(text != "").then(text)).to_series(), None
    if types <= {str, float, int}:
        # Text and numbers only (the common NIK column): polars does the number formatting. A
        # whole number given as an int (one too large for a double, from the sheet's XML) is
        # written as its own digits.
        flags = pl.Series([t is float or t is int for t in map(type, cells)], dtype=pl.Boolean)
        as_text = pl.Series([v if type(v) is str else str(v) if type(v) is int else None for v in cells],
                            dtype=pl.Utf8)
        as_num = pl.Series([v if type(v) is float else None for v in cells], dtype=pl.Float64)
        if int in types:
            flags_float = pl.Series([type(v) is float for v in cells], dtype=pl.Boolean)
        else:
            flags_float = flags
        integral = as_num.is_finite() & (as_num == as_num.floor()) & (as_num.abs() < 1e18)
        num_text = pl.select(
            pl.when(integral).then(as_num.cast(pl.Int64, strict=False).cast(pl.Utf8))
            .otherwise(pl.lit(as_num).map_elements(number_text, return_dtype=pl.Utf8, skip_nulls=True))
        ).to_series() if (~integral & as_num.is_not_null()).any() else (
            as_num.cast(pl.Int64, strict=False).cast(pl.Utf8))
        text = pl.select(pl.when(flags_float).then(num_text).when(as_text != "").then(as_text)).to_series()
        return text, flags
    pairs = [_cell_text(v) for v in cells]
    return pl.Series([p[0] for p in pairs], dtype=pl.Utf8), pl.Series([p[1] for p in pairs], dtype=pl.Boolean)


def open_workbook(path: Path) -> CalamineWorkbook:
    check_workbook(path)  # zip bombs, XML entities, encrypted containers: refused before calamine
    try:
        # calamine picks its reader by the file's name; an .xlsx saved as .xls (or the reverse) is
        # read by its content instead.
        if container(path) != ("ole" if path.suffix.lower() == ".xls" else "zip"):
            with path.open("rb") as fh:
                return CalamineWorkbook.from_filelike(fh)
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types; all mean "cannot read this file"
        name = type(exc).__name__
        if "Password" in name or "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise protected(path) from None
        raise UserError(
            f"Berkas {path.name} tidak dapat dibaca sebagai Excel. Buka di Excel dan simpan ulang sebagai .xlsx.",
            f"{path.name} cannot be read as an Excel workbook. Open it in Excel and save it again as .xlsx.",
            code="file_unreadable",
        ) from None


_ERROR_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*?\bt="e"[^>]*>(.*?)</c>', re.DOTALL)
_VALUE = re.compile(rb"<v>([^<]*)</v>")


# A formula cell with no saved value (<f>…</f> and no <v>): written by a program that does not
# calculate (openpyxl, some exports). calamine reads it as empty, and Excel would show its result.
_FORMULA_NO_VALUE = re.compile(rb"<c\b[^>]*>\s*<f\b(?:[^>]*/>|[^>]*>[^<]*</f>)\s*(?:<v>\s*</v>|<v\s*/>)?\s*</c>")


def date1904(path: Path) -> bool:
    """The workbook counts date serials from 1904-01-01 (an option of Excel for Mac, kept when the
    file is saved again anywhere), not from 1900: a serial typed as a number means a date 1,462
    days later. xlsx: `<workbookPr date1904="1"/>`; ods: `<table:null-date
    table:date-value="1904-01-01"/>`; xls: the DATEMODE record of the workbook globals."""
    try:
        if container(path) == "ole":
            return _xls_date1904(path)
        with zipfile.ZipFile(path) as z:
            members = set(z.namelist())
            if "xl/workbook.xml" in members:
                head = z.read("xl/workbook.xml")[:65536].decode("utf-8", "replace")
                return re.search(r'<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"', head) is not None
            if "content.xml" in members:
                # The calculation settings come before the first table.
                with z.open("content.xml") as fh:
                    head = fh.read(1 << 20).decode("utf-8", "replace")
                return re.search(r'<table:null-date\b[^>]*\btable:date-value="1904-01-01"', head) is not None
    except (KeyError, OSError, zipfile.BadZipFile):
        pass
    return False


_DATEMODE, _BIFF_EOF = 0x0022, 0x000A


def _xls_date1904(path: Path) -> bool:
    """DATEMODE = 1 among the records of an .xls workbook's globals (BIFF5/8), which end at the
    first EOF record."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            if stream is None:
                return False
            data = ole.openstream(stream).read(4 << 20)
    except (OSError, ValueError):  # olefile's OleFileError is an OSError
        return False
    at = 0
    while at + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, at)
        if kind == _DATEMODE and size >= 2:
            return struct.unpack_from("<H", data, at + 4)[0] == 1
        if kind == _BIFF_EOF:
            return False
        at += 4 + size
    return False


def _sheet_members(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML (xlsx, xlsm)."""
    names = dict(re.findall(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"',
                            z.read("xl/workbook.xml").decode("utf-8", "replace")))
    rels: dict[str, str] = {}
    for m in re.finditer(r"<Relationship\b([^>]*)>", z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if "Id" in attrs and "Target" in attrs:
            rels[attrs["Id"]] = attrs["Target"]
    members = set(z.namelist())
    out = {}
    for sheet, rid in names.items():
        target = rels.get(rid, "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if member in members:
            out[html.unescape(sheet)] = member
    return out


def max_sheet_cells() -> int:
    """calamine holds a sheet as one rectangle from A1 to its farthest filled cell: a space typed in
    XFD1048576 asks for 17 billion cells and the process dies. A real list is far smaller: a
    million rows by 30 columns is 30 million cells."""
    return int(env_number("BANSOS_MAX_SHEET_CELLS", 30_000_000))


_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]{1,3})([0-9]{1,7})"')
# A cell element: its reference, attributes and content (none for a style-only cell).
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*?)(?:/>|>(.*?)</c>)', re.DOTALL)
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_TEXT = re.compile(rb"<t\b[^>]*>(.*?)</t>", re.DOTALL)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _blank_shared_strings(z: zipfile.ZipFile) -> set[int]:
    """Indices of shared strings that are only spaces (a stray space typed far from the list)."""
    try:
        data = z.read("xl/sharedStrings.xml")
    except KeyError:
        return set()
    return {i for i, si in enumerate(re.findall(rb"<si>(.*?)</si>", data, re.DOTALL))
            if not b"".join(_TEXT.findall(si)).strip()}


def check_extent(path: Path, name: str) -> Path | None:
    """Make sure calamine can hold the sheet: it keeps one rectangle from A1 to the farthest filled
    cell, and a space typed in XFD1048576 asks for 17 billion cells.

    The sheet's <dimension> (written by Excel, LibreOffice, openpyxl, xlsxwriter) says how far it
    reaches; only when it claims too much, or is missing, are the cells themselves read. Cells that
    hold only spaces beyond the list are dropped into a copy of the workbook, whose path is
    returned (the caller reads that sheet from it and deletes it); None: read the file as it is.
    A sheet still too big without them is refused, naming its farthest cell."""
    limit = max_sheet_cells()
    try:
        with zipfile.ZipFile(path) as z:
            member = _sheet_members(z).get(name)
            if member is None:
                return None
            with z.open(member) as part:
                head = part.read(8192)
            dim = _DIMENSION.search(head)
            if dim and _column_number(dim.group(1)) * int(dim.group(2)) <= limit:
                return None
            data = z.read(member)
            blank_strings = _blank_shared_strings(z)
            rows = cols = 0
            far_row = far_col = ""
            blanks: list[tuple[int, int, int, int]] = []  # (row, column, start, end) of space-only cells
            for m in _CELL.finditer(data):
                body = m.group(4)
                if not body or not (b"<v" in body or b"<is" in body):
                    continue  # style only: calamine skips it
                r, c = int(m.group(2)), _column_number(m.group(1))
                kind = _TYPE.search(m.group(3))
                kind = kind.group(1) if kind else b"n"
                value = re.search(rb"<v>(.*?)</v>", body, re.DOTALL)
                if (kind == b"s" and value and value.group(1).strip().isdigit()
                        and int(value.group(1)) in blank_strings) or (
                        kind == b"inlineStr" and not b"".join(_TEXT.findall(body)).strip()) or (
                        kind == b"str" and value is not None and not value.group(1).strip()):
                    blanks.append((r, c, m.start(), m.end()))
                    continue
                if r > rows:
                    rows, far_row = r, (m.group(1) + m.group(2)).decode()
                if c > cols:
                    cols, far_col = c, (m.group(1) + m.group(2)).decode()
            if rows * cols <= limit:
                far_blanks = [(a, b) for r, c, a, b in blanks if r > rows or c > cols]
                return _without(path, z, member, data, far_blanks) if far_blanks else None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None  # calamine reports a damaged file itself
    # A list has a few dozen columns: a far column is the stray cell, else the far row is.
    far = far_col if cols > 50 or not far_row else far_row
    raise UserError(
        f"Sheet '{name}' berisi sel terisi jauh di luar daftar (sel {far}: mungkin isi yang tidak sengaja), "
        f"sehingga sheet terlalu besar untuk dibaca. Di Excel, tekan Ctrl+End untuk menuju sel terakhir, lalu "
        f"hapus semua baris di bawah daftar dan semua kolom di kanan daftar (termasuk sel {far}), simpan, dan "
        "kirim lagi.",
        f"Sheet '{name}' has a filled cell far outside the list (cell {far}: perhaps typed by accident), so the "
        f"sheet is too big to read. In Excel, press Ctrl+End to reach the last cell, delete every row below the "
        f"list and every column right of it (including cell {far}), save and send it again.", code="sheet_too_big")


def _without(path: Path, z: zipfile.ZipFile, member: str, data: bytes, spans: list[tuple[int, int]]) -> Path:
    """A copy of the workbook whose sheet XML lacks the given cell elements."""
    import tempfile

    parts, at = [], 0
    for a, b in spans:
        parts.append(data[at:a])
        at = b
    parts.append(data[at:])
    fd, name = tempfile.mkstemp(prefix="bansos-sheet-", suffix=path.suffix.lower() or ".xlsx")
    with open(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(info, b"".join(parts) if info.filename == member else z.read(info.filename))
    return Path(name)


_COLS = re.compile(rb"<cols>(.*?)</cols>", re.DOTALL)
_MAX_COLUMNS = 16384  # XFD
_COL = re.compile(rb"<col\b([^>]*)/?>")


def _hidden_columns(data: bytes) -> frozenset[int]:
    """0-based columns a sheet hides (<col min="2" max="3" hidden="1"/>, before its cells)."""
    cols = _COLS.search(data, 0, data.find(b"<sheetData") if b"<sheetData" in data else len(data))
    spans: list[tuple[int, int]] = []
    for m in _COL.finditer(cols.group(1) if cols else b""):
        attrs = dict(re.findall(rb'(\w+)="([^"]*)"', m.group(1)))
        first, last = attrs.get(b"min", b""), attrs.get(b"max", b"") or attrs.get(b"min", b"")
        # Column numbers run 1..16384; anything else (letters, thousands of digits) is ignored.
        if attrs.get(b"hidden") in (b"1", b"true") and first.isdigit() and last.isdigit() \
                and len(first) <= 5 and len(last) <= 5:
            spans.append((max(int(first), 1), min(int(last), _MAX_COLUMNS)))
    if not spans:  # the usual sheet: nothing hidden
        return frozenset()
    hidden = bytearray(_MAX_COLUMNS + 1)  # one pass per span, however many <col> elements repeat it
    for first, last in sorted(set(spans)):
        hidden[first:last + 1] = b"\x01" * max(0, last - first + 1)
    return frozenset(j - 1 for j in range(1, _MAX_COLUMNS + 1) if hidden[j])


def error_cells(path: Path) -> tuple[dict[str, dict[tuple[int, int], str | int]], dict[str, int],
                                     dict[str, frozenset[int]]]:
    """Cells calamine does not read as the file holds them, per sheet name, as {(row, column):
    value} 0-based: an Excel error (#N/A of a VLOOKUP, #REF!, #VALUE!: calamine reads it as empty,
    the operator sees the error) and a whole number above 2**53 (see _big_numbers). Then per sheet
    the number of formula cells with no saved value, and per sheet its hidden columns (calamine
    does not say which columns are hidden).
    Only a sheet whose XML has an error cell (a formula) at all is searched for errors."""
    out: dict[str, dict[tuple[int, int], str | int]] = {}
    no_value: dict[str, int] = {}
    hidden: dict[str, frozenset[int]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for sheet, member in _sheet_members(z).items():
                data = z.read(member)
                hidden[sheet] = _hidden_columns(data)
                big = _big_numbers(data)
                if big:
                    out[sheet] = big
                if b"<f" in data:
                    n = sum(1 for _ in _FORMULA_NO_VALUE.finditer(data))
                    if n:
                        no_value[sheet] = n
                if b't="e"' not in data:
                    continue
                found = out.setdefault(sheet, {})
                for cell in _ERROR_CELL.finditer(data):
                    value = _VALUE.search(cell.group(3))
                    if value:
                        found[(int(cell.group(2)) - 1, _column_number(cell.group(1)) - 1)] = html.unescape(
                            value.group(1).decode())
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}, {}, {}
    return out, no_value, hidden


# A number cell (no t= type, or t="n") whose saved value is a whole number of 16 or more digits
# from 9007199254740993 (2**53 + 1) up: a double, the only number type calamine gives, cannot hold
# it (every NIK of the Papua provinces, 91-97, written whole by an export that is not Excel).
_BIG_NUMBER = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"((?:[^>"]|"[^"]*")*)>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?'
                         rb'<v>\s*(9\d{15}|[1-9]\d{16,29})\s*</v>')


def _big_numbers(data: bytes) -> dict[tuple[int, int], int]:
    """{(row, column): value} of number cells too large for a double to hold exactly (the
    16-digit ones from 2**53 up, and any longer), read from the sheet's XML as written."""
    if not re.search(rb"<v>\s*(?:9\d{15}|[1-9]\d{16})", data):
        return {}
    found = {}
    for cell in _BIG_NUMBER.finditer(data):
        kind = re.search(rb'\bt="([^"]*)"', cell.group(3))
        value = int(cell.group(4))
        if (kind is None or kind.group(1) == b"n") and value > 2**53:
            found[(int(cell.group(2)) - 1, _column_number(cell.group(1)) - 1)] = value
    return found


def read_sheet(wb: CalamineWorkbook, name: str, progress: Callable[[float], None] | None = None,
               errors: Future | None = None) -> Grid:
    """One sheet as a Grid; `errors` is error_cells() running beside calamine (zlib releases the GIL)."""
    try:
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except Exception:
        raise UserError(
            f"Sheet '{name}' tidak dapat dibaca. Simpan ulang berkas di Excel sebagai .xlsx.",
            f"Sheet '{name}' could not be read. Save the file again in Excel as .xlsx.",
            code="file_unreadable",
        ) from None
    if progress:
        progress(0.5)
    for (r, c), value in (errors.result()[0].get(name, {}) if errors is not None else {}).items():
        if r < len(rows) and c < len(rows[r]):
            # an error's text where calamine read nothing; a big number's exact digits where it
            # read the nearest double
            if (rows[r][c] == "") if type(value) is str else (type(rows[r][c]) is float):
                rows[r][c] = value
    _fill_merged(rows, merged)
    # Trailing empty rows and columns (formatted but unused, or holding a stray space: Ctrl+End
    # goes there) are not rows and columns the operator thinks of.
    while rows and all(_blank(v) for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or _blank(r[width - 1]) for r in rows):
        width -= 1
    if width == 0:
        return grid_from_columns([], [], 1, name)
    columns = list(zip(*(r[:width] if len(r) >= width else list(r) + [""] * (width - len(r)) for r in rows),
                       strict=True))
    texts, nums = zip(*(_column(c) for c in columns), strict=True)
    return grid_from_columns(list(texts), list(nums), 1, name)


def _blank(v) -> bool:
    return v == "" or (type(v) is str and not v.strip())


MAX_MERGED_CELLS = 2_000_000


def _fill_merged(rows: list[list], merged: list) -> None:
    """Copy the value of a cell merged down over several rows into each of those rows.

    Group lists merge the group name (and often the group's account) down over the members:
    each member row carries that value. Merges across columns only (titles, JUMLAH, signatures)
    are left as they are: they hold one value, not one per column."""
    budget = MAX_MERGED_CELLS
    for (r1, c1), (r2, _c2) in merged:
        if r2 <= r1 or r1 >= len(rows) or c1 >= len(rows[r1]):
            continue
        value = rows[r1][c1]
        if value == "":
            continue
        for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
            if c1 < len(rows[r]):
                rows[r][c1] = value
                budget -= 1
        if budget <= 0:
            break


def sheet_names(wb: CalamineWorkbook) -> list[tuple[str, bool]]:
    """Every worksheet as (name, visible), visible ones first (chart sheets hold no cells)."""
    sheets = [(m.name, str(m.visible).endswith(".Visible")) for m in wb.sheets_metadata
              if "WorkSheet" in str(m.typ)]
    if not sheets:
        return [(n, True) for n in wb.sheet_names]
    return [s for s in sheets if s[1]] + [s for s in sheets if not s[1]]
