"""Registry (DTKS/DTSEN) and exclusion-list codes: rows that fire them and near misses."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import TODAY, codes_by_row, make_rows, write_csv
from validator.engine import record_outcome, validate
from validator.store import Store

SITI = {"nik": "1271175506800001", "kk": "1271170101100001", "nama": "SITI AMINAH"}
REGISTRY_HEADER = ["nik", "no_kk", "nama", "tanggal_lahir", "jenis_kelamin", "kode_wilayah", "desil", "status"]


def registry_file(tmp_path: Path, people: list[dict]) -> Path:
    path = tmp_path / "dtks.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(REGISTRY_HEADER)
        for p in people:
            row = {"nik": SITI["nik"], "no_kk": SITI["kk"], "nama": SITI["nama"], "tanggal_lahir": "1980-06-15",
                   "jenis_kelamin": "P", "kode_wilayah": "12.71.17.1001", "desil": "2", "status": "aktif", **p}
            w.writerow([row[c] for c in REGISTRY_HEADER])
    return path


def exclusion_file(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "kecuali.csv"
    path.write_text("nik,kategori,keterangan\n" + "".join(f"{n},{k},-\n" for n, k in rows), encoding="utf-8")
    return path


def run(tmp_path, program, list_rows, people, exclusions=None):
    headers, body = make_rows(program, list_rows)
    path = write_csv(tmp_path / "l.csv", headers, body)
    return validate(path, program, kecamatan="127117", today=TODAY, registry=registry_file(tmp_path, people),
                    exclusions=exclusion_file(tmp_path, exclusions) if exclusions else None)


CASES = [
    ("not in registry", "DTKS_TIDAK_TERDAFTAR", "pkh", [{}], [{"nik": "1271171506750002"}], [0]),
    ("in registry", "DTKS_TIDAK_TERDAFTAR", "pkh", [{}], [{}], []),
    ("registry NIK written with dots and spaces", "DTKS_TIDAK_TERDAFTAR", "pkh", [{}],
     [{"nik": " 1271.1755.0680.0001"}], []),
    ("not required for maghrib", "DTKS_TIDAK_TERDAFTAR", "maghrib_mengaji", [{}], [{"nik": "1271171506750002"}], []),
    ("unreadable NIK is not looked up", "DTKS_TIDAK_TERDAFTAR", "pkh", [{"nik": "127117550680001"}], [{}], []),
    ("16-digit NIK with a bad date is looked up", "DTKS_TIDAK_TERDAFTAR", "pkh",
     [{"nik": "1271173206800001", "tgl": ""}], [{}], [0]),
    ("name differs", "DTKS_NAMA_BEDA", "pkh", [{}], [{"nama": "RATNA DEWI"}], [0]),
    ("name spelling variant", "DTKS_NAMA_BEDA", "pkh", [{"nama": "Hj. Siti Aminah"}], [{"nama": "SITI AMINAH BINTI AHMAD"}], []),
    ("old spelling", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SUKARNO", "nik": "1271171506800001", "jk": "L"}],
     [{"nik": "1271171506800001", "nama": "SOEKARNO"}], []),
    ("empty name not compared", "DTKS_NAMA_BEDA", "pkh", [{"nama": ""}], [{"nama": "RATNA DEWI"}], []),
    # BIN/BINTI: the word alone left out by the registry is the same name; two fathers, two people.
    ("father without bin", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SITI AMINAH BINTI AHMAD"}],
     [{"nama": "SITI AMINAH AHMAD"}], []),
    ("father left out", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SITI AMINAH BINTI AHMAD"}], [{"nama": "SITI AMINAH"}], []),
    ("another father", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SITI AMINAH BINTI AHMAD"}],
     [{"nama": "SITI AMINAH BINTI YUSUF"}], [0]),
    # A slip of one letter in a long word, or words written apart, is spelling; another first name
    # under the same surname (a spouse, a sister) is not, however alike the whole name looks.
    ("one letter slip", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SITI AMINAH NASUTION"}], [{"nama": "SITI AMINA NASUTION"}], []),
    ("written apart", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SITI ERNAWATI"}], [{"nama": "SITI ERNA WATI"}], []),
    ("abbreviations", "DTKS_NAMA_BEDA", "pkh", [{"nama": "ROSMAWATI BR. SIREGAR"}],
     [{"nama": "ROSMAWATI BORU SIREGAR"}], []),
    ("final y and doubled letters", "DTKS_NAMA_BEDA", "pkh", [{"nama": "HERY EDDY SUSANTO"}],
     [{"nama": "HERI EDI SUSANTO"}], []),
    ("an initial", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SITI R SIREGAR"}], [{"nama": "SITI RAHMAH SIREGAR"}], []),
    ("the father spelled otherwise", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SITI AMINAH BINTI SULAIMAN"}],
     [{"nama": "SITI AMINAH BINTI SULEMAN"}], []),
    ("another first name, same surname", "DTKS_NAMA_BEDA", "pkh", [{"nama": "SITI AMINAH NASUTION"}],
     [{"nama": "SITI AISYAH NASUTION"}], [0]),
    ("ST. for Siti", "DTKS_NAMA_BEDA", "pkh", [{"nama": "ST. AMINAH NASUTION"}], [{"nama": "SITI AMINAH NASUTION"}], []),
    ("ST. for Siti, another name", "DTKS_NAMA_BEDA", "pkh", [{"nama": "ST. AISYAH NASUTION"}],
     [{"nama": "SITI AMINAH NASUTION"}], [0]),
    # One sound, two spellings: F/P, Z/S, AI/AE, final D/T, Y/I, KH/H.
    *[(f"spelled {a} / {b}", "DTKS_NAMA_BEDA", "pkh", [{"nama": a}], [{"nama": b}], []) for a, b in (
        ("YUSUP NASUTION", "YUSUF NASUTION"), ("RAHMAD HIDAYAT", "RAHMAT HIDAYAT"), ("ZAINAL ABIDIN", "ZAENAL ABIDIN"),
        ("SOFYAN HADI", "SOFIAN HADI"), ("RIZKI AMALIA", "RISKI AMALIA"), ("KHAIRUL ANWAR", "HAIRUL ANWAR"),
        ("TAUFIQ HIDAYAT", "TAUFIK HIDAYAT"), ("TJHIN A HUI", "CHIN A HUI"),
        # ...and CH said as K stays alike to K (the KH of the key is not folded into H there).
        ("MICHAEL SIMANJUNTAK", "MIKAEL SIMANJUNTAK"), ("YOHANES CHRISTIAN", "YOHANES KRISTIAN"),
        ("RICHARD SIAGIAN", "RIKARD SIAGIAN"))],
    # Degrees after the comma ending a name are titles too, M.A is not MUHAMMAD A.
    *[(f"degree {a}", "DTKS_NAMA_BEDA", "pkh", [{"nama": a}], [{"nama": b}], []) for a, b in (
        ("DRS. H. ABDUL MANAF, M.A", "ABDUL MANAF"), ("IR. SUGIANTO, M.T", "SUGIANTO"), ("H. AHMAD, Lc", "AHMAD"),
        ("dr. RINA, Sp.A", "RINA"))],
    ("another name, alike in sound only", "DTKS_NAMA_BEDA", "pkh", [{"nama": "RIZKI AMALIA"}], [{"nama": "RAFI AMALIA"}],
     [0]),
    # Two names, not two spellings: the folds hold only where the spellings are one name.
    *[(f"two names {a} / {b}", "DTKS_NAMA_BEDA", "pkh", [{"nama": a}], [{"nama": b}], [0]) for a, b in (
        ("AHMAD SAID", "AHMAD ZAID"), ("FENI ANGGRAINI", "PENI ANGGRAINI"), ("MARIO", "MARJO"))],
    ("a clan name after a comma is no degree", "DTKS_NAMA_BEDA", "pkh", [{"nama": "ROSMA BR PANE"}],
     [{"nama": "ROSMA, BR. PANE"}], []),
    ("a spouse", "DTKS_NAMA_BEDA", "pkh", [{"nama": "DEWI SIMANJUNTAK"}], [{"nama": "DEDI SIMANJUNTAK"}], [0]),
    ("kk differs", "DTKS_KK_BEDA", "pkh", [{}], [{"no_kk": "1271170101100009"}], [0]),
    ("kk same", "DTKS_KK_BEDA", "pkh", [{}], [{}], []),
    ("malformed kk not compared", "DTKS_KK_BEDA", "pkh", [{"kk": "12711701011"}], [{"no_kk": "1271170101100009"}], []),
    ("kk with its own finding (KK_SAMA_NIK) not compared", "DTKS_KK_BEDA", "pkh", [{"kk": "1271175506800001"}],
     [{"no_kk": "1271170101100009"}], []),
    # A KK repeated on another row (GANDA_KK) is no fault of the cell: the registry still tells
    # which of the two rows holds the wrong family.
    ("kk repeated in the list still compared", "DTKS_KK_BEDA", "pkh",
     [{}, {"nik": "1271171506750002", "nama": "BUDI", "jk": "L"}],
     [{}, {"nik": "1271171506750002", "nama": "BUDI", "no_kk": "1271170101100009"}], [1]),
    ("deceased", "DTKS_MENINGGAL", "pkh", [{}], [{"status": "meninggal"}], [0]),
    ("deceased applies without membership rule", "DTKS_MENINGGAL", "maghrib_mengaji", [{}], [{"status": "Meninggal"}], [0]),
    ("alive", "DTKS_MENINGGAL", "pkh", [{}], [{"status": "aktif"}], []),
    ("desil above", "DTKS_DESIL", "pkh", [{}], [{"desil": "7"}], [0]),
    ("desil at max", "DTKS_DESIL", "pkh", [{}], [{"desil": "4"}], []),
    ("desil not ranked", "DTKS_DESIL", "pkh", [{}], [{"desil": ""}], []),
    ("desil ignored without membership rule", "DTKS_DESIL", "maghrib_mengaji", [{}], [{"desil": "9"}], []),
]


@pytest.mark.parametrize("code,program,rows,people,fires", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_registry_code(tmp_path, code, program, rows, people, fires):
    outcome = run(tmp_path, program, rows, people)
    got = [i for i, c in enumerate(codes_by_row(outcome)) if code in c]
    assert got == fires, codes_by_row(outcome)
    assert "registry" not in {c["check"] for c in outcome.checks_skipped}


def test_exclusion_list_names_the_category(tmp_path):
    outcome = run(tmp_path, "pkh", [{}], [{}], exclusions=[(SITI["nik"], "ASN"), (SITI["nik"], "PERANGKAT_DESA")])
    f = outcome.findings.filter(code="DAFTAR_PENGECUALIAN")
    assert f.height == 1 and "ASN, PERANGKAT DESA" in f["message"][0]
    clean = run(tmp_path, "pkh", [{}], [{}], exclusions=[("1271171506750002", "TNI")])
    assert "DAFTAR_PENGECUALIAN" not in set(clean.findings["code"])


def test_registry_imported_into_the_store_is_used(tmp_path):
    from validator.registry import import_exclusions, import_registry

    db = tmp_path / "h.duckdb"
    with Store(db) as s:
        import_registry(registry_file(tmp_path, [{"status": "meninggal"}]), s)
        import_exclusions(exclusion_file(tmp_path, [(SITI["nik"], "ASN")]), s)
    headers, body = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "l.csv", headers, body)
    with Store(db) as s:
        outcome = validate(path, "pkh", kecamatan="127117", period="2026-T1", store=s, today=TODAY)
        record_outcome(s, outcome)
    assert {"DTKS_MENINGGAL", "DAFTAR_PENGECUALIAN"} <= set(outcome.findings["code"])
    assert not {"registry", "exclusions", "history"} & {c["check"] for c in outcome.checks_skipped}


def test_a_repeated_nik_counts_its_death_and_its_highest_desil(tmp_path):
    died = run(tmp_path, "pkh", [{}], [{"status": "aktif"}, {"status": "meninggal"}, {"status": "aktif"}])
    assert codes_by_row(died) == [{"DTKS_MENINGGAL"}]
    poorer_and_richer = run(tmp_path, "pkh", [{}], [{"desil": "2"}, {"desil": "7"}])
    assert codes_by_row(poorer_and_richer) == [{"DTKS_DESIL"}]
    [desil] = poorer_and_richer.findings.iter_rows(named=True)
    assert (desil["value"], desil["actual"], desil["expected"]) == (SITI["nik"], "7", "4")


@pytest.mark.parametrize("desil", ["5", "05", "5.0", "5,0", "Desil 5", "DESIL 5", " desil5 ", "Desil-5", "D5",
                                   "5 (50%)"])
def test_a_desil_written_as_words_or_with_a_decimal_is_read(tmp_path, desil):
    assert codes_by_row(run(tmp_path, "pkh", [{}], [{"desil": desil}])) == [{"DTKS_DESIL"}]


def test_a_repeated_nik_gives_the_same_verdict_in_any_order(tmp_path):
    other_kk = {"no_kk": "1271170101100009"}
    for people in ([{}, other_kk], [other_kk, {}]):  # the record with the list's KK is the one compared
        assert codes_by_row(run(tmp_path, "pkh", [{}], people)) == [set()]
    for people in ([{"nama": "RATNA DEWI"}, {"nama": "BAMBANG"}], [{"nama": "BAMBANG"}, {"nama": "RATNA DEWI"}]):
        [finding] = run(tmp_path, "pkh", [{}], people).findings.filter(code="DTKS_NAMA_BEDA").iter_rows(named=True)
        assert finding["expected"] == "BAMBANG"  # by name, whatever the file's order
    for people in ([{"nama": "BAMBANG"}, {}], [{}, {"nama": "BAMBANG"}]):  # one record has the list's name
        assert codes_by_row(run(tmp_path, "pkh", [{}], people)) == [set()]


@pytest.mark.parametrize(("column", "code", "person"), [
    ("desil", "DTKS_DESIL", {"desil": "7"}), ("status", "DTKS_MENINGGAL", {"status": "meninggal"}),
    ("nama", "DTKS_NAMA_BEDA", {"nama": "RATNA DEWI"}), ("no_kk", "DTKS_KK_BEDA", {"no_kk": "1271170101100009"})])
@pytest.mark.parametrize("via_store", [False, True], ids=["--registry", "imported"])
def test_an_extract_without_a_column_says_which_check_did_not_run(tmp_path, column, code, person, via_store):
    from validator.registry import import_registry

    full = registry_file(tmp_path, [person])
    lines = [line.split(",") for line in full.read_text(encoding="utf-8").splitlines()]
    drop = REGISTRY_HEADER.index(column)
    full.write_text("".join(",".join(c for i, c in enumerate(line) if i != drop) + "\n" for line in lines),
                    encoding="utf-8")
    headers, body = make_rows("pkh", [{}])
    path = write_csv(tmp_path / "l.csv", headers, body)
    if via_store:
        with Store(tmp_path / "h.duckdb") as s:
            import_registry(full, s)
            outcome = validate(path, "pkh", kecamatan="127117", period="2026-03", today=TODAY, store=s)
    else:
        outcome = validate(path, "pkh", kecamatan="127117", today=TODAY, registry=full)
    assert code not in set(outcome.findings["code"])
    [note] = [s for s in outcome.checks_skipped if s["check"] == code]
    assert column in note["reason"] and "dtks.csv" in note["reason"]
    assert not [s for s in outcome.checks_skipped if s["check"] == "registry"]


@pytest.mark.parametrize("via_store", [False, True], ids=["--registry", "imported"])
def test_a_desil_column_mostly_unreadable_is_reported_not_passed(tmp_path, via_store):
    """A desil column the registry holds but that cannot be read ('kelas-7') would let everyone
    through as 'not yet ranked': the result warns; rows whose desil can be read are still judged."""
    from validator.registry import import_registry

    people = [{"desil": "kelas-7"}] + [{"nik": f"12711715067500{i:02d}", "desil": f"kelas-{i % 9 + 1}"}
                                       for i in range(2, 12)] + [{"nik": "1271171506750099", "desil": "9"}]
    full = registry_file(tmp_path, people)
    path = write_csv(tmp_path / "l.csv", *make_rows("pkh", [{}, {"nik": "1271171506750099", "jk": "L",
                                                                  "kk": "1271170101100099", "tgl": "15-06-1975",
                                                                  "rek": "300201000987699"}]))
    if via_store:
        with Store(tmp_path / "h.duckdb") as s:
            report = import_registry(full, s)
            outcome = validate(path, "pkh", kecamatan="127117", period="2026-03", today=TODAY, store=s)
        assert report.unreadable_columns == ["desil"]
        assert "kolom_tidak_terbaca" in [w["code"] for w in report.warnings]
    else:
        outcome = validate(path, "pkh", kecamatan="127117", today=TODAY, registry=full)
    assert "registry_desil_unreadable" in [w["code"] for w in outcome.listing.warnings]
    assert "DTKS_DESIL" not in {s["check"] for s in outcome.checks_skipped}
    assert ["DTKS_DESIL" in c for c in codes_by_row(outcome)] == [False, True]  # desil 9 is still read
    # A few unreadable cells among readable ones are the rows' own problem, not the column's.
    readable = registry_file(tmp_path, [{"desil": "7"}] + [{"nik": f"12711715067500{i:02d}", "desil": "3"}
                                                           for i in range(2, 12)] + [{"nik": "1271171506750099",
                                                                                       "desil": "kelas-7"}])
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY, registry=readable)
    assert "DTKS_DESIL" in set(outcome.findings["code"])
    assert "registry_desil_unreadable" not in [w["code"] for w in outcome.listing.warnings]
    # Dashes are 'not yet ranked', as an empty cell: no warning either.
    dashes = registry_file(tmp_path, [{"desil": "9"}] + [{"nik": f"12711715067500{i:02d}", "desil": "-"}
                                                         for i in range(2, 12)])
    outcome = validate(path, "pkh", kecamatan="127117", today=TODAY, registry=dashes)
    assert "registry_desil_unreadable" not in [w["code"] for w in outcome.listing.warnings]
    assert ["DTKS_DESIL" in c for c in codes_by_row(outcome)] == [True, False]


def test_a_check_the_program_never_runs_is_not_reported_as_skipped(tmp_path):
    full = registry_file(tmp_path, [{}])
    lines = [line.split(",") for line in full.read_text(encoding="utf-8").splitlines()]
    drop = REGISTRY_HEADER.index("desil")
    full.write_text("".join(",".join(c for i, c in enumerate(line) if i != drop) + "\n" for line in lines),
                    encoding="utf-8")
    headers, body = make_rows("maghrib_mengaji", [{}])
    outcome = validate(write_csv(tmp_path / "l.csv", headers, body), "maghrib_mengaji", today=TODAY, registry=full)
    assert "DTKS_DESIL" not in {s["check"] for s in outcome.checks_skipped}


def test_float_nik_columns_of_a_parquet_extract_match(tmp_path):
    import polars as pl

    reg = tmp_path / "dtks.parquet"
    pl.DataFrame({"nik": [float(SITI["nik"]), None], "no_kk": [float(SITI["kk"]), None],
                  "nama": [SITI["nama"], "X"], "status": ["aktif", "aktif"]}).write_parquet(reg)
    headers, body = make_rows("pkh", [{}])
    outcome = validate(write_csv(tmp_path / "l.csv", headers, body), "pkh", kecamatan="127117", today=TODAY,
                       registry=reg)
    assert codes_by_row(outcome) == [set()]


@pytest.mark.parametrize("which", ["registry", "exclusions"])
def test_an_extract_that_breaks_past_its_first_lines_is_the_users_to_fix(tmp_path, which):
    from validator.errors import UserError

    path = tmp_path / "big.csv"
    good = "nik,kategori,keterangan\n" if which == "exclusions" else ",".join(REGISTRY_HEADER) + "\n"
    filler = ("{},ASN,-\n" if which == "exclusions" else "{},1271170101100001,NAMA,1980-06-15,P,1271171001,2,aktif\n")
    body = "".join(filler.format(f"1271175506{i:06d}") for i in range(40_000))
    path.write_text(good + body + "1271175506800001,A,B,C,D,E,F,G,H,I,J\n", encoding="utf-8")
    headers, rows = make_rows("pkh", [{}])
    kwargs = {which: path}
    with pytest.raises(UserError) as err:
        validate(write_csv(tmp_path / "l.csv", headers, rows), "pkh", kecamatan="127117", today=TODAY, **kwargs)
    assert err.value.code == "registry_unreadable" and "big.csv" in str(err.value)


@pytest.mark.parametrize("people,code", [
    ([], "empty_extract"),
    ([{"nik": "1.27117E+15"}, {"nik": "1.27117E+15"}, {"nik": "1.27117E+15"}], "registry_nik_damaged"),
])
def test_an_extract_that_can_match_no_one_is_refused(tmp_path, people, code):
    from validator.errors import UserError

    with pytest.raises(UserError) as err:
        run(tmp_path, "pkh", [{}, {"nik": "1271171506750002", "kk": "1271170101100002", "jk": "L",
                                   "tgl": "15-06-1975", "nama": "BUDI"}], people)
    assert err.value.code == code


def test_one_intact_nik_does_not_let_a_damaged_extract_through(tmp_path):
    """Most of the list not found, and most of the extract's NIKs damaged: the one row typed by
    hand that matches does not make the rest 'not registered'."""
    from validator.errors import UserError

    others = [{"nik": f"12711715067500{k:02d}", "kk": f"12711701011000{k:02d}", "jk": "L", "tgl": "15-06-1975",
               "nama": f"ORANG {k}"} for k in (2, 3)]
    with pytest.raises(UserError) as err:
        run(tmp_path, "pkh", [{}, *others], [{}, {"nik": "1.27117E+15"}, {"nik": "1.27117E+15"}, {"nik": "1.27117E+15"}])
    assert err.value.code == "registry_nik_damaged"


def test_an_extract_of_other_people_still_validates(tmp_path):
    outcome = run(tmp_path, "pkh", [{}], [{"nik": "1271171506750002"}])
    assert codes_by_row(outcome) == [{"DTKS_TIDAK_TERDAFTAR"}]


@pytest.mark.parametrize("status", ["meninggal", "Meninggal Dunia", "SUDAH MENINGGAL", "Tidak Aktif (Meninggal)",
                                    "wafat", "Almarhum", "ALM.", "mati", "MENINGGAL_DUNIA"])
def test_deceased_statuses(tmp_path, status):
    assert codes_by_row(run(tmp_path, "pkh", [{}], [{"status": status}])) == [{"DTKS_MENINGGAL"}]


@pytest.mark.parametrize("status", ["aktif", "pindah", "Tidak Aktif", "matikan",
                                    # a death said of a relative, or negated, is not the person's
                                    "Aktif (suami meninggal)", "AKTIF - ISTRI SUDAH WAFAT", "aktif, suaminya meninggal",
                                    "Hidup, orang tua meninggal", "tidak meninggal", "Belum meninggal",
                                    "Aktif (Suami: Meninggal)", "aktif - suami-meninggal", "aktif; istri yg meninggal",
                                    "aktif - suami sdh meninggal"])
def test_statuses_that_are_not_death(tmp_path, status):
    assert "DTKS_MENINGGAL" not in codes_by_row(run(tmp_path, "pkh", [{}], [{"status": status}]))[0]


@pytest.mark.parametrize("status", ["Kepala keluarga meninggal", "Ahli waris (penerima meninggal)",
                                    "Aktif (suami meninggal), meninggal 2025", "Tidak (Meninggal)",
                                    "TIDAK - MENINGGAL DUNIA", "Tidak aktif - meninggal",
                                    # a role and a status of the record's own person
                                    "Istri - Meninggal Dunia", "ibu (meninggal)", "anak: meninggal"])
def test_a_death_beside_a_relatives_word_is_still_the_persons(tmp_path, status):
    assert codes_by_row(run(tmp_path, "pkh", [{}], [{"status": status}])) == [{"DTKS_MENINGGAL"}]


def test_a_repeated_nik_whose_record_names_a_relatives_death_is_not_picked_as_the_death(tmp_path):
    """Of two records, the widow's "aktif (suami meninggal)" is no death: the higher desil counts."""
    outcome = run(tmp_path, "pkh", [{}], [{"status": "aktif (suami meninggal)", "desil": "2"},
                                          {"status": "aktif", "desil": "7"}])
    assert codes_by_row(outcome) == [{"DTKS_DESIL"}]


