"""result.xlsx (contracts §3): the operator's own sheet back, with STATUS, KODE ALASAN and ALASAN."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import xlsxwriter

from validator.errors import thousands
from validator.ingest import SUMMARY_ROWS_LABEL, SUMMARY_SKIPPED_LABEL, WHY_TEXT
from validator.ingest.layout import FULL_SHEET_LIMIT, PARTIAL_NOTE, VERDICT_HEADERS
from validator.normalize import EXCEL_MARK, EXCEL_MARK_PATTERN
from validator.reports.messages import action_text, context_params

# VERDICT_HEADERS are the columns this workbook adds; in a returned workbook they are the old
# verdict, not the operator's data, and are replaced rather than repeated.
ID_FIELDS = ("nik", "no_kk", "no_rekening")
# Text starting with one of these would be a formula (or DDE payload) if typed into a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32_767
STATUS_ID = {"accepted": "DITERIMA", "review": "PERIKSA", "rejected": "DITOLAK"}


# The checks a run may skip whole, as the Indonesian sheet names them (other entries are codes).
CHECK_NAMES = {"registry": "DTKS/DTSEN", "exclusions": "daftar pengecualian", "history": "riwayat pengajuan"}


class _Writer:
    def __init__(self, wb: xlsxwriter.Workbook):
        self.wb = wb
        self.text = wb.add_format({"num_format": "@"})
        self.quoted = wb.add_format({"num_format": "@", "quote_prefix": True})
        self.bold = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        self.bold_quoted = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                          "quote_prefix": True})
        self.note = wb.add_format({"italic": True, "font_color": "#7F1D1D"})
        self.reject = wb.add_format({"bg_color": "#F8B4B4", "num_format": "@"})
        self.reject_q = wb.add_format({"bg_color": "#F8B4B4", "num_format": "@", "quote_prefix": True})
        self.review = wb.add_format({"bg_color": "#FDE68A", "num_format": "@"})
        self.review_q = wb.add_format({"bg_color": "#FDE68A", "num_format": "@", "quote_prefix": True})
        self.wrapped = wb.add_format({"num_format": "@", "text_wrap": True, "valign": "top"})
        self.reject_n = wb.add_format({"bg_color": "#F8B4B4"})
        self.review_n = wb.add_format({"bg_color": "#FDE68A"})
        self.date = {m: wb.add_format({"num_format": "dd-mm-yyyy", **({"bg_color": c} if c else {})})
                     for m, c in ((None, None), ("reject", "#F8B4B4"), ("review", "#FDE68A"))}
        self.status = {"rejected": wb.add_format({"bold": True, "font_color": "#B91C1C"}),
                       "review": wb.add_format({"bold": True, "font_color": "#92400E"}),
                       "accepted": wb.add_format({"bold": True, "font_color": "#166534"})}

    def number(self, ws, r: int, c: int, value: float | int, mark: str | None = None) -> None:
        fmt = {"reject": self.reject_n, "review": self.review_n}.get(mark or "")
        ws.write_number(r, c, value, fmt)

    def date_cell(self, ws, r: int, c: int, day: dt.date, mark: str | None = None) -> None:
        ws.write_datetime(r, c, dt.datetime(day.year, day.month, day.day), self.date.get(mark, self.date[None]))

    def cell(self, ws, r: int, c: int, value: str | None, mark: str | None = None) -> None:
        """A cell written as text: IDs never become numbers, text never becomes a formula."""
        if value is None or value == "":
            if mark:
                ws.write_blank(r, c, None, self.reject if mark == "reject" else self.review)
            return
        value = value if len(value) <= MAX_CELL else value[: MAX_CELL - 1] + "…"
        risky = value.startswith(FORMULA_START)
        if mark == "reject":
            fmt = self.reject_q if risky else self.reject
        elif mark == "review":
            fmt = self.review_q if risky else self.review
        else:
            fmt = self.quoted if risky else self.text
        ws.write_string(r, c, value, fmt)


EXCEL_DAMAGE = ("NIK_EXCEL", "KK_EXCEL", "REKENING_EXCEL")


def _excel_damaged(outcome) -> set[tuple[int, int]]:
    """(_idx, column) of ID cells Excel's number format damaged: they are written back with
    EXCEL_MARK, so the workbook sent again unchanged still says so instead of passing them."""
    col_of = outcome.listing.fields
    f = outcome.findings.filter(pl.col("code").is_in(EXCEL_DAMAGE) & pl.col("field").is_in(list(col_of)))
    return {(i, col_of[fld]) for i, fld in f.select("_idx", "field").iter_rows()}


def _old_verdict_columns(headers: list[str]) -> set[int]:
    """STATUS, KODE ALASAN, ALASAN and BARIS ASAL of a returned workbook (all four, side by side,
    as often as the workbook went round)."""
    keys = [h.strip().upper() for h in headers]
    n = len(VERDICT_HEADERS)
    return {k for j in range(len(keys) - n + 1) if tuple(keys[j:j + n]) == VERDICT_HEADERS
            for k in range(j, j + n)}


def _as_date(text: str | None) -> dt.date | None:
    """An ISO date as read from a date cell (from 1900 on: Excel has no earlier dates)."""
    if not text or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if day.year >= 1900 else None


def _finite(text: str) -> float | None:
    """A numeric cell's text as a finite float, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    return None if value != value or value in (float("inf"), float("-inf")) else value


