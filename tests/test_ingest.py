"""Reading lists as they really come: layouts, encodings, formats."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from tests.conftest import TODAY
from validator.engine import validate
from validator.errors import UserError
from validator.ingest import read_list


@pytest.fixture()
def header_map(rules):
    return rules.header_map(rules.program("pkh"))


def _medan(path):
    """The list validated as a Kota Medan program sent by Medan Baru."""
    return validate(path, "maghrib_mengaji", kecamatan="127117", today=TODAY)


def test_csv_semicolon_cp1252_with_title_lines(tmp_path, header_map):
    text = ("DAFTAR PENERIMA BPNT;;\nKECAMATAN MEDAN DELI;;\n\n"
            "No;NIK;Nama;Alamat\n1;1271175506800001;SITI AMINAH;JL. MERDEKA – GG. SEPAKAT\n")
    path = tmp_path / "l.csv"
    path.write_bytes(text.encode("cp1252"))
    listing = read_list(path, header_map)
    assert listing.header_row == 4
    assert listing.frame["alamat"].to_list() == ["JL. MERDEKA – GG. SEPAKAT"]
    assert listing.frame["_row"].to_list() == [5]
    assert [s["why"] for s in listing.skipped] == ["title", "title", "blank"]  # the empty line above the header too


def test_csv_utf8_bom_comma(tmp_path, header_map):
    path = tmp_path / "l.csv"
    path.write_bytes("\ufeffNIK,Nama\n1271175506800001,SITI\n".encode())
    listing = read_list(path, header_map)
    assert listing.fields["nik"] == 0 and listing.frame["nik"].to_list() == ["1271175506800001"]


def test_parquet_integer_and_float_ids(tmp_path):
    path = tmp_path / "l.parquet"
    pl.DataFrame({
        "NIK": pl.Series([1271175506800001, 1271171506750002], dtype=pl.Int64),
        "No KK": pl.Series([1271170101100010.0, 1271170101100002.0], dtype=pl.Float64),
        "Nama": ["SITI AMINAH", "BUDI SANTOSO"],
    }).write_parquet(path)
    outcome = validate(path, "maghrib_mengaji", today=TODAY)
    assert outcome.rows["nik"].to_list() == ["1271175506800001", "1271171506750002"]
    assert outcome.rows["row"].to_list() == [2, 3]
    kk = outcome.findings.filter(code="KK_EXCEL")
    assert kk["_idx"].to_list() == [0]  # a float column went through a number type


def test_second_header_row_under_merged_cells(tmp_path, header_map):
    path = tmp_path / "l.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["NIK", "NAMA", "KELAHIRAN", ""])
    ws.write_row(1, 0, ["", "", "TEMPAT", "TANGGAL"])
    ws.write_row(2, 0, ["1271175506800001", "SITI", "MEDAN", "15-06-1980"])
    wb.close()
    listing = read_list(path, header_map)
    assert listing.fields["tanggal_lahir"] == 3 and listing.fields["tempat_lahir"] == 2
    assert [s["why"] for s in listing.skipped] == ["header"]
    assert listing.frame["_row"].to_list() == [3]


def test_repeated_header_and_blank_rows_are_skipped(tmp_path, header_map):
    path = tmp_path / "l.csv"
    path.write_text("NIK,Nama,Alamat\n1271175506800001,SITI,JL A\n,,\nNIK,NAMA,ALAMAT\n"
                    "1271171506750002,BUDI,JL B\n", encoding="utf-8")
    listing = read_list(path, header_map)
    assert [(s["row"], s["why"]) for s in listing.skipped] == [(3, "blank"), (4, "repeated_header")]
    assert listing.frame["_row"].to_list() == [2, 5]


def test_data_sheet_found_after_an_instructions_sheet(tmp_path, header_map):
    path = tmp_path / "l.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Petunjuk").write(0, 0, "Isi NIK sebagai teks")
    data = wb.add_worksheet("Data KPM")
    data.write_row(0, 0, ["NIK", "Nama"])
    data.write_row(1, 0, ["1271175506800001", "SITI"])
    wb.close()
    listing = read_list(path, header_map)
    assert listing.sheet == "Data KPM" and listing.frame.height == 1


def test_combined_birth_column_is_split(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text('NIK,Nama,"Tempat, Tanggal Lahir",JK\n'
                    '1271175506800001,SITI,"MEDAN, 15 Juni 1980",P\n'
                    '1271171506750002,BUDI,"DELI SERDANG 16-06-1975",L\n'
                    '1271175512710003,SITI R,"MEDAN, 15 DESEMBER 1971.",P\n', encoding="utf-8")
    outcome = validate(path, "maghrib_mengaji", today=TODAY)
    assert outcome.listing.frame["tempat_lahir"].to_list() == ["MEDAN", "DELI SERDANG", "MEDAN"]
    assert outcome.listing.frame["tanggal_lahir"].to_list() == ["15 Juni 1980", "16-06-1975", "15 DESEMBER 1971"]
    assert "NIK_TGL_LAHIR_BEDA" in outcome.findings["code"].to_list()  # BUDI's NIK says 15-06-75


@pytest.mark.parametrize("content,code", [
    (b"", "file_empty"),
    (b"Nama,Alamat\nSITI,JL\n", "no_nik_column"),
    (b"PK\x03\x04garbage", "file_unreadable"),
], ids=["empty", "no NIK column", "broken zip as xlsx"])
def test_unreadable_inputs_raise_user_errors(tmp_path, header_map, content, code):
    path = tmp_path / ("l.xlsx" if content.startswith(b"PK") else "l.csv")
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        read_list(path, header_map)
    assert err.value.code == code
    assert err.value.message_id and err.value.message_en


def test_excels_lock_file_picked_by_mistake_names_the_list_to_send(tmp_path, header_map):
    """`~$daftar.xlsx`, made by Excel while daftar.xlsx is open: not a damaged workbook to save again."""
    path = tmp_path / "~$daftar.xlsx"
    path.write_bytes(b"\x0bOperator 01" + b" " * 43 + b"\x00" * 110)  # the user's name, padded, as Excel writes it
    with pytest.raises(UserError) as err:
        read_list(path, header_map)
    assert err.value.code == "file_unreadable" and "kunci sementara" in err.value.message_id
    assert "daftar.xlsx" in err.value.message_id and "rusak" not in err.value.message_id


def test_windows_1252_bytes_after_a_utf8_start(tmp_path, header_map):
    """A file that looks like UTF-8 at first but holds Windows-1252 further on is still read."""
    path = tmp_path / "l.csv"
    path.write_bytes(b"NIK,Nama\n" + b"1271175506800001,SITI\n" * 5000 + b"1271171506750002,JOS\xc9\n")
    listing = read_list(path, header_map)
    assert listing.frame.height == 5001
    assert listing.frame["nama"].to_list()[-1] == "JOSÉ"


def test_a_second_list_sheet_is_reported_not_silently_dropped(tmp_path):
    path = tmp_path / "l.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, nik in (("Kel. Babura", "1271175506800001"), ("Kel. Petisah", "1271171506750002")):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["NIK", "Nama"])
        ws.write_row(1, 0, [nik, "SITI"])
    wb.close()
    outcome = validate(path, "maghrib_mengaji", today=TODAY)
    assert outcome.listing.sheet == "Kel. Babura"
    assert [w["code"] for w in outcome.listing.warnings if w["code"] != "column_missing"] == ["sheet_not_read"]
    assert "Kel. Petisah" in outcome.listing.warnings[0]["message"]


def test_a_sheet_not_read_is_carried_through_the_return_workbook(tmp_path):
    """One sheet per kelurahan: the one checked comes back with its verdicts, the other as it was
    (a hidden one hidden), so fixing the return workbook and sending it again loses none of its
    rows, and the warning comes again."""
    import openpyxl

    from validator.reports import write_outputs

    path = tmp_path / "l.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    sheets = {"PADANG BULAN": ["1271175506800001", "1271171506750002", "1271174107700003"],
              "BABURA": ["1271171506750004", "=1+1"], "ARSIP": ["1271171506750005"]}
    for name, niks in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["Daftar Kelurahan " + name])
        ws.write_row(2, 0, ["NIK", "Nama", "Nominal"])
        for r, nik in enumerate(niks, start=3):
            ws.write_string(r, 0, nik)
            ws.write_row(r, 1, [f"WARGA {name} {r}", 600000])
        if name == "ARSIP":
            ws.hide()
    wb.close()
    out = write_outputs(validate(path, "pkh", kecamatan="127117", today=TODAY), tmp_path / "out")
    back = openpyxl.load_workbook(out["xlsx"])
    assert back.sheetnames == ["PADANG BULAN", "BABURA", "ARSIP", "Ringkasan"]
    assert back["ARSIP"].sheet_state == "hidden" and back["BABURA"].sheet_state == "visible"
    babura = list(back["BABURA"].iter_rows(values_only=True))
    assert babura[0][0] == "Daftar Kelurahan BABURA" and babura[2] == ("NIK", "Nama", "Nominal")
    assert babura[3] == ("1271171506750004", "WARGA BABURA 3", 600000) and babura[4][0] == "=1+1"
    assert back["BABURA"]["A5"].data_type == "s"  # a formula-looking cell stays text
    again = validate(out["xlsx"], "pkh", kecamatan="127117", today=TODAY)
    assert again.listing.sheet == "PADANG BULAN" and again.rows.height == 3
    warning = next(w for w in again.listing.warnings if w["code"] == "sheet_not_read")
    assert "BABURA" in warning["message"] and "ARSIP" in warning["message"]


def test_carried_sheets_keep_number_cells_and_get_names_excel_accepts(tmp_path):
    """A NIK Excel stored as a number (its last digit lost) stays a number in the carried sheet, so
    sent on its own it is NIK_EXCEL again; names cut to 31 characters that collide, or holding
    characters Excel refuses, are made distinct instead of failing the run."""
    import zipfile

    import openpyxl

    from validator.reports import write_outputs

    path = tmp_path / "nama_panjang.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    names = ["Daftar Penerima PKH Kelurahan Babura", "Daftar Penerima PKH Kelurahan Sei Sikambing B",
             "Daftar Penerima PKH Kelurahan Sei Sikambing C"]
    for k in range(len(names)):
        ws = wb.add_worksheet(f"S{k}")
        ws.write_row(0, 0, ["NIK", "Nama", "Nominal"])
        for r in range(1, 6 - 2 * k):
            ws.write_string(r, 0, f"12711715067500{k}{r}")
            ws.write_row(r, 1, [f"WARGA {k} {r}", 600000])
        if k == 1:
            ws.write_number(4, 0, 1271174911640200)  # stored as a number by Excel: last digit lost
            ws.write_row(4, 1, ["RUSAK", 600000])
            ws.write_number(5, 0, 9171014506751230)  # a Papua NIK (past 2**53), damaged the same way
            ws.write_row(5, 1, ["RUSAK PAPUA", 600000])
    wb.close()
    # Names longer than Excel's 31 characters, one with a slash, as other programs write them.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    book = parts["xl/workbook.xml"].decode()
    for k, name in enumerate(names):
        book = book.replace(f'name="S{k}"', f'name="{name.replace("Babura", "Babura/Lama")}"')
    parts["xl/workbook.xml"] = book.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    out = write_outputs(validate(path, "pkh", kecamatan="127117", today=TODAY), tmp_path / "out")
    back = openpyxl.load_workbook(out["xlsx"])
    assert len(set(back.sheetnames)) == 4 and all(len(n) <= 31 and "/" not in n for n in back.sheetnames)
    carried = next(ws for ws in back.worksheets if any(c.value == "RUSAK" for c in ws["B"]))
    assert carried["A5"].data_type == "n" and carried["A6"].data_type == "n" and carried["A2"].data_type == "s"
    alone = openpyxl.Workbook()
    for row in carried.iter_rows(values_only=True):
        alone.active.append(row)
    alone.save(tmp_path / "sendiri.xlsx")
    codes = validate(tmp_path / "sendiri.xlsx", "pkh", kecamatan="127117", today=TODAY).findings["code"].to_list()
    assert codes.count("NIK_EXCEL") == 2


@pytest.mark.parametrize("name,expected", [
    (" 'Arsip' ", "Arsip"),
    ("Daftar Penerima PKH Kel Sei Ma'ruf Lama", "Daftar Penerima PKH Kel Sei Ma"),
    ("Daftar Penerima PKH \U0001f3e0 Kelurahan Babura", "Daftar Penerima PKH \U0001f3e0 Keluraha"),
    ("a/b:c*?[x]\\", "a_b_c___x__"),
    ("''", "Sheet"),
    ("RINGKASAN", "RINGKASAN (2)"),
])
def test_sheet_names_of_the_return_workbook_are_names_excel_accepts(name, expected):
    """31 UTF-16 units at most (an emoji counts two), no apostrophe at either end, no [ ] : * ? / or
    backslash, never Ringkasan."""
    import xlsxwriter.worksheet

    from validator.reports.workbook import sheet_name

    got = sheet_name(name, {"ringkasan"})
    assert got == expected
    wb = xlsxwriter.Workbook(None, {"in_memory": True})
    wb.add_worksheet(got)  # xlsxwriter's own check: raises on a name Excel refuses


def test_a_partial_return_workbook_carries_no_other_sheet_to_be_read_in_its_place(tmp_path, monkeypatch):
    """A list past the limit comes back as its rows with findings only; a sheet carried beside it
    would be read in its place when that workbook is sent back, replacing the kecamatan's list."""
    import openpyxl

    from validator.errors import UserError
    from validator.ingest import layout
    from validator.reports import workbook, write_outputs

    for module in (workbook, layout):
        monkeypatch.setattr(module, "FULL_SHEET_LIMIT", 3)
    path = tmp_path / "dua.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, n in (("BABURA", 5), ("TITI RANTE", 4)):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["NIK", "Nama", "Nominal"])
        for r in range(1, n + 1):
            ws.write_string(r, 0, f"1271171506750{len(name)}{r:02d}" if r % 2 else "123")
            ws.write_row(r, 1, [f"WARGA {name} {r}", 600000])
    wb.close()
    out = write_outputs(validate(path, "pkh", kecamatan="127117", today=TODAY), tmp_path / "out")
    assert openpyxl.load_workbook(out["xlsx"]).sheetnames == ["BABURA", "Ringkasan"]
    with pytest.raises(UserError) as err:
        validate(out["xlsx"], "pkh", kecamatan="127117", today=TODAY)
    assert err.value.code == "partial_return_workbook"


