"""Registry extract and exclusion list import: normalisation, the check report, all-or-nothing."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from validator.cli_registry import exclusions_app, registry_app
from validator.errors import UserError
from validator.registry import (
    CHECKS,
    check_extract,
    extract,
    import_exclusions,
    import_registry,
    scan_extract,
)
from validator.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "registry"
HEADER = ["nik", "no_kk", "nama", "tanggal_lahir", "jenis_kelamin", "kode_wilayah", "desil", "status"]
SITI = "1271175506800001"
BUDI = "1271171203750002"
ANI = "1271176102900003"


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",",
          encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def registry_rows(store: Store) -> list[tuple]:
    return store.con.execute("SELECT * FROM registry ORDER BY nik").fetchall()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "store.duckdb") as s:
        yield s


SMALL = [
    ["1271 1755 0680 0001", "'1271170101100001", "  siti   aminah ", "1980-06-15", "Perempuan",
     "12.71.17.1001", "", " Aktif "],
    ["127117.1203750002", "1271-1701-0110-0002", "Budi Santoso", "12-03-1975", "LK", "1271171002",
     "3", "meninggal"],
    ["12711761029000", "", "ani", "", "L", "12.71.17.1003", "10", "pindah"],
]


def test_small_extract_is_stored_normalised(tmp_path, store):
    report = import_registry(write(tmp_path / "dtks.csv", SMALL), store)
    assert report.rows == 3
    assert registry_rows(store) == [
        (BUDI, "1271170101100002", "BUDI SANTOSO", dt.date(1975, 3, 12), "L", "1271171002", 3,
         "meninggal", True),
        (SITI, "1271170101100001", "SITI AMINAH", dt.date(1980, 6, 15), "P", "1271171001", None,
         "aktif", True),
        ("12711761029000", None, "ANI", None, "L", "1271171003", 10, "pindah", False),
    ]
    assert report.malformed_nik == 1
    assert report.failures == {"nik_16_digit": 1}
    imp = store.con.execute("SELECT file_name, sha256, rows, malformed_nik, report->>'$.rows' "
                            "FROM registry_imports").fetchall()
    assert imp[0][0] == "dtks.csv" and len(imp[0][1]) == 64 and imp[0][2:] == (3, 1, "3")


def test_deceased_spellings_the_check_reads_are_known_statuses(tmp_path):
    rows = [[SITI, "", "SITI", "1980-06-15", "P", "12.71.17.1001", "2", "Meninggal Dunia"],
            [BUDI, "", "BUDI", "1975-03-12", "L", "12.71.17.1002", "2", "WAFAT"]]
    report = check_extract(write(tmp_path / "dtks.csv", rows))
    assert "status_dikenal" not in report.failures and report.unknown_status == {}


def test_broken_extract_counts_every_problem_and_still_imports(tmp_path, store):
    rows = [
        [SITI, "", "SITI", "1980-06-15", "P", "12.71.17.1001", "12", "aktif"],
        ["127117550680000", "", "NIK PENDEK", "31-02-1980", "P", "12.71.17.1001", "4", "hilang"],
        ["12711755068000A1", "", "NIK HURUF", "kemarin", "X", "12.71.17.1001", "x", "hilang"],
        ["", "", "", "1980-06-15", "", "12.71.17", "0", ""],
        [BUDI, "", "BUDI", "1975-03-12", "L", "12.71.17.1002", "2", "Tidak Ditemukan"],
        [ANI, "", "ANI", "1990-02-21", "P", "12.71.17.1003", "3", "aktif"],
        ["1271176102900004", "", "ANI B", "1990-02-21", "P", "12.71.17.1003", "3", "aktif"],
    ]
    path = write(tmp_path / "rusak.csv", rows)
    report = check_extract(path)
    assert report.rows == 7
    assert report.failures == {
        "nik_kosong": 1, "nik_16_digit": 2, "nama_kosong": 1, "tanggal_lahir_terbaca": 2,
        "jenis_kelamin_dikenal": 1, "kode_wilayah_10_digit": 1, "desil_terbaca": 1, "desil_1_10": 2,
        "status_kosong": 1, "status_dikenal": 3,
    }
    assert report.unknown_status == {"hilang": 2, "tidak ditemukan": 1}
    assert report.empty["jenis_kelamin"] == 1 and report.empty["no_kk"] == 7
    # Examples carry the CSV line (header = 1) and never a whole NIK.
    ex = report.examples["nik_16_digit"]
    assert [(e.row, e.column, e.value) for e in ex] == [(3, "nik", "127117******0000"),
                                                         (4, "nik", "127117******00A1")]
    assert [(e.row, e.value) for e in report.examples["tanggal_lahir_terbaca"]] == [
        (3, "31-02-1980"), (4, "kemarin")]
    assert [(e.row, e.value) for e in report.examples["desil_1_10"]] == [(2, "12"), (5, "0")]
    text = "\n".join(report.lines_id())
    for name in report.failures:
        assert name in text and CHECKS[name][0] in text
    assert "NIK HURUF" not in text and SITI not in text
    assert CHECKS["desil_1_10"][1] in "\n".join(report.lines_en())

    imported = import_registry(path, store)
    assert imported.failures == report.failures
    assert store.con.execute("SELECT count(*), count(*) FILTER (NOT nik_valid), "
                             "count(*) FILTER (desil = 12) FROM registry").fetchone() == (7, 3, 1)
    assert store.con.execute("SELECT malformed_nik FROM registry_imports").fetchone() == (3,)


def test_duplicate_niks_are_counted_at_import(tmp_path, store):
    rows = [[SITI, "", "SITI", "", "P", "", "", "aktif"], [f"'{SITI}", "", "SITI A", "", "P", "", "",
                                                           "pindah"],
            [BUDI, "", "BUDI", "", "L", "", "", "aktif"]]
    path = write(tmp_path / "ganda.csv", rows)
    assert check_extract(path).duplicate_nik is None  # the batch schema cannot see across batches
    report = import_registry(path, store)
    assert report.duplicate_nik == 1 and report.rows == 3
    assert "nik_ganda" in [w["code"] for w in report.warnings]


def test_missing_nik_column_names_the_columns(tmp_path, store):
    path = write(tmp_path / "tanpa_nik.csv", [["1", "A"]], header=["NO_KK", "Nama Lengkap"])
    with pytest.raises(UserError) as exc:
        check_extract(path)
    msg = exc.value.message_id
    assert "tidak punya kolom nik" in msg and "NO_KK, Nama Lengkap" in msg and "Kolom wajib: nik" in msg
    with pytest.raises(UserError):
        import_registry(path, store)
    assert not store.has_registry()


def test_an_extract_without_its_header_row_is_not_echoed(tmp_path, store):
    path = tmp_path / "tanpa_judul.csv"
    path.write_text("1271175506800001,1271170101100001,SITI AMINAH,aktif\n", encoding="utf-8")
    with pytest.raises(UserError) as exc:
        check_extract(path)
    text = exc.value.message_id + exc.value.message_en
    assert "tidak punya kolom nik" in text and "baris teratas berisi data penerima" in text
    assert "1271175506800001" not in text and "SITI" not in text


def test_missing_nama_and_status_are_warnings_not_failed_rows(tmp_path, store):
    path = write(tmp_path / "sempit.csv", [[SITI, "P"]], header=["NIK", "Jenis_Kelamin"])
    report = import_registry(path, store)
    assert report.failures == {}
    assert report.missing_columns == ["no_kk", "nama", "tanggal_lahir", "kode_wilayah", "desil", "status"]
    assert [w["code"] for w in report.warnings] == ["kolom_tidak_ada"]
    assert registry_rows(store) == [(SITI, None, None, None, "P", None, None, None, True)]


def test_bps_codes_warn_and_kemendagri_codes_do_not(tmp_path):
    def rows(codes):
        return [[f"127117550680{i:04d}", "", "X Y", "", "P", c, "", "aktif"] for i, c in
                enumerate(codes, 1)]

    # BPS: Kota Medan is 12.75, kecamatan 010, 020, …, desa 001, 002, …
    bps = check_extract(write(tmp_path / "bps.csv",
                              rows(["1275010001", "12.75.020.003", "1275030012", "1275100004"])))
    assert bps.looks_bps
    assert "kode BPS" in "\n".join(bps.lines_id())
    kemendagri = check_extract(write(tmp_path / "kemendagri.csv",
                                     rows(["12.71.17.1001", "1271171002", "12.71.01.2003",
                                           "12.71.14.1002"])))
    assert not kemendagri.looks_bps and kemendagri.warnings == []
    assert kemendagri.region == {"dotted": 3, "digits": 1, "ten_digit": 4, "kemendagri": 4, "bps": 0}


def test_second_import_replaces_the_first(tmp_path, store):
    import_registry(write(tmp_path / "a.csv", SMALL), store)
    import_registry(write(tmp_path / "b.csv", [[ANI, "", "ANI", "", "P", "1271171001", "1", "aktif"]]),
                    store)
    assert [r[0] for r in registry_rows(store)] == [ANI]
    assert store.con.execute("SELECT list(file_name ORDER BY imported_at) FROM registry_imports"
                             ).fetchone()[0] == ["a.csv", "b.csv"]


def test_failure_inside_the_transaction_keeps_the_previous_registry(tmp_path, store, monkeypatch):
    import_registry(write(tmp_path / "a.csv", SMALL), store)
    before = registry_rows(store)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(extract, "_record_import", boom)
    with pytest.raises(RuntimeError):
        import_registry(write(tmp_path / "b.csv", [[ANI, "", "ANI", "", "P", "", "", "aktif"]]), store)
    assert registry_rows(store) == before
    assert store.con.execute("SELECT count(*) FROM registry_imports").fetchone() == (1,)


def test_empty_extract_is_refused(tmp_path, store):
    import_registry(write(tmp_path / "a.csv", SMALL), store)
    with pytest.raises(UserError, match="tidak berisi baris data"):
        import_registry(write(tmp_path / "kosong.csv", []), store)
    assert len(registry_rows(store)) == 3


def test_parquet_and_semicolon_csv_give_the_same_table(tmp_path, store):
    csv_path = write(tmp_path / "dtks.csv", SMALL)
    import_registry(csv_path, store)
    expected = registry_rows(store)

    semi = write(tmp_path / "titik_koma.csv", SMALL, header=[h.upper() for h in HEADER],
                 delimiter=";", encoding="utf-8-sig")
    report = import_registry(semi, store)
    assert report.delimiter == ";" and registry_rows(store) == expected

    typed = pl.DataFrame({
        "nik": [SITI, BUDI, "12711761029000"],
        "no_kk": ["1271170101100001", "1271170101100002", None],
        "nama": ["Siti Aminah", "BUDI  SANTOSO", "Ani"],
        "tanggal_lahir": [dt.date(1980, 6, 15), dt.date(1975, 3, 12), None],
        "jenis_kelamin": ["P", "L", "L"],
        "kode_wilayah": ["12.71.17.1001", "1271171002", "12.71.17.1003"],
        "desil": pl.Series([None, 3, 10], dtype=pl.Int8),
        "status": ["aktif", "MENINGGAL", "pindah"],
        "lain": [1, 2, 3],  # other columns are kept in the file and ignored
    })
    typed.write_parquet(tmp_path / "dtks.parquet")
    report = import_registry(tmp_path / "dtks.parquet", store)
    assert report.format == "parquet" and registry_rows(store) == expected


def test_scan_extract_is_a_subquery_duckdb_streams(tmp_path):
    con = duckdb.connect()
    sql = scan_extract(con, write(tmp_path / "dtks.csv", SMALL))
    assert con.execute(f"SELECT count(*), count(*) FILTER (nik_valid) FROM {sql}").fetchone() == (3, 2)
    assert [d[0] for d in con.execute(f"SELECT * FROM {sql}").description] == [
        *HEADER, "nik_valid"]


def test_unreadable_csv_is_a_user_error(tmp_path, store):
    path = tmp_path / "rusak.csv"
    path.write_text("nik,nama\n" + f"{SITI},A\n" * 3 + f"{BUDI},B,extra,cells\n", encoding="utf-8")
    with pytest.raises(UserError) as exc:
        import_registry(path, store)
    assert BUDI not in exc.value.message_id  # DuckDB's message quotes the line; it is cut off
    # A bad line beyond what DuckDB's sniffer samples fails during the scan, with the same care.
    path.write_text("nik,nama\n" + f"{SITI},A\n" * 30_000 + f"{BUDI},B,extra,cells\n",
                    encoding="utf-8")
    with pytest.raises(UserError, match="berhenti terbaca") as exc:
        import_registry(path, store)
    assert BUDI not in exc.value.message_id and not store.has_registry()
    (tmp_path / "dtks.xlsx").write_bytes(b"PK")
    with pytest.raises(UserError, match="bukan CSV atau Parquet"):
        check_extract(tmp_path / "dtks.xlsx")


def test_sample_rows_limits_the_check(tmp_path):
    report = check_extract(write(tmp_path / "dtks.csv", SMALL), sample_rows=2)
    assert report.rows == 2 and report.failures == {}
    assert "hanya 2 baris pertama" in report.lines_id()[0]


def test_sample_registry_and_exclusions_import_cleanly(store):
    dtks = SAMPLE / "dtks_sample.csv"
    report = import_registry(dtks, store)
    lines = dtks.read_text(encoding="utf-8").count("\n") - 1
    assert report.rows == lines and store.con.execute("SELECT count(*) FROM registry").fetchone() == (
        lines,)
    assert report.failures == {} and report.warnings == [] and report.malformed_nik == 0
    assert report.region["kemendagri"] == report.rows
    excl = import_exclusions(SAMPLE / "pengecualian.csv", store)
    assert excl["rows"] == 36 and excl["malformed_nik"] == 0 and excl["skipped_empty_nik"] == 0
    assert store.con.execute("SELECT count(*) FROM exclusions e JOIN registry r USING (nik)"
                             ).fetchone()[0] > 0


def test_exclusions_normalise_and_replace(tmp_path, store):
    path = write(tmp_path / "pengecualian.csv",
                 [[f"'{SITI}", " asn ", "PNS Dinas"], ["1271-1712-0375-0002", "Perangkat Desa", ""],
                  ["", "TNI", "tanpa NIK"]],
                 header=["NIK", "Kategori", "Keterangan"])
    res = import_exclusions(path, store)
    assert res["rows"] == 2 and res["skipped_empty_nik"] == 1
    assert res["by_kategori"] == {"ASN": 1, "PERANGKAT_DESA": 1}
    got = store.con.execute("SELECT nik, kategori, keterangan, file_name FROM exclusions ORDER BY nik"
                            ).fetchall()
    assert got == [(BUDI, "PERANGKAT_DESA", None, "pengecualian.csv"),
                   (SITI, "ASN", "PNS Dinas", "pengecualian.csv")]
    import_exclusions(write(tmp_path / "baru.csv", [[ANI, "polri"]], header=["nik", "kategori"]), store)
    assert store.con.execute("SELECT nik, kategori FROM exclusions").fetchall() == [(ANI, "POLRI")]


def test_exclusions_without_kategori_are_refused(tmp_path, store):
    import_exclusions(write(tmp_path / "a.csv", [[ANI, "ASN"]], header=["nik", "kategori"]), store)
    with pytest.raises(UserError) as exc:
        import_exclusions(write(tmp_path / "b.csv", [[SITI, "x"]], header=["nik", "keterangan"]), store)
    assert "tidak punya kolom kategori" in exc.value.message_id
    assert "nik, keterangan" in exc.value.message_id
    assert store.con.execute("SELECT nik FROM exclusions").fetchall() == [(ANI,)]


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(registry_app, name="registry")
    app.add_typer(exclusions_app, name="exclusions")
    return app


def test_cli_commands(tmp_path):
    db = tmp_path / "store.duckdb"
    runner = CliRunner()
    r = runner.invoke(_cli(), ["registry", "import", str(SAMPLE / "dtks_sample.csv"), "--store", str(db)])
    assert r.exit_code == 0, r.output
    assert r.output.index("Ekstrak registri dtks_sample.csv") < r.output.index("Registry extract")
    assert "Registri diganti: 2.823 baris" in r.output
    r = runner.invoke(_cli(), ["exclusions", "import", str(SAMPLE / "pengecualian.csv"), "--store",
                               str(db)])
    assert r.exit_code == 0, r.output
    assert "ASN" in r.output
    r = runner.invoke(_cli(), ["registry", "check", str(SAMPLE / "dtks_sample.csv"), "--sample", "10"])
    assert r.exit_code == 0 and "10 baris" in r.output
    r = runner.invoke(_cli(), ["registry", "import", str(tmp_path / "tidak_ada.csv"), "--store", str(db)])
    assert isinstance(r.exception, UserError)  # the main CLI turns this into exit 2 + one line
    with Store(db, read_only=True) as s:
        assert s.con.execute("SELECT count(*) FROM registry").fetchone() == (2823,)


def test_a_windows_1252_extract_is_read(tmp_path, store):
    path = tmp_path / "dtks_1252.csv"
    path.write_bytes(f"nik;nama;status\n{SITI};JOSÉ NUÑEZ;aktif\n{BUDI};BUDI ‘UCOK’ – B;meninggal\n".encode("cp1252"))
    import_registry(path, store)
    names = dict(store.con.execute("SELECT nik, nama FROM registry").fetchall())
    assert names[SITI] == "JOSÉ NUÑEZ" and names[BUDI] == "BUDI ‘UCOK’ – B"
    small = tmp_path / "kecil.csv"  # its only non-UTF-8 byte is the file's last
    small.write_bytes(f"nik,nama\n{SITI},CAFÉ".encode("cp1252"))
    import_registry(small, store)
    assert dict(store.con.execute("SELECT nik, nama FROM registry").fetchall())[SITI] == "CAFÉ"


def test_the_utf8_copy_of_an_extract_does_not_outlive_its_import(tmp_path, store, monkeypatch):
    """The copy holds every NIK of the extract: gone once the import is done (a server runs for
    days), refused or not; a copy left by a killed process goes with the next copy made."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    dead = tmp_path / "tmp" / "bansos-utf8-999999999-abc.csv"
    dead.write_text("nik\n")
    path = tmp_path / "dtks_1252.csv"
    path.write_bytes(f"nik;nama;status\n{SITI};JOSÉ NUÑEZ;aktif\n".encode("cp1252"))
    import_registry(path, store)
    assert list((tmp_path / "tmp").iterdir()) == []
    bad = tmp_path / "rusak.csv"
    bad.write_bytes("nik;nama\n1,27117E+15;JOSÉ\n1,27117E+15;NUÑEZ\n".encode("cp1252"))
    with pytest.raises(UserError):
        import_registry(bad, store)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_pipe_as_the_extract_is_refused_before_a_store_is_made(tmp_path):
    import os

    fifo = tmp_path / "dtks.csv"
    os.mkfifo(fifo)
    runner = CliRunner()
    app = typer.Typer()
    app.add_typer(registry_app, name="registry")
    result = runner.invoke(app, ["registry", "import", str(fifo), "--store", str(tmp_path / "baru.duckdb")])
    assert isinstance(result.exception, UserError) and "bukan berkas biasa" in result.exception.message_id
    assert not (tmp_path / "baru.duckdb").exists()


