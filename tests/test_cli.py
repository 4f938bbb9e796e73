"""The command line exactly as contracts §1 says: outputs, exit codes, one clear line on mistakes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from tests.conftest import BASE, make_rows, write_csv, write_xlsx

BANSOS = [sys.executable, "-m", "validator.cli"]


def bansos(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*BANSOS, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture()
def good_list(tmp_path) -> Path:
    other = {"nik": "1271171506750002", "kk": "1271170101100002", "jk": "L", "tgl": "15-06-1975",
             "nama": "BUDI", "rek": "30020100O123507"}
    headers, rows = make_rows("pkh", [{}, {"nik": "127117550680001"}, other])
    return write_csv(tmp_path / "daftar.csv", headers, rows)


def test_validate_writes_both_results(tmp_path, good_list):
    out = tmp_path / "out"
    r = bansos("validate", str(good_list), "--program", "pkh", "--kecamatan", "12.71.17",
               "--period", "2026-T1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    data = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert data["program"] == "pkh" and data["period"] == "2026-T1" and data["kecamatan"] == "127117"
    assert data["summary"]["rows"] == 3 and data["summary"]["rejected"] == 2
    assert data["source"]["columns"]["nik"] == "NIK" and data["source"]["header_row"] == 1
    assert "registry" in data["checks_skipped"]
    assert [r["row"] for r in data["rows"]] == [2, 3, 4]
    assert data["rows"][0]["findings"] == [] and data["rows"][0]["status"] == "accepted"
    # Every stage contracts §2 names, 0 for one that did not run (no --store).
    assert list(data["timings"]) == ["read", "checks", "registry", "store", "write"]
    assert data["timings"]["store"] == 0 and data["timings"]["read"] > 0
    assert (out / "result.xlsx").exists()
    assert "DITOLAK" in r.stdout


def test_program_id_in_any_case(tmp_path, good_list):
    """Operators type "PKH" as often as "pkh"; the result names the rule set by its id."""
    out = tmp_path / "out"
    r = bansos("validate", str(good_list), "--program", "PKH", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "result.json").read_text(encoding="utf-8"))["program"] == "pkh"


@pytest.mark.parametrize("args,needle", [
    (["--program", "zzz"], "Program 'zzz' tidak dikenal"),
    (["--program", "pkh", "--kecamatan", "99.99.99"], "Kode kecamatan '99.99.99' tidak dikenal"),
], ids=["unknown program", "unknown kecamatan"])
def test_user_mistakes_exit_2(tmp_path, good_list, args, needle):
    r = bansos("validate", str(good_list), *args, "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "o" / "result.json").exists()


def test_unreadable_and_missing_files(tmp_path):
    cases = {
        "missing.csv": None,
        "kosong.csv": b"",
        "sampah.xlsx": b"PK\x03\x04 this is not a zip at all",
        "gambar.png": b"\x89PNG\r\n",
        "biner.csv": b"\x00\x01\x02" * 100,
    }
    for name, content in cases.items():
        p = tmp_path / name
        if content is not None:
            p.write_bytes(content)
        r = bansos("validate", str(p), "--program", "pkh", "--out", str(tmp_path / "o"))
        assert r.returncode == 2, (name, r.stderr)
        assert "Traceback" not in r.stderr
        assert r.stderr.strip().count("\n") <= 2, r.stderr  # one clear line (wrapped at most)
        assert not (tmp_path / "o" / "result.json").exists()


def test_a_nik_typed_as_the_file_name_is_not_echoed_whole(tmp_path):
    """A NIK pasted into the wrong place comes back masked on stderr (scripts keep stderr in logs);
    the rest of the path stays readable."""
    folder = tmp_path / "kiriman"
    r = bansos("validate", str(folder / "1271171404511017.xlsx"), "--program", "pkh", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "1271171404511017" not in r.stderr
    assert f"{folder}/127117******1017.xlsx" in r.stderr
    dated = bansos("validate", str(tmp_path / "DAFTAR PKH 12.71.17 - 2026.01.15 - 002.xlsx"), "--program", "pkh",
                   "--out", str(tmp_path / "o"))
    assert "DAFTAR PKH 12.71.17 - 2026.01.15 - 002.xlsx" in dated.stderr  # dates and codes stay readable


def test_no_nik_column(tmp_path):
    p = write_csv(tmp_path / "l.csv", ["Nama", "Alamat"], [["SITI", "JL. MAWAR"]])
    r = bansos("validate", str(p), "--program", "pkh", "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert "Kolom NIK tidak ditemukan" in r.stderr and "Nama, Alamat" in r.stderr


def test_a_list_without_its_header_row_is_not_echoed(tmp_path):
    # The top row is a person (NIK, name, account): personal data stays out of the message.
    p = tmp_path / "tanpa_judul.csv"
    p.write_text("1,1271175506800001,SITI AMINAH,BRI,300201000123456\n", encoding="utf-8")
    r = bansos("validate", str(p), "--program", "pkh", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "Kolom NIK tidak ditemukan" in r.stderr
    assert "baris teratas berisi data penerima" in r.stderr
    assert "1271175506800001" not in r.stderr and "SITI" not in r.stderr and "300201000123456" not in r.stderr


def test_registry_option_joins_the_extract(tmp_path, good_list):
    reg = tmp_path / "reg.csv"
    reg.write_text("nik,nama,status\n1271175506800001,SITI AMINAH,aktif\n", encoding="utf-8")
    r = bansos("validate", str(good_list), "--program", "pkh", "--out", str(tmp_path / "o"),
               "--registry", str(reg))
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "o" / "result.json").read_text(encoding="utf-8"))
    assert "registry" not in data["checks_skipped"]
    # The third row's NIK is readable and not in the extract; the second's is not readable.
    assert data["summary"]["by_code"].get("DTKS_TIDAK_TERDAFTAR") == 1


def test_registry_without_nik_column_is_a_user_error(tmp_path, good_list):
    reg = tmp_path / "reg.csv"
    reg.write_text("nama,status\nSITI,aktif\n", encoding="utf-8")
    r = bansos("validate", str(good_list), "--program", "pkh", "--out", str(tmp_path / "o"),
               "--registry", str(reg))
    assert r.returncode == 2 and "Traceback" not in r.stderr and "nik" in r.stderr
    assert not (tmp_path / "o" / "result.json").exists()


def test_workbook_golden(tmp_path):
    """The return workbook, read back with an independent reader."""
    rows = [{"nik": 1271175506800010}, {}, {"nama": "=HYPERLINK(\"http://x\")", "nik": "1271171506750002",
                                            "jk": "L", "tgl": "15-06-1975", "kk": "1271170101100002",
                                            "rek": "+62123"},
            {"nik": 1271171506750003, "kk": "1271170101100003", "jk": "L", "tgl": "15-06-1975",
             "nama": "@SUM(A1)", "rek": "-300201000987654"}]
    headers, body = make_rows("pkh", rows)
    src = write_xlsx(tmp_path / "daftar.xlsx", headers, body, title_rows=3)
    out = tmp_path / "out"
    r = bansos("validate", str(src), "--program", "pkh", "--kecamatan", "127117", "--out", str(out))
    assert r.returncode == 0, r.stderr
    data = json.loads((out / "result.json").read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(out / "result.xlsx")
    ws = wb.worksheets[0]
    # Every row where it was in the operator's file: three title rows, the header on row 4, data
    # from row 5, so a message's "baris 7" is row 7 here too. Row 1 says so.
    assert "nomor baris sama dengan berkas asli" in ws.cell(row=1, column=1).value
    assert [ws.cell(row=i, column=2).value for i in (2, 3)] == [None, None]
    header = [c.value for c in ws[4]]
    assert header[: len(headers)] == headers
    assert header[len(headers):] == ["STATUS", "KODE ALASAN", "ALASAN", "BARIS ASAL"]
    nik_col = headers.index("NIK") + 1
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
        assert row[nik_col - 1].data_type == "s"  # NIK as text, never a number
    # The numeric NIK Excel damaged comes back as its full digits, as text, marked to be retyped.
    assert ws.cell(row=5, column=nik_col).value == "1271175506800010 <- KETIK ULANG: rusak oleh format angka Excel"
    # A formula-like name is shown as text and flagged with Excel's quote prefix.
    name_cell = ws.cell(row=7, column=headers.index("Nama") + 1)
    assert name_cell.value.startswith("=HYPERLINK") and name_cell.quotePrefix
    # The faulty cell is highlighted, the good one not.
    assert ws.cell(row=5, column=nik_col).fill.fgColor.rgb not in (None, "00000000")
    assert ws.cell(row=6, column=nik_col).fill.fill_type is None
    # STATUS and the original row number per row: the row itself.
    statuses = [ws.cell(row=i, column=len(headers) + 1).value for i in range(5, 9)]
    assert statuses == ["DITOLAK", "DITERIMA", "DITOLAK", "PERIKSA"]
    assert [ws.cell(row=i, column=len(headers) + 4).value for i in range(5, 9)] == [5, 6, 7, 8]
    assert [r["row"] for r in data["rows"]] == [5, 6, 7, 8]
    # Ringkasan counts match result.json.
    summary = wb["Ringkasan"]
    values = {row[0].value: row[1].value for row in summary.iter_rows() if row[0].value}
    assert values["DITOLAK (rejected)"] == data["summary"]["rejected"]
    assert values["DITERIMA (accepted)"] == data["summary"]["accepted"]
    for code, n in data["summary"]["by_code"].items():
        assert values[code] == n
    # Checks not run are named in Indonesian, not by their ids.
    assert {"DTKS/DTSEN", "daftar pengecualian", "riwayat pengajuan"} <= set(values)
    assert not {"registry", "exclusions", "history"} & set(values)
    assert BASE["nik"]  # the base row stays the reference row


def test_big_list_returns_only_rows_with_findings(tmp_path, monkeypatch):
    from validator.engine import validate
    from validator.reports import workbook, write_outputs

    monkeypatch.setattr(workbook, "FULL_SHEET_LIMIT", 3)
    headers, body = make_rows("pkh", [{}, {"nik": ""}, {}, {"nik": "1271171506750002", "jk": "L",
                                                             "tgl": "15-06-1975", "kk": "1271170101100002",
                                                             "rek": "300201000987654"}])
    src = write_csv(tmp_path / "l.csv", headers, body)
    paths = write_outputs(validate(src, "pkh"), tmp_path / "o")
    ws = openpyxl.load_workbook(paths["xlsx"]).worksheets[0]
    assert "hanya memuat" in ws.cell(row=1, column=1).value
    data_rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if any(v is not None for v in r)]
    assert [r[-1] for r in data_rows] == [2, 3, 4]  # rows 2 and 4 share a NIK, row 3 has none
    assert len(json.loads(paths["json"].read_text())["rows"]) == 4


def test_ctrl_c_exits_130_and_writes_nothing(tmp_path):
    import signal
    import time

    import polars as pl

    headers, body = make_rows("pkh", [{}])
    big = tmp_path / "besar.csv"
    pl.DataFrame([body[0]] * 600_000, schema=headers, orient="row").write_csv(big)
    proc = subprocess.Popen([*BANSOS, "validate", str(big), "--program", "pkh", "--kecamatan", "127117",
                             "--out", str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Dibatalkan" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out" / "result.json").exists()


@pytest.mark.parametrize(("args", "said"), [
    (["validate", "x.csv", "--out", "o"], "opsi --program wajib diisi"),
    (["validate", "x.csv", "--program", "pkh", "--out", "o", "--bogus"], "opsi --bogus tidak dikenal"),
    (["histori"], "perintah 'histori' tidak dikenal"),
])
def test_usage_mistakes_get_one_indonesian_line(args, said):
    r = bansos(*args)
    assert r.returncode == 2 and r.stdout == ""
    [line] = r.stderr.strip().splitlines() if len(r.stderr) < 200 else [r.stderr.replace("\n", " ").strip()]
    assert line.startswith("Kesalahan: " + said) and "--help" in line


@pytest.mark.parametrize("args", [
    ["history", "--store", "h.duckdb", "1271171911750015", "1271171911750016"],  # two NIKs: one too many
    ["history", "--store", "h.duckdb", "1271171911750015", "1271 1719 1175 0016"],
    ["validate", "x.csv", "--out", "o", "--program", "1271171911750016"],
    ["validate", "x.csv", "--out", "o", "--program", "pkh", "--kecamatan", "1271171911750016"],
    ["1271171911750016"],
])
def test_usage_and_input_mistakes_quote_no_nik(args):
    r = bansos(*args)
    assert r.returncode == 2 and "Kesalahan" in r.stderr, r.stderr
    assert "1271171911750016" not in r.stderr and "1175 0016" not in r.stderr, r.stderr
    assert "127117******0016" in r.stderr  # still says which value was wrong, masked


def test_history_quotes_no_cell_and_needs_an_existing_store(tmp_path):
    headers, body = make_rows("pkh", [{"rek": "30020100012"}])  # REKENING_PANJANG quotes the account
    path = write_csv(tmp_path / "l.csv", headers, body)
    store = tmp_path / "h.duckdb"
    assert bansos("validate", str(path), "--program", "pkh", "--kecamatan", "127117", "--period", "2026-T1",
                  "--store", str(store), "--out", str(tmp_path / "o")).returncode == 0
    import os

    # Piped, as a script or a log reads it (no COLUMNS): codes whole, no line cut at 80 columns.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    r = subprocess.run([*BANSOS, "history", BASE["nik"], "--store", str(store)], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 0 and "REKENING_PANJANG: " in r.stdout
    assert "30020100012" not in r.stdout and BASE["nik"] not in r.stdout
    deep = tmp_path / ("folder hasil yang namanya cukup panjang " * 3).strip() / "keluaran"
    v = subprocess.run([*BANSOS, "validate", str(path), "--program", "pkh", "--out", str(deep)], capture_output=True,
                       text=True, timeout=120, env=env)
    assert f"{deep / 'result.json'}  {deep / 'result.xlsx'}" in v.stdout
    missing = bansos("history", BASE["nik"], "--store", str(tmp_path / "salah.duckdb"))
    assert missing.returncode == 2 and "belum ada" in missing.stderr
    assert not (tmp_path / "salah.duckdb").exists()


@pytest.mark.parametrize("name", ["daftar.csv", "dtks.parquet", "catatan.duckdb"])
def test_a_store_path_that_is_not_a_duckdb_file_is_refused(tmp_path, name):
    headers, body = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "l.csv", headers, body)
    store = tmp_path / name
    if name == "catatan.duckdb":
        store.write_text("bukan basis data\n" * 10)
    before = store.read_bytes() if store.exists() else None
    for args in (["user", "add", "--name", "Z", "--role", "admin"],
                 ["validate", str(path), "--program", "pkh", "--kecamatan", "127117", "--period", "2026-T1",
                  "--out", str(tmp_path / "o")]):
        r = bansos(*args, "--store", str(store))
        assert r.returncode == 2 and "bukan basis data riwayat" in r.stderr, r.stderr
    assert (store.read_bytes() if store.exists() else None) == before
    assert not (tmp_path / "o" / "result.json").exists()


def test_a_result_path_taken_by_a_folder_stops_before_the_store_changes(tmp_path):
    headers, body = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "l.csv", headers, body)
    store, out = tmp_path / "h.duckdb", tmp_path / "o"
    (out / "result.json").mkdir(parents=True)
    r = bansos("validate", str(path), "--program", "pkh", "--kecamatan", "127117", "--period", "2026-T1",
               "--store", str(store), "--out", str(out))
    assert r.returncode == 2 and "adalah folder" in r.stderr
    assert not (out / "result.xlsx").exists()
    if store.exists():
        import duckdb

        with duckdb.connect(str(store), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0


def test_a_new_store_is_said_to_be_new(tmp_path):
    headers, body = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "l.csv", headers, body)
    store = tmp_path / "riwayat.duckdb"
    warned = []
    for n in (1, 2):
        out = tmp_path / f"o{n}"
        r = bansos("validate", str(path), "--program", "pkh", "--kecamatan", "127117", "--period", "2026-T1",
                   "--store", str(store), "--out", str(out))
        assert r.returncode == 0, r.stderr
        result = json.loads((out / "result.json").read_text())
        warned.append([w["code"] for w in result["warnings"] if w["code"] == "store_new"])
    assert warned == [["store_new"], []]


def test_a_store_holding_no_list_yet_is_said_to_be_new(tmp_path):
    """A store with the registry imported but no list (or left empty by a killed first run)."""
    from validator.store import Store

    headers, body = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "l.csv", headers, body)
    store = tmp_path / "riwayat.duckdb"
    Store(store).close()
    r = bansos("validate", str(path), "--program", "pkh", "--kecamatan", "127117", "--period", "2026-T1",
               "--store", str(store), "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    [warning] = [w for w in json.loads((tmp_path / "o" / "result.json").read_text())["warnings"]
                 if w["code"] == "store_new"]
    assert "belum berisi daftar apa pun" in warning["message"]


def test_a_run_that_fails_leaves_no_new_store_behind(tmp_path):
    headers, body = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "l.csv", headers, body)
    store = tmp_path / "typo.duckdb"
    r = bansos("validate", str(path), "--program", "pkh", "--kecamatan", "127117", "--period", "2026-T1",
               "--store", str(store), "--registry", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert not store.exists() and not (tmp_path / "typo.duckdb.wal").exists()


def test_history_of_a_folder_says_it_is_a_folder(tmp_path):
    r = bansos("history", "1271175506800001", "--store", str(tmp_path))
    assert r.returncode == 2 and "folder" in r.stderr


def test_a_partial_return_workbook_is_refused_and_verdict_columns_are_not_repeated(tmp_path, monkeypatch):
    from validator.engine import validate
    from validator.errors import UserError
    from validator.reports import workbook, write_outputs

    headers, body = make_rows("pkh", [{}, {"nik": ""}, {}, {"rek": "123"}])
    src = write_csv(tmp_path / "l.csv", headers, body)
    full = write_outputs(validate(src, "pkh"), tmp_path / "full")
    again = write_outputs(validate(full["xlsx"], "pkh"), tmp_path / "again")
    header = next(r for r in openpyxl.load_workbook(again["xlsx"]).worksheets[0].iter_rows(values_only=True)
                  if "STATUS" in r)
    assert [h for h in header if h in workbook.VERDICT_HEADERS] == list(workbook.VERDICT_HEADERS)
    monkeypatch.setattr(workbook, "FULL_SHEET_LIMIT", 3)
    partial = write_outputs(validate(src, "pkh"), tmp_path / "partial")
    note = openpyxl.load_workbook(partial["xlsx"]).worksheets[0]["A1"].value
    assert note.startswith("Daftar berisi 4 baris;") and "berkas asli, lalu kirim" in note
    with pytest.raises(UserError) as err:
        validate(partial["xlsx"], "pkh")
    assert err.value.code == "partial_return_workbook" and "berkas asli" in str(err.value)


def _without_summary(path: Path) -> Path:
    """The return workbook with its Ringkasan sheet deleted (the rows alone then tell)."""
    wb = openpyxl.load_workbook(path)
    del wb["Ringkasan"]
    out = path.with_name(f"tanpa_ringkasan_{path.parent.name}.xlsx")
    wb.save(out)
    return out


def test_a_partial_return_workbook_without_its_note_is_still_refused(tmp_path, monkeypatch):
    """The operator deletes the note above the table, or copies the rows to a new workbook: the
    verdict columns still say the rows came from a longer list, most of which is missing here.
    Sent, the few rows would replace the kecamatan's whole list."""
    import xlsxwriter

    from validator.engine import validate
    from validator.errors import UserError
    from validator.ingest import layout
    from validator.reports import workbook, write_outputs

    people = [{"nik": f"127117150675{k:04d}", "jk": "L", "tgl": "15-06-1975", "kk": f"127117010110{k:04d}",
               "rek": f"3002010009876{k:02d}", "nama": name}
              for k, name in enumerate(["ALI", "BUDI", "CANDRA", "DARMAN", "EKO", "FAISAL", "GUNTUR", "HENDRA"], 1)]
    people[2]["rek"], people[6]["nik"] = "123", ""
    headers, body = make_rows("pkh", people)
    src = write_csv(tmp_path / "l.csv", headers, body)
    full = write_outputs(validate(src, "pkh"), tmp_path / "full")
    # A whole list whose rows stand apart (a blank row under each, as printed lists have): its
    # return workbook keeps each row on its own row, BARIS ASAL past the limit or not.
    spaced = tmp_path / "berjarak.xlsx"
    wb = xlsxwriter.Workbook(str(spaced))
    ws = wb.add_worksheet("Sheet1")
    ws.write_row(0, 0, headers)
    for k, line in enumerate(body):
        ws.write_row(1 + 2 * k, 0, [str(v) for v in line])
    wb.close()
    back = write_outputs(validate(spaced, "pkh"), tmp_path / "berjarak")
    monkeypatch.setattr(layout, "FULL_SHEET_LIMIT", 4)  # its BARIS ASAL reaches 16
    # (Its Ringkasan, written under the real limit, would say whole at once: the rows alone tell.)
    assert validate(_without_summary(back["xlsx"]), "pkh").summary["rows"] == 8
    for module in (workbook, layout):
        monkeypatch.setattr(module, "FULL_SHEET_LIMIT", 4)
    partial = write_outputs(validate(src, "pkh"), tmp_path / "partial")
    wb = openpyxl.load_workbook(partial["xlsx"])
    ws = wb.worksheets[0]
    assert "hanya memuat 2 baris" in ws["A1"].value
    ws.delete_rows(1, 2)
    wb.save(tmp_path / "tanpa_catatan.xlsx")
    with pytest.raises(UserError) as err:
        validate(tmp_path / "tanpa_catatan.xlsx", "pkh")
    assert err.value.code == "partial_return_workbook"
    # The whole list sent back (every row on its own row) is read, whatever its length: by its
    # Ringkasan (written under the real limit), and without it by its rows.
    assert validate(_without_summary(full["xlsx"]), "pkh").summary["rows"] == 8
    # A whole list of exactly the limit's length, every row flagged, a row near the top deleted:
    # its last BARIS ASAL (header on row 1) is past the limit, but the list was never partial.
    for module in (workbook, layout):
        monkeypatch.setattr(module, "FULL_SHEET_LIMIT", 8)
    flagged = write_outputs(validate(src, "pkh", kecamatan="127102"), tmp_path / "semua_ditandai")
    wb = openpyxl.load_workbook(flagged["xlsx"])
    assert "hanya memuat" not in str(wb.worksheets[0]["A1"].value)
    wb.worksheets[0].delete_rows(2, 1)
    wb.save(tmp_path / "satu_dihapus.xlsx")
    assert validate(tmp_path / "satu_dihapus.xlsx", "pkh").summary["rows"] == 7
    # The same without its Ringkasan (deleted, or saved as CSV): the rows moved by one only.
    assert validate(_without_summary(tmp_path / "satu_dihapus.xlsx"), "pkh").summary["rows"] == 7
    # Rows deleted from a whole list sent back (most of it still there): a list the operator edited.
    wb = openpyxl.load_workbook(full["xlsx"])
    wb.worksheets[0].delete_rows(3, 3)
    wb.save(tmp_path / "dipendekkan.xlsx")
    assert validate(tmp_path / "dipendekkan.xlsx", "pkh").summary["rows"] == 5