def test_merged_group_name_reaches_every_member(tmp_path, rules):
    path = tmp_path / "kube.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Nama Kelompok", "Jabatan", "NIK", "Nama Anggota"])
    ws.merge_range(1, 0, 5, 0, "KUBE MAWAR")
    for i in range(5):
        ws.write_row(1 + i, 1, ["KETUA" if i == 0 else "ANGGOTA", f"12711715067{i}0003", f"ANGGOTA {i}"])
    wb.close()
    listing = read_list(path, rules.header_map(rules.program("kube")))
    assert listing.frame["nama_kelompok"].to_list() == ["KUBE MAWAR"] * 5


@pytest.mark.parametrize("headers,expected", [
    (["NIK KPM", "NAMA PENERIMA MANFAAT", "NAMA IBU KANDUNG", "NO REKENING BRI", "NOMINAL RP"],
     {"nik": 0, "nama": 1, "no_rekening": 3, "nominal": 4}),
    (["NO", "NIK IBU", "NIK", "NAMA"], {"nik": 2, "nama": 3}),
], ids=["headers that go on", "someone else's NIK"])
def test_headers_that_start_with_a_known_one(header_map, headers, expected):
    from validator.ingest.layout import map_header

    found = map_header(headers, header_map)
    assert {k: v for k, v in found.items() if k in expected} == expected
    assert "nama" not in found or found["nama"] != 2 or headers[2] != "NAMA IBU KANDUNG"


def test_header_only_list_validates_with_a_warning(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("NIK,Nama\n,\n", encoding="utf-8")
    outcome = validate(path, "pkh", today=TODAY)
    assert outcome.rows.height == 0
    assert [w["code"] for w in outcome.listing.warnings] == ["no_data_rows"]


# Layouts kecamatan offices really send, beyond the sample: each read as the operator sees it.
HEAD = ["NO", "NIK", "NO KK", "NAMA", "BANK", "NO REKENING", "NOMINAL"]
ROW = [1, "1271175708850001", "1271170101090012", "SITI AMINAH", "BRI", "123401000456503", 600000]


def _xlsx(tmp_path, rows: list[list], merges: tuple[str, ...] = ()):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    path = tmp_path / "daftar.xlsx"
    wb.save(path)
    return path


def test_a_section_line_under_the_header_is_not_a_second_header(tmp_path):
    path = _xlsx(tmp_path, [HEAD, ["Kecamatan Medan Baru"], ROW, ["KELURAHAN : MERDEKA"], [2, *ROW[1:]]])
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    assert "kecamatan" not in outcome.listing.fields and outcome.listing.fields["nik"] == 1
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [(2, "section"), (4, "section")]
    assert outcome.rows["row"].to_list() == [3, 5]
    assert "KECAMATAN_BEDA" not in set(outcome.findings["code"].to_list())


def test_sub_headers_under_a_group_label_replace_it(tmp_path):
    top = ["NO", "NIK", "NO KK", "NAMA KPM", "REKENING", None, "NOMINAL"]
    sub = [None, None, None, None, "BANK", "NO. REKENING", None]
    path = _xlsx(tmp_path, [["DAFTAR PENERIMA BANTUAN PKH TAHAP I TAHUN 2026"], top, sub, ROW],
                 merges=("A1:G1", "E2:F2"))
    listing = validate(path, "pkh", kecamatan="127117", today=TODAY)
    fields = listing.listing.fields
    assert (fields["nama_bank"], fields["no_rekening"]) == (4, 5)
    assert [(s["row"], s["why"]) for s in listing.listing.skipped] == [(1, "title"), (3, "header")]
    assert listing.rows["row"].to_list() == [4] and listing.findings.height == 0


def test_upper_row_of_a_two_row_header_is_a_header_not_a_title(tmp_path):
    top = ["NO", "NIK", "NAMA", "TEMPAT/TGL LAHIR", None, "BANK", "NO REKENING"]
    sub = [None, None, None, "TEMPAT", "TANGGAL LAHIR", None, None]
    path = _xlsx(tmp_path, [["DAFTAR PENERIMA"], [None], ["NO", "DATA PENERIMA", None, "TANGGAL LAHIR", None, None, None],
                            top, sub, [1, "1271175708850001", "SITI", "MEDAN", "17-08-1985", "BRI", "123401000456503"]])
    listing = validate(path, "bst", kecamatan="127117", today=TODAY).listing
    assert [(s["row"], s["why"]) for s in listing.skipped] == [(1, "title"), (2, "blank"), (3, "header"), (5, "header")]
    assert (listing.fields["tempat_lahir"], listing.fields["tanggal_lahir"]) == (3, 4)


@pytest.mark.parametrize("column", [1, 5])  # the NIK column, the account column
def test_a_nip_line_of_the_signature_block_is_skipped_in_any_column(tmp_path, column):
    sign = [[None] * 7 for _ in range(4)]
    for cells, text in zip(sign, ["Mengetahui,", "Camat Medan Baru", "DRS. H. AHMAD", "NIP. 19700101 199003 1 005"],
                           strict=True):
        cells[column] = text
    path = _xlsx(tmp_path, [HEAD, ROW, [], *sign])
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [
        (3, "blank"), (4, "signature"), (5, "signature"), (6, "signature"), (7, "signature")]


def test_a_total_without_its_label_is_a_total(tmp_path):
    # (a SUM saved by Excel reads as its value; openpyxl saves none, so values stand in for it)
    path = _xlsx(tmp_path, [HEAD, ROW, [2, *ROW[1:]], [None] * 6 + ["Rp 1.200.000"], [None] * 6 + [1200000]])
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 3]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [(4, "total"), (5, "total")]


def test_excel_sep_line_is_hidden_as_excel_hides_it(tmp_path, header_map):
    path = tmp_path / "l.csv"
    path.write_bytes(b"sep=;\r\nNO;NIK;NAMA\r\n1;1271175506800001;SITI AMINAH\r\n")
    listing = read_list(path, header_map)
    assert listing.header_row == 1 and listing.frame["_row"].to_list() == [2]
    assert listing.frame["nik"].to_list() == ["1271175506800001"] and listing.skipped == []


def test_ringkasan_says_what_to_do_with_the_programs_values_filled_in(tmp_path):
    import openpyxl

    from tests.conftest import run_rows
    from validator.reports import write_outputs

    outcome = run_rows(tmp_path, "pkh", [
        {"bank": "BCA"},
        {"nik": "1271175506800002", "kk": "1271170101100002", "rek": "30020100012"},
        {"nik": "1271175506800003", "kk": "1271170101100003", "rek": "300201000123523", "nominal": "610000"}])
    assert {"BANK_TIDAK_DIKENAL", "REKENING_PANJANG", "NOMINAL_TIDAK_SESUAI"} <= set(outcome.findings["code"])
    write_outputs(outcome, tmp_path / "out")
    ws = openpyxl.load_workbook(tmp_path / "out" / "result.xlsx")["Ringkasan"]
    todo = {r[0]: r[3] for r in ws.iter_rows(values_only=True) if r[0] in outcome.rules.catalog}
    assert todo and not any("{" in text for text in todo.values())
    assert "BRI" in todo["BANK_TIDAK_DIKENAL"] and "Rp" in todo["NOMINAL_TIDAK_SESUAI"]


def test_a_kecamatan_named_kota_is_not_matched_by_its_second_word(tmp_path):
    from tests.conftest import codes_by_row, run_rows

    outcome = run_rows(tmp_path, "maghrib_mengaji", [{"kec": "BARU"}, {"nik": "1271174506800002", "nama": "RINA WATI", "tgl": "05-06-1980",
                                                                 "rek": "300201000123515", "kec": "Kec. Medan Baru"}])
    assert codes_by_row(outcome) == [{"KECAMATAN_BEDA"}, set()]


def test_subtotals_mid_list_do_not_start_the_signature_block(tmp_path):
    rows = [HEAD, ROW, [None, "JUMLAH KELURAHAN DARAT", None, None, None, None, 600000],
            [None, None, None, "SITI AMINAH"],  # NIK not typed yet: a recipient, not a signature
            ["KELURAHAN BABURA"], [2, *ROW[1:]], [], [None, None, None, "Mengetahui,"], [None, None, None, "Camat"]]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 4, 6]
    assert "NIK_KOSONG" in set(outcome.findings.filter(pl.col("_idx") == 1)["code"])
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [
        (3, "total"), (5, "section"), (7, "blank"), (8, "signature"), (9, "signature")]


def test_page_furniture_repeated_inside_the_list_is_skipped(tmp_path):
    rows = [["DAFTAR PENERIMA PKH"], HEAD, ROW, ["DAFTAR PENERIMA PKH"], ["TAHAP I TAHUN 2026"], ["Halaman 2"],
            HEAD, list(range(1, 8)), [2, *ROW[1:]]]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [3, 9]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [
        (1, "title"), (4, "title"), (5, "title"), (6, "title"), (7, "repeated_header"), (8, "column_numbers")]


def test_a_spacer_row_under_a_merged_cell_is_not_a_recipient(tmp_path):
    head = [*HEAD, "KELURAHAN"]
    rows = [head, [*ROW, "DARAT"], [2, *ROW[1:], None], [], [3, *ROW[1:], None]]
    outcome = validate(_xlsx(tmp_path, rows, merges=("H2:H5",)), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 3, 5]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [(4, "blank")]