def test_an_exclusion_without_a_category_says_no_empty_category(tmp_path):
    outcome = run(tmp_path, "pkh", [{}], [{}], exclusions=[(SITI["nik"], "")])
    [message] = outcome.findings.filter(code="DAFTAR_PENGECUALIAN")["message"].to_list()
    assert message == "NIK ini ada di daftar pengecualian Dinas Sosial."


def test_a_partly_damaged_registry_is_named_beside_the_rows_it_may_have_failed(tmp_path):
    """A few per cent of the extract's NIKs damaged by Excel: the rows not found are still told
    DTKS_TIDAK_TERDAFTAR, and the result warns that the registry, not the person, may be why."""
    others = [{"nik": f"12711715067500{k:02d}", "kk": f"12711701011000{k:02d}", "jk": "L", "tgl": "15-06-1975",
               "nama": f"ORANG {k}"} for k in (2, 3)]
    people = [{}] + [{"nik": f"12711715067501{k:02d}"} for k in range(40)] + [{"nik": "1,27117E+15"}] * 3
    outcome = run(tmp_path, "pkh", [{}, *others[:1]], people)
    assert "DTKS_TIDAK_TERDAFTAR" in set(outcome.findings["code"])
    warned = [w for w in outcome.listing.warnings if w["code"] == "registry_partly_damaged"]
    assert len(warned) == 1 and "6,8% NIK di ekstrak DTKS/DTSEN" in warned[0]["message"]
    clean = run(tmp_path, "pkh", [{}, *others[:1]], people[:-3])
    assert not [w for w in clean.listing.warnings if w["code"] == "registry_partly_damaged"]