def _as_number(text: str | None) -> float | int | None:
    """A numeric cell's text as a number, when it is short enough not to be an ID (12 digits)."""
    if not text or sum(ch.isdigit() for ch in text) > 12 or (value := _finite(text)) is None:
        return None
    return int(value) if value.is_integer() else value


def _cell_marks(outcome) -> pl.DataFrame:
    """(_idx, column index, worst severity) for every cell at fault."""
    col_of = dict(outcome.listing.fields)
    if "tanggal_lahir" not in col_of and "tempat_tanggal_lahir" in col_of:
        col_of["tanggal_lahir"] = col_of["tempat_tanggal_lahir"]
    f = outcome.findings.filter(pl.col("field").is_in(list(col_of)))
    return (f.with_columns(pl.col("field").replace_strict(col_of, return_dtype=pl.Int32).alias("_col"))
            .group_by("_idx", "_col")
            .agg(pl.when((pl.col("severity") == "reject").any()).then(pl.lit("reject"))
                 .otherwise(pl.lit("review")).alias("mark")))


def write_workbook(outcome, path: Path, tmpdir: Path | None = None) -> None:
    """`tmpdir` holds xlsxwriter's sheet data while it writes (every cell, NIKs included): the
    caller's own temporary folder beside the result, never the system's /tmp, where a killed run
    would leave it for good (see reports.write_outputs)."""
    listing = outcome.listing
    width = len(listing.headers)
    verdict = _old_verdict_columns(listing.headers)
    filled = [j for j in range(width) if j not in verdict and (
              listing.headers[j] or listing.frame.get_column(f"c{j}").null_count() < listing.frame.height)]
    # Columns keep their letters (an empty column A stays), as rows keep their numbers; only empty
    # columns after the last used one are left out.
    used = [j for j in range(filled[-1] + 1) if j not in verdict] if filled else []
    filled_set = set(filled)
    per_row = outcome.findings.group_by("_idx", maintain_order=True).agg(
        pl.col("code").str.join(", ").alias("codes"),
        # One reason per line, its weight first, so a row with several findings stays readable.
        (pl.when(pl.col("severity") == "reject").then(pl.lit("[TOLAK] ")).otherwise(pl.lit("[PERIKSA] "))
         + pl.col("message")).str.join("\n").alias("reasons"))
    # A number the operator typed as a number (an amount, the row's NO) goes back as a number, so
    # SUM still works on the return workbook; IDs, and any long digit string, stay text.
    id_cols = {listing.fields[f] for f in ID_FIELDS if f in listing.fields}
    # A workbook's date cell is read as ISO text ("1960-07-09"): it goes back as a date, shown
    # as Indonesian lists show dates, not as the ISO spelling the operator never typed.
    date_cols = {listing.fields["tanggal_lahir"]} if listing.sheet is not None and "tanggal_lahir" in listing.fields \
        else set()
    numeric = [j for j in used if j not in id_cols]
    table = (listing.frame.select("_idx", "_row", *[f"c{j}" for j in used], *[f"n{j}" for j in numeric])
             .join(outcome.rows.select("_idx", "status"), on="_idx")
             .join(per_row, on="_idx", how="left").sort("_idx"))
    partial = table.height > FULL_SHEET_LIMIT
    if partial:
        table = table.filter(pl.col("status") != "accepted")
    marks = {(i, c): m for i, c, m in _cell_marks(outcome).iter_rows()}
    damaged = _excel_damaged(outcome)

    # A workbook counting serials from 1904 goes back so: a birth date the operator typed as a
    # number (kept a number) keeps its meaning when the return workbook is sent again.
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "date_1904": listing.date1904,
                                         "strings_to_urls": False, "strings_to_numbers": False,
                                         "tmpdir": str(tmpdir if tmpdir is not None else path.parent)})
    w = _Writer(wb)
    # The summary sheet is "Ringkasan" (contracts §3): an operator's sheet of that name is renamed.
    taken = {"ringkasan"}
    name = listing.sheet or "Daftar"
    ws = wb.add_worksheet(sheet_name("Daftar" if name.strip().lower() == "ringkasan" else name, taken))
    r = 0
    if partial:
        # Thousands with a dot, as Indonesian writes them (20.143), and only in the numbers.
        total, listed = (thousands(n) for n in (outcome.rows.height, table.height))
        ws.write_string(r, 0, (f"Daftar berisi {total} baris; {PARTIAL_NOTE} "
                               f"{listed} baris yang perlu diperbaiki atau diperiksa. Nomor di kolom "
                               "BARIS ASAL adalah nomor baris di berkas asli: perbaiki baris itu di berkas "
                               "asli, lalu kirim berkas asli yang lengkap; sheet ini jangan dikirim sendiri. "
                               "/ Only rows with findings are listed here: fix them in the original file "
                               "and send that whole file."), w.note)
        r += 2
    # The header's rows as the operator wrote them (a label row above, sub-headers below), so the
    # workbook sent back is read the same way; the verdict headers go on the header row itself.
    block = listing.header_block or [(listing.header_row, listing.headers)]
    named = {j for _, cells in block for j, text in enumerate(cells) if text}
    if not partial:
        # Every row stays on the row it had in the operator's file, so "baris 33" in a message, on
        # the results page and in BARIS ASAL is row 33 here too. Rows set aside (title, totals,
        # signatures) are left empty; the first of them says so.
        if block[0][0] >= 2:
            ws.write_string(0, 0, f"Hasil validasi {outcome.program.name} — {outcome.file_name}: nomor baris sama "
                                  "dengan berkas asli; baris judul, jumlah dan tanda tangan dikosongkan.", w.note)
    for k, (rownum, cells) in enumerate(block):
        r = r + (k > 0) if partial else rownum - 1
        texts = [(cells[j] if j < len(cells) else "") or
                 (f"Kolom {j + 1}" if rownum == listing.header_row and j in filled_set and j not in named else "")
                 for j in used]
        if rownum == listing.header_row:
            texts += list(VERDICT_HEADERS)
        for c, h in enumerate(texts):
            if h:
                ws.write_string(r, c, h, w.bold_quoted if h.startswith(FORMULA_START) else w.bold)
    ws.freeze_panes(r + 1, 0)
    head_row = r
    for row in table.iter_rows(named=True):
        r = r + 1 if partial else row["_row"] - 1
        idx = row["_idx"]
        for c, j in enumerate(used):
            value = row[f"c{j}"]
            if value and (idx, j) in damaged and not re.search(EXCEL_MARK_PATTERN, value):
                value += EXCEL_MARK
            number = _as_number(value) if row.get(f"n{j}") else None
            day = _as_date(value) if j in date_cols else None
            if number is not None:
                w.number(ws, r, c, number, marks.get((idx, j)))
            elif day is not None:
                w.date_cell(ws, r, c, day, marks.get((idx, j)))
            else:
                w.cell(ws, r, c, value, marks.get((idx, j)))
        n = len(used)
        ws.write_string(r, n, STATUS_ID[row["status"]], w.status[row["status"]])
        w.cell(ws, r, n + 1, row["codes"])
        if row["reasons"]:  # one reason per line, wrapped (each starts with [TOLAK] or [PERIKSA])
            ws.write_string(r, n + 2, row["reasons"][:MAX_CELL], w.wrapped)
        ws.write_number(r, n + 3, row["_row"])
    if listing.aside is not None and not partial:
        # Another table below the list (a recap, a list of people removed) goes back as typed, so
        # nothing of the operator's file is lost; it was not checked, and says so.
        for row in listing.aside.iter_rows(named=True):
            r = row["_row"] - 1
            for c, j in enumerate(used):
                w.cell(ws, r, c, row.get(f"c{j}"))
            ws.write_string(r, len(used) + 2, "Tidak diperiksa: tabel lain di bawah daftar, bukan daftar penerima. "
                                              "/ Not checked: another table below the list.")
    ws.autofilter(head_row, 0, max(r, head_row), len(used) + len(VERDICT_HEADERS) - 1)
    ws.set_column(len(used) + 2, len(used) + 2, 80)
    # A partial sheet is not to be sent back (its note says so): other sheets beside it could be
    # read in its place and replace the kecamatan's list, so they are only named in Ringkasan.
    if not partial:
        for grid in listing.other_sheets:
            _carried_sheet(wb, w, grid, taken)
    _summary_sheet(wb, w, outcome)
    wb.close()


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (no [ ] : * ? / or backslash, no apostrophe at either end, 31 characters),
    unique in the workbook (case aside): a workbook from another program may hold names Excel
    would refuse, or longer ones that are one name once cut. `taken` is updated."""
    base = _tidy_name(_SHEET_NAME_BAD.sub("_", name)) or "Sheet"
    candidate, k = _cut_name(base, 31), 1
    while candidate.lower() in taken:
        k += 1
        suffix = f" ({k})"
        candidate = _cut_name(base, 31 - len(suffix)) + suffix
    taken.add(candidate.lower())
    return candidate


def _tidy_name(name: str) -> str:
    """Spaces and apostrophes off both ends, until none is left there."""
    while name != (name := name.strip().strip("'")):
        pass
    return name


def _cut_name(name: str, units: int) -> str:
    """At most `units` UTF-16 code units (how Excel and xlsxwriter count: an emoji is two), tidied."""
    while len(name.encode("utf-16-le")) // 2 > units:
        name = name[:-1]
    return _tidy_name(name) or "Sheet"


def _carried_number(text: str) -> float | int | None:
    """A cell Excel stored as a number, as that number again (an ID number stays the number it
    was, so its damage by Excel is seen again when the sheet is sent back); None when a double
    cannot hold it exactly (a whole number past 2**53 whose digits a double lacks, read from the
    sheet's XML): text then."""
    if (value := _finite(text)) is None or not value.is_integer():
        return value
    whole = int(text) if text.lstrip("-").isdigit() else int(value)
    return whole if float(whole) == whole else None


def _carried_sheet(wb, w: _Writer, grid, taken: set[str]) -> None:
    """Another sheet of the operator's workbook that holds a list this run did not check, back as
    it was (every cell on its own row and column: numbers as numbers, the rest as text), so that
    fixing the return workbook and sending it again loses none of its rows; hidden if it was."""
    ws = wb.add_worksheet(sheet_name(grid.sheet or "Sheet", taken))
    columns = [c for j in range(grid.width) for c in (f"c{j}", f"n{j}")]
    for row in grid.frame.select("_row", *columns).iter_rows():
        r = row[0] - 1
        for c in range(grid.width):
            value, number = row[1 + 2 * c], row[2 + 2 * c]
            as_number = _carried_number(value) if number and value else None
            if as_number is not None:
                ws.write_number(r, c, as_number)
            else:
                w.cell(ws, r, c, value)
    if not grid.visible:
        ws.hide()


def _summary_sheet(wb, w: _Writer, outcome) -> None:
    ws = wb.add_worksheet("Ringkasan")
    s = outcome.summary
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 3, 70)
    r = 0
    ws.write_string(r, 0, f"Hasil validasi {outcome.program.name} — {outcome.file_name}", w.bold)
    r += 2
    for label, key in ((SUMMARY_ROWS_LABEL, "rows"), ("DITERIMA (accepted)", "accepted"),
                       ("PERIKSA (review)", "review"), ("DITOLAK (rejected)", "rejected"),
                       (SUMMARY_SKIPPED_LABEL, "skipped_rows")):
        ws.write_string(r, 0, label)
        ws.write_number(r, 1, s[key])
        r += 1
    r += 1
    for c, h in enumerate(["KODE ALASAN", "JUMLAH", "ARTI", "YANG HARUS DILAKUKAN KECAMATAN"]):
        ws.write_string(r, c, h, w.bold)
    context = context_params(outcome.rules, outcome.program, outcome.regions, outcome.kecamatan, "id")
    for code, count in s["by_code"].items():
        r += 1
        entry = outcome.rules.catalog[code]
        ws.write_string(r, 0, code)
        ws.write_number(r, 1, count)
        severity = outcome.rules.severity(outcome.program, code)
        w.cell(ws, r, 2, f"{entry.title_id} ({'tolak' if severity == 'reject' else 'periksa'})")
        w.cell(ws, r, 3, action_text(entry.action_id, context))
    if outcome.listing.skipped:
        r += 2
        for c, h in enumerate(["BARIS DILEWATI", "", "ALASAN"]):
            ws.write_string(r, c, h, w.bold)
        for item in outcome.listing.skipped:
            r += 1
            ws.write_number(r, 0, item["row"])
            w.cell(ws, r, 2, WHY_TEXT[item["why"]][0])
    if outcome.checks_skipped:
        r += 2
        ws.write_string(r, 0, "PEMERIKSAAN TIDAK DIJALANKAN", w.bold)
        for item in outcome.checks_skipped:
            r += 1
            w.cell(ws, r, 0, CHECK_NAMES.get(item["check"], item["check"]))
            w.cell(ws, r, 2, item["reason"])
    # What result.json's warnings say (a sheet not read, an unknown period…): the return file is
    # what the kecamatan reads, and it must not look complete when it is not.
    if outcome.listing.warnings:
        r += 2
        ws.write_string(r, 0, "PERINGATAN", w.bold)
        for item in outcome.listing.warnings:
            r += 1
            w.cell(ws, r, 0, item["code"])
            w.cell(ws, r, 2, item["message"])