def test_a_return_workbook_without_its_list_sheet_is_told_so(tmp_path):
    """Only the Ringkasan sheet left (the list sheet deleted): exit 2 with what to send, not an
    internal error."""
    import openpyxl

    from tests.conftest import run_rows
    from validator.reports import write_outputs

    paths = write_outputs(run_rows(tmp_path, "pkh", [{}]), tmp_path / "out")
    wb = openpyxl.load_workbook(paths["xlsx"])
    wb.remove(wb.worksheets[0])
    wb.save(tmp_path / "ringkasan.xlsx")
    with pytest.raises(UserError) as info:
        validate(tmp_path / "ringkasan.xlsx", "pkh", today=TODAY)
    assert info.value.code == "no_nik_column" and "sheet Ringkasan" in info.value.message_id


def test_the_sheet_with_the_list_wins_over_a_template_and_ringkasan_is_a_name_like_any(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "TEMPLATE"
    wb.active.append(HEAD)
    data = wb.create_sheet("Ringkasan")
    for r in (HEAD, ROW, [2, *ROW[1:]]):
        data.append(r)
    path = tmp_path / "dua_sheet.xlsx"
    wb.save(path)
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    assert outcome.listing.sheet == "Ringkasan" and outcome.rows.height == 2
    from validator.reports import write_outputs

    write_outputs(outcome, tmp_path / "out")
    names = openpyxl.load_workbook(tmp_path / "out" / "result.xlsx").sheetnames
    assert names == ["Daftar", "Ringkasan"]


def test_a_count_of_people_is_not_the_amount(header_map):
    from validator.ingest.layout import map_header

    found = map_header(["NIK", "NAMA", "JUMLAH ANGGOTA KELUARGA", "JUMLAH JIWA", "JUMLAH BANTUAN (Rp)"], header_map)
    assert found["nominal"] == 4


def test_warnings_reach_the_return_workbook(tmp_path):
    import openpyxl

    from validator.reports import write_outputs

    wb = openpyxl.Workbook()
    wb.active.title = "DARAT"
    for r in (HEAD, ROW):
        wb.active.append(r)
    other = wb.create_sheet("BABURA")
    for r in (HEAD, [2, *ROW[1:]]):
        other.append(r)
    wb.save(tmp_path / "l.xlsx")
    outcome = validate(tmp_path / "l.xlsx", "pkh", kecamatan="127117", period="2026-T1", today=TODAY)
    write_outputs(outcome, tmp_path / "out")
    cells = [c for row in openpyxl.load_workbook(tmp_path / "out" / "result.xlsx")["Ringkasan"].iter_rows(values_only=True)
             for c in row if c]
    assert "PERINGATAN" in cells and "sheet_not_read" in cells and any("BABURA" in str(c) for c in cells)


def test_excel_error_values_are_read_as_the_operator_sees_them(tmp_path):
    """calamine reads #N/A (a failed VLOOKUP), #REF! and #VALUE! as empty cells; the list shows them."""
    path = tmp_path / "rumus.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("DATA")
    ws.write_row(0, 0, ["NO", "NIK", "NO KK", "NAMA", "TANGGAL LAHIR", "BANK", "NO REKENING", "NOMINAL"])
    ws.write_row(1, 0, [1, "1271175506800001", "1271170101100001", "SITI AMINAH", "15-06-1980", "BRI", "300201000123507"])
    ws.write_formula(1, 7, '=1+"a"', None, "#VALUE!")
    ws.write_row(2, 0, [2])
    ws.write_formula(2, 1, "=#REF!", None, "#REF!")
    ws.write_row(2, 2, ["1271170101100002", "BUDI", "15-06-1975", "BRI", "300201000123515", 600000])
    ws.write_row(3, 0, [3, "1271171506750003", "1271170101100003", "JOKO"])
    ws.write_formula(3, 4, "=NA()", None, "#N/A")
    ws.write_row(3, 5, ["BRI", "300201000123523", 600000])
    wb.close()
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    got = {(f["_idx"], f["code"], f["value"]) for f in outcome.findings.iter_rows(named=True)}
    assert got == {(0, "NOMINAL_TIDAK_VALID", "#VALUE!"), (1, "NIK_FORMAT", "#REF!"),
                   (2, "TGL_LAHIR_TIDAK_VALID", "#N/A")}


def test_a_number_cell_too_large_for_a_double_is_read_as_the_file_holds_it(tmp_path):
    """A Papua NIK (91-97) written whole into a number cell by an export other than Excel is above
    2**53: calamine's double would change its last digit (…003 read as …004) with no finding. The
    digits come from the sheet's XML; one ending in 0 is still Excel's damage."""
    import zipfile

    wb = xlsxwriter.Workbook(str(tmp_path / "tmp.xlsx"))
    ws = wb.add_worksheet("DATA")
    ws.write_row(0, 0, ["NIK", "NO KK", "NAMA", "TANGGAL LAHIR", "BANK", "NO REKENING", "NOMINAL"])
    for r, (nik, kk) in enumerate([("9101015607501003", "9101010101100005"),
                                   ("9101015607502007", "9101010101200007"),
                                   ("9101015607500000", "9101010101100009")], start=1):
        ws.write_row(r, 0, [float(nik), float(kk), ["MARIA GEBZE", "YOSINA MAHUZE", "AGUSTINA KAIZE"][r - 1], "16-07-1950", "BRI",
                            f"30020100012350{r}", 600000])
    wb.close()
    # What such an export writes: the exact digits in <v>, where a double-based writer rounds.
    with zipfile.ZipFile(tmp_path / "tmp.xlsx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    for nik, kk in [("9101015607501003", "9101010101100005"), ("9101015607502007", "9101010101200007")]:
        for exact in (nik, kk):
            assert xml.count(f"<v>{int(float(exact))}</v>".encode()) == 1
            xml = xml.replace(f"<v>{int(float(exact))}</v>".encode(), f"<v>{exact}</v>".encode())
    parts["xl/worksheets/sheet1.xml"] = xml
    path = tmp_path / "papua.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    outcome = validate(path, "pkh", kecamatan="910101", today=TODAY)
    assert outcome.rows["nik"].to_list() == ["9101015607501003", "9101015607502007", "9101015607500000"]
    got = {(f["_idx"], f["code"]) for f in outcome.findings.iter_rows(named=True)}
    assert (0, "GANDA_NIK") not in got and (1, "GANDA_NIK") not in got
    assert {c for i, c in got if i in (0, 1)} <= {"KECAMATAN_BEDA"}
    assert (2, "NIK_EXCEL") in got


def test_recipients_with_signature_words_inside_the_list_stay_data(tmp_path):
    """SEKRETARIS as a jabatan, 'a.n.' or 'TTD' in a note, a name beginning DESA or TOTAL: rows
    inside the list (an ID row follows) are recipients, whatever words they hold."""
    head = [*HEAD, "JENIS KELAMIN", "KETERANGAN"]
    rows = [head, [*ROW, "P", ""],
            [2, None, None, "RAHMAT HIDAYAT", None, None, None, None, "rek a.n. istri"],
            [3, None, None, "SRI WAHYUNI", None, None, None, "P", None],
            [4, None, None, "JOKO", None, None, None, None, "usulan pendamping PKH, belum TTD"],
            [None, None, None, "DESA PURNAMASARI", None, None, None, "P", None],
            [None, None, None, "TOTALIA SIREGAR", None, None, None, "P", None],
            [None, None, None, "KEPALA DESA LAMA", None, None, None, "L", None],
            [9, *ROW[1:], "P", ""],
            [], [None, None, None, "Mengetahui,"], [None, None, None, "Camat Medan Baru"],
            [None, None, None, "NIP. 19700101 199003 1 005"]]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 3, 4, 5, 6, 7, 8, 9]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [
        (10, "blank"), (11, "signature"), (12, "signature"), (13, "signature")]
    assert all("NIK_KOSONG" in set(outcome.findings.filter(pl.col("_idx") == i)["code"]) for i in range(1, 7))


def test_kube_members_named_with_their_jabatan_only_stay_data(tmp_path):
    path = tmp_path / "kube.csv"
    path.write_text("NO,NAMA KELOMPOK,NIK,NO KK,NAMA ANGGOTA,JABATAN,JENIS KELAMIN\n"
                    "1,KUBE MAWAR,1271175506800001,1271170101100001,SITI AMINAH,KETUA,P\n"
                    "2,,,,RAHMAT HIDAYAT,SEKRETARIS,\n3,,,,JOKO,BENDAHARA,\n4,,,,SRI,ANGGOTA,\n"
                    "5,KUBE MAWAR,1271171506750002,1271170101100002,BUDI SANTOSO,ANGGOTA,L\n", encoding="utf-8")
    outcome = validate(path, "kube", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 3, 4, 5, 6] and outcome.listing.skipped == []


def test_a_late_addition_below_the_signature_block_keeps_the_block_set_aside(tmp_path):
    rows = [HEAD, ROW, [], [None, None, None, "Mengetahui,"], [None, None, None, "Camat Medan Baru"],
            [None, None, None, "NIP. 19700101 199003 1 005"], [3, *ROW[1:]]]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 7]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [
        (3, "blank"), (4, "signature"), (5, "signature"), (6, "signature")]


@pytest.mark.parametrize("sub_label", ["NOMOR", "NO."])
def test_a_group_label_keeps_its_field_on_the_sub_column_that_names_none(tmp_path, sub_label):
    """REKENING over BANK | NOMOR: BANK is a header, NOMOR is not; the account column is not lost."""
    top = ["NO", "NIK", "NO KK", "NAMA KPM", "REKENING", None, "NOMINAL"]
    sub = [None, None, None, None, "BANK", sub_label, None]
    path = _xlsx(tmp_path, [top, sub, ROW, [2, *ROW[1:]]], merges=("E1:F1",))
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    assert (outcome.listing.fields["nama_bank"], outcome.listing.fields["no_rekening"]) == (4, 5)
    assert "REKENING_KOSONG" not in set(outcome.findings["code"].to_list())


@pytest.mark.parametrize("footer, why", [
    (["Diketahui,", "Camat Medan Baru", None, "Drs. H. ZULKARNAIN", "NIP. 19700101 199003 1 001"], "signature"),
    (["Diketahui oleh,", "Kepala Kelurahan Padang Bulan", None, "T. ABDUL RAHMAN"], "signature"),
    (["Keterangan :", "1. KPM yang tidak ditemukan agar dicoret", "2. Nominal sesuai komponen PKH"], "notes"),
    (["Catatan: data per 1 Maret 2026", "Sumber: SIKS-NG"], "notes"),
])
def test_footer_lines_in_the_name_column_are_set_aside(tmp_path, footer, why):
    rows = [HEAD, ROW, [2, *ROW[1:]], []] + [[None, None, None, line] if line else [] for line in footer]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 3]
    expected = [(4, "blank")] + [(5 + k, why if line else "blank") for k, line in enumerate(footer)]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == expected


def test_notes_then_signature_each_keep_their_reason(tmp_path):
    rows = [HEAD, ROW, ["Keterangan:"], ["- Data bersumber dari DTKS"], [],
            [None, None, None, "Mengetahui,"], [None, None, None, "SITI RAHMA"]]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [
        (3, "notes"), (4, "notes"), (5, "blank"), (6, "signature"), (7, "signature")]


def test_required_column_markers_in_headers_are_ignored(tmp_path):
    head = ["NO", "NIK*", "NO. KK *)", "NAMA:", "BANK*", "NO. REKENING*", "NOMINAL (Rp)*", "TGL/BLN/THN LAHIR"]
    path = _xlsx(tmp_path, [["*) wajib diisi"], head, [*ROW, "31-02-1970"]])
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    assert set(outcome.listing.fields) >= {"nik", "no_kk", "nama", "nama_bank", "no_rekening", "nominal", "tanggal_lahir"}
    assert set(outcome.findings["code"].to_list()) == {"TGL_LAHIR_TIDAK_VALID"}