def test_a_partly_damaged_imported_registry_is_named_too(tmp_path):
    from validator.registry import import_registry
    from validator.store import Store

    people = [{}] + [{"nik": f"12711715067501{k:02d}"} for k in range(40)] + [{"nik": "1,27117E+15"}] * 3
    headers, body = make_rows("pkh", [{}, {"nik": "1271171506750002", "kk": "1271170101100002", "jk": "L",
                                           "tgl": "15-06-1975", "nama": "BUDI"}])
    path = write_csv(tmp_path / "l.csv", headers, body)
    with Store(tmp_path / "s.duckdb") as store:
        import_registry(registry_file(tmp_path, people), store)
        outcome = validate(path, "pkh", kecamatan="127117", period="2026-T1", today=TODAY, store=store)
    assert [w["code"] for w in outcome.listing.warnings if w["code"] == "registry_partly_damaged"]


def test_the_registry_record_of_another_kecamatans_resident_is_quoted_masked(tmp_path):
    """An operator cannot read the registry's name and KK of people their kecamatan does not
    serve by listing their NIKs: quoted whole for a resident (by the registry's region, else the
    NIK's), masked for anyone else; the finding itself is the same."""
    other = {"nik": "1271021506750002", "nama": "BUDI", "jk": "L"}
    people = [{"nama": "RATNA DEWI", "no_kk": "1271170101100009"},
              {"nik": other["nik"], "nama": "SUGIANTO SUSANTO", "no_kk": "1271020101100007",
               "kode_wilayah": "12.71.02.1001"}]
    outcome = run(tmp_path, "pkh", [{}, other], people)
    msgs = {(r["_idx"], r["code"]): r["message"] for r in outcome.findings.iter_rows(named=True)}
    assert "'RATNA DEWI'" in msgs[(0, "DTKS_NAMA_BEDA")] and "1271170101100009" in msgs[(0, "DTKS_KK_BEDA")]
    assert "SUGIANTO" not in msgs[(1, "DTKS_NAMA_BEDA")] and "'S*** S***'" in msgs[(1, "DTKS_NAMA_BEDA")]
    assert "1271020101100007" not in msgs[(1, "DTKS_KK_BEDA")] and "127102******0007" in msgs[(1, "DTKS_KK_BEDA")]
    # No region in the extract: the NIK's says where the person lives.
    people[1] = people[1] | {"kode_wilayah": ""}
    again = run(tmp_path, "pkh", [{}, other], people)
    assert "SUGIANTO" not in " ".join(again.findings.filter(_idx=1)["message"])


