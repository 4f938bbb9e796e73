"""The shipped rule files (rules/*.yaml) load, and say what the spec says.

The reason-code table below restates reason-codes.md: each code's default severity and the
placeholders its finding carries. A message may use only those, so a finding can always fill it.
"""

from __future__ import annotations

import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from validator.errors import UserError
from validator.rulebook import bank_key, header_key, load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"

# code -> (severity, placeholders its message may use), in the order of reason-codes.md
ALLOWED: dict[str, tuple[str, set[str]]] = {
    "NIK_KOSONG": ("reject", set()),
    "NIK_FORMAT": ("reject", {"value", "actual"}),
    "NIK_EXCEL": ("reject", {"value"}),
    "NIK_WILAYAH": ("reject", {"value", "detail"}),
    "NIK_KECAMATAN": ("review", {"value", "detail"}),
    "NIK_TANGGAL": ("reject", {"value", "detail"}),
    "NIK_URUT": ("reject", {"value"}),
    "NIK_TGL_LAHIR_BEDA": ("review", {"expected", "actual"}),
    "NIK_JK_BEDA": ("review", {"expected", "actual"}),
    "KK_KOSONG": ("reject", set()),
    "KK_FORMAT": ("reject", {"value", "actual"}),
    "KK_EXCEL": ("reject", {"value"}),
    "KK_WILAYAH": ("reject", {"value", "detail"}),
    "KK_SAMA_NIK": ("reject", {"value"}),
    "NAMA_KOSONG": ("reject", set()),
    "NAMA_TIDAK_WAJAR": ("review", {"value"}),
    "TGL_LAHIR_TIDAK_VALID": ("reject", {"value"}),
    "JK_TIDAK_VALID": ("review", {"value"}),
    "USIA_TIDAK_MEMENUHI": ("reject", {"actual", "min_age", "max_age", "age_rule"}),
    "REKENING_KOSONG": ("reject", {"banks"}),
    "REKENING_HURUF": ("reject", {"value"}),
    "REKENING_PANJANG": ("reject", {"value", "bank", "expected", "actual"}),
    "REKENING_EXCEL": ("reject", {"value", "bank", "expected", "actual"}),
    "REKENING_POLA": ("reject", {"value"}),
    "BANK_TIDAK_DIKENAL": ("reject", {"value", "banks"}),
    "NAMA_REKENING_BEDA": ("review", {"value", "expected"}),
    "NOMINAL_TIDAK_VALID": ("reject", {"value"}),
    "NOMINAL_TIDAK_SESUAI": ("reject", {"value", "amount_rule"}),
    "KECAMATAN_BEDA": ("review", {"value", "sender"}),
    "WILAYAH_DI_LUAR_PROGRAM": ("reject", {"value", "area"}),
    "KELOMPOK_TIDAK_SESUAI": ("reject", {"value", "actual", "detail", "group_rule"}),
    "GANDA_NIK": ("reject", {"value", "rows"}),
    "GANDA_KK": ("reject", {"value", "rows"}),
    "GANDA_REKENING": ("review", {"value", "rows"}),
    "DUGAAN_GANDA": ("review", {"rows"}),
    "GANDA_ANTAR_KECAMATAN": ("reject", {"detail"}),
    "GANDA_ANTAR_PROGRAM": ("reject", {"detail"}),
    "DTKS_TIDAK_TERDAFTAR": ("reject", set()),
    "DTKS_NAMA_BEDA": ("review", {"value", "expected"}),
    "DTKS_KK_BEDA": ("review", {"value", "expected"}),
    "DTKS_MENINGGAL": ("reject", set()),
    "DTKS_DESIL": ("reject", {"actual", "expected"}),
    "DAFTAR_PENGECUALIAN": ("reject", {"detail"}),
}