def test_a_column_the_program_needs_but_the_header_does_not_name_is_a_warning(tmp_path):
    path = _xlsx(tmp_path, [["NO", "NIK", "NOMOR KARTU", "NAMA", "BANK", "NO REKENING"], ROW[:6]])
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    missing = [w for w in outcome.listing.warnings if w["code"] == "column_missing"]
    assert [w["field"] for w in missing] == ["no_kk", "nominal"]
    assert "nominal tidak dicocokkan dengan ketentuan program" in missing[1]["message"]
    assert "KK_KOSONG" in missing[0]["message"] and "NOMOR KARTU" in missing[0]["message"]
    # An individual program needs no KK column.
    assert [w["field"] for w in validate(path, "maghrib_mengaji", today=TODAY).listing.warnings
            if w["code"] == "column_missing"] == ["nominal"]


def test_the_return_workbook_keeps_column_letters_and_row_numbers(tmp_path):
    import openpyxl

    from validator.reports import write_outputs

    rows = [["DAFTAR PENERIMA"], [None, *HEAD], [None, *ROW], [None, 2, *ROW[1:3], "", *ROW[4:]]]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    write_outputs(outcome, tmp_path / "out")
    ws = openpyxl.load_workbook(tmp_path / "out" / "result.xlsx").worksheets[0]
    assert ws["A2"].value is None and ws["B2"].value == "NO" and ws["C2"].value == "NIK"
    assert ws["C3"].value == ROW[1] and ws["C4"].value == ROW[1]
    status_col = [c.value for c in ws[2]].index("STATUS")
    assert [ws.cell(row=r, column=status_col + 1).value for r in (3, 4)] == ["DITOLAK", "DITOLAK"]


@pytest.mark.parametrize(("program", "headers", "field", "expected"), [
    ("pkh", ["NIK", "NAMA", "JUMLAH KOMPONEN", "NILAI BANTUAN TAHAP I (Rp)"], "nominal", 3),
    ("bpnt", ["NIK", "NAMA", "JUMLAH BULAN", "TOTAL BANTUAN (Rp)"], "nominal", 3),
    ("pkh", ["NIK", "NAMA", "JUMLAH TAHAP"], "nominal", None),
    ("maghrib_mengaji", ["NAMA MASJID/MUSHOLLA", "NAMA USTADZ/USTADZAH", "NIK"], "nama", 1),
    ("kube", ["NAMA KUBE", "NAMA ANGGOTA", "NIK"], "nama_kelompok", 0),
    ("pkh", ["NIK", "NAMA", "NAMA SESUAI REKENING"], "nama_rekening", 2),
    ("pkh", ["NIK_KTP", "NAMA_PENERIMA", "JNS_KEL", "NAMA_KEL", "NAMA_KEC"], "jenis_kelamin", 2),
    ("pkh", ["NIK_KTP", "NAMA_PENERIMA", "JNS_KEL", "NAMA_KEL", "NAMA_KEC"], "kecamatan", 4),
])
def test_headers_of_real_exports_name_the_right_columns(rules, program, headers, field, expected):
    from validator.ingest.layout import map_header

    assert map_header(headers, rules.header_map(rules.program(program))).get(field) == expected


def test_sub_headers_that_name_no_field_make_a_header_row(tmp_path):
    """KOMPONEN over BUMIL | SD | SMP (not merged down): the lower row is a header, not a recipient."""
    top = ["NO", "NIK", "NO KK", "NAMA", "KOMPONEN", None, None, "BANK", "NO REKENING", "NOMINAL"]
    sub = [None, None, None, None, "BUMIL", "SD", "SMP", None, None, None]
    row = [1, ROW[1], ROW[2], ROW[3], 1, None, 1, "BRI", ROW[5], 600000]
    path = _xlsx(tmp_path, [top, sub, row], merges=("E1:G1",))
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [3] and outcome.findings.height == 0
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [(2, "header")]
    assert outcome.listing.headers[4:7] == ["BUMIL", "SD", "SMP"]


def test_a_place_and_date_line_in_the_amount_column_is_a_signature_not_a_total(tmp_path):
    rows = [HEAD, ROW, [None, "JUMLAH", None, None, None, None, 600000], [],
            [None] * 6 + ["Medan, 2 Maret 2026"], [None, "Mengetahui,", None, None, None, None, "Pendamping PKH"]]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [
        (3, "total"), (4, "blank"), (5, "signature"), (6, "signature")]


def test_numbers_come_back_as_numbers_and_ids_as_text(tmp_path):
    import openpyxl

    from validator.reports import write_outputs

    numeric_nik = [1, 1271175708850001, "1271170101090012", "SITI AMINAH", "BRI", 123401000456503, 600000]
    outcome = validate(_xlsx(tmp_path, [HEAD, numeric_nik]), "pkh", kecamatan="127117", today=TODAY)
    write_outputs(outcome, tmp_path / "out")
    ws = openpyxl.load_workbook(tmp_path / "out" / "result.xlsx").worksheets[0]
    assert ws["A2"].value == 1 and ws["G2"].value == 600000 and ws["G2"].data_type == "n"
    assert (ws["B2"].value, ws["B2"].data_type) == ("1271175708850001", "s")
    assert (ws["F2"].value, ws["F2"].data_type) == ("123401000456503", "s")


@pytest.mark.parametrize("heading", [["A", None, None, "KELURAHAN PETISAH HULU"], ["B.", "KEL. BABURA"],
                                     ["II.", None, None, "Kelurahan Darat"], ["C. KELURAHAN PADANG BULAN"]])
def test_a_lettered_section_heading_is_a_section(tmp_path, heading):
    rows = [HEAD, heading, ROW, [2, *ROW[1:3], "BUDI", *ROW[4:]]]
    rows[3][1], rows[3][2], rows[3][5] = "1271171506750002", "1271170101100002", "300201000987654"
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [3, 4]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [(2, "section")]


@pytest.mark.parametrize("ticks", [("L", "P", "√"), ("LK", "PR", "1")])
def test_sex_ticked_under_l_and_p_sub_columns(tmp_path, ticks):
    male_h, female_h, tick = ticks
    top = ["NO", "NIK", "NO KK", "NAMA", "JENIS KELAMIN", None, "BANK", "NO REKENING", "NOMINAL"]
    sub = [None, None, None, None, male_h, female_h, None, None, None]
    woman = [1, ROW[1], ROW[2], ROW[3], None, tick, "BRI", ROW[5], 600000]       # NIK day 57: a woman
    wrong = [2, "1271171506750002", "1271170101100002", "BUDI", None, tick, "BRI", "300201000987654", 600000]
    outcome = validate(_xlsx(tmp_path, [top, sub, woman, wrong], merges=("E1:F1",)), "pkh", kecamatan="127117",
                       today=TODAY)
    assert outcome.listing.frame["jenis_kelamin"].to_list() == ["P", "P"]
    assert set(outcome.findings["code"].to_list()) == {"NIK_JK_BEDA"}  # BUDI's NIK says a man


