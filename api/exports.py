"""The accepted list as CSV and XLSX for payment: IDs as text, and no cell a spreadsheet evaluates.

Bank and account number are not in the store (row_results keeps identity and amount only), so
the export leaves them out; payment takes them from the kecamatan's own file by row number."""

from __future__ import annotations

import csv
import datetime as dt
import io

import xlsxwriter

from validator.reports.workbook import FORMULA_START

HEADERS = ["BARIS", "NIK", "NO KK", "NAMA", "TANGGAL LAHIR", "NOMINAL", "CATATAN KEPUTUSAN"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def accepted_csv(rows: list[tuple]) -> bytes:
    """UTF-8 with a byte-order mark so Excel reads names right; a cell that would start a formula
    gets a leading apostrophe (a negative amount too: Excel would still show it as text)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADERS)
    for r in rows:
        cells = [_text(v) for v in r]
        w.writerow(["'" + c if c.startswith(FORMULA_START) else c for c in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def accepted_xlsx(rows: list[tuple], title: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    text = wb.add_format({"num_format": "@"})
    quoted = wb.add_format({"num_format": "@", "quote_prefix": True})  # shown as text, never evaluated
    money = wb.add_format({"num_format": "#,##0"})
    bold = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    ws = wb.add_worksheet("Diterima")
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h, bold)
    for i, r in enumerate(rows, start=1):
        for c, v in enumerate(r):
            if c == 0:
                ws.write_number(i, c, v)
            elif c == 5 and isinstance(v, (int, float)):
                ws.write_number(i, c, v, money)
            elif v is not None:
                s = _text(v)
                ws.write_string(i, c, s, quoted if s.startswith(FORMULA_START) else text)
    ws.set_column(0, 0, 7)
    ws.set_column(1, 2, 19)
    ws.set_column(3, 3, 30)
    ws.set_column(4, 5, 14)
    ws.set_column(6, 6, 40)
    ws.freeze_panes(1, 0)
    wb.set_properties({"title": title})
    wb.close()
    return buf.getvalue()