FAMILIES = {"nik", "kk", "identitas", "rekening", "nominal", "wilayah", "ganda", "antar_daftar", "registri"}
FIELDS = {"nik", "no_kk", "nama", "tanggal_lahir", "jenis_kelamin", "no_rekening", "nama_bank",
          "nama_rekening", "nominal", "kecamatan", "nama_kelompok"}
TEXTS = ("title_id", "title_en", "message_id", "message_en", "action_id", "action_en")

# contracts.md section 6: every header seen in real lists must be recognised
CONTRACT_HEADERS = {
    "nik": ["NIK", "No NIK", "No. NIK", "Nomor NIK", "NIK KTP", "NIK Penerima", "Nomor Induk Kependudukan"],
    "no_kk": ["No KK", "No. KK", "Nomor KK", "NKK", "KK", "Nomor Kartu Keluarga"],
    "nama": ["Nama", "Nama Lengkap", "Nama Penerima", "Nama KPM", "Nama Sesuai KTP"],
    "tempat_lahir": ["Tempat Lahir"],
    "tanggal_lahir": ["Tanggal Lahir", "Tgl Lahir", "Tgl. Lahir"],
    "tempat_tanggal_lahir": ["Tempat/Tgl Lahir", "TTL", "Tempat, Tanggal Lahir"],
    "jenis_kelamin": ["Jenis Kelamin", "JK", "L/P", "Gender"],
    "alamat": ["Alamat", "Alamat Lengkap"],
    "desa": ["Desa", "Kelurahan", "Desa/Kelurahan", "Kel/Desa"],
    "kecamatan": ["Kecamatan"],
    "nama_bank": ["Bank", "Nama Bank", "Bank Penyalur"],
    "no_rekening": ["No Rekening", "No. Rek", "Nomor Rekening", "Norek", "Rekening"],
    "nama_rekening": ["Nama Rekening", "Nama Pemilik Rekening", "Atas Nama"],
    "nominal": ["Nominal", "Jumlah", "Jumlah Bantuan", "Besaran Bantuan", "Nilai Bantuan (Rp)"],
}


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES)


@pytest.fixture(scope="module")
def raw_catalog() -> list[dict]:
    return yaml.safe_load((RULES / "catalog.yaml").read_text(encoding="utf-8"))["codes"]


def _placeholders(text: str) -> set[str]:
    """Field names of a str.format template; rejects positional, attribute, spec and conversion."""
    names = set()
    for _literal, name, spec, conv in string.Formatter().parse(text):
        if name is None:
            continue
        assert name.isidentifier() and not spec and conv is None, f"bad placeholder {{{name}}} in {text!r}"
        names.add(name)
    return names


# ---------------------------------------------------------------- loading

def test_load_rules_succeeds(rules):
    assert set(rules.programs) == {"pkh", "bpnt", "bst", "kube", "maghrib_mengaji"}
    assert len(rules.catalog) == len(ALLOWED)
    assert len(rules.digest) == 12


# ---------------------------------------------------------------- catalog

def test_catalog_codes_unique(raw_catalog):
    codes = [e["code"] for e in raw_catalog]
    assert len(codes) == len(set(codes)), sorted({c for c in codes if codes.count(c) > 1})


def test_catalog_has_exactly_the_spec_codes_in_spec_order(raw_catalog):
    assert [e["code"] for e in raw_catalog] == list(ALLOWED)


def test_catalog_severity(rules):
    for code, entry in rules.catalog.items():
        assert entry.severity in ("reject", "review"), code
        assert entry.severity == ALLOWED[code][0], f"{code}: severity {entry.severity}"


def test_catalog_family_field_and_texts(rules):
    for code, entry in rules.catalog.items():
        assert entry.family in FAMILIES, code
        assert entry.field in FIELDS, code
        for attr in TEXTS:
            assert getattr(entry, attr).strip(), f"{code}.{attr} empty"
        for attr in ("message_id", "message_en", "action_id", "action_en"):
            assert getattr(entry, attr).rstrip().endswith("."), f"{code}.{attr} is not a sentence"