def test_page_furniture_and_template_rows_get_their_own_reason(tmp_path):
    two_top = ["NO", "NIK", "NO KK", "NAMA", "TTL", None, "BANK", "NO REKENING", "NOMINAL"]
    two_sub = [None, None, None, None, "TEMPAT", "TANGGAL", None, None, None]
    person = [1, ROW[1], ROW[2], ROW[3], "MEDAN", "17-08-1985", "BRI", ROW[5], 600000]
    rows = [two_top, two_sub, person, ["PEMERINTAH KOTA MEDAN"], ["DINAS SOSIAL"], two_top, two_sub,
            [3, None, None, None, None, None, None, None, 0]]
    outcome = validate(_xlsx(tmp_path, rows, merges=("E1:F1",)), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [3]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [
        (2, "header"), (4, "title"), (5, "title"), (6, "repeated_header"), (7, "repeated_header"), (8, "blank")]


def test_sex_ticks_beside_a_split_birth_column_and_dashes_for_no(tmp_path):
    top = ["NO", "NIK", "NAMA", "TEMPAT/TGL LAHIR", None, "JENIS KELAMIN", None, "NOMINAL"]
    sub = [None, None, None, "TEMPAT", "TANGGAL", "L", "P", None]
    woman = [1, ROW[1], ROW[3], "MEDAN", "17-08-1985", "-", "√", 600000]
    man = [2, "1271171506750002", "BUDI", "MEDAN", "15-06-1975", "1", "0", 600000]
    outcome = validate(_xlsx(tmp_path, [top, sub, woman, man], merges=("D1:E1", "F1:G1")), "maghrib_mengaji",
                       today=TODAY)
    assert outcome.listing.frame["jenis_kelamin"].to_list() == ["P", "L"]
    assert outcome.listing.frame["tanggal_lahir"].to_list() == ["17-08-1985", "15-06-1975"]
    assert not {"JK_TIDAK_VALID", "NIK_JK_BEDA"} & set(outcome.findings["code"].to_list())


def test_an_operators_own_sentence_is_not_taken_for_a_partial_return_workbook(tmp_path):
    rows = [["Catatan: sheet ini hanya memuat KPM Kelurahan Babura"], HEAD, ROW]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [3]


def test_formulas_saved_without_values_are_said(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["NIK", "NAMA"])
    ws.append([ROW[1], "SITI"])
    ws.append(['="1271171506750002"', '="BUDI"'])  # openpyxl saves no calculated value
    path = tmp_path / "rumus.xlsx"
    wb.save(path)
    outcome = validate(path, "maghrib_mengaji", today=TODAY)
    [warn] = [w for w in outcome.listing.warnings if w["code"] == "formulas_without_values"]
    assert warn["message"].startswith("2 sel berisi rumus tanpa nilai tersimpan")


@pytest.mark.parametrize(("program", "headers", "field", "expected"), [
    ("pkh", ["NIK", "NAMA", "JUMLAH BUMIL", "JUMLAH BALITA", "NOMINAL BANTUAN TAHAP I"], "nominal", 4),
    ("pkh", ["NIK", "NAMA", "JUMLAH BANTUAN TAHAP I (Rp)"], "nominal", 2),
    ("pkh", ["NIK", "NAMA", "JLH (Rp)"], "nominal", 2),
    ("pkh", ["NIK", "NAMA", "L-P"], "jenis_kelamin", 2),
    ("pkh", ["NIK", "NAMA", "JENKEL"], "jenis_kelamin", 2),
    ("pkh", ["NIK", "NAMA", "TEMPAT & TGL LAHIR"], "tempat_tanggal_lahir", 2),
    ("pkh", ["NIK", "NAMA", "TEMPAT LAHIR/TGL LAHIR"], "tempat_tanggal_lahir", 2),
    ("pkh", ["NIK", "NAMA ORANG TUA/WALI", "NAMA SISWA/PENERIMA"], "nama", 2),
    ("pkh", ["NIK", "NAMA", "NAMA REKENING BANK"], "nama_rekening", 2),
    ("pkh", ["NIK", "NAMA", "NAMA DESA/KELURAHAN"], "desa", 2),
    ("pkh", ["NIK", "ALAMAT KANTOR", "ALAMAT TEMPAT TINGGAL"], "alamat", 2),
    ("kube", ["NAMA KUBE", "JENIS USAHA", "NAMA ANGGOTA KUBE", "JABATAN", "NIK"], "nama", 2),
    ("maghrib_mengaji", ["NAMA TPQ/MASJID", "NAMA GURU NGAJI", "NIK"], "nama", 1),
])
def test_more_header_spellings_of_real_lists(rules, program, headers, field, expected):
    from validator.ingest.layout import map_header

    assert map_header(headers, rules.header_map(rules.program(program))).get(field) == expected


def test_a_page_header_further_down_does_not_take_over_from_the_header_above_the_recipients(tmp_path):
    top = ["NO", "NIK", "NO KK", "NAMA KPM", "REKENING", None, "NOMINAL"]
    sub = [None, None, None, None, "BANK", "NOMOR", None]
    people = [[k, f"12711757088500{k:02d}", "1271170101090012", f"ORANG {k}", "BRI", f"1234010004565{k:02d}", 600000]
              for k in range(1, 5)]
    page2 = ["NO", "NIK", "NO. KK", "NAMA KPM", "BANK", "NO. REKENING", "NOMINAL (Rp)"]
    path = _xlsx(tmp_path, [["DAFTAR KPM"], top, sub, *people[:2], page2, *people[2:]], merges=("E2:F2",))
    outcome = validate(path, "bpnt", kecamatan="127117", today=TODAY)
    assert outcome.listing.header_row == 2 and outcome.rows["row"].to_list() == [4, 5, 7, 8]
    assert (6, "repeated_header") in [(s["row"], s["why"]) for s in outcome.listing.skipped]


def test_a_repeated_header_spelt_another_recognised_way_is_a_repeated_header(tmp_path):
    rows = [HEAD, ROW, ["No", "N I K", "Nomor KK", "Nama", "Bank", "No. Rek", "Jumlah (Rp)"],
            [2, "1271171506750002", "1271170101100002", "BUDI", "BRI", "300201000987654", 600000]]
    outcome = validate(_xlsx(tmp_path, rows), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 4]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [(3, "repeated_header")]


def test_a_header_merged_down_over_three_rows_with_sub_headers_on_the_last(tmp_path):
    three = [["NO", "NIK", "NO KK", "NAMA", "REKENING", None, "NOMINAL"], [None] * 7,
             [None, None, None, None, "BANK", "NOMOR", None]]
    merges = tuple(f"{c}1:{c}3" for c in "ABCDG") + ("E1:F2",)
    outcome = validate(_xlsx(tmp_path, [*three, ROW], merges=merges), "pkh", kecamatan="127117", today=TODAY)
    assert (outcome.listing.fields["nama_bank"], outcome.listing.fields["no_rekening"]) == (4, 5)
    assert outcome.rows["row"].to_list() == [4] and outcome.findings.height == 0


def test_a_repeated_row_of_sub_headers_that_name_no_field_is_a_repeated_header(tmp_path):
    top = ["NO", "NIK", "NO KK", "NAMA", "KOMPONEN", None, None, "BANK", "NO REKENING", "NOMINAL"]
    sub = [None, None, None, None, "BUMIL", "SD", "SMP", None, None, None]
    row = [1, ROW[1], ROW[2], ROW[3], 1, None, None, "BRI", ROW[5], 600000]
    other = [2, "1271171506750002", "1271170101100002", "BUDI", None, 1, None, "BRI", "300201000987654", 600000]
    outcome = validate(_xlsx(tmp_path, [top, sub, row, top, sub, other], merges=("E1:G1",)), "pkh",
                       kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [3, 6] and outcome.findings.height == 0


def test_a_sub_header_no_under_rekening_is_the_account_not_the_numbering(tmp_path):
    top = ["NIK", "NO KK", "NAMA", "REKENING", None, "NOMINAL"]
    sub = [None, None, None, "BANK", "NO.", None]
    row = [ROW[1], ROW[2], ROW[3], "BRI", ROW[5], 600000]
    other = ["1271171506750002", "1271170101100002", "BUDI", "BRI", "300201000987654", 600000]
    outcome = validate(_xlsx(tmp_path, [top, sub, row, top, sub, other], merges=("D1:E1",)), "pkh",
                       kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [3, 6] and outcome.findings.height == 0


@pytest.mark.parametrize("line", ["KOTA MEDAN", "Nomor : 460/123/MB/2026", "PERIODE : MARET 2026"])
def test_a_page_title_typed_in_the_nik_column_is_a_title(tmp_path, line):
    head = ["NIK", "NO KK", "NAMA", "BANK", "NO REKENING", "NOMINAL"]
    other = ["1271171506750002", "1271170101100002", "BUDI", "BRI", "300201000987654", 600000]
    outcome = validate(_xlsx(tmp_path, [head, ROW[1:], [line], other]), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 4]
    assert [(s["row"], s["why"]) for s in outcome.listing.skipped] == [(3, "title")]


def test_the_header_starts_at_its_top_row_when_its_cells_are_merged_down(tmp_path):
    top = ["NIK", "NO KK", "NAMA", "TTL", None, "REKENING", None, "NOMINAL"]
    sub = [None, None, None, "TEMPAT LAHIR", "TANGGAL LAHIR", "BANK", "NOMOR", None]
    row = [ROW[1], ROW[2], ROW[3], "MEDAN", "17-08-1985", "BRI", ROW[5], 600000]
    merges = ("A1:A2", "B1:B2", "C1:C2", "H1:H2", "D1:E1", "F1:G1")
    outcome = validate(_xlsx(tmp_path, [top, sub, row], merges=merges), "pkh", kecamatan="127117", today=TODAY)
    assert outcome.listing.header_row == 1 and outcome.listing.fields["no_rekening"] == 6
    assert outcome.rows["row"].to_list() == [3] and outcome.findings.height == 0


def test_the_alasan_cell_gives_one_reason_a_line_with_its_weight(tmp_path):
    import openpyxl

    from validator.reports import write_outputs

    bad = [1, "127117570885000", ROW[2], "-", "BRI", ROW[5], 600000]  # 15-digit NIK, placeholder name
    outcome = validate(_xlsx(tmp_path, [HEAD, bad]), "pkh", kecamatan="127117", today=TODAY)
    write_outputs(outcome, tmp_path / "out")
    ws = openpyxl.load_workbook(tmp_path / "out" / "result.xlsx").worksheets[0]
    col = [c.value for c in ws[1]].index("ALASAN") + 1
    lines = ws.cell(row=2, column=col).value.split("\n")
    assert lines[0].startswith("[TOLAK] NIK harus tepat 16 digit") and lines[1].startswith("[PERIKSA] Nama '-'")
    assert ws.cell(row=2, column=col).alignment.wrap_text


def _plain_rows() -> list[list[str]]:
    return [["No", "NIK", "Nama", "Tanggal Lahir"],
            ["1", "1271175506800001", "SITI AMINAH", "15-06-1980"],
            ["2", "1271171506750002", "BUDI SANTOSO", "15-06-1975"]]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_csv_with_old_mac_line_ends_keeps_every_row(tmp_path, header_map, encoding):
    # "\r" alone ends each line: polars splits at "\n" only, and the whole file was one row.
    path = tmp_path / "mac.csv"
    path.write_bytes(("DAFTAR PENERIMA\r\r" + "\r".join(";".join(r) for r in _plain_rows()) + "\r").encode(encoding))
    listing = read_list(path, header_map)
    assert listing.header_row == 3
    assert listing.frame["nik"].to_list() == ["1271175506800001", "1271171506750002"]
    assert listing.frame["_row"].to_list() == [4, 5]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_a_list_joined_into_column_a_is_split_back(tmp_path, header_map, delimiter):
    # A CSV opened in Excel with the other list separator and saved as .xlsx: each line is one cell.
    path = tmp_path / "joined.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Daftar")
    ws.write(0, 0, "DAFTAR PENERIMA PKH")
    for i, r in enumerate(_plain_rows()):
        ws.write_string(2 + i, 0, delimiter.join(r))
    wb.close()
    outcome = validate(path, "maghrib_mengaji", today=TODAY)
    listing = outcome.listing
    assert listing.header_row == 3 and listing.fields["nik"] == 1
    assert listing.frame["nik"].to_list() == ["1271175506800001", "1271171506750002"]
    assert listing.frame["nama"].to_list() == ["SITI AMINAH", "BUDI SANTOSO"]
    assert "NIK_FORMAT" not in outcome.findings["code"].to_list()
    assert [w["code"] for w in listing.warnings if w["code"] == "columns_joined"] == ["columns_joined"]


def test_a_header_cell_with_separators_but_no_nik_is_not_split(tmp_path, header_map):
    path = tmp_path / "notes.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write(0, 0, "Catatan: isi, periksa, kirim")
    ws.write_row(1, 0, ["NIK", "Nama"])
    ws.write_row(2, 0, ["1271175506800001", "SITI AMINAH"])
    wb.close()
    listing = read_list(path, header_map)
    assert listing.header_row == 2 and not any(w["code"] == "columns_joined" for w in listing.warnings)


def test_files_are_read_by_their_content_not_their_name(tmp_path, header_map):
    rows = _plain_rows()
    real = tmp_path / "real.xlsx"
    wb = xlsxwriter.Workbook(str(real))
    ws = wb.add_worksheet()
    for i, r in enumerate(rows):
        ws.write_row(i, 0, r)
    wb.close()
    as_xls = tmp_path / "renamed.xls"
    as_xls.write_bytes(real.read_bytes())
    csv_as_xls = tmp_path / "export.xls"
    csv_as_xls.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    for path in (as_xls, csv_as_xls):
        assert read_list(path, header_map).frame["nik"].to_list() == ["1271175506800001", "1271171506750002"]
    html = tmp_path / "web.xls"
    html.write_text("<html><body><table><tr><td>NIK</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(UserError, match="halaman web"):
        read_list(html, header_map)
    pdf = tmp_path / "scan.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(UserError, match="bukan buku kerja Excel"):
        read_list(pdf, header_map)


def test_a_stray_space_far_below_or_right_of_the_list_is_not_a_row_or_a_column(tmp_path, header_map):
    from tests.hostile_corpus import far_cell

    table = [r for r in _plain_rows()]
    for name, row, col in (("below.xlsx", 200_000, 0), ("right.xlsx", 0, 5000)):
        listing = read_list(far_cell(tmp_path / name, table, row, col), header_map)
        assert listing.frame["nik"].to_list() == ["1271175506800001", "1271171506750002"]
        assert listing.skipped == [] and len(listing.headers) == 4, name


def test_spaces_far_beyond_a_wide_list_are_dropped_before_reading(tmp_path, header_map, monkeypatch):
    from tests.hostile_corpus import far_cell

    monkeypatch.setenv("BANSOS_MAX_SHEET_CELLS", "100000")
    wide = [r + [f"X{k}" for k in range(30)] for r in _plain_rows() * 400]  # 1,200 rows x 34 columns
    for name, row, col in (("below.xlsx", 1_048_575, 0), ("right.xlsx", 0, 16383)):
        listing = read_list(far_cell(tmp_path / name, wide, row, col), header_map)
        assert listing.frame.height == 800 and len(listing.headers) == 34, name
    tmp = list(Path(tempfile.gettempdir()).glob("bansos-sheet-*"))
    assert tmp == []  # the trimmed copy is gone


def test_a_sheet_reaching_too_far_is_refused_naming_the_cell(tmp_path, header_map, monkeypatch):
    from tests.hostile_corpus import far_cell

    monkeypatch.setenv("BANSOS_MAX_SHEET_CELLS", "100000")
    path = far_cell(tmp_path / "far.xlsx", _plain_rows() * 3000, 9, 100, "x")  # 9,000 rows x 101 columns
    with pytest.raises(UserError, match="CW10") as err:
        read_list(path, header_map)
    assert err.value.code == "sheet_too_big" and "Ctrl+End" in str(err.value)


def test_page_furniture_rows_are_set_aside(tmp_path, header_map):
    header = ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "NOMINAL"]
    people = [["1", "1271175506800001", "SITI AMINAH", "15-06-1980", "600000"],
              ["2", "1271171506750002", "BUDI SANTOSO", "15-06-1975", "600000"]]
    rows = [header, ["A", "B", "C", "D", "E"], people[0], ["-", "-", "-", "-", "-"], people[1],
            ["=" * 10] * 5, ["", "2", "", "", "1200000"], ["", "", "2 KPM", "", "Rp 1.200.000"],
            [], ["REKAPITULASI PENDAMPING"], ["NO", "NIK", "NAMA", "JUMLAH KPM"]]
    path = tmp_path / "furniture.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            ws.write_string(i, j, v)  # "=====" as text, not a formula
    wb.close()
    listing = read_list(path, header_map)
    assert listing.frame["_row"].to_list() == [3, 5]
    assert [(s["row"], s["why"]) for s in listing.skipped] == [
        (2, "column_numbers"), (4, "blank"), (6, "blank"), (7, "total"), (8, "total"), (9, "blank"),
        (10, "signature"), (11, "other_table")]  # (a "PENDAMPING" line after the list opens a signature)
    assert listing.warnings == []  # a second table's header with no rows under it left nothing unchecked


def _second_table(tmp_path, below: list[list[str]]) -> Path:
    header = ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "NAMA BANK", "NO REKENING"]
    people = [[str(k), f"12711755068000{k:02d}", f"WARGA {k}", "15-06-1980", "BRI", f"1234567890123{k:02d}"]
              for k in range(1, 6)]
    path = tmp_path / "two_tables.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for i, r in enumerate([["DAFTAR PENERIMA PKH"], [], header, *people, [], *below]):
        ws.write_row(i, 0, r)
    wb.close()
    return path


def test_a_second_table_under_the_list_is_set_aside_with_a_warning(tmp_path, header_map):
    pendamping = [["REKAPITULASI PENDAMPING"], ["NO", "NIK", "NAMA PENDAMPING", "WILAYAH", "JUMLAH KPM"],
                  ["1", "1271170101850001", "ANDI", "KEL. BABURA", "3"],
                  ["2", "1271170202860002", "RINA", "KEL. DARAT", "2"]]
    listing = read_list(_second_table(tmp_path, pendamping), header_map)
    assert listing.frame["_row"].to_list() == [4, 5, 6, 7, 8]
    assert [(s["row"], s["why"]) for s in listing.skipped if s["row"] > 8] == [
        (9, "blank"), (10, "title"), (11, "other_table"), (12, "other_table"), (13, "other_table")]
    [warn] = listing.warnings
    assert warn["code"] == "other_table" and "(baris 11); 2 barisnya (baris 12–13) tidak diperiksa" in warn["message"]
    # A substitutes' list with the recipients' own columns but fewer of them is another table too.
    pengganti = [["DAFTAR PENGGANTI"], ["NO", "NIK", "NAMA", "ALASAN PENGGANTIAN"],
                 ["1", "1271170101850001", "ANDI", "MENINGGAL"]]
    listing = read_list(_second_table(tmp_path, pengganti), header_map)
    assert listing.frame.height == 5 and [s["why"] for s in listing.skipped][-2:] == ["other_table"] * 2


def test_the_list_header_under_a_title_of_people_not_paid_opens_a_second_table(tmp_path, header_map):
    header = ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "NAMA BANK", "NO REKENING"]
    other = ["1", "1271170101850001", "ANDI", "01-01-1985", "BRI", "123456789012399"]
    for above in ([["DAFTAR PENGGANTI (CADANGAN)"]], [["daftar kpm yang dihapus"], [], ["TAHAP I 2026"], []],
                  [["KPM GRADUASI MANDIRI"]]):
        listing = read_list(_second_table(tmp_path, [*above, header, other]), header_map)
        assert listing.frame["_row"].to_list() == [4, 5, 6, 7, 8], above
        assert [s["why"] for s in listing.skipped][-2:] == ["other_table"] * 2
        assert [w["code"] for w in listing.warnings] == ["other_table"]
        assert "1 barisnya (baris " in listing.warnings[0]["message"]