def test_an_extract_with_mostly_damaged_niks_does_not_replace_the_registry(tmp_path, store):
    """Imported, it would reject every later list as not registered (the same refusal as with
    --registry); the registry imported before stays."""
    import_registry(write(tmp_path / "baik.csv", SMALL[:2]), store)
    before = registry_rows(store)
    damaged = [["1,27117E+15", "", f"ORANG {k}", "", "", "", "3", "aktif"] for k in range(3)] + [SMALL[0]]
    with pytest.raises(UserError) as err:
        import_registry(write(tmp_path / "rusak.csv", damaged), store)
    assert err.value.code == "registry_nik_damaged" and "Registri lama tetap dipakai" in str(err.value)
    assert registry_rows(store) == before


def test_a_recipient_list_is_not_taken_for_the_registry(tmp_path, store):
    header = ["NIK", "No KK", "Nama", "Bank", "No Rekening", "Nominal"]
    path = write(tmp_path / "daftar.csv", [[SITI, "1271170101100001", "SITI", "BRI", "300201000123507", "600000"]],
                 header=header)
    for attempt in (lambda: check_extract(path), lambda: import_registry(path, store)):
        with pytest.raises(UserError) as err:
            attempt()
        assert err.value.code == "not_an_extract" and "daftar penerima" in str(err.value)
    assert registry_rows(store) == []
    # An extract that also has the bank (some do) but a status is an extract.
    path = write(tmp_path / "ekstrak.csv", [[SITI, "SITI", "BRI", "aktif"]], header=["nik", "nama", "bank", "status"])
    assert import_registry(path, store).rows == 1