def test_messages_use_only_the_placeholders_of_their_code(rules):
    bad = []
    for code, entry in rules.catalog.items():
        allowed = ALLOWED[code][1]
        for attr in ("message_id", "message_en", "action_id", "action_en", "title_id", "title_en"):
            extra = _placeholders(getattr(entry, attr)) - allowed
            if attr.startswith("title") and _placeholders(getattr(entry, attr)):
                bad.append(f"{code}.{attr}: titles take no placeholders")
            elif extra:
                bad.append(f"{code}.{attr}: {sorted(extra)}")
    assert not bad, "\n".join(bad)


def test_message_variants_are_sentences_with_their_codes_placeholders_and_are_used(rules):
    from pathlib import Path

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path("validator/checks").glob("*.py"))
    for code, entry in rules.catalog.items():
        for name, v in entry.variants.items():
            for text in (v.message_id, v.message_en):
                assert _placeholders(text) <= ALLOWED[code][1], f"{code}/{name}: {text}"
                assert text.rstrip().endswith("."), f"{code}/{name} is not a sentence"
            assert f'"{name}"' in source, f"{code}/{name}: no check names this variant"


def test_messages_render_with_their_values(rules):
    for code, entry in rules.catalog.items():
        values = {name: f"<{name}>" for name in ALLOWED[code][1]}
        for attr in ("message_id", "message_en", "action_id", "action_en"):
            out = getattr(entry, attr).format(**values)
            assert "{" not in out and "}" not in out, f"{code}.{attr}: {out!r}"


def test_row_values_are_shown_where_the_finding_has_them(rules):
    """A message names the value at fault when the finding carries one (the operator sees it)."""
    for code, entry in rules.catalog.items():
        if "value" in ALLOWED[code][1]:
            for attr in ("message_id", "message_en"):
                assert "{value}" in getattr(entry, attr), f"{code}.{attr} does not show {{value}}"


# ---------------------------------------------------------------- banks

def test_banks(rules):
    banks = {b.name: b for b in rules.banks}
    # The spec's table, then banks named like a program bank that no program pays through.
    assert list(banks) == ["BRI", "MANDIRI", "BNI", "BTN", "BSI", "BANK SUMUT", "BANK ACEH SYARIAH",
                           "BANK MANDIRI TASPEN", "BANK RAYA", "BPR"]
    assert {n for n, b in banks.items() if not b.pays} == {"BANK MANDIRI TASPEN", "BANK RAYA", "BPR"}
    assert not any(set(rules.program_banks(p)) & {"BANK MANDIRI TASPEN", "BANK RAYA", "BPR"}
                   for p in rules.programs.values())
    assert banks["BRI"].digits == [15] and banks["BRI"].codes == ["002"]
    assert banks["MANDIRI"].digits == [13] and banks["MANDIRI"].codes == ["008"]
    assert banks["BNI"].digits == [10] and banks["BNI"].codes == ["009"]
    assert banks["BTN"].digits == [16] and banks["BTN"].codes == ["200"]
    assert banks["BSI"].digits == [10] and set(banks["BSI"].codes) == {"451", "422", "427"}
    assert banks["BANK SUMUT"].digits is None and banks["BANK SUMUT"].codes == ["117"]
    assert banks["BANK ACEH SYARIAH"].digits is None and banks["BANK ACEH SYARIAH"].codes == ["116"]


def test_bank_aliases_are_unambiguous(rules):
    seen: dict[str, str] = {}
    clashes = []
    for bank in rules.banks:
        for alias in [bank.name, *bank.aliases]:
            key = bank_key(alias)
            assert key, f"{bank.name}: alias {alias!r} is empty after bank_key"
            if key in seen and seen[key] != bank.name:
                clashes.append(f"{alias!r} ({key}) is both {seen[key]} and {bank.name}")
            seen[key] = bank.name
    assert not clashes, clashes