def test_blocks_signed_each_and_sections_of_people_paid_stay_in_the_list(tmp_path, header_map):
    header = ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "NAMA BANK", "NO REKENING"]
    more = ["6", "1271175506800006", "WARGA 6", "15-06-1980", "BRI", "123456789012306"]
    for above in ([["Mengetahui,"], ["Lurah Babura"], [], ["NIP. 19700101 199001 1 001"], [], ["KELURAHAN DARAT"]],
                  [["KPM PENGGANTI (AHLI WARIS KPM MENINGGAL)"]],
                  [["DAFTAR KPM PKH (TIDAK TERMASUK KPM DIHAPUS)"]],
                  [["Catatan: KPM yang tidak aktif sudah dihapus dari daftar ini"]]):
        listing = read_list(_second_table(tmp_path, [*above, header, more]), header_map)
        assert listing.frame.height == 6 and listing.warnings == [], above
    # A page header typed again with two typos is still the list's.
    typos = ["NO", "NIK", "NAMA", "TANGAL LAHIR", "NAMA BNK", "NO REKENING"]
    listing = read_list(_second_table(tmp_path, [typos, more]), header_map)
    assert listing.frame.height == 6 and listing.warnings == []


def test_the_list_header_repeated_on_a_later_page_is_no_second_table(tmp_path, header_map):
    # Page 2 repeats the header (one heading spelt another recognised way) and the list goes on.
    page2 = [["NO", "NIK", "NAMA", "TGL LAHIR", "NAMA BANK", "NO REKENING"],
             ["6", "1271175506800006", "WARGA 6", "15-06-1980", "BRI", "123456789012306"]]
    listing = read_list(_second_table(tmp_path, page2), header_map)
    assert listing.frame["_row"].to_list() == [4, 5, 6, 7, 8, 11]
    assert [s["why"] for s in listing.skipped][-1] == "repeated_header" and listing.warnings == []
    # The page's title and number typed above it, as Excel prints them, change nothing.
    listing = read_list(_second_table(tmp_path, [["DAFTAR PENERIMA PKH"], ["Halaman 2"], *page2]), header_map)
    assert listing.frame["_row"].to_list() == [4, 5, 6, 7, 8, 13] and listing.warnings == []


def test_many_list_sheets_get_one_warning_with_their_rows(tmp_path):
    path = tmp_path / "kelurahan.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for k in range(1, 13):
        ws = wb.add_worksheet(f"KEL {k:02d}")
        ws.write_row(0, 0, ["NIK", "Nama"])
        for i in range(3 if k > 1 else 5):  # the first sheet has the most rows: it is read
            ws.write_row(1 + i, 0, [f"12711755068{k:02d}{i:03d}", "SITI"])
    wb.close()
    outcome = validate(path, "maghrib_mengaji", today=TODAY)
    assert outcome.listing.sheet == "KEL 01" and outcome.rows.height == 5
    [warn] = [w for w in outcome.listing.warnings if w["code"] == "sheet_not_read"]
    assert warn["message"].startswith("Hanya sheet 'KEL 01' yang diperiksa. Sheet lain, yaitu 'KEL 02', 'KEL 03'")
    assert "'KEL 11', dan 1 sheet lainnya, juga" in warn["message"] and "(seluruhnya 33 baris data)" in warn["message"]
    assert "Other sheets, 'KEL 02'" in warn["message_en"] and ", and 1 more, also have" in warn["message_en"]


@pytest.mark.parametrize("inner", ["\n", "\r\n"])
def test_csv_with_old_mac_line_ends_and_a_line_break_inside_quotes(tmp_path, header_map, inner):
    rows = _plain_rows()
    lines = [";".join(r) for r in rows]
    lines[1] = lines[1].replace("SITI AMINAH", f'"SITI{inner}AMINAH"')
    path = tmp_path / "mac.csv"
    path.write_bytes(("\r".join(lines) + "\r").encode("utf-8"))
    listing = read_list(path, header_map)
    assert listing.frame["nik"].to_list() == ["1271175506800001", "1271171506750002"]
    assert listing.frame["_row"].to_list() == [2, 3]


def test_a_note_with_semicolons_above_a_real_header_is_not_a_joined_list(tmp_path, header_map):
    path = tmp_path / "note.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write(0, 0, "Catatan; NIK; NO KK; NAMA diisi lengkap")
    for i, r in enumerate(_plain_rows()):
        ws.write_row(1 + i, 0, r)
    wb.close()
    listing = read_list(path, header_map)
    assert listing.header_row == 2 and listing.frame.height == 2
    assert not any(w["code"] == "columns_joined" for w in listing.warnings)


@pytest.mark.parametrize("label", ["DATA REKENING", "REKENING", "NO. REKENING"])
def test_a_group_label_above_the_header_gives_its_field_to_the_unnamed_sub_column(tmp_path, label):
    path = tmp_path / "label.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["NO", "IDENTITAS PENERIMA", "", "", label, "", ""])
    ws.write_row(1, 0, ["", "NIK", "NAMA", "TGL LAHIR", "BANK", "NOMOR", "ATAS NAMA"])
    ws.write_row(2, 0, ["1", "1271175506800001", "SITI AMINAH", "15-06-1980", "BRI", "300201000123507", "SITI"])
    wb.close()
    outcome = _medan(path)
    assert outcome.listing.fields["no_rekening"] == 5
    assert outcome.listing.frame["no_rekening"].to_list() == ["300201000123507"]
    assert "REKENING_KOSONG" not in outcome.findings["code"].to_list()


@pytest.mark.parametrize("headers,expected", [
    (["NO", "NIK KK", "NO KK", "NIK", "NAMA"], {"no_kk": 2, "nik": 3, "nama": 4}),
    (["NIK KK", "NAMA KEPALA KELUARGA", "NO KK", "NIK", "NAMA"], {"no_kk": 2, "nik": 3, "nama": 4}),
    (["NAMA KRT", "NIK PENGURUS", "NAMA PENGURUS", "NIK", "NAMA"], {"nik": 3, "nama": 4}),
    (["NIK PENGURUS", "NAMA PENGURUS"], {"nik": 0, "nama": 1}),  # the only ones: they stand in
])
def test_the_usual_spelling_wins_over_a_stand_in(header_map, headers, expected):
    from validator.ingest.layout import map_header

    found = map_header(headers, header_map)
    assert {k: v for k, v in found.items() if k in expected} == expected