def test_a_broken_line_in_a_small_extract_is_named(tmp_path):
    """DuckDB gives up on a short file without saying where ("Error when sniffing file"): the
    line with more columns than the header is found and named, with what to do."""
    rows = [[f"12711755068{k:05d}", "", f"ORANG {k}", "", "", "", "3", "aktif"] for k in range(1, 30)]
    path = write(tmp_path / "retak.csv", rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[7] = lines[7].replace("ORANG 7", "ORANG, S.PD")  # an unquoted comma: nine columns
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        check_extract(path)
    assert err.value.code == "unreadable" and "Baris 8 berisi 9 kolom, padahal baris judul 8 kolom" in str(err.value)


def test_a_header_only_extract_is_not_said_to_pass(tmp_path):
    report = check_extract(write(tmp_path / "judul.csv", []))
    text = "\n".join(report.lines_id())
    assert "tidak berisi baris data" in text and "Semua baris lolos" not in text


def test_extracts_as_web_systems_and_excel_write_them(tmp_path, store):
    """IDs written ="…" (kept text for Excel) are the digits; Excel's hidden "sep=;" line names the
    delimiter; a list whose amount column is headed with a unit is still a list, not an extract;
    an unclosed quote is told as such, at the line where it opens."""
    path = tmp_path / "web.csv"
    path.write_text('sep=;\nnik;no_kk;nama;desil;status\n="1271175506800001";="1271170101100001";SITI;3;aktif\n',
                    encoding="utf-8")
    import_registry(path, store)
    assert store.con.execute("SELECT nik, no_kk, nik_valid FROM registry").fetchall() == [
        ("1271175506800001", "1271170101100001", True)]
    listed = write(tmp_path / "tunai.csv", [[SITI, "SITI", "300000"]], header=["NIK", "Nama", "Nilai Bantuan (Rp)"])
    with pytest.raises(UserError) as err:
        check_extract(listed)
    assert err.value.code == "not_an_extract"
    assert "Tanda kutip (\") di baris 5 tidak ditutup" in _unclosed_quote(tmp_path, 30, 4)


def test_an_unclosed_quote_early_in_a_long_extract_is_named(tmp_path):
    """The rest of the file becomes one field, past the csv module's field limit: still told as
    an unclosed quote at its line, never an internal error."""
    assert "Tanda kutip (\") di baris 2 tidak ditutup" in _unclosed_quote(tmp_path, 20_000, 1)


def _unclosed_quote(tmp_path: Path, rows: int, at: int) -> str:
    """check_extract's message on an extract of `rows` people whose line `at` (0 = the header)
    opens a quote it never closes."""
    people = [[f"12711755068{k:05d}", "", f"ORANG {k}", "", "", "", "3", "aktif"] for k in range(1, rows)]
    path = write(tmp_path / "kutip.csv", people)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[at] = lines[at].replace(f"ORANG {at},", f'"ORANG {at},')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        check_extract(path)
    return str(err.value)


def test_an_exclusion_list_or_a_bare_nik_column_is_not_taken_for_the_registry(tmp_path, store):
    import_registry(write(tmp_path / "baik.csv", SMALL[:2]), store)
    before = registry_rows(store)
    for name, header, row in (("pengecualian.csv", ["nik", "kategori", "keterangan"], [SITI, "ASN", "guru"]),
                              ("nik.csv", ["NIK"], [SITI])):
        with pytest.raises(UserError) as err:
            import_registry(write(tmp_path / name, [row], header=header), store)
        assert err.value.code == "not_an_extract" and "bukan ekstrak DTKS/DTSEN" in str(err.value)
    assert registry_rows(store) == before


def test_an_exclusion_list_with_damaged_niks_does_not_replace_the_list(tmp_path, store):
    header = ["nik", "kategori", "keterangan"]
    import_exclusions(write(tmp_path / "baik.csv", [[SITI, "ASN", "guru"]], header=header), store)
    damaged = [["1,27117E+15", "ASN", ""], ["1,27117E+15", "TNI", ""], [BUDI, "POLRI", ""]]
    with pytest.raises(UserError) as err:
        import_exclusions(write(tmp_path / "rusak.csv", damaged, header=header), store)
    assert err.value.code == "exclusions_nik_damaged" and "Daftar lama tetap dipakai" in str(err.value)
    assert store.con.execute("SELECT nik FROM exclusions").fetchall() == [(SITI,)]


def test_a_duckdb_error_names_the_file_not_the_servers_folder():
    from validator.registry.extract import _duck_error

    msg = _duck_error(Exception('Invalid Input Error: Error when sniffing file "/srv/data/imports/ab12/dtks.csv".\n'
                                "1271175506800001,SITI"))
    assert msg == 'Invalid Input Error: Error when sniffing file "dtks.csv".'