@pytest.mark.parametrize("written, bank", [
    ("PT. Bank Rakyat Indonesia (Persero) Tbk", "BRI"),
    ("bank bri", "BRI"),
    ("PT. Bank Mandiri (Persero) Tbk", "MANDIRI"),
    ("BNI 46", "BNI"),
    ("Bank Tabungan Negara", "BTN"),
    ("BRI Syariah", "BSI"),
    ("Bank Syariah Mandiri", "BSI"),
    ("BPD SUMUT", "BANK SUMUT"),
    ("Bank Aceh", "BANK ACEH SYARIAH"),
])
def test_bank_spellings(rules, written, bank):
    assert rules.bank_aliases[bank_key(written)] == bank


# ---------------------------------------------------------------- columns

def test_no_two_fields_share_a_header(rules):
    owner: dict[str, str] = {}
    problems = []
    for field, headers in rules.columns.fields.items():
        keys = [header_key(h) for h in headers]
        dups = {k for k in keys if keys.count(k) > 1}
        if dups:
            problems.append(f"{field}: listed twice after normalisation: {sorted(dups)}")
        for key in [header_key(field), *keys]:  # the field name is a header too
            if key in owner and owner[key] != field:
                problems.append(f"header {key} is both {owner[key]} and {field}")
            owner.setdefault(key, field)
    assert not problems, "\n".join(problems)


def test_program_headers_do_not_steal_another_fields_header(rules):
    global_map = {header_key(h): f for f, hs in rules.columns.fields.items() for h in [f, *hs]}
    for prog in rules.programs.values():
        for field, headers in prog.extra_headers.items():
            for h in headers:
                other = global_map.get(header_key(h), field)
                assert other == field, f"{prog.id}: {h!r} is already a header of {other}"


def test_contract_headers_are_recognised(rules):
    for prog in rules.programs.values():
        mapping = rules.header_map(prog)
        for field, headers in CONTRACT_HEADERS.items():
            for h in headers:
                assert mapping.get(header_key(h)) == field, f"{prog.id}: {h!r} -> {mapping.get(header_key(h))}"


# ---------------------------------------------------------------- programs

def test_program_ids_match_files(rules):
    for path in (RULES / "programs").glob("*.yaml"):
        assert rules.programs[path.stem].id == path.stem
        assert path.read_text(encoding="utf-8").startswith("#"), f"{path.name}: no source comment on top"


def test_pkh(rules):
    p = rules.program("pkh")
    assert p.name == "Program Keluarga Harapan"
    assert (p.unit, p.registry_required, p.desil_max, p.payment) == ("household", True, 4, "transfer")
    assert p.banks == ["BRI", "BNI", "MANDIRI", "BTN", "BSI"]
    assert (p.amount.min, p.amount.max, p.amount.step, p.amount.allowed) == (225000, 3000000, 25000, None)
    assert p.exclusive_with == ["bst"] and p.area == [] and p.min_age is None and p.group is None


def test_bpnt(rules):
    p = rules.program("bpnt")
    assert (p.unit, p.registry_required, p.desil_max, p.payment) == ("household", True, 4, "transfer")
    assert p.banks == ["BRI", "BNI", "MANDIRI", "BTN", "BSI"]
    assert p.amount.allowed == [200000, 400000, 600000]
    assert p.exclusive_with == ["bst"]


def test_bst(rules):
    p = rules.program("bst")
    assert (p.unit, p.registry_required, p.desil_max, p.payment) == ("household", True, 4, "optional")
    assert p.amount.allowed == [300000, 600000]
    assert set(p.exclusive_with) == {"pkh", "bpnt"}
    assert rules.enabled(p, "REKENING_KOSONG")  # switched off by payment: optional, not by override