def test_another_kecamatans_resident_cannot_be_guessed_row_by_row(tmp_path):
    """One NIK of another kecamatan on many rows, each with another KK guess: the row without
    DTKS_KK_BEDA would name the registry's KK. Such a NIK is compared on its first row only; a
    resident's repeated NIK is compared on every row."""
    other = {"nik": "1271021506750002", "nama": "BUDI", "jk": "L"}
    guesses = [other | {"kk": f"12710201011000{k:02d}"} for k in range(1, 9)]  # the 7th is right
    people = [{}, {"nik": other["nik"], "nama": "BUDI", "no_kk": "1271020101100007",
                   "kode_wilayah": "12.71.02.1001"}]
    outcome = run(tmp_path, "pkh", [{}, *guesses], people)
    kk = outcome.findings.filter(code="DTKS_KK_BEDA")["_idx"].to_list()
    assert kk == [1]  # the first guess only; rows 2-8 are GANDA_NIK and not compared
    own = [{"kk": f"12711701011000{k:02d}"} for k in (1, 2, 9)]  # SITI's KK is ...09 in the registry
    mine = run(tmp_path, "pkh", own, [{"no_kk": "1271170101100009"}])
    assert sorted(mine.findings.filter(code="DTKS_KK_BEDA")["_idx"].to_list()) == [0, 1]


