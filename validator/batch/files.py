"""The frozen disbursement files (CSV and XLSX) and the manifest that seals them.

IDs are text in both files and no cell is ever a formula: the payment file goes to a bank and
to auditors, who open it in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polars as pl
import xlsxwriter

from validator.reports.workbook import FORMULA_START

HEADERS = ["NO", "KODE KECAMATAN", "KECAMATAN", "ID PENGAJUAN", "BARIS ASAL", "NIK", "NO KK", "NAMA",
           "BANK", "NO REKENING", "NOMINAL"]
FIELDS = ["kecamatan", "kecamatan_name", "submission_id", "row", "nik", "no_kk", "nama", "bank",
          "no_rekening", "nominal"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _safe(text: str) -> str:
    # A leading apostrophe makes Excel and LibreOffice read the cell as text, never a formula.
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(paid: pl.DataFrame, path: Path) -> None:
    """UTF-8 with a byte-order mark (Excel then reads names right), CRLF lines."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADERS)
    for i, r in enumerate(paid.select(FIELDS).iter_rows(), start=1):
        w.writerow([str(i)] + [_safe(_text(v)) for v in r])
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))


def write_xlsx(paid: pl.DataFrame, path: Path, title: str) -> None:
    # xlsxwriter's sheet data (every NIK and account) is kept beside the file, in the approval's
    # staging folder, which is removed whatever happens, never in the system's /tmp.
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": str(path.parent)})
    text = wb.add_format({"num_format": "@"})
    quoted = wb.add_format({"num_format": "@", "quote_prefix": True})
    money = wb.add_format({"num_format": "#,##0"})
    bold = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    ws = wb.add_worksheet("Pencairan")
    for c, h in enumerate(HEADERS):
        ws.write_string(0, c, h, bold)
    for i, r in enumerate(paid.select(FIELDS).iter_rows(), start=1):
        ws.write_number(i, 0, i)
        for c, v in enumerate(r, start=1):
            if FIELDS[c - 1] == "nominal" and v is not None:
                ws.write_number(i, c, v, money)
            elif FIELDS[c - 1] == "row":
                ws.write_number(i, c, v)
            elif v is not None:
                s = _text(v)
                ws.write_string(i, c, s, quoted if s.startswith(FORMULA_START) else text)
    for c, width in enumerate([6, 15, 28, 34, 10, 19, 19, 30, 14, 19, 13]):
        ws.set_column(c, c, width)
    wb.set_properties({"title": title})
    wb.close()


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
