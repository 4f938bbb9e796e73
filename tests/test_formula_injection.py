"""Cells beginning with = + - @ tab or CR never become formulas: not in the return workbook, not in
the finance exports (contracts §3; CSV: a leading apostrophe, as OWASP recommends)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient

from tests.conftest import BASE
from tests.hostile_corpus import HEADERS, csv_text
from tests.test_api import Api, upload, wait_job
from validator.reports.workbook import FORMULA_START

PAYLOADS = ["=HYPERLINK(\"http://contoh.invalid\",\"klik\")", "+62 812 3456", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def hostile_list() -> bytes:
    """Each payload in the name, the address-like extra column and one header; one clean row."""
    headers = HEADERS + ["Keterangan", "=KOLOM()"]
    table = [headers]
    for i, p in enumerate(PAYLOADS):
        nik = f"12711755068{i:05d}"
        table.append([nik, f"12711701011{i:05d}", f"SITI {p}" if i % 2 else p, BASE["tgl"], "P", "Medan Baru",
                      "BRI", f"3002010001235{i:02d}", "600000", p, p])
    return csv_text(table).encode()


def risky(text: str) -> bool:
    return text.startswith(FORMULA_START)


def assert_no_formula(workbook_bytes: bytes) -> int:
    """No cell is a formula; every text cell that looks like one is quote-prefixed. Returns how many."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    guarded = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and risky(cell.value):
                    assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    guarded += 1
    return guarded


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    a = Api(tmp_path_factory.mktemp("formula"))
    with TestClient(a.app) as client:
        a.client = client
        r = upload(client, a.headers["operator"], hostile_list(), "rumus.csv")
        a.sid = r.json()["submission_id"]
        assert wait_job(client, a.headers["operator"], r.json()["job_id"])["state"] == "done"
        yield a


def test_return_workbook_has_no_formula(api):
    r = api.client.get(f"/api/v1/submissions/{api.sid}/workbook", headers=api.headers["operator"])
    assert r.status_code == 200
    assert assert_no_formula(r.content) >= len(PAYLOADS) * 2  # name or extra column, and the header


def test_finance_exports_have_no_formula(api):
    fin = api.headers["finance"]
    rows = api.client.get(f"/api/v1/submissions/{api.sid}", headers=fin).json()["rows"]
    # Review rows (an odd name) accepted by finance, each with a note that is itself a payload.
    for row, note in zip([r["row"] for r in rows if r["status"] == "review"], PAYLOADS * 9, strict=False):
        r = api.client.post(f"/api/v1/submissions/{api.sid}/rows/{row}/decision", headers=fin,
                            json={"decision": "accepted", "note": note})
        assert r.status_code == 200, r.text
    xlsx = api.client.get(f"/api/v1/submissions/{api.sid}/accepted.xlsx", headers=fin)
    assert xlsx.status_code == 200
    assert assert_no_formula(xlsx.content) >= 1
    text = api.client.get(f"/api/v1/submissions/{api.sid}/accepted.csv", headers=fin)
    assert text.status_code == 200
    table = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"), newline="")))
    assert len(table) > 1
    quoted = 0
    for line in table:
        for field in line:
            assert not risky(field), field
            quoted += field.startswith("'") and risky(field[1:])
    assert quoted >= 1


def test_cli_result_workbook_has_no_formula(tmp_path):
    from validator.engine import validate
    from validator.reports import write_outputs

    path = tmp_path / "rumus.csv"
    path.write_bytes(hostile_list())
    files = write_outputs(validate(path, "pkh", kecamatan="127117"), tmp_path / "out")
    assert assert_no_formula(files["xlsx"].read_bytes()) >= len(PAYLOADS) * 2


def test_disbursement_files_have_no_formula(tmp_path):
    """The frozen payment files go to a bank and to auditors: names, banks and accounts that look
    like formulas stay text."""
    import polars as pl

    from validator.batch.files import FIELDS, write_csv, write_xlsx

    paid = pl.DataFrame({f: [None] * len(PAYLOADS) for f in FIELDS}, schema={f: pl.Utf8 for f in FIELDS})
    paid = paid.with_columns(
        pl.Series("nama", PAYLOADS), pl.Series("bank", PAYLOADS[::-1]), pl.Series("kecamatan_name", PAYLOADS),
        pl.Series("nik", [f"12711755068{i:05d}" for i in range(len(PAYLOADS))]),
        pl.lit(600000.0).alias("nominal"), pl.int_range(2, 2 + len(PAYLOADS)).alias("row"))
    write_xlsx(paid, tmp_path / "cair.xlsx", "uji")
    assert assert_no_formula((tmp_path / "cair.xlsx").read_bytes()) >= 2 * len(PAYLOADS)
    write_csv(paid, tmp_path / "cair.csv")
    table = list(csv.reader(io.StringIO((tmp_path / "cair.csv").read_text(encoding="utf-8-sig"), newline="")))
    fields = [f for line in table[1:] for f in line]
    assert not any(risky(f) for f in fields)
    assert sum(f.startswith("'") and risky(f[1:]) for f in fields) >= 2 * len(PAYLOADS)