def test_kube(rules):
    p = rules.program("kube")
    assert (p.unit, p.registry_required, p.desil_max, p.payment) == ("household", True, 4, "optional")
    assert p.banks == "any" and p.amount is None and p.exclusive_with == []
    assert p.min_age == 17
    assert (p.group.min_members, p.group.max_members, p.group.leader_title) == (5, 20, "KETUA")
    mapping = rules.header_map(p)
    assert mapping[header_key("Nama Kelompok")] == "nama_kelompok"
    assert mapping[header_key("Kelompok")] == "nama_kelompok"
    assert mapping[header_key("Jabatan dalam Kelompok")] == "jabatan"
    assert mapping[header_key("NAMA ANGGOTA")] == "nama"


def test_maghrib_mengaji(rules):
    p = rules.program("maghrib_mengaji")
    assert (p.unit, p.registry_required, p.desil_max, p.payment) == ("individual", False, None, "transfer")
    assert p.banks == ["BANK SUMUT", "BRI", "BNI", "MANDIRI", "BSI"]
    assert (p.amount.min, p.amount.max) == (100000, 2000000)
    assert p.area == ["1271"] and p.min_age == 17
    assert rules.header_map(p)[header_key("Nama Guru Mengaji")] == "nama"


def test_common_program_settings(rules):
    for p in rules.programs.values():
        assert p.version == "2026.1" and p.name_similarity == 0.85 and p.codes == {}, p.id
        if p.banks != "any":
            assert set(p.banks) <= {b.name for b in rules.banks}, p.id


def test_exclusive_partners_symmetric(rules):
    assert rules.exclusive_partners("pkh") == {"bst"}
    assert rules.exclusive_partners("bpnt") == {"bst"}
    assert rules.exclusive_partners("bst") == {"pkh", "bpnt"}
    assert rules.exclusive_partners("kube") == set()
    for a in rules.programs:
        for b in rules.exclusive_partners(a):
            assert a in rules.exclusive_partners(b), (a, b)


# ---------------------------------------------------------------- broken rule files

def test_broken_files_report_every_problem_at_once(tmp_path):
    broken = tmp_path / "rules"
    shutil.copytree(RULES, broken)
    pkh = broken / "programs" / "pkh.yaml"
    pkh.write_text(pkh.read_text(encoding="utf-8").replace("payment: transfer", "payment: cash"),
                   encoding="utf-8")
    mm = broken / "programs" / "maghrib_mengaji.yaml"
    mm.write_text(mm.read_text(encoding="utf-8").replace("BANK SUMUT", "BANK ANTAH"), encoding="utf-8")
    kube = broken / "programs" / "kube.yaml"
    kube.write_text(kube.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    catalog = broken / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("severity: review", "severity: warn", 1),
                       encoding="utf-8")

    with pytest.raises(UserError) as info:
        load_rules(broken)
    msg = info.value.message_id
    assert "programs/pkh.yaml: payment: harus salah satu dari: 'transfer' atau 'optional' (tertulis 'cash')" in msg
    assert "programs/maghrib_mengaji.yaml: bank 'BANK ANTAH' tidak ada di banks.yaml" in msg
    assert "programs/kube.yaml: colour: kunci tidak dikenal" in msg
    assert "catalog.yaml codes[4]: severity" in msg  # NIK_KECAMATAN, the first review code
    assert info.value.message_en and info.value.code == "rules_invalid"
    assert info.value.line().endswith("\nThe rule files in " + str(broken) + " have 4 problem(s); fix all of them.")