@pytest.mark.parametrize("via_store", [False, True], ids=["--registry", "imported"])
@pytest.mark.parametrize("form", ["mixed line ends", "utf-16 tabs"])
def test_an_extract_with_mixed_line_ends_or_in_utf16_is_read(tmp_path, form, via_store):
    """CRLF with rows added in an editor that writes LF, and Excel's 'Unicode Text' (UTF-16 with
    tabs): both are read, as lists are."""
    from validator.registry import import_registry

    people = [{"desil": "7"}] + [{"nik": f"12711715067500{i:02d}"} for i in range(2, 12)]
    lines = registry_file(tmp_path, people).read_text(encoding="utf-8").splitlines()
    full = tmp_path / "dtks.csv"
    if form == "mixed line ends":
        full.write_bytes(("\r\n".join(lines[:-4]) + "\r\n" + "\n".join(lines[-4:]) + "\n").encode())
    else:
        full = tmp_path / "dtks.txt"
        full.write_bytes(("\r\n".join(line.replace(",", "\t") for line in lines) + "\r\n").encode("utf-16"))
    path = write_csv(tmp_path / "l.csv", *make_rows("pkh", [{}]))
    if via_store:
        with Store(tmp_path / "h.duckdb") as s:
            assert import_registry(full, s).rows == len(people)
            outcome = validate(path, "pkh", kecamatan="127117", period="2026-03", today=TODAY, store=s)
    else:
        outcome = validate(path, "pkh", kecamatan="127117", today=TODAY, registry=full)
    assert codes_by_row(outcome) == [{"DTKS_DESIL"}]