def test_a_partial_workbook_of_a_list_just_past_the_limit_is_refused_without_its_note(tmp_path, monkeypatch):
    """Its last BARIS ASAL is within the room a whole list of the limit's length has, but its rows
    sit ever further above their BARIS ASAL (the accepted rows left out): still partial."""
    from validator.engine import validate
    from validator.errors import UserError
    from validator.ingest import layout
    from validator.reports import workbook, write_outputs

    for module in (workbook, layout):
        monkeypatch.setattr(module, "FULL_SHEET_LIMIT", 80)
    # 82 rows, every other one of the first 60 with a short account (none past row 61 of the
    # file, so BARIS ASAL stays under the limit); NIKs two digits apart, names without digits.
    people = [{"nik": f"127117150675{k:02d}{k:02d}", "jk": "L", "tgl": "15-06-1975",
               "kk": f"1271170101{k:02d}{k:02d}{k:02d}",
               "rek": "123" if k % 2 and k < 60 else f"3002010{k:02d}{k:02d}{k:02d}{k:02d}",
               "nama": f"WARGA {chr(65 + k % 26)}{chr(65 + k // 26)}"} for k in range(1, 83)]
    headers, body = make_rows("pkh", people)
    partial = write_outputs(validate(write_csv(tmp_path / "l.csv", headers, body), "pkh"), tmp_path / "p")
    wb = openpyxl.load_workbook(partial["xlsx"])
    assert "hanya memuat" in wb.worksheets[0]["A1"].value
    wb.worksheets[0].delete_rows(1, 2)
    wb.save(tmp_path / "tanpa_catatan.xlsx")
    with pytest.raises(UserError) as err:
        validate(tmp_path / "tanpa_catatan.xlsx", "pkh")
    assert err.value.code == "partial_return_workbook" and "hapus kolom STATUS" in str(err.value)
    # A partial sheet (short accounts all the way down) pasted into an older return workbook of a
    # short list: that Ringkasan (5 rows) does not fit rows whose BARIS ASAL reaches 82, so the rows
    # alone decide, and they sit ever further above their BARIS ASAL.
    spread = [p | {"rek": "123" if k % 2 == 0 else f"3002010{k:02d}{k:02d}{k:02d}{k:02d}"}
              for k, p in enumerate(people)]
    _, spread_body = make_rows("pkh", spread)
    other = write_outputs(validate(write_csv(tmp_path / "l2.csv", headers, spread_body), "pkh"), tmp_path / "p2")
    small = write_outputs(validate(write_csv(tmp_path / "kecil.csv", headers, body[:5]), "pkh"), tmp_path / "kecil")
    wb = openpyxl.load_workbook(small["xlsx"])
    ws, rows = wb.worksheets[0], list(openpyxl.load_workbook(other["xlsx"]).worksheets[0].values)[2:]
    ws.delete_rows(1, ws.max_row)
    for r in rows:
        ws.append(r)
    wb.save(tmp_path / "ringkasan_lain.xlsx")
    with pytest.raises(UserError) as err:
        validate(tmp_path / "ringkasan_lain.xlsx", "pkh")
    assert err.value.code == "partial_return_workbook"
    # A partial whose few findings all lie within the first rows (BARIS ASAL under the limit),
    # its table copied to a new workbook (no note, no Ringkasan): the rows alone, packed far above
    # their BARIS ASAL with rows missing between them, say partial.
    few = [p | {"rek": "123" if k in (9, 25, 40, 55, 70) else f"3002010{k:02d}{k:02d}{k:02d}{k:02d}"}
           for k, p in enumerate(people)]
    _, few_body = make_rows("pkh", few)
    few_out = write_outputs(validate(write_csv(tmp_path / "l3.csv", headers, few_body), "pkh"), tmp_path / "p3")
    copied = openpyxl.Workbook()
    for r in list(openpyxl.load_workbook(few_out["xlsx"]).worksheets[0].values)[2:]:
        copied.active.append(r)
    copied.save(tmp_path / "disalin.xlsx")
    assert max(r[-1] for r in list(copied.active.values)[1:]) < 80
    with pytest.raises(UserError) as err:
        validate(tmp_path / "disalin.xlsx", "pkh")
    assert err.value.code == "partial_return_workbook"
    # A whole list of the limit's length, every row flagged, sorted, some rows deleted and some
    # added: its Ringkasan counts 80 rows, so it is whole whatever its rows look like.
    whole = write_outputs(validate(write_csv(tmp_path / "w.csv", headers, body[:80]), "pkh", kecamatan="127102"),
                          tmp_path / "w")
    wb = openpyxl.load_workbook(whole["xlsx"])
    ws = wb.worksheets[0]
    kept = sorted(list(ws.iter_rows(min_row=2, values_only=True)), key=lambda r: str(r[-4]), reverse=True)[10:]
    ws.delete_rows(2, ws.max_row)
    for r in [*kept, ("1271171506759999", "1271170101999999", "WARGA BARU")]:
        ws.append(r)
    wb.save(tmp_path / "diedit.xlsx")
    assert validate(tmp_path / "diedit.xlsx", "pkh").summary["rows"] == 71