def test_a_broken_program_file_stops_only_that_program(tmp_path):
    broken = tmp_path / "rules"
    shutil.copytree(RULES, broken)
    (broken / "programs" / "lansia.yaml").write_text(
        "id: lansia\nname: Insentif Lansia\nversion: '2026.1'\nunit: individual\nregistry_required: false\n"
        "payment: transfer\nbanks: [BANK SUMUT, BCA]\nmin_age: enam puluh\narea: ['Kota Medan', '12.99']\n"
        "amount: {min: 500000, max: 300000}\nextra_headers: {nama_lansia: [Nama Lansia]}\n"
        "codes: {NAMA_TIDAK_WAJR: {enabled: false}}\n", encoding="utf-8")
    rules = load_rules(broken)
    assert rules.program("pkh").id == "pkh" and "lansia" not in rules.programs
    with pytest.raises(UserError) as info:
        rules.program("lansia")
    msg = info.value.message_id
    for said in ("bank 'BCA' tidak ada di banks.yaml", "min_age: harus bilangan bulat (tertulis 'enam puluh')",
                 "area: harus berisi kode wilayah", "'min' (500000) tidak boleh lebih besar daripada 'max' (300000)",
                 "extra_headers 'nama_lansia' bukan kolom yang dikenal", "kode 'NAMA_TIDAK_WAJR' tidak ada",
                 "area '12.99' tidak ada dalam daftar kode wilayah"):
        assert said in msg, (said, msg)
    assert "memiliki 7 masalah" in msg and str(broken) not in msg  # an operator may read it: no server path


def test_unknown_placeholder_is_rejected(tmp_path):
    broken = tmp_path / "rules"
    shutil.copytree(RULES, broken)
    catalog = broken / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("juga tercantum di baris {rows}", "juga tercantum di baris {row}"), encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_rules(broken)
    assert "unknown placeholder" in info.value.message_id and "'row'" in info.value.message_id


# ---------------------------------------------------------------- docs

def test_codes_doc_is_up_to_date(rules):
    out = subprocess.run([sys.executable, str(RULES / "render_codes.py")], capture_output=True,
                         text=True, check=True).stdout
    doc = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert doc == out, "docs/codes.md is stale: python rules/render_codes.py > docs/codes.md"
    for code in rules.catalog:
        assert f"| `{code}` |" in doc


LANSIA = ("id: lansia\nname: Insentif Lansia\nversion: '2026.1'\nunit: individual\nregistry_required: false\n"
          "payment: transfer\nbanks: [BRI]\n")


def _program_problems(tmp_path, text: str, name: str = "lansia.yaml") -> str:
    broken = tmp_path / "rules"
    shutil.copytree(RULES, broken)
    (broken / "programs" / name).write_text(text, encoding="utf-8")
    rules = load_rules(broken)
    assert rules.program("pkh").id == "pkh"
    with pytest.raises(UserError) as info:
        rules.program(name.split(".")[0])
    return info.value.message_id


@pytest.mark.parametrize("amount", ["{allowed: [600.000]}", "{allowed: ['600.000']}", "{min: 1.000, max: 3.000}"])
def test_an_amount_written_with_a_thousands_dot_is_refused_not_read_as_600(tmp_path, amount):
    """YAML reads 600.000 as 600.0; taken as 600, every row would fail NOMINAL_TIDAK_SESUAI."""
    msg = _program_problems(tmp_path, LANSIA + f"amount: {amount}\n")
    assert "harus bilangan bulat" in msg and "600000" in msg, msg


def test_a_key_written_twice_is_refused_with_its_line(tmp_path):
    msg = _program_problems(tmp_path, LANSIA + "codes: {KECAMATAN_BEDA: {severity: reject}}\n"
                                      "codes: {USIA_TIDAK_MEMENUHI: {severity: review}}\n")
    assert "programs/lansia.yaml: baris 9: kunci 'codes' tertulis dua kali" in msg, msg


def test_a_tab_in_the_indentation_is_told_in_indonesian_with_its_line(tmp_path):
    msg = _program_problems(tmp_path, LANSIA + "amount:\n\tallowed: [600000]\n")
    assert "programs/lansia.yaml: baris 9" in msg and "indentasi memakai Tab; gunakan spasi" in msg, msg
    assert "while scanning" not in msg