def _two_level(path, down: dict[int, str], labels: list[tuple[int, int, str]], sub: dict[int, str],
               rows: list[list[str]]):
    """A header of two rows: cells merged down over both, labels merged across columns (first,
    last, text) over sub-headers, and the data rows under them."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for c, text in down.items():
        ws.merge_range(0, c, 1, c, text)
    for first, last, text in labels:
        ws.merge_range(0, first, 0, last, text)
    for c, text in sub.items():
        ws.write(1, c, text)
    for r, values in enumerate(rows):
        ws.write_row(2 + r, 0, values)
    wb.close()
    return path


def test_sub_headers_are_read_with_their_labels(tmp_path):
    # NO and NO KK merged down; KELOMPOK over NAMA | JENIS USAHA; ANGGOTA over NAMA | NIK | JABATAN.
    names = ["SITI AMINAH", "BUDI SANTOSO", "ANI", "RAHMAT", "DEDI"]
    path = _two_level(tmp_path / "kube.xlsx", {0: "NO", 6: "NO KK"}, [(1, 2, "KELOMPOK"), (3, 5, "ANGGOTA")],
                      dict(enumerate(["NAMA", "JENIS USAHA", "NAMA", "NIK", "JABATAN"], start=1)),
                      [[str(r + 1), "KUBE MAWAR", "WARUNG", name, f"12711715067{r}0003",
                        "KETUA" if r == 0 else "ANGGOTA", f"127117010110{r}001"] for r, name in enumerate(names)])
    outcome = validate(path, "kube", kecamatan="127117", today=TODAY)
    fields = outcome.listing.fields
    assert (fields["nama_kelompok"], fields["nama"], fields["jabatan"]) == (1, 3, 5)
    assert outcome.listing.frame["nama"].to_list() == names
    assert "KELOMPOK_TIDAK_SESUAI" not in outcome.findings["code"].to_list()


@pytest.mark.parametrize("label_above", [False, True])
def test_a_birth_date_in_three_cells_is_one_date(tmp_path, label_above):
    path = tmp_path / "tgl.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "", "", "BANK"])
    ws.write_row(1, 0, ["", "", "", "TGL", "BLN", "THN", ""] if not label_above else
                 ["NO", "NIK", "NAMA", "TGL", "BLN", "THN", "BANK"])
    ws.write_row(2, 0, ["1", "1271175506800001", "SITI AMINAH", "15", "06", "1980", "BRI"])
    ws.write_row(3, 0, ["2", "1271171506750002", "BUDI SANTOSO", "16", "Juni", "1975", "BRI"])
    wb.close()
    outcome = _medan(path)
    assert outcome.listing.frame["tanggal_lahir"].to_list() == ["15-06-1980", "16-Juni-1975"]
    codes = outcome.findings["code"].to_list()
    assert "TGL_LAHIR_TIDAK_VALID" not in codes and codes.count("NIK_TGL_LAHIR_BEDA") == 1  # BUDI: 15 vs 16


@pytest.mark.parametrize("mine,theirs", [
    ("KPM", "IBU KANDUNG"), ("PENERIMA", "ORANG TUA/WALI"), ("PENERIMA", "AHLI WARIS"),
    ("PENERIMA MANFAAT", "PENDAMPING"), ("PENERIMA", "KEPALA KELUARGA"), ("KPM BARU", "KPM LAMA"),
])
@pytest.mark.parametrize("theirs_first", [False, True])
def test_the_nik_and_name_under_another_persons_label_are_not_the_recipients(tmp_path, mine, theirs,
                                                                              theirs_first):
    groups = [(theirs, ["9999", "IBU SITI"]), (mine, ["1271175506800001", "SITI AMINAH"])]
    groups = groups if theirs_first else groups[::-1]
    path = _two_level(tmp_path / "two.xlsx", {0: "NO"}, [(1, 2, groups[0][0]), (3, 4, groups[1][0])],
                      dict(enumerate(["NIK", "NAMA", "NIK", "NAMA"], start=1)),
                      [["1", *groups[0][1], *groups[1][1]]])
    outcome = _medan(path)
    assert outcome.listing.frame["nik"].to_list() == ["1271175506800001"], outcome.listing.fields
    assert outcome.listing.frame["nama"].to_list() == ["SITI AMINAH"]


def test_a_masjid_name_under_its_label_is_not_the_teachers(tmp_path):
    path = _two_level(tmp_path / "mm.xlsx", {0: "NO"}, [(1, 2, "PENERIMA"), (3, 4, "MASJID/MUSHOLLA")],
                      dict(enumerate(["NAMA", "NIK", "NAMA", "ALAMAT"], start=1)),
                      [["1", "SITI AMINAH", "1271175506800001", "MASJID AL IKHLAS", "JL. MERDEKA"]])
    outcome = _medan(path)
    assert outcome.listing.frame["nama"].to_list() == ["SITI AMINAH"]


def test_an_explicit_recipient_column_before_a_bare_one_is_kept(header_map):
    from validator.ingest.layout import map_header

    found = map_header(["NIK PENERIMA MANFAAT", "NAMA PENERIMA MANFAAT", "NIK", "NAMA"], header_map)
    assert (found["nik"], found["nama"]) == (0, 1)


def test_a_letterhead_above_some_columns_is_no_group_label(tmp_path, header_map):
    path = tmp_path / "kop.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write(0, 3, "DINAS SOSIAL KOTA MEDAN")
    ws.write_row(1, 0, ["NO", "NIK", "NO KK", "NAMA", "ALAMAT", "BANK", "NO REKENING"])
    ws.write_row(2, 0, ["1", "1271175506800001", "1271170101100001", "SITI AMINAH", "JL X", "BRI", "300201000123507"])
    wb.close()
    listing = read_list(path, header_map)
    assert {"nama", "no_rekening", "nama_bank"} <= set(listing.fields)


def test_a_key_and_value_line_above_the_header_is_a_title_not_a_group_label(tmp_path):
    path = tmp_path / "kec.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write(0, 0, "DAFTAR PENERIMA")
    ws.write(1, 0, "KECAMATAN : MEDAN BARU")
    ws.write(1, 4, "TAHUN : 2026")
    ws.write_row(2, 0, ["NO", "NIK", "NAMA", "ALAMAT", "BANK", "NO REKENING"])
    ws.write_row(3, 0, ["1", "1271175506800001", "SITI AMINAH", "JL X", "BRI", "300201000123507"])
    wb.close()
    outcome = _medan(path)
    assert "kecamatan" not in outcome.listing.fields
    assert "KECAMATAN_BEDA" not in outcome.findings["code"].to_list()


def test_a_title_line_naming_other_people_does_not_hide_the_nik(tmp_path):
    path = tmp_path / "judul.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.write(0, 0, "DATA KPM DAN ANAK USIA SEKOLAH")
    ws.write(0, 5, "TAHUN 2026")
    ws.write_row(1, 0, ["NO", "NIK", "NAMA", "ALAMAT", "BANK", "NO REKENING", "NOMINAL", "KET"])
    ws.write_row(2, 0, ["1", "1271175506800001", "SITI AMINAH", "JL X", "BRI", "300201000123507", "600000", ""])
    wb.close()
    outcome = _medan(path)
    assert outcome.listing.frame["nik"].to_list() == ["1271175506800001"]


def test_place_and_date_under_ttl_beside_a_group_label(tmp_path):
    path = _two_level(tmp_path / "ttl.xlsx", {0: "NO"}, [(1, 2, "ANGGOTA"), (3, 4, "TTL")],
                      dict(enumerate(["NAMA", "NIK", "TEMPAT", "TANGGAL"], start=1)),
                      [["1", "SITI AMINAH", "1271175506800001", "MEDAN", "16-06-1980"]])
    outcome = _medan(path)
    assert outcome.listing.frame["tanggal_lahir"].to_list() == ["16-06-1980"]
    assert "NIK_TGL_LAHIR_BEDA" in outcome.findings["code"].to_list()


def _hidden_workbook(path: Path, sheets: list[tuple[str, list[list[str]], bool]], hidden_cols=()) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name, rows, visible in sheets:
        ws = wb.add_worksheet(name)
        for i, r in enumerate(rows):
            ws.write_row(i, 0, r)
        for j in hidden_cols:
            ws.set_column(j, j, None, None, {"hidden": True})
        if not visible:
            ws.hide()
    wb.close()
    return path


def test_a_hidden_column_gives_way_to_a_visible_one_naming_the_same_field(tmp_path, header_map):
    rows = [["NO", "NIK", "NIK", "NAMA", "NAMA KPM"],
            ["1", "1271170000000000", "1271175506800001", "X", "SITI AMINAH"]]
    listing = read_list(_hidden_workbook(tmp_path / "h.xlsx", [("DAFTAR", rows, True)], hidden_cols=(1, 3)),
                        header_map)
    assert (listing.fields["nik"], listing.fields["nama"]) == (2, 4)
    # Shown, the first of two equal headers is read, as before.
    listing = read_list(_hidden_workbook(tmp_path / "v.xlsx", [("DAFTAR", rows, True)]), header_map)
    assert (listing.fields["nik"], listing.fields["nama"]) == (1, 3)


def test_a_hidden_sheet_is_read_only_when_no_visible_sheet_holds_a_list_and_is_named(tmp_path, header_map):
    head = ["NO", "NIK", "NAMA"]
    people = [[str(k), f"12711755068000{k:02d}", f"WARGA {k}"] for k in range(1, 4)]
    # A visible template (header only) and the list in a hidden sheet: the hidden sheet is read, and said so.
    path = _hidden_workbook(tmp_path / "t.xlsx", [("FORMAT", [head], True), ("DATA", [head, *people], False)])
    listing = read_list(path, header_map)
    assert listing.sheet == "DATA" and listing.frame.height == 3
    assert [w["code"] for w in listing.warnings] == ["sheet_hidden"]  # the empty template left nothing out
    # A list in a visible sheet is read; last period's list in a hidden one is named as not read.
    path = _hidden_workbook(tmp_path / "l.xlsx", [("TAHAP I", [head, *people[:2]], True),
                                                  ("TAHAP IV 2025", [head, *people], False)])
    listing = read_list(path, header_map)
    assert listing.sheet == "TAHAP I" and listing.frame.height == 2
    [warn] = listing.warnings
    assert warn["code"] == "sheet_not_read" and "'TAHAP IV 2025' (tersembunyi)" in warn["message"]
    assert "'TAHAP IV 2025' (hidden)" in warn["message_en"]


def test_a_signature_block_inside_the_list_is_set_aside_whole(tmp_path, header_map):
    # Each page signed: two signers side by side, the signer's name between "Lurah …" and "NIP …".
    block = [["", "Mengetahui,", "", "", "Pendamping PKH"], ["", "Lurah Merdeka"], [],
             ["", "ZULKIFLI NASUTION, S.Sos", "", "", "RINA"], ["", "NIP. 19750101 200003 1 004"]]
    header = ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "NAMA BANK", "NO REKENING"]
    more = ["6", "1271175506800006", "WARGA 6", "15-06-1980", "BRI", "123456789012306"]
    listing = read_list(_second_table(tmp_path, [*block, header, more]), header_map)
    assert listing.frame["_row"].to_list() == [4, 5, 6, 7, 8, 16]
    assert [(s["row"], s["why"]) for s in listing.skipped if s["row"] >= 10] == [
        (10, "signature"), (11, "signature"), (12, "blank"), (13, "signature"), (14, "signature"),
        (15, "repeated_header")]


def test_a_hidden_list_beats_a_visible_instructions_sheet_with_an_example_row(tmp_path, header_map):
    head = ["NO", "NIK", "NAMA"]
    people = [[str(k), f"12711755068000{k:02d}", f"WARGA {k}"] for k in range(1, 6)]
    guide = [["Isi NIK 16 digit tanpa spasi"], head, ["1", "1271175506800099", "CONTOH NAMA"]]
    path = _hidden_workbook(tmp_path / "p.xlsx", [("PETUNJUK", guide, True), ("DATA", [head, *people], False)])
    listing = read_list(path, header_map)
    assert listing.sheet == "DATA" and listing.frame.height == 5
    assert [w["code"] for w in listing.warnings] == ["sheet_not_read", "sheet_hidden"]
    # A column guide ("NIK | 16 digit") holds no recipient: a visible template without one loses too.
    dictionary = [["NO", "NIK", "KETERANGAN"], ["1", "NIK", "16 digit"], ["2", "NAMA", "sesuai KTP"]]
    path = _hidden_workbook(tmp_path / "d.xlsx", [("Sheet1", dictionary, True), ("DATA", [head, *people], False)])
    assert read_list(path, header_map).sheet == "DATA"


def test_a_list_of_substitutes_after_a_list_of_people_removed_is_read_again(tmp_path, header_map):
    header = ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "NAMA BANK", "NO REKENING"]
    removed = ["1", "1271170101850001", "ANDI", "01-01-1985", "BRI", "123456789012399"]
    substitute = ["1", "1271175506800007", "WARGA 7", "15-06-1980", "BRI", "123456789012307"]
    below = [["DAFTAR KPM DIHAPUS"], header, removed, [], ["DAFTAR KPM PENGGANTI"], header, substitute]
    listing = read_list(_second_table(tmp_path, below), header_map)
    assert listing.frame["_row"].to_list() == [4, 5, 6, 7, 8, 16]
    assert [(s["row"], s["why"]) for s in listing.skipped if s["row"] >= 10] == [
        (10, "title"), (11, "other_table"), (12, "other_table"), (13, "blank"), (14, "title"),
        (15, "repeated_header")]
    [warn] = listing.warnings
    assert "(baris 11); 1 barisnya (baris 12) tidak diperiksa" in warn["message"]


def test_odd_hidden_column_markup_is_ignored_not_an_internal_error():
    from validator.ingest.excel import _hidden_columns

    cols = (b'<cols><col min="2" max="3" hidden="1"/><col min="5" hidden="true"/><col min="1" max="abc" hidden="1"/>'
            b'<col min="' + b"9" * 5000 + b'" hidden="1"/><col min="4" max="2" hidden="1"/></cols><sheetData>')
    assert sorted(_hidden_columns(cols)) == [1, 2, 4]
    # Thousands of elements hiding every column: one pass each, not 16,384 set inserts each.
    many = b"<cols>" + b'<col min="1" max="16384" hidden="1"/>' * 20000 + b"</cols><sheetData>"
    assert len(_hidden_columns(many)) == 16384


def test_a_filled_in_template_sheet_is_the_list(tmp_path, header_map):
    head = ["NO", "NIK", "NAMA"]
    people = [[str(k), f"12711755068000{k:02d}", f"WARGA {k}"] for k in range(1, 9)]
    path = _hidden_workbook(tmp_path / "t.xlsx", [("TEMPLATE PKH 2026", [head, *people], True),
                                                  ("KPM DIHAPUS", [head, *people[:2]], True),
                                                  ("lama", [head, *people, *people], False)])
    listing = read_list(path, header_map)
    assert listing.sheet == "TEMPLATE PKH 2026" and listing.frame.height == 8


def test_kube_group_lines_typed_in_the_nik_column_are_sections(tmp_path, header_map):
    rows = [["NIK", "JABATAN", "NAMA ANGGOTA"], ["NAMA KELOMPOK : KUBE-1271170001 MAWAR"],
            ["1271175506800001", "KETUA", "SITI"], ["1271175506800002", "ANGGOTA", "RINA"]]
    listing = read_list(_hidden_workbook(tmp_path / "k.xlsx", [("KUBE", rows, True)]), header_map)
    assert listing.frame.height == 2 and [(s["row"], s["why"]) for s in listing.skipped] == [(2, "section")]
    assert listing.frame["nama_kelompok"].to_list() == ["KUBE-1271170001 MAWAR"] * 2


@pytest.mark.parametrize("system_1904", [True, False])
def test_a_birth_date_typed_as_a_number_follows_the_workbooks_date_system(tmp_path, system_1904):
    """Excel for Mac may count serials from 1904: the number 24177 in a General cell is then
    12-03-1970 (as Excel shows it once the cell gets a date format), not 11-03-1966. Date cells
    are the same date in both systems."""
    import datetime as dt

    path = tmp_path / "mac.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"date_1904": system_1904})
    ws = wb.add_worksheet("Sheet1")
    date = wb.add_format({"num_format": "dd-mm-yyyy"})
    ws.write_row(0, 0, ["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin"])
    serial = 24177 if system_1904 else 25639
    ws.write_row(1, 0, ["1271171203700001", "AHMAD SYUKRI", serial, "L"])
    ws.write_row(2, 0, ["1271171203700002", "BAHRUM LUBIS"])
    ws.write_datetime(2, 2, dt.datetime(1970, 3, 12), date)
    ws.write(2, 3, "L")
    wb.close()
    outcome = validate(path, "maghrib_mengaji", today=TODAY)
    codes = set(outcome.findings["code"])
    assert "NIK_TGL_LAHIR_BEDA" not in codes and "TGL_LAHIR_TIDAK_VALID" not in codes, codes
    assert outcome.listing.date1904 is system_1904 and outcome.summary["rows"] == 2
    # The return workbook counts as the operator's did: sent again, the same dates.
    from validator.reports import write_outputs

    back = validate(write_outputs(outcome, tmp_path / "o")["xlsx"], "maghrib_mengaji", today=TODAY)
    assert back.listing.date1904 is system_1904
    assert not {"NIK_TGL_LAHIR_BEDA", "TGL_LAHIR_TIDAK_VALID"} & set(back.findings["code"])


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
@pytest.mark.parametrize("system_1904", [True, False])
def test_the_1904_date_system_is_read_from_xls_and_ods_too(tmp_path, suffix, system_1904):
    """A workbook saved once with Excel for Mac's 1904 system keeps it when saved again as .xls
    (its DATEMODE record) or by LibreOffice as .ods (its null date): the serial 24177 typed as a
    number is then 12-03-1970 there as in the .xlsx, not four years and a day earlier."""
    from tests.hostile_corpus import ods, xls

    serial = 24177 if system_1904 else 25639
    table = [["NIK", "Nama", "Tanggal Lahir", "Jenis Kelamin"], ["1271171203700001", "AHMAD SYUKRI", serial, "L"]]
    path = tmp_path / f"mac{suffix}"
    if suffix == ".xls":
        xls(path, table, dates_1904=system_1904)
    else:
        ods(path, table, null_date="1904-01-01" if system_1904 else "1899-12-30")
    outcome = validate(path, "maghrib_mengaji", today=TODAY)
    assert outcome.listing.date1904 is system_1904
    assert not {"NIK_TGL_LAHIR_BEDA", "TGL_LAHIR_TIDAK_VALID"} & set(outcome.findings["code"])


def test_kube_group_lines_over_an_empty_group_column_name_the_groups(tmp_path, rules):
    """A template's NAMA KELOMPOK column left empty, each group under its own line: the lines
    name the groups (not 'nama kelompok kosong' on every row). With no lines, the empty column
    stays, and each row is told its group is missing."""
    head = ["NIK", "NAMA KELOMPOK", "JABATAN", "NAMA ANGGOTA"]
    rows = [head, ["NAMA KELOMPOK : KUBE MAWAR"], ["1271175506800001", "", "KETUA", "SITI"],
            ["1271175506800002", "", "ANGGOTA", "RINA"], [], ["NAMA KELOMPOK : KUBE MELATI"],
            ["1271175506800003", "", "KETUA", "ANI"]]
    header_map = rules.header_map(rules.program("kube"))
    listing = read_list(_hidden_workbook(tmp_path / "k.xlsx", [("KUBE", rows, True)]), header_map)
    assert listing.frame["nama_kelompok"].to_list() == ["KUBE MAWAR", "KUBE MAWAR", "KUBE MELATI"]
    assert "nama_kelompok" not in listing.fields and "nama_kelompok" in listing.present
    plain = [r for r in rows if not (r and r[0].startswith("NAMA KELOMPOK :"))]
    listing = read_list(_hidden_workbook(tmp_path / "p.xlsx", [("KUBE", plain, True)]), header_map)
    assert listing.frame["nama_kelompok"].str.strip_chars().replace("", None).null_count() == 3
    assert "nama_kelompok" in listing.fields


def test_csv_cells_written_as_formula_text_are_read_as_excel_shows_them(tmp_path):
    """Web systems export IDs as ="1271175506800001" so that Excel keeps them text: Excel shows
    the digits, and so are they read (not NIK_FORMAT for 'letters')."""
    path = tmp_path / "ekspor.csv"
    path.write_text('sep=;\nNIK;No KK;Nama;Tanggal Lahir;Jenis Kelamin;Bank;No Rekening;Nominal\n'
                    '="1271175506800001";="1271170101100001";="SITI ""UCOK"" AMINAH";15/06/1980;P;BRI;'
                    '="300201000123507";600.000\n', encoding="utf-8")
    outcome = validate(path, "pkh", today=TODAY)
    assert outcome.summary["accepted"] == 1, outcome.summary
    assert outcome.rows["nik"].to_list() == ["1271175506800001"]
    assert outcome.listing.frame["nama"].to_list() == ['SITI "UCOK" AMINAH']


_LAYOUT_HEADER = ["NO", "NIK", "NO. KK", "NAMA KPM", "JENIS KELAMIN", "ALAMAT", "BANK", "NO. REKENING", "NOMINAL"]
_LAYOUT_PEOPLE = [("1271170101600001", "1271171001100001", "AHMAD SYAHPUTRA", "L", "300101000000017", 600000),
                  ("1271174806630002", "1271171001100002", "NURHAYATI", "P", "300101000104746", 750000),
                  ("1271175511660003", "1271171001100003", "RATNA SARI", "P", "300101000209475", 225000)]


def _layout(tmp_path, build) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """A workbook `build(ws, person)` fills; (rows read, rows set aside) as (row, name or why)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active

    def person(r: int, n: int, p: tuple) -> None:
        for c, v in enumerate([n, p[0], p[1], p[2], p[3], "JL. SEI BATANG HARI NO. 1", "BRI", p[4], p[5]], 1):
            ws.cell(r, c, v)
    build(ws, person)
    wb.save(tmp_path / "layout.xlsx")
    out = validate(tmp_path / "layout.xlsx", "pkh", kecamatan="127117", today=TODAY)
    return ([(r, n) for r, n in out.rows.select("row", "nama").iter_rows()],
            [(s["row"], s["why"]) for s in out.listing.skipped])