def test_registry_and_exclusion_files_together_with_someone_not_registered(tmp_path):
    """The registry's sample query read to its end: a half-read answer kept DuckDB busy and the
    exclusion file given beside it failed as an internal error whenever a row was not registered."""
    other = {"nik": "1271171506750002", "kk": "1271170101100002", "jk": "L", "tgl": "15-06-1975", "nama": "BUDI",
             "rek": "300201000987654"}
    outcome = run(tmp_path, "pkh", [{}, other], [{}], exclusions=[(SITI["nik"], "ASN")])
    assert codes_by_row(outcome) == [{"DAFTAR_PENGECUALIAN"}, {"DTKS_TIDAK_TERDAFTAR"}]


@pytest.mark.parametrize("which", ["registry", "exclusions"])
def test_a_truncated_parquet_file_is_the_users_to_fetch_again(tmp_path, which):
    import polars as pl

    from validator.errors import UserError
    from validator.registry import import_exclusions, import_registry

    whole = tmp_path / "utuh.parquet"
    if which == "registry":
        pl.DataFrame({c: [SITI.get(c, "1")] * 500 for c in REGISTRY_HEADER}).write_parquet(whole)
    else:
        pl.DataFrame({"nik": [SITI["nik"]] * 500, "kategori": ["ASN"] * 500}).write_parquet(whole)
    cut = tmp_path / "terpotong.parquet"
    cut.write_bytes(whole.read_bytes()[:300])  # a download that stopped
    headers, rows = make_rows("pkh", [{}])
    with pytest.raises(UserError) as err:
        validate(write_csv(tmp_path / "l.csv", headers, rows), "pkh", kecamatan="127117", today=TODAY,
                 **{which: cut})
    assert err.value.code == "unreadable" and "rusak" in str(err.value)
    with Store(tmp_path / "r.duckdb") as db, pytest.raises(UserError) as err:
        (import_registry if which == "registry" else import_exclusions)(cut, db)
    assert err.value.code == "unreadable"


@pytest.mark.parametrize("rows,code", [
    ([("1.27117E+15", "ASN"), ("1.27117E+15", "TNI")], "exclusions_nik_damaged"),
    ([], "empty_exclusions"),
])
def test_an_exclusion_file_that_can_exclude_no_one_stops_the_run(tmp_path, rows, code):
    """As its import does: passed everyone as not excluded, the result would say the check ran."""
    from validator.errors import UserError

    path = tmp_path / "kecuali.csv"
    path.write_text("nik,kategori,keterangan\n" + "".join(f"{n},{k},-\n" for n, k in rows), encoding="utf-8")
    headers, body = make_rows("pkh", [{}])
    with pytest.raises(UserError) as err:
        validate(write_csv(tmp_path / "l.csv", headers, body), "pkh", kecamatan="127117", today=TODAY,
                 exclusions=path)
    assert err.value.code == code and "Pemeriksaan dihentikan" in str(err.value)