def test_an_extra_header_that_columns_yaml_gives_another_field_is_refused(tmp_path):
    msg = _program_problems(tmp_path, LANSIA + "extra_headers: {nominal: [NIK]}\n")
    assert "extra_headers nominal: judul 'NIK' sudah milik kolom 'nik' di columns.yaml" in msg, msg


def test_empty_yml_and_same_name_program_files_say_why(tmp_path):
    assert "berkas kosong" in _program_problems(tmp_path / "a", "")
    assert "akhiran berkas harus .yaml, bukan .yml" in _program_problems(tmp_path / "b", LANSIA, "lansia.yml")
    same = LANSIA.replace("id: lansia", "id: lansia_2").replace("Insentif Lansia", "Program Keluarga Harapan")
    msg = _program_problems(tmp_path / "c", same, "lansia_2.yaml")
    assert "nama program 'Program Keluarga Harapan' sama dengan programs/" in msg, msg


def test_a_bank_entry_with_a_problem_is_named_and_not_also_called_missing(tmp_path):
    broken = tmp_path / "rules"
    shutil.copytree(RULES, broken)
    banks = broken / "banks.yaml"
    banks.write_text(banks.read_text(encoding="utf-8") + "  - name: BANK NAGARI\n    kode: ['118']\n", encoding="utf-8")
    (broken / "programs" / "lansia.yaml").write_text(LANSIA.replace("[BRI]", "[BRI, BANK NAGARI]"), encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_rules(broken)
    msg = info.value.message_id
    assert "(BANK NAGARI): kode: kunci tidak dikenal" in msg and "tidak ada di banks.yaml" not in msg, msg


def test_a_program_with_an_upper_age_limit(tmp_path):
    """A scholarship for people up to 25: above it is USIA_TIDAK_MEMENUHI with its own message,
    the action names the whole rule; min_age above max_age is refused."""
    import datetime as dt

    from tests.conftest import make_rows, write_csv
    from validator.engine import validate

    rules_dir = tmp_path / "rules"
    shutil.copytree(RULES, rules_dir)
    (rules_dir / "programs" / "beasiswa.yaml").write_text(
        "id: beasiswa\nname: Beasiswa Mahasiswa\nversion: '2026.1'\nunit: individual\nregistry_required: false\n"
        "payment: transfer\nbanks: [BRI, BNI, MANDIRI, BTN, BSI]\nmin_age: 17\nmax_age: 25\n", encoding="utf-8")
    rules = load_rules(rules_dir)
    assert rules.program("beasiswa").max_age == 25
    headers, body = make_rows("pkh", [{"tgl": "15-06-2000", "nik": "1271171506000001"},   # 26 on 2026-11-22
                                      {"tgl": "15-06-2005", "nik": "1271171506050001"},   # 21
                                      {"tgl": "15-06-2010", "nik": "1271171506100001"}])  # 16
    outcome = validate(write_csv(tmp_path / "l.csv", headers, body), "beasiswa", today=dt.date(2026, 11, 22),
                       rules=rules)
    usia = outcome.findings.filter(code="USIA_TIDAK_MEMENUHI").sort("_idx")
    assert usia["_idx"].to_list() == [0, 2]
    assert usia["message"].to_list() == [
        "Usia penerima 26 tahun, padahal program ini untuk usia paling tinggi 25 tahun.",
        "Usia penerima 16 tahun, padahal program ini mensyaratkan usia minimal 17 tahun."]
    (rules_dir / "programs" / "beasiswa.yaml").write_text(
        "id: beasiswa\nname: Beasiswa\nversion: '1'\nunit: individual\nregistry_required: false\n"
        "payment: transfer\nbanks: [BRI]\nmin_age: 30\nmax_age: 25\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_rules(rules_dir).program("beasiswa")
    assert "'min_age' (30) tidak boleh lebih besar daripada 'max_age' (25)" in info.value.message_id
