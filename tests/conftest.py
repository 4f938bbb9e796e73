"""Shared fixtures: build small lists in a temporary folder and validate them."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter

from validator.engine import Outcome, validate
from validator.rulebook import load_rules

TODAY = dt.date(2026, 11, 22)
SENDER = "127117"  # Medan Baru, Kota Medan
COLUMNS = ["NIK", "No KK", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Kecamatan", "Bank",
           "No Rekening", "Nominal"]
KEYS = ["nik", "kk", "nama", "tgl", "jk", "kec", "bank", "rek", "nominal"]
# A row that every default program accepts (amount set per program).
BASE = {"nik": "1271175506800001", "kk": "1271170101100001", "nama": "SITI AMINAH",
        "tgl": "15-06-1980", "jk": "P", "kec": "Medan Baru", "bank": "BRI",
        "rek": "300201000123507", "nominal": "600000"}
AMOUNT = {"pkh": "600000", "bpnt": "200000", "bst": "300000", "kube": "", "maghrib_mengaji": "500000"}
EXTRA = {"kube": {"Nama Kelompok": "kelompok", "Jabatan": "jabatan"},
         "maghrib_mengaji": {}}


@pytest.fixture(scope="session")
def rules():
    return load_rules()


def make_rows(program: str, rows: list[dict]) -> tuple[list[str], list[list]]:
    extra = EXTRA.get(program, {})
    headers = COLUMNS + list(extra) + [h for r in rows for h in r.get("_extra_headers", [])]
    headers = list(dict.fromkeys(headers))
    out = []
    for r in rows:
        full = {**BASE, "nominal": AMOUNT[program], **r}
        line = [full[k] for k in KEYS] + [full.get(v, "") for v in extra.values()]
        for h in headers[len(KEYS) + len(extra):]:
            line.append(full.get(h, ""))
        out.append(line)
    return headers, out


def write_csv(path: Path, headers: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows([["" if v is None else str(v) for v in r] for r in rows])
    return path


def write_xlsx(path: Path, headers: list[str], rows: list[list], title_rows: int = 0) -> Path:
    """Python ints and floats become numeric cells, as when Excel turned a NIK into a number."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    date = wb.add_format({"num_format": "dd-mm-yyyy"})
    for r in range(title_rows):
        ws.write_string(r, 0, f"JUDUL {r + 1}")
    for c, h in enumerate(headers):
        ws.write_string(title_rows, c, h)
    for i, row in enumerate(rows, start=title_rows + 1):
        for c, v in enumerate(row):
            if isinstance(v, bool) or v is None or v == "":
                continue
            if isinstance(v, (int, float)):
                ws.write_number(i, c, v)
            elif isinstance(v, dt.datetime):  # a date cell, as Excel stores a typed date
                ws.write_datetime(i, c, v, date)
            else:
                ws.write_string(i, c, v)
    wb.close()
    return path


def run_rows(tmp_path: Path, program: str, rows: list[dict], *, fmt: str | None = None,
             kecamatan: str | None = SENDER, today: dt.date = TODAY) -> Outcome:
    headers, body = make_rows(program, rows)
    numeric = any(isinstance(v, (int, float)) for r in body for v in r)
    fmt = fmt or ("xlsx" if numeric else "csv")
    path = tmp_path / f"list.{fmt}"
    (write_xlsx if fmt == "xlsx" else write_csv)(path, headers, body)
    return validate(path, program, kecamatan=kecamatan, today=today)


def codes_by_row(outcome: Outcome) -> list[set[str]]:
    per = {i: set() for i in outcome.rows["_idx"].to_list()}
    for idx, code in outcome.findings.select("_idx", "code").iter_rows():
        per[idx].add(code)
    return [per[i] for i in sorted(per)]
