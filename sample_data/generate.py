"""Synthetic bansos recipient lists and DTKS registry extracts — never real people.

Names come from lists of common Indonesian given names and family names written below; NIK and KK
numbers are built on real Kemendagri region codes (validator/data/wilayah.parquet) with invented
dates and sequence numbers. Every output depends only on the seed: the same seed gives the same
bytes.

    python -m sample_data.generate                      # the small ready files (sample_data/lists,
                                                        # sample_data/registry)
    python -m sample_data.generate --rows 1000000 --format csv --program pkh --out big.csv
    python -m sample_data.generate --registry-rows 20000000 --out dtks.parquet

From Python::

    from sample_data.generate import make_list, generate_list, make_registry
    df = make_list("pkh", 1000, seed=1, error_rate=0.1, kecamatan="127117")   # polars.DataFrame
    g = generate_list("pkh", 1000, seed=1)        # g.frame, g.expected (row, code), g.truth()
    reg = make_registry(5000, seed=1)             # contracts §4 columns

Sidecars: ``<list>.expected.csv`` (row, code) lists the finding every injected error must produce
(row = spreadsheet row / CSV line, header on row 1); ``.expected_registry.csv`` (ready files only)
the extra findings when the list is validated with registry/dtks_sample.csv and
registry/pengecualian.csv.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WILAYAH = ROOT / "validator" / "data" / "wilayah.parquet"

DEFAULT_SEED = 20260102
# Fixed workbook creation time, so that xlsx files are byte-reproducible too.
FIXED_CREATED = dt.datetime(2026, 1, 2, 8, 0, 0)

# Sequence-number ranges (digits 13-15 of a NIK/KK; digit 16 is a check digit, see _id_expr).
# Lists use seq_base + 1.. (< 900); registry "other people" start at REGISTRY_SEQ_BASE so they
# never collide with list people; 900-999 is for NIKs made during error injection.
REGISTRY_SEQ_BASE = 300
SPECIAL_SEQ = 900
REGISTRY_CHUNK_ROWS = 1_000_000

# Every reason code of /shared/spec/reason-codes.md (the generator records only these).
REASON_CODES = frozenset(
    """NIK_KOSONG NIK_FORMAT NIK_EXCEL NIK_WILAYAH NIK_KECAMATAN NIK_TANGGAL NIK_URUT
    NIK_TGL_LAHIR_BEDA NIK_JK_BEDA KK_KOSONG KK_FORMAT KK_EXCEL KK_WILAYAH KK_SAMA_NIK
    NAMA_KOSONG NAMA_TIDAK_WAJAR TGL_LAHIR_TIDAK_VALID JK_TIDAK_VALID USIA_TIDAK_MEMENUHI
    REKENING_KOSONG REKENING_HURUF REKENING_PANJANG REKENING_EXCEL REKENING_POLA
    BANK_TIDAK_DIKENAL NAMA_REKENING_BEDA NOMINAL_TIDAK_VALID NOMINAL_TIDAK_SESUAI
    KECAMATAN_BEDA WILAYAH_DI_LUAR_PROGRAM KELOMPOK_TIDAK_SESUAI GANDA_NIK GANDA_KK
    GANDA_REKENING DUGAAN_GANDA GANDA_ANTAR_KECAMATAN GANDA_ANTAR_PROGRAM DTKS_TIDAK_TERDAFTAR
    DTKS_NAMA_BEDA DTKS_KK_BEDA DTKS_MENINGGAL DTKS_DESIL DAFTAR_PENGECUALIAN""".split()
)

# --------------------------------------------------------------------------------------------
# Name and place pools (all invented combinations; common Indonesian names)
# --------------------------------------------------------------------------------------------

GIVEN_MALE = """MUHAMMAD AHMAD ABDUL RIZKI BUDI AGUS JOKO SUKARNO SUHARTO BAMBANG HENDRA DEDI RUDI
ANDI FAJAR IRWAN SYAHRIAL ZULKIFLI RAHMAT SAMSUL BAHRUN DARMAN POLTAK HOTMAN TIGOR BONAR
PARLINDUNGAN MANGASI JUNAIDI ARIF FIRMAN IMAM YUSUF ISMAIL HASAN HUSIN SAIFUL ZAINAL RUSLAN
ANWAR SYAFRIZAL ERWIN HERMAN SUPRIADI SUYANTO SUGIANTO WAHYU EKO SLAMET PURNOMO AMIRUDDIN
NASRUL ROBERT DANIEL MARTINUS BENNY TUMPAL SAHAT RIDWAN FADLI HARIS ILHAM TAUFIK AZHAR MAHMUD
SOEPARMAN DJUMADI SUTRISNO SUPRAPTO KHAIRUL SYAHRUL ROMLI""".split()

GIVEN_FEMALE = """SITI NUR SRI DEWI RINA YANTI SUMARNI AMINAH FATIMAH KHADIJAH AISYAH NURHAYATI
ROSMAWATI MASTIAH ROSLINA ERNA LINDA MARIANI RATNA SARI WULAN INDAH YULIANI NURAINI HALIMAH
ZAINAB RUKIAH SUGIARTI SUPARMI TIUR RUGUN DUMARIA LAMTIO MELDA ROSDIANA MASNAH JUNAIDAH SYAMSIAH
NURLELA RAHMAWATI HERLINA DEBORA MARTHA ELISABETH SURYANI PONIEM TUMINAH PAINEM WAGIYEM
SOEMIATI SUKARTINI DJUARIAH ROHANI SALMAH""".split()

SECOND_MALE = """RIZKI HIDAYAT SAPUTRA SYAHPUTRA PRATAMA RAMADHAN FAUZI HAKIM SANTOSO WIBOWO SETIAWAN
KURNIAWAN GUNAWAN SUSANTO PRASETYO NUGROHO IRAWAN HIDAYATULLAH ARIFIN EFENDI SYAHRIL FIRDAUS
MAULANA ALI HUSEIN RAHMAN SALEH YUSUF SUDARSO WIJAYA""".split()

SECOND_FEMALE = """AMINAH RAHAYU LESTARI WATI HANDAYANI PUSPITA SARI WAHYUNI SUSANTI NINGSIH FITRIANI
SURYANI HASANAH ZUBAIDAH KHAIRANI NURJANAH AGUSTINA MELATI ANGGRAINI RAMADHANI""".split()

# Batak (Toba, Karo, Simalungun, Mandailing/Angkola), Minang suku, Malay and Acehnese family names.
FAMILY = """NASUTION SIREGAR LUBIS HARAHAP BUTAR-BUTAR SIMANJUNTAK HUTAGALUNG SITOMPUL PANJAITAN
SINAGA SIMATUPANG TAMPUBOLON PANGGABEAN SIAHAAN MANURUNG PASARIBU TARIGAN GINTING SEMBIRING
SURBAKTI PERANGIN-ANGIN DAULAY BATUBARA RANGKUTI POHAN HASIBUAN RITONGA DALIMUNTHE MATONDANG
PULUNGAN DAMANIK SARAGIH PURBA SIDABUTAR TANJUNG CHANIAGO PILIANG KOTO SIKUMBANG JAMBAK
SINAMBELA SITORUS SIMBOLON NAPITUPULU HUTABARAT SILALAHI GULTOM MUNTHE BANGUN KARO-KARO""".split()

# Marga after which women are often written "BR <MARGA>" (boru / beru).
BR_MARGA = frozenset(
    """BUTAR-BUTAR SIMANJUNTAK HUTAGALUNG SITOMPUL PANJAITAN SINAGA SIMATUPANG TAMPUBOLON
    PANGGABEAN SIAHAAN MANURUNG PASARIBU TARIGAN GINTING SEMBIRING SURBAKTI PERANGIN-ANGIN
    SIDABUTAR SINAMBELA SITORUS SIMBOLON NAPITUPULU HUTABARAT SILALAHI GULTOM MUNTHE BANGUN
    KARO-KARO DAMANIK SARAGIH PURBA""".split()
)

TEMPAT_LAHIR = [
    "MEDAN", "MEDAN", "MEDAN", "MEDAN", "MEDAN", "MEDAN", "DELI SERDANG", "DELI SERDANG", "BINJAI",
    "TEBING TINGGI", "PEMATANG SIANTAR", "TARUTUNG", "SIBOLGA", "PADANG SIDEMPUAN", "KISARAN",
    "TANJUNG BALAI", "RANTAU PRAPAT", "PADANG", "BUKITTINGGI", "BANDA ACEH", "JAKARTA",
    "SURABAYA", "YOGYAKARTA", "SEMARANG", "STABAT", "KABANJAHE", "BALIGE",
]

STREETS = [
    "MERDEKA", "SEI BATANG HARI", "SEI PADANG", "JAMIN GINTING", "DR. MANSYUR", "GAJAH MADA",
    "IMAM BONJOL", "SETIA BUDI", "SISINGAMANGARAJA", "BRIGJEND KATAMSO", "PERINTIS KEMERDEKAAN",
    "KAPTEN MUSLIM", "GATOT SUBROTO", "AR. HAKIM", "PELAJAR", "BILAL", "KARYA", "PANCING",
    "LETDA SUJONO", "WILLIAM ISKANDAR", "SUTOMO", "HM. YAMIN", "BROMO", "DENAI", "TUASAN",
    "SEI BELUTU", "BUNGA LAU", "PASAR III", "STASIUN", "MAKMUR", "PEMBANGUNAN", "KEMUNING",
]
GANGS = ["SEPAKAT", "MAKMUR", "RUKUN", "SETIA", "MUSHOLLA", "AMAL", "DAMAI", "BERSAMA",
         "KELUARGA", "SEJAHTERA", "MELATI", "MAWAR", "H. MUCHTAR", "ARIF"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
KUBE_WORDS = ["MAWAR", "MELATI", "SEJAHTERA", "MAJU BERSAMA", "KARYA MANDIRI", "TUNAS HARAPAN",
              "SUKA MAJU", "BINA USAHA", "CAHAYA", "MEKAR SARI", "SEPAKAT", "RUKUN JAYA",
              "ANGGREK", "BERKAH", "SERUMPUN"]

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember"]

# --------------------------------------------------------------------------------------------
# Programs (shared/spec/programs.md)
# --------------------------------------------------------------------------------------------

BANK_DIGITS: dict[str, int | None] = {
    "BRI": 15, "MANDIRI": 13, "BNI": 10, "BTN": 16, "BSI": 10, "BANK SUMUT": None,
}
BANK_ALIASES = {
    "BRI": ["BANK BRI", "Bank Rakyat Indonesia"],
    "MANDIRI": ["Bank Mandiri"],
    "BNI": ["BNI 46", "Bank BNI"],
    "BTN": ["Bank BTN"],
    "BSI": ["Bank Syariah Indonesia"],
    "BANK SUMUT": ["Bank Sumut", "BPD Sumut"],
}

_COMMON_HEADERS = {
    "nik": "NIK", "no_kk": "No KK", "nama": "Nama", "tempat_lahir": "Tempat Lahir",
    "tanggal_lahir": "Tanggal Lahir", "jenis_kelamin": "Jenis Kelamin", "alamat": "Alamat",
    "desa": "Desa/Kelurahan", "kecamatan": "Kecamatan", "nama_bank": "Bank",
    "no_rekening": "No Rekening", "nominal": "Nominal",
}


@dataclass(frozen=True)
class Program:
    id: str
    banks: tuple[str, ...]  # weighted pool (repeats = more common)
    headers: dict[str, str]  # field -> header, in column order
    household: bool
    transfer: bool  # account required
    registry_required: bool
    min_age: int | None
    amounts_ok: tuple[int, int, int] | tuple[int, ...] | None  # (lo, hi, step) or allowed set
    amount_is_range: bool
    amounts_bad: tuple[int, ...]
    other_bank: str  # a known bank the program does not pay through

    @property
    def has_kk(self) -> bool:
        return "no_kk" in self.headers

    @property
    def has_account(self) -> bool:
        return "no_rekening" in self.headers

    @property
    def has_amount(self) -> bool:
        return "nominal" in self.headers

    def bank_names(self) -> list[str]:
        return sorted(set(self.banks))


_HIMBARA = ("BRI", "BRI", "BRI", "BRI", "BNI", "BNI", "MANDIRI", "MANDIRI", "BSI", "BTN")

PROGRAMS: dict[str, Program] = {
    "pkh": Program("pkh", _HIMBARA, dict(_COMMON_HEADERS), True, True, True, None,
                   (225_000, 3_000_000, 25_000), True, (237_500, 3_250_000, 200_000, 150_000),
                   "BANK SUMUT"),
    "bpnt": Program("bpnt", _HIMBARA, dict(_COMMON_HEADERS), True, True, True, None,
                    (200_000, 400_000, 600_000), False, (500_000, 300_000, 250_000), "BANK SUMUT"),
    "bst": Program("bst", _HIMBARA, dict(_COMMON_HEADERS), True, False, True, None,
                   (300_000, 600_000), False, (450_000, 400_000, 350_000), "BANK SUMUT"),
    "kube": Program(
        "kube", (),
        {"nama_kelompok": "Nama Kelompok", "jabatan": "Jabatan", "nik": "NIK", "no_kk": "No KK",
         "nama": "Nama Anggota", "tempat_lahir": "Tempat Lahir", "tanggal_lahir": "Tanggal Lahir",
         "jenis_kelamin": "Jenis Kelamin", "alamat": "Alamat", "desa": "Desa/Kelurahan",
         "kecamatan": "Kecamatan"},
        True, False, True, 17, None, False, (), ""),
    "maghrib_mengaji": Program(
        "maghrib_mengaji",
        ("BANK SUMUT", "BANK SUMUT", "BANK SUMUT", "BANK SUMUT", "BRI", "BRI", "BNI", "MANDIRI",
         "BSI"),
        {"nik": "NIK", "nama": "Nama Guru", "tempat_lahir": "Tempat Lahir",
         "tanggal_lahir": "Tanggal Lahir", "jenis_kelamin": "Jenis Kelamin", "alamat": "Alamat",
         "desa": "Desa/Kelurahan", "kecamatan": "Kecamatan", "nama_bank": "Bank",
         "no_rekening": "No Rekening", "nominal": "Nominal"},
        False, True, False, 17, (100_000, 2_000_000, 50_000), True,
        (2_500_000, 50_000, 2_250_000), "BTN"),
}
DESIL_MAX = 4  # programs.md: desil max (config) 4 for pkh, bpnt, bst, kube

# --------------------------------------------------------------------------------------------
# Error types injected into lists: (name, code it must produce, what the list needs, pair?)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorType:
    name: str
    code: str
    needs: frozenset[str] = frozenset()
    pair: bool = False

    def applies(self, p: Program) -> bool:
        have = {"kk": p.has_kk, "household": p.household, "account": p.has_account,
                "transfer": p.transfer, "amount": p.has_amount, "age": p.min_age is not None}
        return all(have[n] for n in self.needs)


def _et(name: str, code: str, *needs: str, pair: bool = False) -> ErrorType:
    return ErrorType(name, code, frozenset(needs), pair)


ERROR_TYPES: list[ErrorType] = [
    _et("nik_15", "NIK_FORMAT"),  # a digit dropped
    _et("nik_huruf_o", "NIK_FORMAT"),  # letter O typed for zero
    _et("nik_tanggal", "NIK_TANGGAL"),  # month 13/00, day 35, 30 February
    _et("nik_0000", "NIK_URUT"),
    _et("nik_prov", "NIK_WILAYAH"),  # "99..." is no province
    _et("nik_kecamatan", "NIK_KECAMATAN"),  # province+kab valid, kecamatan "99" is none
    _et("nik_kosong", "NIK_KOSONG"),
    _et("nik_sci", "NIK_EXCEL"),  # text "1.27117E+15" (CSV exported from a damaged sheet)
    _et("kk_kosong", "KK_KOSONG", "kk", "household"),
    _et("kk_sama_nik", "KK_SAMA_NIK", "kk"),
    _et("kk_format", "KK_FORMAT", "kk"),  # 15 or 17 digits
    _et("kk_wilayah", "KK_WILAYAH", "kk"),
    _et("kk_sci", "KK_EXCEL", "kk"),
    _et("nama_kosong", "NAMA_KOSONG"),
    _et("nama_placeholder", "NAMA_TIDAK_WAJAR"),  # "-", "NN", "XXX", "TIDAK ADA"
    _et("nama_angka", "NAMA_TIDAK_WAJAR"),  # digits in the name
    _et("tgl_rusak", "TGL_LAHIR_TIDAK_VALID"),  # "31-02-1970", "kemarin"
    _et("jk_x", "JK_TIDAK_VALID"),
    _et("tgl_beda", "NIK_TGL_LAHIR_BEDA"),
    _et("jk_beda", "NIK_JK_BEDA"),
    _et("rek_kosong", "REKENING_KOSONG", "account", "transfer"),
    _et("rek_o", "REKENING_HURUF", "account"),
    _et("rek_kurang", "REKENING_PANJANG", "account"),
    _et("rek_pola", "REKENING_POLA", "account"),
    _et("bank_asing", "BANK_TIDAK_DIKENAL", "account"),  # "BANK ANTAH" or a bank outside the program
    _et("nominal_rusak", "NOMINAL_TIDAK_VALID", "amount"),  # "600.00o", negative
    _et("nominal_salah", "NOMINAL_TIDAK_SESUAI", "amount"),
    _et("usia", "USIA_TIDAK_MEMENUHI", "age"),  # born 2016-2018 (NIK made to match)
    _et("ganda_nik", "GANDA_NIK", pair=True),  # the same person twice
    _et("ganda_kk", "GANDA_KK", "kk", "household", pair=True),  # two members of one family
    _et("ganda_rek", "GANDA_REKENING", "account", pair=True),
    _et("dugaan_ganda", "DUGAAN_GANDA", pair=True),  # same name+birth date, another NIK
]
ERRORS = {e.name: e for e in ERROR_TYPES}
# Injections whose typed NIK is 16 digits but not the person's: the registry has the real NIK.
_NIK_TYPO_16 = ("nik_tanggal", "nik_0000", "nik_prov", "nik_kecamatan")

# --------------------------------------------------------------------------------------------
# Random helpers: Python's Mersenne Twister (stable across versions) -> bytes -> polars Int64
# --------------------------------------------------------------------------------------------


def _u(seed: int, name: str, n: int) -> pl.Series:
    """n uniform integers in [0, 2**32) from the stream (seed, name), as Int64."""
    if n <= 0:
        return pl.Series(name, [], dtype=pl.Int64)
    data = random.Random(f"{seed}/{name}").randbytes(4 * n)
    arr = pa.Array.from_buffers(pa.uint32(), n, [None, pa.py_buffer(data)])
    return pl.from_arrow(arr).cast(pl.Int64).alias(name)


def _pick(u: pl.Expr, pool: list[str]) -> pl.Expr:
    return pl.lit(pl.Series(pool, dtype=pl.String)).gather(u % len(pool))


def _z(e: pl.Expr, width: int) -> pl.Expr:
    return e.cast(pl.String).str.zfill(width)


def _digit_sum(e: pl.Expr, width: int) -> pl.Expr:
    total = pl.lit(0, dtype=pl.Int64)
    for k in range(width):
        total = total + (e // (10**k)) % 10
    return total


def _id_expr(kec: pl.Expr, date: pl.Expr, female: pl.Expr, seq: pl.Expr) -> pl.Expr:
    """16-digit NIK/KK: region(6) DDMMYY(day+40 for women) seq(3) check(1).

    The check digit (sum of digits 7-15 mod 10) is this generator's own device, not part of the
    real NIK: it keeps any two generated numbers of one kecamatan at least two digits apart, so
    that no clean pair looks like a one-digit typo (DUGAAN_GANDA).
    """
    dd = date.dt.day().cast(pl.Int64) + pl.when(female).then(40).otherwise(0)
    mm = date.dt.month().cast(pl.Int64)
    yy = date.dt.year().cast(pl.Int64) % 100
    chk = (_digit_sum(dd, 2) + _digit_sum(mm, 2) + _digit_sum(yy, 2) + _digit_sum(seq, 3)) % 10
    return pl.concat_str([kec, _z(dd, 2), _z(mm, 2), _z(yy, 2), _z(seq, 3), chk.cast(pl.String)])


def _days(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _date_between(u: pl.Expr, lo: dt.date, hi: dt.date) -> pl.Expr:
    span = (hi - lo).days + 1
    return (u % span + _days(lo)).cast(pl.Int32).cast(pl.Date)


def _switch(col: pl.Expr, cases: list[tuple[str | tuple[str, ...], pl.Expr]],
            default: pl.Expr) -> pl.Expr:
    expr = None
    for key, val in cases:
        cond = col.is_in(list(key)) if isinstance(key, tuple) else col == key
        expr = pl.when(cond).then(val) if expr is None else expr.when(cond).then(val)
    return default if expr is None else expr.otherwise(default)


def _sci_expr(s: pl.Expr) -> pl.Expr:
    """What Excel's General format shows for a 16-digit number, e.g. '1.27117E+15'."""
    r = ((s.str.slice(0, 7).cast(pl.Int64) + 5) // 10).cast(pl.String)
    mant = pl.concat_str([r.str.slice(0, 1), pl.lit("."), r.str.slice(1).str.strip_chars_end("0")])
    return pl.concat_str([mant.str.strip_chars_end("."), pl.lit("E+15")])


def _dots_expr(n: pl.Expr) -> pl.Expr:
    m, t, u = n // 1_000_000, (n // 1000) % 1000, n % 1000
    return (
        pl.when(m > 0).then(pl.concat_str([m.cast(pl.String), pl.lit("."), _z(t, 3), pl.lit("."),
                                           _z(u, 3)]))
        .when(t > 0).then(pl.concat_str([t.cast(pl.String), pl.lit("."), _z(u, 3)]))
        .otherwise(u.cast(pl.String))
    )


def _sci_text(nik: str) -> str:
    r = str((int(nik[:7]) + 5) // 10)
    mant = (r[0] + "." + r[1:].rstrip("0")).rstrip(".")
    return f"{mant}E+{len(nik) - 1}"


# --------------------------------------------------------------------------------------------
# Region codes
# --------------------------------------------------------------------------------------------


@functools.cache
def _wilayah() -> pl.DataFrame:
    return pl.read_parquet(WILAYAH)


@functools.cache
def _desa_table() -> pl.DataFrame:
    w = _wilayah().filter((pl.col("level") == 4) & pl.col("current"))
    return (
        w.select(kec=pl.col("kode").str.slice(0, 6), desa_kode=pl.col("kode"),
                 desa=pl.col("nama").str.to_uppercase())
        .sort("desa_kode")
        .with_columns(j=pl.int_range(pl.len(), dtype=pl.Int64).over("kec"))
    )


@functools.cache
def _desa_counts() -> pl.DataFrame:
    return _desa_table().group_by("kec").agg(n_desa=pl.len().cast(pl.Int64)).sort("kec")


def _norm_kec(kode: str) -> str:
    k = kode.replace(".", "").strip()
    if len(k) != 6 or not k.isdigit():
        raise ValueError(f"kecamatan code must have 6 digits (e.g. 127117 or 12.71.17): {kode!r}")
    if k not in set(_desa_counts()["kec"].to_list()):
        raise ValueError(f"{kode!r} is no current kecamatan with desa/kelurahan in wilayah.parquet")
    return k


@functools.cache
def kecamatan_name(kode: str) -> str:
    row = _wilayah().filter((pl.col("kode") == kode) & (pl.col("level") == 3))
    return row["nama"][0].upper() if row.height else kode


def kecamatan_codes(prefix: str | None = None) -> list[str]:
    """Current kecamatan codes (with at least one desa), optionally under a region prefix."""
    codes = _desa_counts()["kec"].to_list()
    if prefix:
        p = prefix.replace(".", "")
        codes = [c for c in codes if c.startswith(p)]
        if not codes:
            raise ValueError(f"no kecamatan under {prefix!r}")
    return codes


def dotted(kode: str) -> str:
    """'1271171001' -> '12.71.17.1001'."""
    parts = [kode[:2], kode[2:4], kode[4:6], kode[6:]]
    return ".".join(p for p in parts if p)


# --------------------------------------------------------------------------------------------
# People (vectorised)
# --------------------------------------------------------------------------------------------


def _with_names(df: pl.DataFrame, u1: str, u2: str, u3: str, form: pl.Expr,
                out: str = "nama") -> pl.DataFrame:
    """Adds column `out`: a name built from the random columns u1..u3 and the sex (female)."""
    f = pl.col("female")
    df = df.with_columns(
        _g1f=_pick(pl.col(u1), GIVEN_FEMALE), _g1m=_pick(pl.col(u1), GIVEN_MALE),
        _g2f=_pick(pl.col(u2), SECOND_FEMALE), _g2m=_pick(pl.col(u2), SECOND_MALE),
        _fam=_pick(pl.col(u3), FAMILY),
        _isbr=pl.lit(pl.Series([x in BR_MARGA for x in FAMILY])).gather(pl.col(u3) % len(FAMILY)),
        _form=form,
    )
    df = df.with_columns(
        _g1=pl.when(f).then("_g1f").otherwise("_g1m"),
        _g2=pl.when(f).then("_g2f").otherwise("_g2m"),
        _fam=pl.when(f & pl.col("_isbr") & ((pl.col(u2) // 7) % 2 == 0))
        .then(pl.concat_str([pl.lit("BR "), pl.col("_fam")])).otherwise("_fam"),
    )
    df = df.with_columns(
        _two=pl.concat_str([pl.col("_g1"), pl.lit(" "), pl.col("_g2")]),
        _withfam=pl.concat_str([pl.col("_g1"), pl.lit(" "), pl.col("_fam")]),
        _same=pl.col("_g1") == pl.col("_g2"),
    )
    df = df.with_columns(_three=pl.concat_str([pl.col("_two"), pl.lit(" "), pl.col("_fam")]))
    form_c, same = pl.col("_form"), pl.col("_same")
    df = df.with_columns(
        pl.when((form_c < 28) & ~same).then("_two")
        .when(form_c < 64).then("_withfam")
        .when((form_c < 84) & ~same).then("_three")
        .when(form_c < 84).then("_withfam")
        .otherwise("_g1").alias(out)
    )
    return df.drop("_g1f", "_g1m", "_g2f", "_g2m", "_fam", "_isbr", "_form", "_g1", "_g2",
                   "_two", "_withfam", "_same", "_three")


def _add_person(df: pl.DataFrame, seed: int, tag: str, seq_base: int, lo: dt.date, hi: dt.date,
                unique_names: bool) -> pl.DataFrame:
    """Adds female, tgl, nik, nama, tempat_lahir. df needs _i (0..n-1) and kec."""
    n = df.height
    df = df.with_columns(
        _u(seed, f"{tag}/sex", n).alias("_us"),
        _u(seed, f"{tag}/birth", n).alias("_ub"),
        _u(seed, f"{tag}/n1", n).alias("_n1"),
        _u(seed, f"{tag}/n2", n).alias("_n2"),
        _u(seed, f"{tag}/n3", n).alias("_n3"),
        _u(seed, f"{tag}/n4", n).alias("_n4"),
    )
    df = df.with_columns(female=pl.col("_us") % 2 == 1,
                         tgl=_date_between(pl.col("_ub"), lo, hi))
    df = _with_names(df, "_n1", "_n2", "_n3", pl.col("_n4") % 100)
    df = df.with_columns(tempat_lahir=_pick(pl.col("_n4") // 100, TEMPAT_LAHIR))
    if unique_names:  # no two people with the same name and birth date (that is DUGAAN_GANDA)
        for it in range(40):
            key = pl.col("nama").hash(7) ^ pl.col("tgl").cast(pl.Int64).hash(11)
            dup = df.select(key.is_duplicated() & ~key.is_first_distinct()).to_series()
            if not dup.any():
                break
            df = df.with_columns(
                _u(seed, f"{tag}/re{it}a", n).alias("_r1"),
                _u(seed, f"{tag}/re{it}b", n).alias("_r2"),
                _u(seed, f"{tag}/re{it}c", n).alias("_r3"),
            )
            df = _with_names(df, "_r1", "_r2", "_r3", pl.lit(70), out="_renamed")
            df = df.with_columns(nama=pl.when(dup).then("_renamed").otherwise("nama")).drop(
                "_r1", "_r2", "_r3", "_renamed")
        else:
            raise RuntimeError("could not make name + birth date unique")
    df = df.with_columns(
        _seq=seq_base + 1 + pl.int_range(pl.len(), dtype=pl.Int64).over(["kec", "tgl", "female"])
    )
    top = df["_seq"].max()
    if top is not None and top >= SPECIAL_SEQ:
        raise ValueError("too many people per kecamatan and birth date; spread the rows over "
                         "more kecamatan codes")
    df = df.with_columns(nik=_id_expr(pl.col("kec"), pl.col("tgl"), pl.col("female"),
                                      pl.col("_seq")))
    return df.drop("_us", "_ub", "_n1", "_n2", "_n3", "_n4", "_seq")


def _add_household(df: pl.DataFrame, seed: int, tag: str, seq_base: int,
                   hh_col: str) -> pl.DataFrame:
    """Adds no_kk, desa_kode, desa, alamat per household (hh_col; '_i' = one per row)."""
    if hh_col == "_i":
        hh = df.select("_i", "kec")
    else:
        hh = df.group_by(hh_col, maintain_order=True).agg(pl.col("kec").first())
    m = hh.height
    hh = hh.with_columns(
        kkdate=_date_between(_u(seed, f"{tag}/kkdate", m), dt.date(2005, 1, 1),
                             dt.date(2025, 12, 31)),
        _ud=_u(seed, f"{tag}/desa", m),
        _ua=_u(seed, f"{tag}/alamat", m),
    )
    hh = hh.with_columns(
        _kseq=seq_base + 1 + pl.int_range(pl.len(), dtype=pl.Int64).over(["kec", "kkdate"]))
    top = hh["_kseq"].max()
    if top is not None and top >= SPECIAL_SEQ:
        raise ValueError("too many households per kecamatan and KK date")
    hh = hh.with_columns(no_kk=_id_expr(pl.col("kec"), pl.col("kkdate"), pl.lit(False),
                                        pl.col("_kseq")))
    hh = hh.join(_desa_counts(), on="kec", how="left", maintain_order="left")
    hh = hh.with_columns(j=pl.col("_ud") % pl.col("n_desa"))
    hh = hh.join(_desa_table(), on=["kec", "j"], how="left", maintain_order="left")
    ua = pl.col("_ua")
    street = pl.concat_str([pl.lit("JL. "), _pick(ua, STREETS)])
    no = ((ua // 1000) % 120 + 1).cast(pl.String)
    hh = hh.with_columns(
        alamat=pl.when(ua % 100 < 60).then(pl.concat_str([street, pl.lit(" NO. "), no]))
        .when(ua % 100 < 85).then(pl.concat_str([street, pl.lit(" GG. "),
                                                 _pick(ua // 7, GANGS), pl.lit(" NO. "), no]))
        .otherwise(pl.concat_str([street, pl.lit(" LINGK. "), _pick(ua // 11, ROMAN)]))
    )
    hh = hh.select(hh_col, "no_kk", "desa_kode", "desa", "alamat")
    if hh_col == "_i":  # same rows, same order
        return df.hstack(hh.drop("_i"))
    return df.join(hh, on=hh_col, how="left", maintain_order="left")


def _add_accounts(df: pl.DataFrame, prog: Program, seed: int, tag: str) -> pl.DataFrame:
    n = df.height
    df = df.with_columns(_u(seed, f"{tag}/bank", n).alias("_ubk"),
                         _u(seed, f"{tag}/rek", n).alias("_urk"))
    off = random.Random(f"{seed}/{tag}/rekoff").randrange(10**7)
    uniq = _z((pl.col("_i") * 7919 + off) % 10**7, 7)  # a bijection of the row index
    r = pl.col("_urk")

    df = df.with_columns(_r9=_z(r % 10**9, 9))

    def rnd(k: int) -> pl.Expr:
        return pl.col("_r9").str.slice(0, k)

    bank = _pick(pl.col("_ubk"), list(prog.banks))
    df = df.with_columns(nama_bank=bank)
    rek = _switch(pl.col("nama_bank"), [
        ("BRI", pl.concat_str([rnd(8), uniq])),
        ("MANDIRI", pl.concat_str([pl.lit("1"), rnd(5), uniq])),
        ("BNI", pl.concat_str([rnd(3), uniq])),
        ("BTN", pl.concat_str([rnd(9), uniq])),
        ("BSI", pl.concat_str([pl.lit("7"), rnd(2), uniq])),
    ], pl.concat_str([pl.lit("1"), rnd(4).str.slice(0, 2 + (pl.col("_ubk") // 16) % 3), uniq]))
    return df.with_columns(no_rekening=rek).drop("_ubk", "_urk", "_r9")


def _add_amounts(df: pl.DataFrame, prog: Program, seed: int, tag: str) -> pl.DataFrame:
    u = _u(seed, f"{tag}/nominal", df.height)
    ok = prog.amounts_ok
    assert ok is not None
    if prog.amount_is_range:
        lo, hi, step = ok
        vals = lo + step * (u % ((hi - lo) // step + 1))
    else:
        vals = pl.Series([ok[i] for i in range(len(ok))]).gather(u % len(ok))
    return df.with_columns(nominal=vals.cast(pl.Int64))


def _kube_groups(n: int, seed: int) -> tuple[list[int], list[str]]:
    if n == 0:
        return [], []
    if n < 5:
        raise ValueError("kube needs at least 5 rows (groups have 5-20 members)")
    rng = random.Random(f"{seed}/kube/groups")
    sizes: list[int] = []
    left = n
    while left:
        s = left if left <= 20 else rng.randint(5, min(20, left - 5))
        sizes.append(s)
        left -= s
    counter: dict[str, int] = {}
    names = []
    for _ in sizes:
        w = KUBE_WORDS[rng.randrange(len(KUBE_WORDS))]
        counter[w] = counter.get(w, 0) + 1
        names.append(f"KUBE {w} {counter[w]}")
    return sizes, names


# --------------------------------------------------------------------------------------------
# A generated list
# --------------------------------------------------------------------------------------------


@dataclass
class GeneratedList:
    program: str
    kecamatan: str
    seed: int
    frame: pl.DataFrame  # what the operator typed: canonical headers, all text
    expected: pl.DataFrame  # row (header = row 1), code
    registry_expected: pl.DataFrame  # extra codes when run with a registry holding truth()
    internal: pl.DataFrame = field(repr=False)  # _i, etype, truth (t_*), free, ...

    def truth(self, desil: pl.Expr | None = None) -> pl.DataFrame:
        """The people behind the rows in registry form (contracts §4), one per NIK."""
        t = self.internal.select(
            nik="t_nik", no_kk="t_kk", nama="t_nama", tanggal_lahir="t_tgl",
            jenis_kelamin="t_jk",
            kode_wilayah=pl.concat_str([
                pl.col("t_desa_kode").str.slice(0, 2), pl.lit("."),
                pl.col("t_desa_kode").str.slice(2, 2), pl.lit("."),
                pl.col("t_desa_kode").str.slice(4, 2), pl.lit("."),
                pl.col("t_desa_kode").str.slice(6)]),
            desil=(pl.col("_i") % DESIL_MAX + 1).cast(pl.Int8) if desil is None else desil,
            status=pl.lit("aktif"),
        )
        return t.unique(subset="nik", keep="first", maintain_order=True)


def generate_list(program: str, rows: int, seed: int = DEFAULT_SEED, error_rate: float = 0.1,
                  kecamatan: str = "127117", *, seq_base: int = 0,
                  types: list[str] | None = None, outside_rows: int | None = None,
                  bad_groups: int | None = None, cash_share: float = 0.2) -> GeneratedList:
    """A synthetic list with injected errors and the codes they must produce.

    error_rate: share of rows that get exactly one injected error (pair errors also mark their
    partner row). types: fixed order of error types to cycle through (default: every type that
    applies to the program, in a seeded order). outside_rows (maghrib_mengaji): rows moved to
    Kecamatan Percut Sei Tuan (outside Kota Medan); bad_groups (kube): groups with two or no KETUA.
    cash_share (bst): share of error-free rows paid in cash (no bank, no account).
    """
    if program not in PROGRAMS:
        raise ValueError(f"unknown program {program!r}; known: {', '.join(PROGRAMS)}")
    if rows < 0:
        raise ValueError("rows must be >= 0")
    if not 0 <= error_rate <= 1:
        raise ValueError("error_rate must be between 0 and 1")
    prog = PROGRAMS[program]
    kec = _norm_kec(kecamatan)
    n = rows
    tag = f"list/{program}"
    df = pl.DataFrame({"_i": pl.int_range(n, eager=True, dtype=pl.Int64)}).with_columns(
        kec=pl.lit(kec))
    df = _add_person(df, seed, tag, seq_base, dt.date(1940, 1, 1), dt.date(2005, 12, 31),
                     unique_names=True)
    df = _add_household(df, seed, tag, seq_base, "_i")
    df = df.with_columns(jk=pl.when(pl.col("female")).then(pl.lit("P")).otherwise(pl.lit("L")),
                         kecamatan=pl.lit(kecamatan_name(kec)))
    if prog.has_account:
        df = _add_accounts(df, prog, seed, tag)
    if prog.has_amount:
        df = _add_amounts(df, prog, seed, tag)
    reserved = pl.Series("_res", [False] * n, dtype=pl.Boolean)
    group_codes: list[tuple[int, str]] = []
    if program == "kube":
        sizes, names = _kube_groups(n, seed)
        gid = pl.DataFrame({"g": list(range(len(sizes))), "s": sizes}, schema={
            "g": pl.Int64, "s": pl.Int64}).select(pl.col("g").repeat_by("s")).explode("g")["g"]
        df = df.with_columns(_grp=gid).with_columns(
            _pos=pl.int_range(pl.len(), dtype=pl.Int64).over("_grp"))
        df = df.with_columns(
            nama_kelompok=pl.col("_grp").replace_strict(list(range(len(names))), names,
                                                        return_dtype=pl.String),
            jabatan=pl.col("_pos").replace_strict([0, 1, 2], ["KETUA", "SEKRETARIS", "BENDAHARA"],
                                                  default="ANGGOTA", return_dtype=pl.String),
        )
        n_groups = len(sizes)
        if bad_groups is None:
            bad_groups = max(1, round(n_groups * error_rate / 4)) if error_rate > 0 else 0
        bad_groups = min(bad_groups, n_groups - 1) if n_groups > 1 else 0
        order = list(range(n_groups))
        random.Random(f"{seed}/kube/bad").shuffle(order)
        bad = order[:bad_groups]
        if bad:
            bad_kind = {g: ("dua_ketua" if k % 2 == 0 else "tanpa_ketua") for k, g in enumerate(bad)}
            df = df.with_columns(
                jabatan=pl.when(pl.col("_grp").is_in([g for g, v in bad_kind.items()
                                                      if v == "dua_ketua"]) & (pl.col("_pos") == 3))
                .then(pl.lit("KETUA"))
                .when(pl.col("_grp").is_in([g for g, v in bad_kind.items() if v == "tanpa_ketua"])
                      & (pl.col("_pos") == 0))
                .then(pl.lit("ANGGOTA"))
                .otherwise(pl.col("jabatan"))
            )
            in_bad = df["_grp"].is_in(bad)
            reserved = reserved | in_bad
            group_codes += [(i, "KELOMPOK_TIDAK_SESUAI") for i in df.filter(in_bad)["_i"]]
    outside: list[int] = []
    if program == "maghrib_mengaji":
        if outside_rows is None:
            outside_rows = round(n * error_rate / 50)
        if outside_rows:
            cand = list(range(n))
            random.Random(f"{seed}/outside").shuffle(cand)
            outside = sorted(cand[:outside_rows])
            reserved = reserved | df["_i"].is_in(outside)

    df = df.with_columns(reserved.alias("_res"))
    special = SPECIAL_SEQ + seq_base // 10
    df, exp, reg_exp = _inject(df, prog, seed, error_rate, types, special)

    if outside:  # a teacher living in Percut Sei Tuan (Deli Serdang), outside Kota Medan
        pst = "120726"
        desas = _desa_table().filter(pl.col("kec") == pst)
        m = pl.col("_i").is_in(outside)
        uo = _u(seed, "outside/desa", n)
        df = df.with_columns(_uo=uo % desas.height).with_columns(
            desa_kode=pl.when(m).then(
                pl.col("_uo").replace_strict(list(range(desas.height)), desas["desa_kode"],
                                             return_dtype=pl.String)).otherwise("desa_kode"),
            desa=pl.when(m).then(
                pl.col("_uo").replace_strict(list(range(desas.height)), desas["desa"],
                                             return_dtype=pl.String)).otherwise("desa"),
            kecamatan=pl.when(m).then(pl.lit(kecamatan_name(pst))).otherwise("kecamatan"),
            _okec=pl.when(m).then(pl.lit(pst)).otherwise(None),
        )
        df = df.with_columns(_oseq=special + 1 + pl.int_range(pl.len(), dtype=pl.Int64).over(
            ["_okec", "tgl", "female"]))
        new = _id_expr(pl.col("_okec"), pl.col("tgl"), pl.col("female"), pl.col("_oseq"))
        df = df.with_columns(o_nik=pl.when(m).then(new).otherwise("o_nik"),
                             t_nik=pl.when(m).then(new).otherwise("t_nik"),
                             t_desa_kode=pl.when(m).then(pl.col("desa_kode")).otherwise("t_desa_kode"))
        df = df.drop("_uo", "_okec", "_oseq")
        group_codes += [(i, "WILAYAH_DI_LUAR_PROGRAM") for i in outside]

    if group_codes:
        exp = pl.concat([exp, pl.DataFrame(group_codes, schema={"_i": pl.Int64, "code": pl.String},
                                           orient="row")])
    exp = exp.sort("_i", "code")
    coded = exp["_i"].unique()
    df = df.with_columns(free=~pl.col("_i").is_in(coded.to_list()) & ~pl.col("_res"))

    if program == "bst" and cash_share > 0:  # paid in cash at the post office: no account
        uc = _u(seed, "bst/cash", n)
        cash = df["free"] & (uc % 1000 < int(cash_share * 1000))
        df = df.with_columns(
            o_bank=pl.when(cash).then(pl.lit("")).otherwise("o_bank"),
            o_rek=pl.when(cash).then(pl.lit("")).otherwise("o_rek"),
        )

    out_cols = {
        "nik": "o_nik", "no_kk": "o_kk", "nama": "o_nama", "tempat_lahir": "o_tempat",
        "tanggal_lahir": "o_tgl", "jenis_kelamin": "o_jk", "alamat": "alamat", "desa": "desa",
        "kecamatan": "kecamatan", "nama_bank": "o_bank", "no_rekening": "o_rek",
        "nominal": "o_nominal", "nama_kelompok": "nama_kelompok", "jabatan": "jabatan",
    }
    frame = df.select(
        [pl.col(out_cols[f]).cast(pl.String).fill_null("").alias(h) for f, h in prog.headers.items()]
    )
    expected = exp.select(row=(pl.col("_i") + 2).cast(pl.Int64), code="code")
    registry_expected = reg_exp.select(row=(pl.col("_i") + 2).cast(pl.Int64), code="code").sort(
        "row", "code")
    return GeneratedList(program, kec, seed, frame, expected, registry_expected, df)


def _inject(df: pl.DataFrame, prog: Program, seed: int, error_rate: float,
            types: list[str] | None, special: int) -> tuple[pl.DataFrame, pl.DataFrame,
                                                            pl.DataFrame]:
    n = df.height
    applicable = [e.name for e in ERROR_TYPES if e.applies(prog)]
    if types is None:
        order = applicable[:]
        random.Random(f"{seed}/types/{prog.id}").shuffle(order)
    else:
        bad = [t for t in types if t not in applicable]
        if bad:
            raise ValueError(f"error types {bad} do not apply to {prog.id}")
        order = list(types)
    n_types = len(order)
    is_pair = [ERRORS[t].pair for t in order]

    cand = (
        df.select("_i", "_res").with_columns(_k=_u(seed, "inject/order", n))
        .filter(~pl.col("_res")).sort("_k", "_i")["_i"]
    )

    def pairs_for(k: int) -> int:
        return (k // n_types) * sum(is_pair) + sum(is_pair[: k % n_types])

    k = round(n * error_rate) if n_types else 0
    k = min(k, len(cand))
    while k > 0 and k + pairs_for(k) > len(cand):
        k -= 1
    targets = cand.head(k)
    plan = pl.DataFrame({
        "_i": targets,
        "etype": pl.int_range(k, dtype=pl.Int64, eager=True) % max(n_types, 1),
    }).with_columns(pl.col("etype").replace_strict(list(range(n_types)), order,
                                                   return_dtype=pl.String))
    if "nama_bank" in df.columns:  # BANK SUMUT has no fixed length: drop digits -> pattern instead
        plan = plan.join(df.select("_i", "nama_bank"), on="_i", how="left", maintain_order="left")
        plan = plan.with_columns(etype=pl.when((pl.col("etype") == "rek_kurang")
                                               & (pl.col("nama_bank") == "BANK SUMUT"))
                                 .then(pl.lit("rek_pola")).otherwise("etype")).drop("nama_bank")
    pair_names = [e.name for e in ERROR_TYPES if e.pair]
    pmask = plan["etype"].is_in(pair_names)
    p = int(pmask.sum())
    sources = cand.slice(k, p)
    src = pl.Series("src", [None] * k, dtype=pl.Int64)
    if p:
        src = src.scatter(pmask.arg_true(), sources)
    plan = plan.with_columns(src=src)
    df = df.join(plan, on="_i", how="left", maintain_order="left").sort("_i")

    e = pl.col("etype")
    # Per-row randomness is drawn for all rows, then only the target rows are transformed.
    full = df.with_columns(_v=_u(seed, "inject/variant", n), _uu=_u(seed, "inject/usia", n))
    has = set(full.columns)
    src_cols = [c for c in ("nik", "no_kk", "nama", "tempat_lahir", "tgl", "female", "jk",
                            "nama_bank", "no_rekening", "desa_kode") if c in has]
    srcvals = full.select([pl.col("_i").alias("src")] + [pl.col(c).alias(f"s_{c}")
                                                          for c in src_cols])
    rest = full.filter(e.is_null())

    def transform(df: pl.DataFrame) -> tuple[pl.DataFrame, list]:
        # New identities: DUGAAN_GANDA (source's name/date/sex, another NIK), USIA (a child).
        usia_date = _date_between(pl.col("_uu"), dt.date(2016, 1, 1), dt.date(2018, 12, 31))
        df = df.with_columns(
            _ntgl=pl.when(e == "usia").then(usia_date)
            .when(e == "dugaan_ganda").then(pl.col("s_tgl")).otherwise(None),
            _nfem=pl.when(e == "dugaan_ganda").then(pl.col("s_female")).otherwise("female"),
        )
        df = df.with_columns(
            _nseq=special + 1 + pl.int_range(pl.len(), dtype=pl.Int64).over(["kec", "_ntgl", "_nfem"]))
        top = df.filter(pl.col("_ntgl").is_not_null())["_nseq"].max()
        if top is not None and top > 999:
            raise ValueError("too many injected duplicates for one birth date; lower error_rate")
        df = df.with_columns(_nnik=_id_expr(pl.col("kec"), pl.col("_ntgl"), pl.col("_nfem"),
                                            pl.col("_nseq")))

        nik, vv = pl.col("nik"), pl.col("_v")
        tgl_str = pl.col("tgl").dt.strftime("%d-%m-%Y")
        year = pl.col("tgl").dt.year().cast(pl.String)
        o_nik = _switch(e, [
            ("nik_15", nik.str.slice(0, 15)),
            ("nik_huruf_o", pl.when(nik.str.contains("0", literal=True))
             .then(nik.str.replace("0", "O", literal=True))
             .otherwise(pl.concat_str([nik.str.slice(0, 12), pl.lit("O"), nik.str.slice(13)]))),
            ("nik_tanggal", _switch((vv % 4).cast(pl.String), [
                ("0", pl.concat_str([nik.str.slice(0, 8), pl.lit("13"), nik.str.slice(10)])),
                ("1", pl.concat_str([nik.str.slice(0, 8), pl.lit("00"), nik.str.slice(10)])),
                ("2", pl.concat_str([nik.str.slice(0, 6), pl.lit("35"), nik.str.slice(8)])),
            ], pl.concat_str([nik.str.slice(0, 6),
                              pl.when(pl.col("female")).then(pl.lit("70")).otherwise(pl.lit("30")),
                              pl.lit("02"), nik.str.slice(10)]))),
            ("nik_0000", pl.concat_str([nik.str.slice(0, 12), pl.lit("0000")])),
            ("nik_prov", pl.concat_str([pl.lit("99"), nik.str.slice(2)])),
            ("nik_kecamatan", pl.concat_str([nik.str.slice(0, 4), pl.lit("99"), nik.str.slice(6)])),
            ("nik_kosong", pl.lit("")),
            ("nik_sci", _sci_expr(nik)),
            ("ganda_nik", pl.col("s_nik")),
            (("dugaan_ganda", "usia"), pl.col("_nnik")),
        ], nik)
        new_tgl_shift = pl.when(pl.col("tgl") < dt.date(1970, 1, 1)).then(
            pl.col("tgl") + pl.duration(days=vv % 27 + 1)).otherwise(
            pl.col("tgl") - pl.duration(days=vv % 27 + 1))
        new_tgl_year = pl.when(pl.col("tgl") < dt.date(1970, 1, 1)).then(
            pl.col("tgl").dt.offset_by("3y")).otherwise(pl.col("tgl").dt.offset_by("-3y"))
        o_tgl = _switch(e, [
            ("tgl_rusak", _switch((vv % 4).cast(pl.String), [
                ("0", pl.concat_str([pl.lit("31-02-"), year])),
                ("1", pl.lit("kemarin")),
                ("2", pl.concat_str([pl.lit("30-02-"), year])),
            ], pl.concat_str([pl.lit("15-13-"), year]))),
            ("tgl_beda", pl.when(vv % 2 == 0).then(new_tgl_shift).otherwise(new_tgl_year)
             .dt.strftime("%d-%m-%Y")),
            (("ganda_nik", "dugaan_ganda"), pl.col("s_tgl").dt.strftime("%d-%m-%Y")),
            ("usia", pl.col("_ntgl").dt.strftime("%d-%m-%Y")),
        ], tgl_str)
        nama = pl.col("nama")
        o_nama = _switch(e, [
            ("nama_kosong", pl.lit("")),
            ("nama_placeholder", _pick(vv, ["-", "-", "-", "NN", "XXX", "TIDAK ADA"])),
            ("nama_angka", pl.when((vv % 2 == 0) & nama.str.contains("I", literal=True))
             .then(nama.str.replace("I", "1", literal=True))
             .otherwise(pl.concat_str([nama, pl.lit(" "), (vv % 9 + 1).cast(pl.String)]))),
            (("ganda_nik", "dugaan_ganda"), pl.col("s_nama")),
        ], nama)
        o_tempat = _switch(e, [(("ganda_nik", "dugaan_ganda"), pl.col("s_tempat_lahir"))],
                           pl.col("tempat_lahir"))
        o_jk = _switch(e, [
            ("jk_x", pl.lit("X")),
            ("jk_beda", pl.when(pl.col("female")).then(pl.lit("L")).otherwise(pl.lit("P"))),
            (("ganda_nik", "dugaan_ganda"), pl.col("s_jk")),
        ], pl.col("jk"))
        outs = [("o_nik", o_nik, nik), ("o_tgl", o_tgl, tgl_str), ("o_nama", o_nama, nama),
                ("o_tempat", o_tempat, pl.col("tempat_lahir")), ("o_jk", o_jk, pl.col("jk"))]
        if "no_kk" in has:
            kk = pl.col("no_kk")
            outs.append(("o_kk", _switch(e, [
                ("kk_kosong", pl.lit("")),
                ("kk_sama_nik", nik),
                ("kk_format", pl.when(vv % 2 == 0).then(kk.str.slice(0, 15))
                 .otherwise(pl.concat_str([kk, (vv // 2 % 10).cast(pl.String)]))),
                ("kk_wilayah", pl.concat_str([pl.lit("99"), kk.str.slice(2)])),
                ("kk_sci", _sci_expr(kk)),
                (("ganda_nik", "ganda_kk"), pl.col("s_no_kk")),
            ], kk), kk))
        if "no_rekening" in has:
            rek, bank = pl.col("no_rekening"), pl.col("nama_bank")
            rlen = rek.str.len_chars()
            rep = _pick(vv // 3, [str(d) * 16 for d in range(1, 10)])
            outs.append(("o_bank", _switch(e, [
                ("bank_asing", pl.when(vv % 2 == 0).then(pl.lit("BANK ANTAH"))
                 .otherwise(pl.lit(prog.other_bank))),
                ("ganda_rek", pl.col("s_nama_bank")),
            ], bank), bank))
            outs.append(("o_rek", _switch(e, [
                ("rek_kosong", pl.lit("")),
                ("rek_o", pl.when(rek.str.contains("0", literal=True))
                 .then(rek.str.replace("0", "O", literal=True))
                 .otherwise(pl.concat_str([rek.str.slice(0, 3), pl.lit("O"), rek.str.slice(4)]))),
                ("rek_kurang", rek.str.slice(0, rlen - 2 - vv % 2)),
                ("rek_pola", pl.when(vv % 3 == 0).then(pl.lit("1234567890123456").str.slice(0, rlen))
                 .otherwise(rep.str.slice(0, rlen))),
                ("ganda_rek", pl.col("s_no_rekening")),
            ], rek), rek))
        if "nominal" in has:
            nom = pl.col("nominal")
            dots = _dots_expr(nom)
            outs.append(("o_nominal", _switch(e, [
                ("nominal_rusak", pl.when(vv % 2 == 0)
                 .then(pl.concat_str([dots.str.slice(0, dots.str.len_chars() - 1), pl.lit("o")]))
                 .otherwise(pl.concat_str([pl.lit("-"), nom.cast(pl.String)]))),
                ("nominal_salah", _pick(vv // 5, [str(a) for a in prog.amounts_bad])),
            ], nom.cast(pl.String)), nom.cast(pl.String)))
        # Registry truth: who these rows really are.
        outs += [
            ("t_nik", _switch(e, [("ganda_nik", pl.col("s_nik")),
                                  (("dugaan_ganda", "usia"), pl.col("_nnik"))], nik), nik),
            ("t_kk", _switch(e, [(("ganda_nik", "ganda_kk"), pl.col("s_no_kk"))], pl.col("no_kk")),
             pl.col("no_kk")),
            ("t_nama", _switch(e, [(("ganda_nik", "dugaan_ganda"), pl.col("s_nama"))], nama), nama),
            ("t_tgl", _switch(e, [(("ganda_nik", "dugaan_ganda"), pl.col("s_tgl")),
                                  ("usia", pl.col("_ntgl"))], pl.col("tgl")), pl.col("tgl")),
            ("t_jk", _switch(e, [(("ganda_nik", "dugaan_ganda"), pl.col("s_jk"))], pl.col("jk")),
             pl.col("jk")),
            ("t_desa_kode", _switch(e, [("ganda_nik", pl.col("s_desa_kode"))], pl.col("desa_kode")),
             pl.col("desa_kode")),
        ]
        df = df.with_columns([sw.alias(name) for name, sw, _ in outs])
        df = df.drop([c for c in df.columns if c.startswith("s_")] + ["_ntgl", "_nfem", "_nseq",
                                                                       "_nnik"])
        return df, outs

    targets = full.filter(e.is_not_null()).join(srcvals, on="src", how="left",
                                                 maintain_order="left")
    # Injected values must not create findings of their own kind elsewhere: a typed NIK that
    # happens to equal another row's NIK (GANDA_NIK), a changed birth date that gives two rows
    # the same name and date (DUGAAN_GANDA). Such rows get a harmless error type instead.
    for _ in range(10):
        df, outs = transform(targets)
        all_nik = pl.concat([df.select("_i", nik=pl.col("o_nik")),
                             rest.select("_i", "nik")])
        all_key = pl.concat([df.select("_i", nama=pl.col("o_nama"), tgl=pl.col("o_tgl")),
                             rest.select("_i", "nama", tgl=pl.col("tgl").dt.strftime("%d-%m-%Y"))])
        dup_nik = set(all_nik.filter(pl.col("nik").is_duplicated())["_i"].to_list())
        dup_key = set(all_key.filter(pl.struct("nama", "tgl").is_duplicated())["_i"].to_list())
        bad_nik = df.filter(pl.col("_i").is_in(list(dup_nik))
                            & pl.col("etype").is_in(list(_NIK_TYPO_16)))["_i"].to_list()
        bad_key = df.filter(pl.col("_i").is_in(list(dup_key))
                            & pl.col("etype").is_in(["tgl_beda", "usia"]))["_i"].to_list()
        if not bad_nik and not bad_key:
            break
        targets = targets.with_columns(
            etype=pl.when(pl.col("_i").is_in(bad_nik)).then(pl.lit("nik_15"))
            .when(pl.col("_i").is_in(bad_key)).then(pl.lit("jk_x")).otherwise("etype"))
    else:
        raise RuntimeError("could not place injected errors without side effects")

    rest = rest.with_columns([dflt.alias(name) for name, _, dflt in outs])
    df = pl.concat([df, rest], how="vertical").sort("_i")
    for c in ("o_kk", "o_bank", "o_rek", "o_nominal"):
        if c not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.String).alias(c))
    for c in ("nama_kelompok", "jabatan"):
        if c not in df.columns:
            df = df.with_columns(pl.lit(None, dtype=pl.String).alias(c))

    code_of = {t.name: t.code for t in ERROR_TYPES}
    tgt = df.filter(e.is_not_null()).select(
        "_i", code=e.replace_strict(code_of, return_dtype=pl.String))
    srcs = df.filter(pl.col("src").is_not_null()).select(
        _i=pl.col("src"), code=e.replace_strict(code_of, return_dtype=pl.String))
    exp = pl.concat([tgt, srcs])
    if prog.registry_required:
        reg = df.filter(e.is_in(list(_NIK_TYPO_16))).select(
            "_i", code=pl.lit("DTKS_TIDAK_TERDAFTAR"))
    else:
        reg = pl.DataFrame(schema={"_i": pl.Int64, "code": pl.String})
    return df, exp, reg


def make_list(program: str, rows: int, seed: int = DEFAULT_SEED, error_rate: float = 0.1,
              kecamatan: str = "127117", **kw) -> pl.DataFrame:
    """The list as the operator typed it: canonical headers (PROGRAMS[p].headers), all text."""
    return generate_list(program, rows, seed, error_rate, kecamatan, **kw).frame


# --------------------------------------------------------------------------------------------
# Registry extract (contracts §4)
# --------------------------------------------------------------------------------------------

REGISTRY_SCHEMA = {
    "nik": pl.String, "no_kk": pl.String, "nama": pl.String, "tanggal_lahir": pl.Date,
    "jenis_kelamin": pl.String, "kode_wilayah": pl.String, "desil": pl.Int8, "status": pl.String,
}


def _registry_plan(rows: int, kecamatan: str | list[str] | None) -> list[tuple[list[str],
                                                                                list[int]]]:
    if isinstance(kecamatan, list):
        kecs = [_norm_kec(k) for k in kecamatan]
    else:
        kecs = kecamatan_codes(kecamatan)
    nk = len(kecs)
    counts = [(k + 1) * rows // nk - k * rows // nk for k in range(nk)]
    chunks: list[tuple[list[str], list[int]]] = []
    cur_k: list[str] = []
    cur_c: list[int] = []
    total = 0
    for kc, c in zip(kecs, counts, strict=True):
        if c == 0:
            continue
        cur_k.append(kc)
        cur_c.append(c)
        total += c
        if total >= REGISTRY_CHUNK_ROWS:
            chunks.append((cur_k, cur_c))
            cur_k, cur_c, total = [], [], 0
    if cur_k:
        chunks.append((cur_k, cur_c))
    return chunks


def _registry_chunk(kecs: list[str], counts: list[int], seed: int, idx: int,
                    seq_base: int) -> pl.DataFrame:
    tag = f"registry/{idx}"
    df = pl.DataFrame({"kec": kecs, "c": counts}).select(
        pl.col("kec").repeat_by("c")).explode("kec")
    n = df.height
    df = df.with_columns(_i=pl.int_range(n, dtype=pl.Int64))
    df = _add_person(df, seed, tag, seq_base, dt.date(1935, 1, 1), dt.date(2024, 12, 31),
                     unique_names=False)
    uh = _u(seed, f"{tag}/hh", n)
    df = df.with_columns(
        _new=(uh % 100 < 38) | (pl.col("kec") != pl.col("kec").shift(1)).fill_null(True))
    df = df.with_columns(_hh=pl.col("_new").cum_sum())
    df = _add_household(df, seed, tag, seq_base, "_hh")
    us = _u(seed, f"{tag}/status", n)
    ud = _u(seed, f"{tag}/desil", n)
    return df.select(
        "nik", "no_kk", "nama",
        tanggal_lahir=pl.when(ud // 1000 % 200 == 0).then(None).otherwise(pl.col("tgl")),
        jenis_kelamin=pl.when(pl.col("female")).then(pl.lit("P")).otherwise(pl.lit("L")),
        kode_wilayah=pl.concat_str([
            pl.col("desa_kode").str.slice(0, 2), pl.lit("."), pl.col("desa_kode").str.slice(2, 2),
            pl.lit("."), pl.col("desa_kode").str.slice(4, 2), pl.lit("."),
            pl.col("desa_kode").str.slice(6)]),
        desil=pl.when(ud % 100 < 15).then(None).otherwise(ud // 100 % 10 + 1).cast(pl.Int8),
        status=pl.when(us % 1000 < 30).then(pl.lit("meninggal"))
        .when(us % 1000 < 70).then(pl.lit("pindah")).otherwise(pl.lit("aktif")),
    ).cast(REGISTRY_SCHEMA)


def iter_registry(rows: int, seed: int = DEFAULT_SEED, kecamatan: str | list[str] | None = None,
                  seq_base: int = REGISTRY_SEQ_BASE) -> Iterator[pl.DataFrame]:
    """Registry rows in chunks of about a million (each chunk holds whole kecamatan)."""
    for idx, (kecs, counts) in enumerate(_registry_plan(rows, kecamatan)):
        yield _registry_chunk(kecs, counts, seed, idx, seq_base)


def make_registry(rows: int, seed: int = DEFAULT_SEED, kecamatan: str | list[str] | None = None,
                  people: pl.DataFrame | None = None,
                  seq_base: int = REGISTRY_SEQ_BASE) -> pl.DataFrame:
    """A registry extract (contracts §4): `people` first (e.g. GeneratedList.truth()), then `rows`
    other people spread evenly over the kecamatan under `kecamatan` (a code prefix such as
    '1271', a list of codes, or None for all of Indonesia)."""
    parts = [people.select(list(REGISTRY_SCHEMA)).cast(REGISTRY_SCHEMA)] if people is not None \
        else []
    parts += list(iter_registry(rows, seed, kecamatan, seq_base)) if rows > 0 else []
    if not parts:
        return pl.DataFrame(schema=REGISTRY_SCHEMA)
    return pl.concat(parts)


def write_registry(path: str | Path, rows: int, seed: int = DEFAULT_SEED,
                   kecamatan: str | list[str] | None = None,
                   people: pl.DataFrame | None = None) -> int:
    """Writes a registry extract as .parquet or .csv chunk by chunk; returns the row count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    chunks: Iterator[pl.DataFrame] = iter_registry(rows, seed, kecamatan) if rows > 0 else iter(())
    if people is not None:
        chunks = _chain([people.select(list(REGISTRY_SCHEMA)).cast(REGISTRY_SCHEMA)], chunks)
    written = 0
    if path.suffix.lower() == ".parquet":
        schema = pl.DataFrame(schema=REGISTRY_SCHEMA).to_arrow().schema
        with pq.ParquetWriter(path, schema, compression="zstd") as w:
            for ch in chunks:
                w.write_table(ch.to_arrow().cast(schema), row_group_size=256 * 1024)
                written += ch.height
    elif path.suffix.lower() == ".csv":
        with path.open("wb") as f:
            first = True
            for ch in chunks:
                ch.write_csv(f, include_header=first)
                first = False
                written += ch.height
            if first:
                pl.DataFrame(schema=REGISTRY_SCHEMA).write_csv(f)
    else:
        raise ValueError("registry output must end in .parquet or .csv")
    return written


def _chain(first: list[pl.DataFrame], rest: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    yield from first
    yield from rest


# --------------------------------------------------------------------------------------------
# Writing one generated list (CLI)
# --------------------------------------------------------------------------------------------


def sidecar(path: str | Path, kind: str = "expected") -> Path:
    p = Path(path)
    return p.with_name(f"{p.stem}.{kind}.csv")


def write_list(frame: pl.DataFrame, path: str | Path, fmt: str | None = None,
               sheet: str = "Sheet1") -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt == "csv":
        frame.write_csv(path)
    elif fmt == "parquet":
        frame.with_columns(pl.all().replace("", None)).write_parquet(path)
    elif fmt == "xlsx":
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        wb.set_properties({"created": FIXED_CREATED, "author": "sample_data.generate"})
        ws = wb.add_worksheet(sheet)
        bold = wb.add_format({"bold": True})
        for c, h in enumerate(frame.columns):
            ws.write_string(0, c, h, bold)
        ws_str = ws.write_string
        for r, row in enumerate(frame.iter_rows(), start=1):
            for c, val in enumerate(row):
                if val:
                    ws_str(r, c, val)
        wb.close()
    else:
        raise ValueError(f"unknown format {fmt!r} (csv, xlsx, parquet)")


def write_expected(df: pl.DataFrame, path: Path) -> None:
    df.select("row", "code").sort("row", "code").write_csv(path)


# --------------------------------------------------------------------------------------------
# The ready files (sample_data/lists, sample_data/registry)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ready:
    stem: str
    program: str
    kecamatan: str
    rows: int
    error_rate: float
    fmt: str  # xlsx | csv-cp1252 | csv-bom
    seed: int
    outside_rows: int | None = None


READY = [
    Ready("pkh_medan_baru", "pkh", "127117", 200, 0.16, "xlsx", DEFAULT_SEED + 1),
    Ready("bpnt_medan_deli", "bpnt", "127106", 180, 0.12, "csv-cp1252", DEFAULT_SEED + 2),
    Ready("bst_medan_sunggal", "bst", "127102", 160, 0.15, "csv-bom", DEFAULT_SEED + 3),
    Ready("kube_medan_denai", "kube", "127104", 150, 0.12, "xlsx", DEFAULT_SEED + 4),
    Ready("maghrib_mengaji_medan_selayang", "maghrib_mengaji", "127121", 150, 0.15, "xlsx",
          DEFAULT_SEED + 5, outside_rows=1),
]
MESSY_STEM = "pkh_medan_baru_berantakan"
MESSY_SEED = DEFAULT_SEED + 6
MESSY_ROWS = 40
REGISTRY_SEED = DEFAULT_SEED + 7
REGISTRY_OTHERS = 2000

_MON3 = {1: "Jan", 2: "Feb", 3: "Mar", 4: "Apr", 6: "Jun", 7: "Jul", 9: "Sep", 11: "Nov"}


def _parse_dmy(s: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(s, "%d-%m-%Y").date()
    except ValueError:
        return None


def _fmt_date(d: dt.date, style: str) -> str:
    if style == "slash":
        return d.strftime("%d/%m/%Y")
    if style == "iso":
        return d.isoformat()
    if style == "long":
        return f"{d.day} {BULAN[d.month - 1]} {d.year}"
    if style == "mon2" and d.month in _MON3 and 1970 <= d.year <= 1999:
        return f"{d.day:02d}-{_MON3[d.month]}-{d.year % 100:02d}"
    return d.strftime("%d-%m-%Y")


def _dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _workbook(path: Path) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": FIXED_CREATED, "author": "sample_data.generate (synthetic)",
                       "comments": "Synthetic data: no real person."})
    return wb


def _records(g: GeneratedList) -> list[dict[str, str]]:
    return g.frame.to_dicts()


def _write_simple_xlsx(g: GeneratedList, path: Path, rng: random.Random, *, date_cells: float,
                       numeric_amounts: bool, mon2: float = 0.0) -> None:
    prog = PROGRAMS[g.program]
    wb = _workbook(path)
    ws = wb.add_worksheet("Sheet1")
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
    datef = wb.add_format({"num_format": "dd-mm-yyyy"})
    money = wb.add_format({"num_format": "#,##0"})
    headers = list(prog.headers.values())
    hfield = {h: f for f, h in prog.headers.items()}
    widths = {"nik": 19, "no_kk": 19, "nama": 28, "alamat": 34, "no_rekening": 18,
              "nama_kelompok": 22, "tempat_lahir": 16, "tanggal_lahir": 13, "desa": 18,
              "kecamatan": 16}
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, head)
        ws.set_column(c, c, widths.get(hfield[h], 12))
    for r, rec in enumerate(_records(g), start=1):
        for c, h in enumerate(headers):
            f, val = hfield[h], rec[h]
            if val == "":
                continue
            if f == "tanggal_lahir":
                d = _parse_dmy(val)
                if d is not None and rng.random() < date_cells:
                    ws.write_datetime(r, c, dt.datetime(d.year, d.month, d.day), datef)
                    continue
                if d is not None and mon2 and rng.random() < mon2:
                    val = _fmt_date(d, "mon2")
            elif f == "nominal" and numeric_amounts and val.isdigit():
                ws.write_number(r, c, int(val), money)
                continue
            elif f == "nama_bank" and val in BANK_ALIASES and rng.random() < 0.2:
                val = rng.choice(BANK_ALIASES[val])
            ws.write_string(r, c, val)
    ws.freeze_panes(1, 0)
    wb.close()


def _write_csv_file(g: GeneratedList, path: Path, rng: random.Random, *, delimiter: str,
                    encoding: str, style: str) -> None:
    prog = PROGRAMS[g.program]
    headers = list(prog.headers.values())
    hfield = {h: f for f, h in prog.headers.items()}
    rows = []
    for i, rec in enumerate(_records(g)):
        out = []
        for h in headers:
            f, val = hfield[h], rec[h]
            if f == "tanggal_lahir" and (d := _parse_dmy(val)) is not None:
                x = rng.random()
                if style == "bpnt":
                    val = _fmt_date(d, "slash" if x < 0.7 else "dash")
                else:
                    val = _fmt_date(d, "iso" if x < 0.4 else "long" if x < 0.7 else "dash")
            elif f == "jenis_kelamin" and val in ("L", "P"):
                x = rng.random()
                if style == "bpnt" and x < 0.5:
                    val = {"L": "LK", "P": "PR"}[val]
                elif style == "bst" and x < 0.6:
                    val = {"L": "Laki-laki", "P": "Perempuan"}[val]
            elif f == "nominal" and val.isdigit():
                x, n = rng.random(), int(val)
                if style == "bpnt":
                    val = f"Rp {_dots(n)}" if x < 0.4 else _dots(n) if x < 0.7 else val
                else:
                    val = f"{n:,}" if x < 0.3 else f"Rp. {_dots(n)},00" if x < 0.6 else val
            elif f == "nama_bank" and val in BANK_ALIASES and rng.random() < 0.15:
                val = rng.choice(BANK_ALIASES[val])
            elif f == "alamat" and style == "bpnt":
                # Windows-1252 only characters: en dash (0x96), right single quote (0x92).
                if i == 0:
                    val = "JL. MERDEKA – GG. SEPAKAT NO. 12"
                elif i == 1:
                    val = "JL. H. MA’RUF NO. 7"
                elif " GG. " in val and rng.random() < 0.5:
                    val = val.replace(" GG. ", " – GG. ")
            out.append(val)
        rows.append(out)
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        w.writerow(headers)
        w.writerows(rows)


# ---- the messy government workbook --------------------------------------------------------

MESSY_HEADERS = ["NO", "NIK", "NO. KK", "NAMA KPM", "TEMPAT/TGL LAHIR", "L/P", "ALAMAT",
                 "KELURAHAN", "KECAMATAN", "BANK", "NO. REKENING", "NOMINAL (Rp)"]
MESSY_HEADER_ROW = 5  # Excel row numbers (1-based)
MESSY_FIRST_DATA = 7
MESSY_BLANK_AFTER = 20  # a blank row after the 20th data row
MESSY_TYPES = ["ganda_nik", "nik_15", "tgl_rusak", "nominal_rusak", "jk_beda", "rek_kurang"]
SIGNATURE = ["Medan, 2 Januari 2026", "Mengetahui,", "Camat Medan Baru", None,
             "DRS. H. AHMAD SYAHPUTRA, M.Si", "NIP. 19700101 199003 1 001"]


def _messy_row(d: int) -> int:
    return MESSY_FIRST_DATA + d + (1 if d >= MESSY_BLANK_AFTER else 0)


@dataclass
class MessyResult:
    gen: GeneratedList
    row_of: dict[int, int]  # data index -> Excel row
    expected: list[tuple[int, str]]
    skipped: list[tuple[int, str]]
    damaged: set[int]  # data indexes not usable for registry findings


def _write_messy(path: Path) -> MessyResult:
    g = generate_list("pkh", MESSY_ROWS, MESSY_SEED, len(MESSY_TYPES) / MESSY_ROWS, "127117",
                      seq_base=100, types=MESSY_TYPES)
    rng = random.Random(f"{MESSY_SEED}/messy")
    recs = _records(g)
    internal = g.internal
    etype = internal["etype"].to_list()
    is_src = set(internal.filter(pl.col("src").is_not_null())["src"].to_list())
    free = [i for i in range(MESSY_ROWS) if internal["free"][i]]
    rng.shuffle(free)
    nik_excel_num = [i for i in free if not recs[i]["NIK"].endswith("0")][:3]
    rest = [i for i in free if i not in nik_excel_num]
    nik_sci, rest = rest[:2], rest[2:]
    rek_bni, rest = rest[:2], rest[2:]
    rek_btn, rest = rest[:1], rest[1:]
    nik_spaces, nik_apos, rek_dashes, rest = rest[0], rest[1], rest[2], rest[3:]
    damaged = set(nik_excel_num + nik_sci + rek_bni + rek_btn + [nik_spaces, nik_apos, rek_dashes])
    # Clean numeric NIK cells: rows whose NIK field is untouched by any injected error.
    nik_ok_types = {None, "tgl_rusak", "nominal_rusak", "jk_beda", "rek_kurang"}
    numeric_nik = [i for i in range(MESSY_ROWS)
                   if i not in damaged and etype[i] in nik_ok_types and i not in is_src
                   and recs[i]["NIK"].isdigit() and len(recs[i]["NIK"]) == 16
                   and not recs[i]["NIK"].endswith("0")]
    rng.shuffle(numeric_nik)
    numeric_nik = set(numeric_nik[: MESSY_ROWS // 2 - len(nik_excel_num)])

    expected: list[tuple[int, str]] = [
        (_messy_row(r - 2), c) for r, c in g.expected.iter_rows()]
    expected += [(_messy_row(i), "NIK_EXCEL") for i in nik_excel_num + nik_sci]
    expected += [(_messy_row(i), "REKENING_EXCEL") for i in rek_bni + rek_btn]

    wb = _workbook(path)
    ws = wb.add_worksheet("DAFTAR KPM")
    title = wb.add_format({"bold": True, "align": "center", "font_size": 12})
    head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                          "text_wrap": True, "bg_color": "#D9D9D9"})
    numrow = wb.add_format({"italic": True, "border": 1, "align": "center", "font_size": 8})
    cell = wb.add_format({"border": 1})
    num = wb.add_format({"border": 1, "num_format": "0"})
    money = wb.add_format({"border": 1, "num_format": "#,##0"})
    bold_border = wb.add_format({"bold": True, "border": 1, "align": "center"})
    money_bold = wb.add_format({"bold": True, "border": 1, "num_format": "#,##0"})
    sig = wb.add_format({"align": "center"})
    sig_name = wb.add_format({"align": "center", "bold": True, "underline": True})
    last_col = len(MESSY_HEADERS) - 1
    for r, text in enumerate(["DAFTAR PENERIMA BANTUAN PKH TAHAP I TAHUN 2026",
                              "KECAMATAN MEDAN BARU", "KOTA MEDAN"]):
        ws.merge_range(r, 0, r, last_col, text, title)
    for c, (h, w) in enumerate(zip(MESSY_HEADERS, [5, 20, 20, 28, 26, 5, 34, 16, 14, 10, 20, 14],
                                   strict=True)):
        ws.write_string(MESSY_HEADER_ROW - 1, c, h, head)
        ws.write_number(MESSY_HEADER_ROW, c, c + 1, numrow)
        ws.set_column(c, c, w)
    ws.set_row(MESSY_HEADER_ROW - 1, 30)

    total = 0
    for d, rec in enumerate(recs):
        r0 = _messy_row(d) - 1  # xlsxwriter is 0-based
        ws.write_number(r0, 0, d + 1, cell)
        nik = rec["NIK"]
        if d in nik_excel_num:
            ws.write_number(r0, 1, int(nik[:15] + "0"), num)
        elif d in nik_sci:
            ws.write_string(r0, 1, _sci_text(nik), cell)
        elif d in numeric_nik:
            ws.write_number(r0, 1, int(nik), num)
        elif d == nik_spaces:
            ws.write_string(r0, 1, f"{nik[:6]} {nik[6:12]} {nik[12:]}", cell)
        elif d == nik_apos:
            ws.write_string(r0, 1, "'" + nik, cell)
        else:
            ws.write_string(r0, 1, nik, cell)
        ws.write_string(r0, 2, rec["No KK"], cell)
        ws.write_string(r0, 3, rec["Nama"], cell)
        tgl = rec["Tanggal Lahir"]
        dd = _parse_dmy(tgl)
        if dd is not None and rng.random() < 0.4:
            tgl = _fmt_date(dd, "long")
        ws.write_string(r0, 4, f"{rec['Tempat Lahir']}, {tgl}", cell)
        ws.write_string(r0, 5, rec["Jenis Kelamin"], cell)
        ws.write_string(r0, 6, rec["Alamat"], cell)
        ws.write_string(r0, 7, rec["Desa/Kelurahan"], cell)
        ws.write_string(r0, 8, rec["Kecamatan"], cell)
        bank, rek = rec["Bank"], rec["No Rekening"]
        if d in rek_bni:  # BNI account with a leading zero, typed into a number cell
            ws.write_string(r0, 9, "BNI", cell)
            ws.write_number(r0, 10, int("0" + rek[-9:]), num)
        elif d in rek_btn:  # 16-digit BTN account typed as a number: Excel keeps 15 digits
            acct = "1" + (rek * 2)[-15:]
            ws.write_string(r0, 9, "BTN", cell)
            ws.write_number(r0, 10, int(acct[:15] + "0"), num)
        elif d == rek_dashes:
            acct = ("2" + (rek * 2)[-14:]) if bank != "BRI" else rek
            ws.write_string(r0, 9, "BRI", cell)
            ws.write_string(r0, 10, f"{acct[:4]}-{acct[4:6]}-{acct[6:12]}-{acct[12:14]}-{acct[14]}",
                            cell)
        else:
            if bank == "BRI" and rng.random() < 0.3:
                bank = "BANK BRI"
            ws.write_string(r0, 9, bank, cell)
            if (bank in ("BRI", "BANK BRI", "MANDIRI") and rek.isdigit()
                    and len(rek) == BANK_DIGITS["MANDIRI" if bank == "MANDIRI" else "BRI"]
                    and not rek.startswith("0") and rng.random() < 0.6):
                ws.write_number(r0, 10, int(rek), num)
            else:
                ws.write_string(r0, 10, rek, cell)
        amt = rec["Nominal"]
        if amt.isdigit():
            x = rng.random()
            if x < 0.5:
                ws.write_number(r0, 11, int(amt), money)
                total += int(amt)
            elif x < 0.85:
                ws.write_string(r0, 11, f"Rp {_dots(int(amt))}", cell)
            else:
                ws.write_string(r0, 11, _dots(int(amt)), cell)
        else:
            ws.write_string(r0, 11, amt, cell)

    last_data = _messy_row(MESSY_ROWS - 1)
    blank_mid = _messy_row(MESSY_BLANK_AFTER - 1) + 1
    total_row = last_data + 1
    ws.merge_range(total_row - 1, 0, total_row - 1, last_col - 1, "JUMLAH", bold_border)
    ws.write_formula(total_row - 1, last_col, f"=SUM(L{MESSY_FIRST_DATA}:L{last_data})",
                     money_bold, total)
    skipped: list[tuple[int, str]] = [(MESSY_HEADER_ROW + 1, "column_numbers"),
                                      (blank_mid, "blank"), (total_row, "total"),
                                      (total_row + 1, "blank")]
    r = total_row + 2
    for text in SIGNATURE:
        if text is None:
            skipped.append((r, "blank"))
        else:
            ws.merge_range(r - 1, 8, r - 1, last_col, text,
                           sig_name if text.startswith("DRS.") else sig)
            skipped.append((r, "signature"))
        r += 1
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(MESSY_HEADER_ROW - 1, MESSY_HEADER_ROW)
    wb.close()
    row_of = {d: _messy_row(d) for d in range(MESSY_ROWS)}
    return MessyResult(g, row_of, sorted(set(expected)), skipped, damaged)


# ---- the registry sample -------------------------------------------------------------------


def _spelling_variant(name: str, female: bool, rng: random.Random) -> str:
    """Same person, spelled as the registry may have it (titles, Muhammad/M./Moh., old spelling)."""
    words = name.split(" ")
    if "MUHAMMAD" in words:
        return name.replace("MUHAMMAD", rng.choice(["MOH.", "M."]), 1)
    for i, w in enumerate(words):
        if w.startswith("SOE"):
            words[i] = "SU" + w[3:]
            return " ".join(words)
        if w.startswith("SU") and len(w) > 4:
            words[i] = "SOE" + w[2:]
            return " ".join(words)
        if w.startswith("DJ"):
            words[i] = "J" + w[2:]
            return " ".join(words)
        if w.startswith("J") and w[1:2] in "AOU" and w[1:2]:
            words[i] = "DJ" + w[1:]
            return " ".join(words)
    return ("HJ. " if female else "H. ") + name


@dataclass
class RegistrySample:
    dtks: pl.DataFrame
    exclusions: pl.DataFrame
    expected: dict[str, list[tuple[int, str]]]


def _registry_sample(lists: list[tuple[str, GeneratedList, dict[int, int], set[int]]]
                     ) -> RegistrySample:
    rng = random.Random(f"{REGISTRY_SEED}/sample")
    people: list[pl.DataFrame] = []
    exclusions: list[dict[str, str]] = []
    expected: dict[str, list[tuple[int, str]]] = {}
    kategori = [("ASN", "PNS Pemerintah Kota Medan"), ("TNI", "Anggota TNI AD"),
                ("POLRI", "Anggota Polrestabes Medan"), ("PERANGKAT_DESA", "Kepala Lingkungan"),
                ("ASN", "PPPK Dinas Pendidikan")]
    k_i = 0
    for stem, g, row_of, damaged in lists:
        prog = PROGRAMS[g.program]
        t = g.truth()
        internal = g.internal
        exp: list[tuple[int, str]] = [(row_of[r - 2], c) for r, c in
                                      g.registry_expected.iter_rows()]
        free = [i for i in internal.filter(pl.col("free"))["_i"].to_list() if i not in damaged]
        rng.shuffle(free)
        take = iter(free)
        absent: set[str] = set()
        changes: dict[str, dict[str, object]] = {}
        nik_of = internal["t_nik"].to_list()
        female = internal["female"].to_list()

        def pick(k: int, take=take) -> list[int]:
            return [next(take) for _ in range(k)]

        if prog.registry_required:
            for i in pick(2):
                absent.add(nik_of[i])
                exp.append((row_of[i], "DTKS_TIDAK_TERDAFTAR"))
            for i in pick(2):
                changes[nik_of[i]] = {"desil": rng.choice([6, 7, 8, 9])}
                exp.append((row_of[i], "DTKS_DESIL"))
        for i in pick(1 if stem == MESSY_STEM else 2):
            changes[nik_of[i]] = {"status": "meninggal"}
            exp.append((row_of[i], "DTKS_MENINGGAL"))
        for i in pick(1):  # a different person under this NIK
            other = _name_other(internal["t_nama"][i], female[i], rng)
            changes[nik_of[i]] = {"nama": other}
            exp.append((row_of[i], "DTKS_NAMA_BEDA"))
        if prog.has_kk:
            for i in pick(1):
                kk = internal["t_kk"][i]
                changes[nik_of[i]] = {"no_kk": kk[:12] + f"{(int(kk[12:15]) + 500) % 1000:03d}"
                                      + kk[15]}
                exp.append((row_of[i], "DTKS_KK_BEDA"))
        for i in pick(1 if stem == MESSY_STEM else 2):
            kat, ket = kategori[k_i % len(kategori)]
            k_i += 1
            exclusions.append({"nik": nik_of[i], "kategori": kat, "keterangan": ket})
            exp.append((row_of[i], "DAFTAR_PENGECUALIAN"))
        rest = list(take)
        names = internal["t_nama"].to_list()

        def kind(i: int, names=names) -> int:  # prefer Muhammad/Moh. and old spelling
            w = names[i].split()
            if "MUHAMMAD" in w:
                return 0
            if any(x.startswith(("SU", "SOE", "DJ", "JO", "JU")) for x in w):
                return 1
            return 2

        n_var = max(1, len(rest) // 10)
        chosen = [i for i in rest if kind(i) == 0][:2] + [i for i in rest if kind(i) == 1][:2]
        chosen += [i for i in rest if i not in chosen][: max(0, n_var - len(chosen))]
        variant_rows = chosen[: max(n_var, len(chosen))]
        rest = [i for i in rest if i not in variant_rows]
        for i in variant_rows:  # spelling variants: no finding
            changes[nik_of[i]] = {"nama": _spelling_variant(names[i], female[i], rng)}
        if not prog.registry_required:  # teachers need not be in the registry at all
            for i in rest[: len(rest) * 4 // 10]:
                absent.add(nik_of[i])
            t = t.with_columns(desil=pl.Series([rng.choice([None, *range(1, 11)])
                                                for _ in range(t.height)], dtype=pl.Int8))
        else:
            t = t.with_columns(desil=pl.Series([rng.randint(1, DESIL_MAX)
                                                for _ in range(t.height)], dtype=pl.Int8))
        recs = []
        for rec in t.to_dicts():
            if rec["nik"] in absent:
                continue
            rec.update(changes.get(rec["nik"], {}))
            recs.append(rec)
        people.append(pl.DataFrame(recs, schema=REGISTRY_SCHEMA))
        expected[stem] = sorted(set(exp))
    others = make_registry(REGISTRY_OTHERS, REGISTRY_SEED, "1271")
    for rec in others.filter(pl.col("status") == "aktif").head(40).tail(25).to_dicts():
        kat, ket = kategori[k_i % len(kategori)]
        k_i += 1
        exclusions.append({"nik": rec["nik"], "kategori": kat, "keterangan": ket})
    dtks = pl.concat([*people, others])
    if dtks["nik"].is_duplicated().any():
        raise RuntimeError("registry sample has a NIK twice")
    dtks = dtks.with_columns(_k=_u(REGISTRY_SEED, "shuffle", dtks.height)).sort("_k", "nik").drop(
        "_k")
    excl = pl.DataFrame(exclusions, schema={"nik": pl.String, "kategori": pl.String,
                                            "keterangan": pl.String}).sort("nik")
    return RegistrySample(dtks, excl, expected)


def _name_other(name: str, female: bool, rng: random.Random) -> str:
    words = set(name.split())
    for _ in range(100):
        pool_a = GIVEN_FEMALE if female else GIVEN_MALE
        pool_b = SECOND_FEMALE if female else SECOND_MALE
        cand = f"{rng.choice(pool_a)} {rng.choice(pool_b)}"
        if not words & set(cand.split()):
            return cand
    return "RAHMAT HIDAYAT" if "RAHMAT" not in words else "SITI AMINAH"


# ---- writing everything ---------------------------------------------------------------------


def _write_rows(path: Path, rows: list[tuple[int, str]], header: tuple[str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(sorted(rows))


def write_ready(root: Path = HERE) -> list[Path]:
    """Writes the small committed files under root/lists and root/registry."""
    lists_dir, reg_dir = root / "lists", root / "registry"
    lists_dir.mkdir(parents=True, exist_ok=True)
    reg_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for_registry: list[tuple[str, GeneratedList, dict[int, int], set[int]]] = []
    manifest = []
    for spec in READY:
        g = generate_list(spec.program, spec.rows, spec.seed, spec.error_rate, spec.kecamatan,
                          outside_rows=spec.outside_rows)
        rng = random.Random(f"{spec.seed}/style")
        if spec.fmt == "xlsx":
            path = lists_dir / f"{spec.stem}.xlsx"
            _write_simple_xlsx(g, path, rng,
                               date_cells={"pkh": 0.5, "maghrib_mengaji": 0.3}.get(spec.program, 0),
                               numeric_amounts=True, mon2=0.2 if spec.program == "kube" else 0)
            sheet, enc, delim = "Sheet1", "", ""
        elif spec.fmt == "csv-cp1252":
            path = lists_dir / f"{spec.stem}.csv"
            _write_csv_file(g, path, rng, delimiter=";", encoding="cp1252", style="bpnt")
            sheet, enc, delim = "", "cp1252", ";"
        else:
            path = lists_dir / f"{spec.stem}.csv"
            _write_csv_file(g, path, rng, delimiter=",", encoding="utf-8-sig", style="bst")
            sheet, enc, delim = "", "utf-8-sig", ","
        write_expected(g.expected, sidecar(path))
        written += [path, sidecar(path)]
        for_registry.append((spec.stem, g, {i: i + 2 for i in range(spec.rows)}, set()))
        manifest.append({"file": path.name, "program": spec.program, "kecamatan": spec.kecamatan,
                         "kecamatan_nama": kecamatan_name(spec.kecamatan), "sheet": sheet,
                         "header_row": 1, "first_data_row": 2, "data_rows": spec.rows,
                         "encoding": enc, "delimiter": delim, "seed": spec.seed,
                         "error_rate": spec.error_rate})
    messy_path = lists_dir / f"{MESSY_STEM}.xlsx"
    m = _write_messy(messy_path)
    _write_rows(sidecar(messy_path), m.expected, ("row", "code"))
    _write_rows(sidecar(messy_path, "skipped"), m.skipped, ("row", "why"))
    written += [messy_path, sidecar(messy_path), sidecar(messy_path, "skipped")]
    for_registry.append((MESSY_STEM, m.gen, m.row_of, m.damaged))
    manifest.append({"file": messy_path.name, "program": "pkh", "kecamatan": "127117",
                     "kecamatan_nama": kecamatan_name("127117"), "sheet": "DAFTAR KPM",
                     "header_row": MESSY_HEADER_ROW, "first_data_row": MESSY_FIRST_DATA,
                     "data_rows": MESSY_ROWS, "encoding": "", "delimiter": "", "seed": MESSY_SEED,
                     "error_rate": round(len(MESSY_TYPES) / MESSY_ROWS, 3)})

    rs = _registry_sample(for_registry)
    dtks_path, excl_path = reg_dir / "dtks_sample.csv", reg_dir / "pengecualian.csv"
    rs.dtks.write_csv(dtks_path)
    rs.exclusions.write_csv(excl_path)
    written += [dtks_path, excl_path]
    for stem, rows in rs.expected.items():
        p = lists_dir / f"{stem}.expected_registry.csv"
        _write_rows(p, rows, ("row", "code"))
        written.append(p)
    pl.DataFrame(manifest).write_csv(lists_dir / "manifest.csv")
    written.append(lists_dir / "manifest.csv")
    return written


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sample_data.generate",
        description="Synthetic bansos lists and registry extracts (no real people). Without "
                    "--rows/--registry-rows: write the small ready files.")
    ap.add_argument("--rows", type=int, help="write one list with N data rows to --out")
    ap.add_argument("--format", choices=["csv", "xlsx", "parquet"],
                    help="list format (default: from --out's extension)")
    ap.add_argument("--program", default="pkh", choices=list(PROGRAMS))
    ap.add_argument("--kecamatan", default=None,
                    help="list: submitting kecamatan (default 127117 Medan Baru); registry: "
                         "region prefix to spread people over (default: all of Indonesia)")
    ap.add_argument("--error-rate", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--registry-rows", type=int, help="write a registry extract with N rows")
    ap.add_argument("--out", help="output file (list, or registry when only --registry-rows)")
    ap.add_argument("--registry-out", help="with --rows and --registry-rows: the registry file; "
                                           "it then also holds the list's people")
    ap.add_argument("--no-expected", action="store_true", help="do not write the sidecar")
    ap.add_argument("--dir", default=str(HERE), help="root for the ready files")
    a = ap.parse_args(argv)

    try:
        if a.rows is None and a.registry_rows is None:
            t0 = time.perf_counter()
            paths = write_ready(Path(a.dir))
            for p in paths:
                print(p)
            print(f"{len(paths)} files in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            return 0
        if not a.out:
            ap.error("--out is required with --rows or --registry-rows")
        if a.rows is not None:
            fmt = (a.format or Path(a.out).suffix.lstrip(".")).lower()
            if fmt not in ("csv", "xlsx", "parquet"):
                ap.error("--format must be csv, xlsx or parquet (or give --out that extension)")
            if a.rows > 100_000 and (a.format or Path(a.out).suffix.lstrip(".")) == "xlsx":
                print("note: xlsx lists above 100,000 rows are slow; use csv or parquet",
                      file=sys.stderr)
            t0 = time.perf_counter()
            g = generate_list(a.program, a.rows, a.seed, a.error_rate, a.kecamatan or "127117")
            t1 = time.perf_counter()
            write_list(g.frame, a.out, fmt)
            if not a.no_expected:
                write_expected(g.expected, sidecar(a.out))
            t2 = time.perf_counter()
            print(f"{a.out}: {a.rows} rows, {g.expected.height} expected findings "
                  f"(generate {t1 - t0:.1f} s, write {t2 - t1:.1f} s)", file=sys.stderr)
            if a.registry_rows is not None:
                if not a.registry_out:
                    ap.error("--registry-out is required with both --rows and --registry-rows")
                n = write_registry(a.registry_out, a.registry_rows, a.seed, None, g.truth())
                print(f"{a.registry_out}: {n} rows ({time.perf_counter() - t2:.1f} s)",
                      file=sys.stderr)
            return 0
        t0 = time.perf_counter()
        n = write_registry(a.out, a.registry_rows, a.seed, a.kecamatan)
        print(f"{a.out}: {n} rows ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
        return 0
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
