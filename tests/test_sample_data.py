"""The synthetic-data generator (sample_data/generate.py) and the committed ready files.

Besides reproducibility and shape, these tests run a small independent reference checker written
from shared/spec/reason-codes.md over every generated list and compare its findings with the
`.expected.csv` sidecars, both ways: each injected error produces exactly its recorded code, and
rows without an injected error produce none. That keeps the sidecars honest for the engine tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from sample_data import generate as gen

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "sample_data" / "lists"
REGISTRY = ROOT / "sample_data" / "registry"
MESSY = LISTS / "pkh_medan_baru_berantakan.xlsx"
TODAY = dt.date(2026, 1, 1)

# --------------------------------------------------------------------------------------------
# A reference checker, independent of the generator (only the spec's rules)
# --------------------------------------------------------------------------------------------

_W = pl.read_parquet(gen.WILAYAH)
PROV = set(_W.filter(pl.col("level") == 1)["kode"])
KAB = set(_W.filter(pl.col("level") == 2)["kode"])
KEC = set(_W.filter(pl.col("level") == 3)["kode"])
MEDAN_KEC_NAMES = {n.upper() for n in _W.filter(
    (pl.col("level") == 3) & pl.col("kode").str.starts_with("1271"))["nama"]}

BANKS = {"BRI": 15, "MANDIRI": 13, "BNI": 10, "BTN": 16, "BSI": 10, "BANK SUMUT": None}
ALIASES = {"BANK BRI": "BRI", "BANK RAKYAT INDONESIA": "BRI", "BANK MANDIRI": "MANDIRI",
           "BNI 46": "BNI", "BANK BNI": "BNI", "BANK BTN": "BTN",
           "BANK SYARIAH INDONESIA": "BSI", "BPD SUMUT": "BANK SUMUT"}
PROGRAM_BANKS = {"pkh": {"BRI", "BNI", "MANDIRI", "BTN", "BSI"},
                 "bpnt": {"BRI", "BNI", "MANDIRI", "BTN", "BSI"},
                 "bst": {"BRI", "BNI", "MANDIRI", "BTN", "BSI"},
                 "kube": set(BANKS),
                 "maghrib_mengaji": {"BANK SUMUT", "BRI", "BNI", "MANDIRI", "BSI"}}
TRANSFER = {"pkh": True, "bpnt": True, "bst": False, "kube": False, "maghrib_mengaji": True}
HOUSEHOLD = {"pkh", "bpnt", "bst", "kube"}
REGISTRY_REQUIRED = {"pkh", "bpnt", "bst", "kube"}
MIN_AGE = {"kube": 17, "maghrib_mengaji": 17}
BULAN = {b.upper(): i + 1 for i, b in enumerate(gen.BULAN)}
MON = {m.upper(): i + 1 for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])}
SEX = {"L": "L", "P": "P", "LK": "L", "PR": "P", "LAKI-LAKI": "L", "PEREMPUAN": "P",
       "PRIA": "L", "WANITA": "P", "M": "L", "F": "P"}
SCI = re.compile(r"^\d(\.\d+)?E\+\d+$", re.I)
PLACEHOLDER = {"-", "TIDAK ADA", "NN", "XXX"}


def amount_ok(program: str, n: int) -> bool:
    if program == "pkh":
        return 225_000 <= n <= 3_000_000 and n % 25_000 == 0
    if program == "bpnt":
        return n in (200_000, 400_000, 600_000)
    if program == "bst":
        return n in (300_000, 600_000)
    if program == "maghrib_mengaji":
        return 100_000 <= n <= 2_000_000
    return True


def clean_id(v) -> tuple[str, bool]:
    """(normalised text, was a numeric cell)."""
    if isinstance(v, bool) or v is None:
        return "", False
    if isinstance(v, (int, float)):
        return str(int(v)), True
    s = str(v).strip()
    if s.startswith("'"):
        s = s[1:]
    return re.sub(r"[ .\-]", "", s), False


def parse_date(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip()
    for f in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(s, f).date()
        except ValueError:
            pass
    m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", s)
    if m and m.group(2).upper() in BULAN:
        try:
            return dt.date(int(m.group(3)), BULAN[m.group(2).upper()], int(m.group(1)))
        except ValueError:
            return None
    m = re.fullmatch(r"(\d{1,2})-([A-Za-z]{3})-(\d{2})", s)
    if m and m.group(2).upper() in MON:
        yy = int(m.group(3))
        year = 2000 + yy if 2000 + yy <= TODAY.year else 1900 + yy
        try:
            return dt.date(year, MON[m.group(2).upper()], int(m.group(1)))
        except ValueError:
            return None
    return None


def parse_amount(v) -> int | None:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return int(v)
    s = str(v).strip().upper().replace("RP.", "").replace("RP", "").strip()
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,00)?", s):
        return int(s.split(",")[0].replace(".", ""))
    if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        return int(s.replace(",", ""))
    return None


def nik_date(nik: str) -> tuple[dt.date | None, str | None]:
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if dd > 40 else "L"
    day = dd - 40 if dd > 40 else dd
    if not (1 <= mm <= 12 and (1 <= dd <= 31 or 41 <= dd <= 71)):
        return None, None
    for year in (2000 + yy, 1900 + yy):
        try:
            d = dt.date(year, mm, day)
        except ValueError:
            continue
        if d <= TODAY:
            return d, sex
    # 29 February: valid when 19YY or 20YY is a leap year
    for year in (1900 + yy, 2000 + yy):
        try:
            return dt.date(year, mm, day), sex
        except ValueError:
            pass
    return None, None


def norm_name(s: str) -> str:
    words = []
    for w in s.upper().replace(".", " ").split():
        if w in ("H", "HJ", "DRS", "IR"):
            continue
        if w in ("MUHAMMAD", "MOH", "M", "MUH", "MOHAMMAD"):
            w = "M"
        w = w.replace("OE", "U").replace("DJ", "J").replace("TJ", "C")
        words.append(w)
    return " ".join(words)


def check(rows: list[dict], program: str, registry: dict | None = None,
          exclusions: set[str] | None = None) -> set[tuple[int, str]]:
    """rows: dicts with _row and the fields nik, no_kk, nama, tanggal_lahir, jenis_kelamin,
    kecamatan, nama_bank, no_rekening, nominal, nama_kelompok, jabatan (raw cell values)."""
    out: set[tuple[int, str]] = set()
    info = []
    for r in rows:
        row = r["_row"]
        codes: set[str] = set()
        raw_nik = r.get("nik")
        nik, nik_num = clean_id(raw_nik)
        readable = False
        ndate = nsex = None
        if nik == "":
            codes.add("NIK_KOSONG")
        elif (nik_num and len(nik) == 16 and nik.endswith("0")) or SCI.match(str(raw_nik)):
            codes.add("NIK_EXCEL")
        elif not re.fullmatch(r"\d{16}", nik):
            codes.add("NIK_FORMAT")
        else:
            readable = True
            if nik[:2] not in PROV or nik[:4] not in KAB:
                codes.add("NIK_WILAYAH")
            elif nik[:6] not in KEC:
                codes.add("NIK_KECAMATAN")
            ndate, nsex = nik_date(nik)
            if ndate is None:
                codes.add("NIK_TANGGAL")
            if nik[12:] == "0000":
                codes.add("NIK_URUT")
        kk_ok = False
        kk = ""
        if "no_kk" in r:
            raw_kk = r["no_kk"]
            kk, kk_num = clean_id(raw_kk)
            if kk == "":
                if program in HOUSEHOLD:
                    codes.add("KK_KOSONG")
            elif (kk_num and len(kk) == 16 and kk.endswith("0")) or SCI.match(str(raw_kk)):
                codes.add("KK_EXCEL")
            elif not re.fullmatch(r"\d{16}", kk):
                codes.add("KK_FORMAT")
            else:
                if kk[:2] not in PROV or kk[:4] not in KAB:
                    codes.add("KK_WILAYAH")
                if kk == nik:
                    codes.add("KK_SAMA_NIK")
                kk_ok = not ({"KK_WILAYAH", "KK_SAMA_NIK"} & codes)
        nama = " ".join(str(r.get("nama") or "").upper().split())
        name_ok = False
        if nama == "":
            codes.add("NAMA_KOSONG")
        elif (re.search(r"\d", nama) or len(re.findall(r"[A-Z]", nama)) < 2
              or nama in PLACEHOLDER):
            codes.add("NAMA_TIDAK_WAJAR")
        else:
            name_ok = True
        tgl = None
        raw_tgl = r.get("tanggal_lahir")
        if raw_tgl not in (None, ""):
            tgl = parse_date(raw_tgl)
            if tgl is None or tgl > TODAY or tgl.year < TODAY.year - 120:
                codes.add("TGL_LAHIR_TIDAK_VALID")
                tgl = None
        jk = None
        raw_jk = r.get("jenis_kelamin")
        if raw_jk not in (None, ""):
            jk = SEX.get(str(raw_jk).strip().upper())
            if jk is None:
                codes.add("JK_TIDAK_VALID")
        if ndate is not None and tgl is not None and (
                ndate.day, ndate.month, ndate.year % 100) != (tgl.day, tgl.month, tgl.year % 100):
            codes.add("NIK_TGL_LAHIR_BEDA")
        if nsex is not None and jk is not None and nsex != jk:
            codes.add("NIK_JK_BEDA")
        if program in MIN_AGE:
            born = tgl or ndate
            if born is not None:
                age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
                if age < MIN_AGE[program]:
                    codes.add("USIA_TIDAK_MEMENUHI")
        rek_ok = False
        rek = ""
        if "no_rekening" in r:
            raw_rek = r.get("no_rekening")
            rek, rek_num = clean_id(raw_rek)
            raw_bank = str(r.get("nama_bank") or "").strip().upper()
            bank = ALIASES.get(raw_bank, raw_bank)
            if rek == "" and TRANSFER[program]:
                codes.add("REKENING_KOSONG")
            if rek or raw_bank:
                known = bank in PROGRAM_BANKS[program]
                if not known:
                    codes.add("BANK_TIDAK_DIKENAL")
                if rek:
                    if not rek.isdigit():
                        codes.add("REKENING_HURUF")
                    elif len(set(rek)) == 1 or rek in "12345678901234567890" \
                            or rek in "98765432109876543210":
                        codes.add("REKENING_POLA")
                    elif known and BANKS[bank] is not None:
                        if rek_num and (len(rek) != BANKS[bank] or len(rek) > 15):
                            codes.add("REKENING_EXCEL")
                        elif len(rek) != BANKS[bank]:
                            codes.add("REKENING_PANJANG")
                        else:
                            rek_ok = True
                    else:
                        rek_ok = True
        if "nominal" in r and r.get("nominal") not in (None, ""):
            n = parse_amount(r["nominal"])
            if n is None or n <= 0:
                codes.add("NOMINAL_TIDAK_VALID")
            elif not amount_ok(program, n):
                codes.add("NOMINAL_TIDAK_SESUAI")
        if program == "maghrib_mengaji" and r.get("kecamatan"):
            if str(r["kecamatan"]).upper() not in MEDAN_KEC_NAMES:
                codes.add("WILAYAH_DI_LUAR_PROGRAM")
        out |= {(row, c) for c in codes}
        info.append(dict(row=row, nik=nik if readable else None, kk=kk if kk_ok else None,
                         rek=rek if rek_ok else None, name=nama if name_ok else None, tgl=tgl,
                         grp=r.get("nama_kelompok"), jab=r.get("jabatan"),
                         name_code="NAMA_KOSONG" in codes or "NAMA_TIDAK_WAJAR" in codes))

    def groups(key):
        g = defaultdict(list)
        for x in info:
            k = key(x)
            if k is not None:
                g[k].append(x)
        return g

    for xs in groups(lambda x: x["nik"]).values():
        if len(xs) > 1:
            out |= {(x["row"], "GANDA_NIK") for x in xs}
    if program in HOUSEHOLD:
        for xs in groups(lambda x: x["kk"]).values():
            if len({x["nik"] for x in xs}) > 1:
                out |= {(x["row"], "GANDA_KK") for x in xs}
    for xs in groups(lambda x: x["rek"]).values():
        if len({x["nik"] for x in xs}) > 1:
            out |= {(x["row"], "GANDA_REKENING") for x in xs}
    for xs in groups(lambda x: (x["name"], x["tgl"]) if x["name"] and x["tgl"] and x["nik"]
                     else None).values():
        if len({x["nik"] for x in xs}) > 1:
            out |= {(x["row"], "DUGAAN_GANDA") for x in xs}
    if program == "kube":
        for xs in groups(lambda x: x["grp"]).values():
            ketua = sum(1 for x in xs if str(x["jab"]).upper() == "KETUA")
            if not 5 <= len(xs) <= 20 or ketua != 1:
                out |= {(x["row"], "KELOMPOK_TIDAK_SESUAI") for x in xs}
    if registry is not None:
        for x in info:
            if x["nik"] is None:
                continue
            rec = registry.get(x["nik"])
            if rec is None:
                if program in REGISTRY_REQUIRED:
                    out.add((x["row"], "DTKS_TIDAK_TERDAFTAR"))
                continue
            if rec["status"] == "meninggal":
                out.add((x["row"], "DTKS_MENINGGAL"))
            if program in REGISTRY_REQUIRED and rec["desil"] not in ("", None) \
                    and int(rec["desil"]) > 4:
                out.add((x["row"], "DTKS_DESIL"))
            if x["name"] and norm_name(x["name"]) != norm_name(rec["nama"]):
                out.add((x["row"], "DTKS_NAMA_BEDA"))
            if x["kk"] and x["kk"] != rec["no_kk"]:
                out.add((x["row"], "DTKS_KK_BEDA"))
    if exclusions:
        out |= {(x["row"], "DAFTAR_PENGECUALIAN") for x in info if x["nik"] in exclusions}
    return out


# --------------------------------------------------------------------------------------------
# Readers for the generated files
# --------------------------------------------------------------------------------------------

FIELDS = {h: f for p in gen.PROGRAMS.values() for f, h in p.headers.items()}
MESSY_FIELDS = {"NIK": "nik", "NO. KK": "no_kk", "NAMA KPM": "nama", "L/P": "jenis_kelamin",
                "KECAMATAN": "kecamatan", "BANK": "nama_bank", "NO. REKENING": "no_rekening",
                "NOMINAL (Rp)": "nominal"}


def frame_rows(df: pl.DataFrame) -> list[dict]:
    return [{"_row": i + 2, **{FIELDS[k]: v for k, v in rec.items()}}
            for i, rec in enumerate(df.to_dicts())]


def read_csv_rows(path: Path, encoding: str, delimiter: str) -> list[dict]:
    with path.open(encoding=encoding, newline="") as fh:
        rd = csv.reader(fh, delimiter=delimiter)
        head = next(rd)
        return [{"_row": i + 2, **{FIELDS[h]: v for h, v in zip(head, rec, strict=True)}}
                for i, rec in enumerate(rd)]


def read_xlsx_rows(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    it = ws.iter_rows(values_only=True)
    head = next(it)
    return [{"_row": i + 2, **{FIELDS[h]: ("" if v is None else v) for h, v in zip(head, rec,
                                                                                  strict=True)}}
            for i, rec in enumerate(it)]


def read_messy_rows(skipped: set[int]) -> list[dict]:
    ws = openpyxl.load_workbook(MESSY)["DAFTAR KPM"]
    head = [c.value for c in ws[5]]
    rows = []
    for r in range(7, ws.max_row + 1):
        if r in skipped:
            continue
        vals = [c.value for c in ws[r]]
        rec = {"_row": r}
        for h, v in zip(head, vals, strict=True):
            if h == "TEMPAT/TGL LAHIR":
                rec["tanggal_lahir"] = str(v).split(", ", 1)[1]
            elif h in MESSY_FIELDS:
                rec[MESSY_FIELDS[h]] = "" if v is None else v
        rows.append(rec)
    return rows


def read_pairs(path: Path) -> set[tuple[int, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rd = csv.DictReader(fh)
        return {(int(r["row"]), r.get("code") or r.get("why")) for r in rd}


def registry_maps() -> tuple[dict, set[str]]:
    with (REGISTRY / "dtks_sample.csv").open(encoding="utf-8", newline="") as fh:
        reg = {r["nik"]: r for r in csv.DictReader(fh)}
    with (REGISTRY / "pengecualian.csv").open(encoding="utf-8", newline="") as fh:
        excl = {r["nik"] for r in csv.DictReader(fh)}
    return reg, excl


READY_FILES = {
    "pkh_medan_baru.xlsx": ("pkh", lambda p: read_xlsx_rows(p)),
    "bpnt_medan_deli.csv": ("bpnt", lambda p: read_csv_rows(p, "cp1252", ";")),
    "bst_medan_sunggal.csv": ("bst", lambda p: read_csv_rows(p, "utf-8-sig", ",")),
    "kube_medan_denai.xlsx": ("kube", lambda p: read_xlsx_rows(p)),
    "maghrib_mengaji_medan_selayang.xlsx": ("maghrib_mengaji", lambda p: read_xlsx_rows(p)),
}

# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_same_seed_same_csv_bytes(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert gen.main(["--rows", "3000", "--program", "pkh", "--out", str(a), "--seed", "7"]) == 0
    assert gen.main(["--rows", "3000", "--program", "pkh", "--out", str(b), "--seed", "7"]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert gen.sidecar(a).read_bytes() == gen.sidecar(b).read_bytes()
    c = tmp_path / "c.csv"
    gen.main(["--rows", "3000", "--program", "pkh", "--out", str(c), "--seed", "8"])
    assert a.read_bytes() != c.read_bytes()


@pytest.mark.parametrize("program", list(gen.PROGRAMS))
def test_make_list_shape_and_clean_niks(program):
    df = gen.make_list(program, 500, seed=3, error_rate=0.1, kecamatan="127106")
    assert df.height == 500
    assert df.columns == list(gen.PROGRAMS[program].headers.values())
    assert all(dt_ == pl.String for dt_ in df.dtypes)
    g = gen.generate_list(program, 500, seed=3, error_rate=0.1, kecamatan="12.71.06")
    assert g.frame.equals(df)
    flagged = set(g.expected["row"].to_list())
    clean = [n for i, n in enumerate(df["NIK"].to_list()) if i + 2 not in flagged]
    assert len(clean) > 350
    assert all(re.fullmatch(r"127106\d{10}", n) for n in clean)
    assert len(set(clean)) == len(clean)
    assert set(g.expected["code"]) <= gen.REASON_CODES
    if program == "maghrib_mengaji":
        assert "Nama Guru" in df.columns and "No KK" not in df.columns
    if program == "kube":
        assert {"Nama Kelompok", "Jabatan", "Nama Anggota"} <= set(df.columns)


def test_make_list_without_errors_is_clean():
    for program in gen.PROGRAMS:
        g = gen.generate_list(program, 400, seed=11, error_rate=0.0)
        assert g.expected.height == 0
        assert check(frame_rows(g.frame), program) == set()


@pytest.mark.parametrize("program", list(gen.PROGRAMS))
def test_expected_sidecar_matches_reference_checker(program):
    g = gen.generate_list(program, 2500, seed=5, error_rate=0.3, kecamatan="127117")
    expected = set(g.expected.iter_rows())
    found = check(frame_rows(g.frame), program)
    assert found == expected, (sorted(found - expected)[:10], sorted(expected - found)[:10])
    # every applicable error type occurs
    applicable = {e.code for e in gen.ERROR_TYPES if e.applies(gen.PROGRAMS[program])}
    assert applicable <= {c for _, c in expected}


def test_clean_rows_have_no_near_duplicate_niks():
    """No two clean NIKs differ in exactly one digit (that would look like DUGAAN_GANDA)."""
    g = gen.generate_list("pkh", 4000, seed=2, error_rate=0.0)
    niks = g.frame["NIK"].to_list()
    by_rest = defaultdict(set)
    for n in niks:
        for k in range(16):
            by_rest[(k, n[:k] + n[k + 1:])].add(n)
    assert all(len(s) == 1 for s in by_rest.values())


def test_registry_generation(tmp_path):
    reg = gen.make_registry(5000, seed=4, kecamatan="12")
    assert reg.columns == ["nik", "no_kk", "nama", "tanggal_lahir", "jenis_kelamin",
                           "kode_wilayah", "desil", "status"]
    assert reg.height == 5000
    assert reg["nik"].str.contains(r"^12\d{14}$").all()
    assert reg["no_kk"].str.contains(r"^12\d{14}$").all()
    assert reg["nik"].n_unique() == 5000
    assert reg["kode_wilayah"].str.contains(r"^12\.\d\d\.\d\d\.\d{4}$").all()
    assert set(reg["status"]) <= {"aktif", "meninggal", "pindah"}
    assert reg["no_kk"].n_unique() < 5000  # households share a KK
    p = tmp_path / "r.parquet"
    assert gen.main(["--registry-rows", "5000", "--kecamatan", "12", "--seed", "4",
                     "--out", str(p)]) == 0
    assert pl.read_parquet(p).equals(reg)
    c = tmp_path / "r.csv"
    assert gen.main(["--registry-rows", "300", "--out", str(c)]) == 0
    assert pl.read_csv(c, infer_schema=False).height == 300


def test_list_and_registry_together(tmp_path):
    lst, reg = tmp_path / "l.parquet", tmp_path / "r.parquet"
    assert gen.main(["--rows", "1000", "--program", "bpnt", "--out", str(lst),
                     "--registry-rows", "2000", "--registry-out", str(reg)]) == 0
    frame = pl.read_parquet(lst)
    registry = pl.read_parquet(reg)
    assert frame.height == 1000 and registry["nik"].n_unique() == registry.height
    clean = set(frame["NIK"].drop_nulls()) & set(registry["nik"])
    assert len(clean) > 850


def test_xlsx_list_cli(tmp_path):
    out = tmp_path / "k.xlsx"
    assert gen.main(["--rows", "300", "--program", "kube", "--format", "xlsx",
                     "--out", str(out)]) == 0
    rows = read_xlsx_rows(out)
    assert len(rows) == 300
    assert check(rows, "kube") == read_pairs(gen.sidecar(out))


# ---- the committed ready files ------------------------------------------------------------


def test_ready_files_are_up_to_date(tmp_path):
    """Regenerating gives the committed bytes (run `make sample` after changing generate.py)."""
    gen.write_ready(tmp_path)
    for sub in ("lists", "registry"):
        committed = sorted(p.name for p in (ROOT / "sample_data" / sub).iterdir())
        fresh = sorted(p.name for p in (tmp_path / sub).iterdir())
        assert committed == fresh
        for name in fresh:
            assert (tmp_path / sub / name).read_bytes() == \
                (ROOT / "sample_data" / sub / name).read_bytes(), name


@pytest.mark.parametrize("name", list(READY_FILES))
def test_ready_list_findings(name):
    program, reader = READY_FILES[name]
    path = LISTS / name
    rows = reader(path)
    assert 100 <= len(rows) <= 300
    expected = read_pairs(gen.sidecar(path))
    assert {c for _, c in expected} <= gen.REASON_CODES
    assert check(rows, program) == expected
    reg, excl = registry_maps()
    extra = read_pairs(gen.sidecar(path, "expected_registry"))
    assert check(rows, program, reg, excl) == expected | extra


def test_ready_csv_encodings():
    raw = (LISTS / "bpnt_medan_deli.csv").read_bytes()
    assert b"\x96" in raw  # en dash in Windows-1252
    text = raw.decode("cp1252")
    assert "JL. MERDEKA – GG. SEPAKAT" in text and text.splitlines()[0].count(";") == 11
    assert "SITI " in text
    bst = (LISTS / "bst_medan_sunggal.csv").read_bytes()
    assert bst.startswith(b"\xef\xbb\xbf")


def test_maghrib_has_one_row_outside_medan():
    rows = read_xlsx_rows(LISTS / "maghrib_mengaji_medan_selayang.xlsx")
    outside = [r for r in rows if r["kecamatan"] != "MEDAN SELAYANG"]
    assert len(outside) == 1 and outside[0]["kecamatan"] == "PERCUT SEI TUAN"


def test_messy_workbook_layout():
    wb = openpyxl.load_workbook(MESSY)
    assert wb.sheetnames == ["DAFTAR KPM"]
    ws = wb["DAFTAR KPM"]
    assert ws["A1"].value == "DAFTAR PENERIMA BANTUAN PKH TAHAP I TAHUN 2026"
    assert ws["A2"].value == "KECAMATAN MEDAN BARU"
    assert ws["A5"].value == "NO" and ws["B5"].value == "NIK"
    assert [c.value for c in ws[5]] == gen.MESSY_HEADERS
    skipped = dict(read_pairs(gen.sidecar(MESSY, "skipped")))
    assert set(skipped.values()) <= {"title", "column_numbers", "blank", "total", "signature"}
    for r in range(6, ws.max_row + 1):
        vals = [c.value for c in ws[r]]
        texts = " ".join(str(v) for v in vals if v is not None)
        why = skipped.get(r)
        if why == "column_numbers":
            assert vals == list(range(1, len(vals) + 1))
        elif why == "blank":
            assert all(v is None for v in vals)
        elif why == "total":
            assert vals[0] == "JUMLAH"
        elif why == "signature":
            assert any(k in texts for k in ("Medan,", "Mengetahui", "Camat", "NIP", "DRS."))
        else:  # a data row: numbered, with something in the NIK column's row
            assert isinstance(vals[0], int) and vals[3], r
    data = [r for r in range(7, ws.max_row + 1) if r not in skipped]
    assert len(data) == 40
    # about half the NIK cells are numbers; the damaged ones end in 0
    numeric = [r for r in data if isinstance(ws.cell(r, 2).value, int)]
    assert 15 <= len(numeric) <= 25
    assert any(str(ws.cell(r, 2).value).endswith("0") for r in numeric)
    assert any(str(ws.cell(r, 2).value).endswith("E+15") for r in data)
    assert any(str(ws.cell(r, 12).value).startswith("Rp ") for r in data)
    assert any(isinstance(ws.cell(r, 12).value, int) for r in data)


def test_messy_expected_findings():
    skipped = {r for r, _ in read_pairs(gen.sidecar(MESSY, "skipped"))}
    rows = read_messy_rows(skipped)
    expected = read_pairs(gen.sidecar(MESSY))
    assert {"NIK_EXCEL", "REKENING_EXCEL", "GANDA_NIK"} <= {c for _, c in expected}
    assert check(rows, "pkh") == expected
    reg, excl = registry_maps()
    extra = read_pairs(gen.sidecar(MESSY, "expected_registry"))
    assert check(rows, "pkh", reg, excl) == expected | extra


def test_registry_sample():
    reg = pl.read_csv(REGISTRY / "dtks_sample.csv", infer_schema=False)
    assert reg.columns == ["nik", "no_kk", "nama", "tanggal_lahir", "jenis_kelamin",
                           "kode_wilayah", "desil", "status"]
    assert 2000 < reg.height <= 5000
    assert reg["nik"].n_unique() == reg.height
    assert reg["nik"].str.contains(r"^\d{16}$").all()
    excl = pl.read_csv(REGISTRY / "pengecualian.csv", infer_schema=False)
    assert set(excl["kategori"]) <= {"ASN", "TNI", "POLRI", "PERANGKAT_DESA"}
    assert set(excl["nik"]) <= set(reg["nik"])
    names = set(reg["nama"])
    assert any(n.startswith(("MOH. ", "M. ")) for n in names)
    assert any(w.startswith("SOE") for n in names for w in n.split())