def test_an_empty_nik_is_an_empty_string_in_result_json(tmp_path):
    headers, body = make_rows("pkh", [{"nik": ""}])
    out = tmp_path / "o"
    r = bansos("validate", str(write_csv(tmp_path / "l.csv", headers, body)), "--program", "pkh", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "result.json").read_text())["rows"][0]["nik"] == ""


def test_a_list_without_data_rows_is_not_recorded_over_a_live_list(tmp_path, good_list):
    store, out = tmp_path / "h.duckdb", tmp_path / "o"
    scope = ["--program", "pkh", "--kecamatan", "127117", "--period", "2026-T1", "--store", str(store)]
    assert bansos("validate", str(good_list), *scope, "--out", str(out)).returncode == 0
    empty = tmp_path / "kosong.csv"
    empty.write_text(good_list.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    r = bansos("validate", str(empty), *scope, "--out", str(tmp_path / "o2"))
    assert r.returncode == 2 and "tidak dicatat" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o2" / "result.json").exists()
    import duckdb

    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(rows) FROM submissions").fetchone() == (1, 3)
    # Without a store the same file is validated, with its warning.
    assert bansos("validate", str(empty), "--program", "pkh", "--out", str(tmp_path / "o3")).returncode == 0


def test_output_problems_get_one_indonesian_line(tmp_path, good_list):
    afile = tmp_path / "hasil.txt"
    afile.write_text("x")
    r = bansos("validate", str(good_list), "--program", "pkh", "--out", str(afile))
    assert r.returncode == 2 and "adalah berkas, bukan folder" in r.stderr


def test_a_workbook_that_cannot_be_created_is_a_user_error_and_stale_temp_files_go(tmp_path, good_list, monkeypatch):
    import errno
    import os

    from xlsxwriter.exceptions import FileCreateError

    import validator.reports as reports
    from validator.engine import validate
    from validator.errors import UserError

    outcome = validate(good_list, "pkh")
    out = tmp_path / "o"
    out.mkdir()
    dead = out / ".result.xlsx.999999999.tmp"  # a killed run's leftover: no such process
    live = out / f".result.json.{os.getppid()}.tmp"  # a run still going (the parent process lives)
    dead.write_text("x")
    live.write_text("x")

    def refuse(outcome, path, tmpdir=None):
        try:
            raise PermissionError(errno.EACCES, "Permission denied")
        except PermissionError as exc:
            raise FileCreateError(exc) from exc  # what xlsxwriter's Workbook.close() raises

    monkeypatch.setattr(reports, "write_workbook", refuse)
    with pytest.raises(UserError, match="tidak ada izin menulis") as err:
        reports.write_outputs(outcome, out)
    assert err.value.code == "out_dir"
    assert not dead.exists() and live.exists() and not (out / "result.json").exists()


def test_date_cells_go_back_as_dates_and_an_empty_name_is_a_string(tmp_path):
    import datetime as dt

    from validator.engine import validate
    from validator.reports import write_outputs

    headers, body = make_rows("pkh", [{"tgl": dt.datetime(1980, 6, 15)}, {"nama": "", "tgl": "15-06-1980"}])
    src = write_xlsx(tmp_path / "l.xlsx", headers, body)
    out = write_outputs(validate(src, "pkh"), tmp_path / "o")
    sheet = openpyxl.load_workbook(out["xlsx"]).worksheets[0]
    col = headers.index("Tanggal Lahir") + 1
    cell = sheet.cell(row=2, column=col)
    assert cell.is_date and cell.value.date() == dt.date(1980, 6, 15) and cell.number_format == "dd-mm-yyyy"
    data = json.loads(out["json"].read_text(encoding="utf-8"))
    assert [r["nama"] for r in data["rows"]] == ["SITI AMINAH", ""]


def test_a_folder_given_as_the_list_is_told_so(tmp_path):
    r = bansos("validate", str(tmp_path), "--program", "pkh", "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "adalah folder, bukan berkas" in r.stderr and ".xlsx, .csv atau .parquet" in r.stderr
    # A registry extract is CSV or Parquet: a folder given for it names those only.
    reg = bansos("registry", "import", str(tmp_path), "--store", str(tmp_path / "s.duckdb"))
    assert reg.returncode == 2 and "Sebutkan berkas .csv atau .parquet di dalamnya" in reg.stderr


def _two_row_list(path, top, sub, rows):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("DAFTAR")
    ws.write_row(0, 0, ["DAFTAR PENERIMA"])
    ws.write_row(2, 0, top)
    ws.write_row(3, 0, sub)
    for i, r in enumerate(rows):
        ws.write_row(4 + i, 0, r)
    wb.close()
    return path


SITI_ROW = ["1", "1271175506800001", "SITI AMINAH"]
BUDI_ROW = ["2", "1271171506750002", "BUDI SANTOSO"]


@pytest.mark.parametrize("top,sub,rows", [
    (["NO", "NIK", "NAMA", "DATA REKENING", "", ""], ["", "", "", "BANK", "NOMOR", "ATAS NAMA"],
     [SITI_ROW + ["BRI", "300201000123507", "SITI AMINAH"], BUDI_ROW + ["BRI", "3002010001235", "BUDI"]]),
    (["NO", "NIK", "NAMA", "TEMPAT, TANGGAL LAHIR", "", "BANK", "NO REKENING"],
     ["", "", "", "TEMPAT", "TANGGAL", "", ""],
     [SITI_ROW + ["MEDAN", "15-06-1980", "BRI", "300201000123507"],
      BUDI_ROW + ["MEDAN", "16-06-1975", "BRI", "300201000123508"]]),
    (["NO", "NIK", "NAMA", "JENIS KELAMIN", "", "BANK", "NO REKENING"], ["", "", "", "L", "P", "", ""],
     [SITI_ROW + ["", "v", "BRI", "300201000123507"], BUDI_ROW + ["v", "", "BRI", "300201000123508"],
      ["3", "1271175506750003", "ANI"] + ["v", "", "BRI", "300201000123509"]]),  # NIK_JK_BEDA
])
def test_a_two_row_header_comes_back_as_it_went(tmp_path, top, sub, rows):
    from validator.engine import validate
    from validator.reports import write_outputs

    src = _two_row_list(tmp_path / "l.xlsx", top, sub, rows)
    first = validate(src, "maghrib_mengaji", kecamatan="127117")
    out = write_outputs(first, tmp_path / "o")
    again = validate(out["xlsx"], "maghrib_mengaji", kecamatan="127117")
    assert again.listing.fields == first.listing.fields
    codes = lambda o: [sorted(c) for c in  # noqa: E731
                       o.findings.group_by("_idx").agg(pl.col("code")).sort("_idx")["code"].to_list()]
    assert codes(again) == codes(first) and first.findings.height > 0
    sheet = openpyxl.load_workbook(out["xlsx"]).worksheets[0]
    assert [c.value for c in sheet[4]][:len(sub)] == [s or None for s in sub]


def test_a_pipe_or_a_device_as_the_list_is_refused_at_once(tmp_path):
    import os

    fifo = tmp_path / "daftar.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "nol.csv"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):  # both used to hang for ever, deaf to Ctrl+C
        r = bansos("validate", str(path), "--program", "pkh", "--out", str(tmp_path / "o"))
        assert r.returncode == 2 and "bukan berkas biasa" in r.stderr, r.stderr


def test_a_list_that_cannot_be_read_is_told_in_indonesian(tmp_path, good_list, monkeypatch):
    from validator.errors import UserError
    from validator.ingest import check_file

    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self == good_list:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(UserError, match="tidak ada izin membaca"):
        check_file(good_list)


def test_a_click_file_error_is_told_in_indonesian():
    import click

    from validator.cli import _usage_line

    line = _usage_line(click.BadParameter("path 'np.csv' is not readable.", param_hint="'--registry'"))
    assert line.startswith("Kesalahan: berkas np.csv untuk --registry tidak dapat dibaca: tidak ada izin membaca")


def test_a_second_table_goes_back_as_typed_and_is_set_aside_again(tmp_path):
    from tests.test_ingest import _second_table
    from validator.engine import validate
    from validator.reports import write_outputs

    recap = [["REKAPITULASI PENDAMPING"], ["NO", "NIK", "NAMA PENDAMPING", "WILAYAH", "JUMLAH KPM"],
             ["1", "1271170101850001", "ANDI", "KEL. BABURA", "3"]]
    src = _second_table(tmp_path, recap)
    paths = write_outputs(validate(src, "pkh", kecamatan="127117"), tmp_path / "o")
    sheet = openpyxl.load_workbook(paths["xlsx"]).worksheets[0]
    assert [sheet.cell(row=12, column=c).value for c in range(1, 4)] == ["1", "1271170101850001", "ANDI"]
    assert sheet.cell(row=11, column=2).value == "NIK" and "Tidak diperiksa" in sheet.cell(row=12, column=9).value
    again = validate(paths["xlsx"], "pkh", kecamatan="127117")
    assert again.rows["row"].to_list() == [4, 5, 6, 7, 8]
    assert [s["why"] for s in again.listing.skipped][-2:] == ["other_table"] * 2


def test_a_nik_typed_as_the_period_is_refused_masked(tmp_path, good_list):
    r = bansos("validate", str(good_list), "--program", "pkh", "--period", "1271026004481014",
               "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "127102******1014" in r.stderr and "1271026004481014" not in r.stderr
    assert not (tmp_path / "o").exists()
    # A date typed as the period is a typo, not an ID: validated, with the warning.
    r = bansos("validate", str(good_list), "--program", "pkh", "--period", "2026-03-01", "--out", str(tmp_path / "d"))
    assert r.returncode == 0 and "period_unrecognised" in (tmp_path / "d" / "result.json").read_text(encoding="utf-8")


def test_a_long_or_control_character_period_and_a_locked_folder_are_told(tmp_path, good_list, monkeypatch):
    from validator.errors import UserError, id_as_period
    from validator.ingest import check_file

    assert id_as_period("2026\x1b[31m-T1").code == "bad_period" and "\x1b" not in id_as_period("2026\x1b-T1").message_id
    assert id_as_period("x" * 41) is not None and id_as_period("2026-T1") is None
    assert "127117******0015" in id_as_period("1271 - /1719 - /1175 - /0015").message_id

    def locked(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "is_dir", locked)
    with pytest.raises(UserError, match="tidak ada izin membuka foldernya"):
        check_file(good_list)


def test_a_store_that_cannot_be_written_is_told_so_not_called_broken(tmp_path, monkeypatch):
    """A good store on a read-only disk, or without write permission, was 'not a history store'
    (an operator might delete it). (Run as root, permissions do not bite: the refusal DuckDB
    gives and the answer of access(2) are stood in for.)"""
    import duckdb

    from validator import store as store_module
    from validator.errors import UserError

    path = tmp_path / "riwayat.duckdb"
    with store_module.Store(path):
        pass

    def refuse(*a, **k):
        raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Read-only file system')

    monkeypatch.setattr(store_module.duckdb, "connect", refuse)
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: False)
    with pytest.raises(UserError) as err:
        store_module.Store(path)
    assert err.value.code == "store_not_writable" and "tidak dapat ditulis" in err.value.message_id
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: True)
    with pytest.raises(UserError) as err:
        store_module.Store(path)
    assert err.value.code == "store_unreadable"
