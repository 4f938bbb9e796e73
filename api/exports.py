"""The accepted list as CSV and XLSX for payment: IDs and account numbers as text, and no cell a
spreadsheet evaluates (a cell starting = + - @ tab or CR is quote-prefixed)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import xlsxwriter

from validator.reports.workbook import FORMULA_START

HEADERS = ["BARIS", "NIK", "NO KK", "NAMA", "TANGGAL LAHIR", "BANK", "NO REKENING", "NOMINAL",
           "CATATAN KEPUTUSAN", "SUDAH DIBAYAR OLEH BATCH"]
AMOUNT = HEADERS.index("NOMINAL")


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
            elif c == AMOUNT and isinstance(v, (int, float)):
                ws.write_number(i, c, v, money)
            elif v is not None:
                s = _text(v)
                ws.write_string(i, c, s, quoted if s.startswith(FORMULA_START) else text)
    for c, width in enumerate([7, 19, 19, 30, 14, 10, 20, 14, 40, 26]):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    wb.set_properties({"title": title})
    wb.close()
    return buf.getvalue()