def test_a_total_labelled_beside_a_count_is_a_total(tmp_path):
    """JUMLAH KEL. MERDEKA in the name column with the count in the NIK or NO column, and SUB
    JUMLAH: totals, not recipients with NIK_FORMAT."""
    def build(ws, person):
        ws.append(_LAYOUT_HEADER)
        for k, p in enumerate(_LAYOUT_PEOPLE):
            person(2 + k, k + 1, p)
        ws.cell(5, 2, 3), ws.cell(5, 4, "JUMLAH KEL. MERDEKA"), ws.cell(5, 9, 1575000)
        ws.cell(6, 1, 3), ws.cell(6, 4, "TOTAL"), ws.cell(6, 9, 1575000)
        ws.cell(7, 4, "SUB JUMLAH"), ws.cell(7, 9, 1575000)
    rows, skipped = _layout(tmp_path, build)
    assert [r for r, _ in rows] == [2, 3, 4] and skipped == [(5, "total"), (6, "total"), (7, "total")]


def test_label_value_headings_inside_the_list_are_no_recipients(tmp_path):
    """Each kelurahan's block under its own heading written 'Kecamatan | : | Medan Baru'."""
    def build(ws, person):
        for top in (1, 9):
            ws.cell(top, 1, "DAFTAR PENERIMA PKH TAHAP I TAHUN 2026")
            ws.cell(top + 1, 1, "Kecamatan"), ws.cell(top + 1, 2, ":"), ws.cell(top + 1, 3, "Medan Baru")
            ws.cell(top + 2, 1, "Kelurahan"), ws.cell(top + 2, 3, ": Merdeka")
            for c, v in enumerate(_LAYOUT_HEADER, 1):
                ws.cell(top + 4, c, v)
        person(6, 1, _LAYOUT_PEOPLE[0]), person(7, 2, _LAYOUT_PEOPLE[1]), person(14, 3, _LAYOUT_PEOPLE[2])
        ws.cell(16, 1, "KELURAHAN"), ws.cell(16, 2, ": DARAT")
    rows, skipped = _layout(tmp_path, build)
    assert [r for r, _ in rows] == [6, 7, 14]
    assert {r: w for r, w in skipped}[10] == "section" and {r: w for r, w in skipped}[16] == "section"


def test_a_nip_without_its_word_under_the_signer_is_no_nik(tmp_path):
    """'19700101 199003 1 001' under the camat's name: the signature block, not a recipient."""
    def build(ws, person):
        ws.append(_LAYOUT_HEADER)
        for k, p in enumerate(_LAYOUT_PEOPLE):
            person(2 + k, k + 1, p)
        ws.cell(5, 1, "*) KPM no. 2 pindah domisili, diganti ahli waris")
        ws.cell(7, 2, "Medan,        Januari 2026"), ws.cell(8, 2, "Camat Medan Baru")
        ws.cell(11, 2, "MUHAMMAD RIZAL, S.STP"), ws.cell(12, 2, "19700101 199003 1 001")
    rows, skipped = _layout(tmp_path, build)
    assert [r for r, _ in rows] == [2, 3, 4]
    assert dict(skipped) == {5: "notes", 6: "blank", 7: "signature", 8: "signature", 9: "blank", 10: "blank",
                             11: "signature", 12: "signature"}


def test_a_person_with_a_total_word_in_a_note_stays_data(tmp_path):
    """'JML ART 4' or 'Jumlah tanggungan 3' in the KETERANGAN of a person without a NIK: a
    recipient (NIK_KOSONG), not a total set aside unchecked."""
    path = tmp_path / "notes.csv"
    path.write_text("NO,NIK,NO KK,NAMA,NOMINAL,KETERANGAN\n"
                    "1,1271175501900001,1271170101200001,SITI AMINAH,600000,\n"
                    "2,,,RINA WATI,600000,JML ART 4\n"
                    "3,,,BUDI SANTOSO,600000,Jumlah tanggungan 3\n"
                    "4,1271175501900004,1271170101200004,AHMAD YANI,600000,\n", encoding="utf-8")
    outcome = validate(path, "bst", kecamatan="127117", today=TODAY)
    assert outcome.rows["row"].to_list() == [2, 3, 4, 5] and outcome.listing.skipped == []
    assert outcome.findings.filter(code="NIK_KOSONG").height == 2
