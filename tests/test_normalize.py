"""Tables and properties for validator.normalize (ids, dates, names, values)."""

from __future__ import annotations

import calendar
import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.normalize import (
    century_year,
    clean_id,
    digit_count,
    display_name,
    is_placeholder_name,
    is_scientific,
    name_key,
    nik_birth_date,
    nik_date_parts,
    parse_amount,
    parse_date,
    parse_sex,
    sex_present,
)

TODAY = dt.date(2026, 5, 1)
D = dt.date


def run(fn, values, *args, num=None, dtype=pl.Utf8, **kwargs) -> list:
    """Apply an expression function to a column of values and return the results."""
    frame = pl.DataFrame({"t": pl.Series(values, dtype=dtype)})
    if num is not None:
        frame = frame.with_columns(n=pl.Series(num, dtype=pl.Boolean))
        args = (pl.col("n"), *args)
    return frame.select(fn(pl.col("t"), *args, **kwargs)).to_series().to_list()


def one(fn, value, *args, **kwargs):
    """Apply an expression function to a single value."""
    return run(fn, [value], *args, **kwargs)[0]


def cases(table: dict) -> pytest.MarkDecorator:
    """Parametrize (text, expected) from a dict whose keys double as readable ids."""
    return pytest.mark.parametrize(("text", "expected"), list(table.items()), ids=repr)


# --- ids ---------------------------------------------------------------------------------------


@cases(
    {
        "3271011506800001": "3271011506800001",
        "  3271011506800001 ": "3271011506800001",
        "3271.0115.0680.0001": "3271011506800001",
        "3271-0115-0680-0001": "3271011506800001",
        "3271 0115 0680 0001": "3271011506800001",
        "3271\u00a0011506800001\t": "3271011506800001",
        "'3271011506800001": "3271011506800001",
        " '3271011506800001": "3271011506800001",
        "\u20193271011506800001": "3271011506800001",
        "\u20183271011506800001": "3271011506800001",
        "32710115068O0001": "32710115068O0001",
        "32710115068o0001": "32710115068O0001",
        "3271'011506800001": "3271'011506800001",
        "": None,
        "   ": None,
        "'": None,
        None: None,
    }
)
def test_clean_id(text, expected):
    assert one(clean_id, text) == expected


@cases(
    {
        "3.20101E+15": True,
        "3,27101E+15": True,
        "3.27E15": True,
        "3.271011506800000e+015": True,
        " 3.27 E +15 ": True,
        "3.27e-05": True,
        "3E15": True,
        "3271011506800001": False,
        "3.27": False,
        "E+15": False,
        "3.27E": False,
        "3.2E+1 5": False,
        "ABCE15": False,
        "": False,
        None: False,
    }
)
def test_is_scientific(text, expected):
    assert one(is_scientific, text) is expected


@cases({"3271011506800001": 16, "32.71-01": 6, "ABC": 0, "١٢٣": 0, "": 0, None: None})
def test_digit_count(text, expected):
    assert one(digit_count, text) == expected


def test_digit_count_dtype():
    assert pl.select(digit_count(pl.lit("12"))).dtypes == [pl.UInt32]


# --- dates -------------------------------------------------------------------------------------


@cases(
    {
        "15-06-1968": D(1968, 6, 15),
        "15/06/1968": D(1968, 6, 15),
        "15.06.1968": D(1968, 6, 15),
        "15-6-1968": D(1968, 6, 15),
        "5/6/1968": D(1968, 6, 5),
        "15 / 06 / 1968": D(1968, 6, 15),
        "\u00a015-06-1968\t": D(1968, 6, 15),
        "15/06/1968 00:00": D(1968, 6, 15),
        "1968-06-15": D(1968, 6, 15),
        "1968/06/15": D(1968, 6, 15),
        "1968-06-15 00:00:00": D(1968, 6, 15),
        "1968-06-15 00:00:00.000": D(1968, 6, 15),
        "1968-06-15 00:00": D(1968, 6, 15),
        "15 Juni 1968": D(1968, 6, 15),
        "15 Jun 1968": D(1968, 6, 15),
        "15-Jun-68": D(1968, 6, 15),
        "15 JUNI 68": D(1968, 6, 15),
        "1 Januari 1950": D(1950, 1, 1),
        "1 Jan 1950": D(1950, 1, 1),
        "2 Februari 1950": D(1950, 2, 2),
        "2 Pebruari 1950": D(1950, 2, 2),
        "2 feb 1950": D(1950, 2, 2),
        "3 Maret 1950": D(1950, 3, 3),
        "3 Mar 1950": D(1950, 3, 3),
        "4 April 1950": D(1950, 4, 4),
        "4 Apr 1950": D(1950, 4, 4),
        "5 Mei 1950": D(1950, 5, 5),
        "5 May 1950": D(1950, 5, 5),
        "7 Juli 1950": D(1950, 7, 7),
        "7 Jul 1950": D(1950, 7, 7),
        "8 Agustus 1950": D(1950, 8, 8),
        "8 Agu 1950": D(1950, 8, 8),
        "8 Agt 1950": D(1950, 8, 8),
        "8 Ags 1950": D(1950, 8, 8),
        "8 Agus 1950": D(1950, 8, 8),
        "8 Aug 1950": D(1950, 8, 8),
        "8 August 1950": D(1950, 8, 8),
        "8 Agt. 1950": D(1950, 8, 8),
        "9 September 1950": D(1950, 9, 9),
        "9 Sep 1950": D(1950, 9, 9),
        "9 Sept 1950": D(1950, 9, 9),
        "10 Oktober 1950": D(1950, 10, 10),
        "10 Okt 1950": D(1950, 10, 10),
        "10 Oct 1950": D(1950, 10, 10),
        "11 November 1950": D(1950, 11, 11),
        "11 Nov 1950": D(1950, 11, 11),
        "11 Nop 1950": D(1950, 11, 11),
        "12 Desember 1950": D(1950, 12, 12),
        "12 Des 1950": D(1950, 12, 12),
        "12 Dec 1950": D(1950, 12, 12),
        "12 december 1950": D(1950, 12, 12),
        "19680615": D(1968, 6, 15),
        "15061968": D(1968, 6, 15),
        "25369": D(1969, 6, 15),
        "1": D(1900, 1, 1),
        "59": D(1900, 2, 28),
        "61": D(1900, 3, 1),
        "45000": D(2023, 3, 15),
        "15-06-26": D(1926, 6, 15),  # 2026-06-15 is still ahead of TODAY: the last century
        "15-06-27": D(1927, 6, 15),
        "01-01-00": D(2000, 1, 1),
        "29-02-2000": D(2000, 2, 29),
        # near misses
        "60": None,
        "0": None,
        "123456": None,
        "1234567": None,
        "25369.5": None,
        "31-02-1970": None,
        "29-02-1900": None,
        "29-02-1971": None,
        "15-13-1968": None,
        "00-06-1968": None,
        "32-01-1968": None,
        "15-06-968": None,
        "15 Juno 1968": None,
        "15 Foo 1968": None,
        "19681315": None,
        "1968-06": None,
        "MEDAN, 15-06-1968": None,
        "15-06-1968 lahir": None,
        "15-06-1968-01": None,
        "1968-06-15 25": None,
        "15 Juni": None,
        "Juni 1968": None,
        "Juni": None,
        "-": None,
        "": None,
        None: None,
    }
)
def test_parse_date(text, expected):
    assert one(parse_date, text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "num", "expected"),
    [
        ("25369", True, D(1969, 6, 15)),
        ("25369.75", True, D(1969, 6, 15)),
        ("25639.604166666667", True, D(1970, 3, 12)),  # a time part of 12 digits: 14:30
        ("25639.604166666667", False, None),
        ("25369.75", False, None),
        ("25369.75", None, None),
        ("1968-06-15", False, D(1968, 6, 15)),
        ("19680615", True, D(1968, 6, 15)),
        ("60", True, None),
        ("0.5", True, None),
    ],
    ids=repr,
)
def test_parse_date_numeric_cell(text, num, expected):
    assert run(parse_date, [text], num=[num], today=TODAY)[0] == expected


def test_parse_date_in_a_1904_workbook_shifts_numeric_serials_only():
    """Serial 24177 is 12-03-1970 in a 1904-system workbook (Excel for Mac), 12-03-1966 in the
    usual one; a date typed as text, or a serial typed as text, is read as ever."""
    got = run(parse_date, ["24177", "24177.5", "24177", "12-03-1970"], num=[True, True, False, False],
              today=TODAY, date1904=True)
    assert got == [D(1970, 3, 12), D(1970, 3, 12), D(1966, 3, 11), D(1970, 3, 12)]
    assert run(parse_date, ["24177"], num=[True], today=TODAY)[0] == D(1966, 3, 11)


def test_parse_date_is_num_scalar():
    assert run(parse_date, ["25369.5"], True)[0] == D(1969, 6, 15)


def test_two_digit_year_whose_date_is_still_ahead_this_year_is_last_century():
    today = D(2026, 11, 22)
    assert one(parse_date, "15-12-26", today=today) == D(1926, 12, 15)
    assert one(parse_date, "15-11-26", today=today) == D(2026, 11, 15)


@pytest.mark.parametrize(("ddmmyy", "expected"), [
    ("301109", D(2009, 11, 30)),  # the real day, not clamped
    ("290200", D(2000, 2, 29)),
    ("691100", D(2000, 11, 29)),  # a woman's NIK
    ("151226", D(1926, 12, 15)),  # 2026-12-15 is still ahead of 2026-11-22
    ("131126", D(2026, 11, 13)),
    ("311126", None),  # no 31 November
], ids=repr)
def test_nik_birth_date(ddmmyy, expected):
    nik = pl.Series([_nik(ddmmyy)])
    got = pl.select(nik_birth_date(nik_date_parts(pl.lit(nik)), D(2026, 11, 22))).item()
    assert got == expected


def test_parse_date_default_today_two_digit_year():
    yy = dt.date.today().year % 100
    assert one(parse_date, f"01-01-{yy:02d}") == D(2000 + yy, 1, 1)


@pytest.mark.parametrize(
    ("yy", "expected"), [(0, 2000), (26, 2026), (27, 1927), (99, 1999)], ids=repr
)
def test_century_year(yy, expected):
    assert pl.select(century_year(pl.lit(yy), today=TODAY)).item() == expected
    assert pl.select(century_year(yy, today=TODAY)).dtypes == [pl.Int32]


def _nik(ddmmyy: str) -> str:
    return f"127101{ddmmyy}0001"


@pytest.mark.parametrize(
    ("ddmmyy", "expected"),
    [
        ("150680", {"day": 15, "month": 6, "yy": 80, "female": False, "valid": True}),
        ("550680", {"day": 15, "month": 6, "yy": 80, "female": True, "valid": True}),
        ("010100", {"day": 1, "month": 1, "yy": 0, "female": False, "valid": True}),
        ("710199", {"day": 31, "month": 1, "yy": 99, "female": True, "valid": True}),
        ("290200", {"day": 29, "month": 2, "yy": 0, "female": False, "valid": True}),
        ("690200", {"day": 29, "month": 2, "yy": 0, "female": True, "valid": True}),
        ("290204", {"day": 29, "month": 2, "yy": 4, "female": False, "valid": True}),
        ("290201", {"day": 29, "month": 2, "yy": 1, "female": False, "valid": False}),
        ("310270", {"day": 31, "month": 2, "yy": 70, "female": False, "valid": False}),
        ("310470", {"day": 31, "month": 4, "yy": 70, "female": False, "valid": False}),
        ("700470", {"day": 30, "month": 4, "yy": 70, "female": True, "valid": True}),
        ("000680", {"day": 0, "month": 6, "yy": 80, "female": False, "valid": False}),
        ("320680", {"day": 32, "month": 6, "yy": 80, "female": False, "valid": False}),
        ("400680", {"day": 40, "month": 6, "yy": 80, "female": False, "valid": False}),
        ("720680", {"day": 32, "month": 6, "yy": 80, "female": True, "valid": False}),
        ("150080", {"day": 15, "month": 0, "yy": 80, "female": False, "valid": False}),
        ("151380", {"day": 15, "month": 13, "yy": 80, "female": False, "valid": False}),
    ],
    ids=repr,
)
def test_nik_date_parts(ddmmyy, expected):
    assert one(nik_date_parts, _nik(ddmmyy)) == expected


@pytest.mark.parametrize("nik", ["127101AB06800001", "1271", "", None], ids=repr)
def test_nik_date_parts_unreadable(nik):
    assert one(nik_date_parts, nik)["valid"] is False


def test_nik_date_parts_matches_calendar():
    """Every DDMMYY (women's form included) against the standard library's calendar."""
    combos = [f"{d:02d}{m:02d}{y:02d}" for d in range(100) for m in range(14) for y in range(100)]

    def exists(code: str) -> bool:
        d, m, y = int(code[:2]), int(code[2:4]), int(code[4:])
        d = d - 40 if d > 40 else d
        if not 1 <= m <= 12 or d < 1:
            return False
        return any(d <= calendar.monthrange(c + y, m)[1] for c in (1900, 2000))

    got = run(lambda e: nik_date_parts(e).struct.field("valid"), [_nik(c) for c in combos])
    assert got == [exists(c) for c in combos]


digits = st.text(alphabet="0123456789", min_size=16, max_size=16)


@settings(max_examples=200)
@given(st.lists(digits, min_size=1, max_size=50))
def test_nik_date_parts_always_gives_verdict(niks):
    valid = run(lambda e: nik_date_parts(e).struct.field("valid"), niks)
    assert all(v is True or v is False for v in valid)


@settings(max_examples=300)
@given(
    day=st.integers(1, 31),
    month=st.integers(0, 99),
    yy=st.integers(0, 99),
    rest=st.tuples(
        st.text("0123456789", min_size=6, max_size=6), st.text("0123456789", min_size=4, max_size=4)
    ),
)
def test_nik_women_day_plus_40_is_symmetric(day, month, yy, rest):
    male = f"{rest[0]}{day:02d}{month:02d}{yy:02d}{rest[1]}"
    female = f"{rest[0]}{day + 40:02d}{month:02d}{yy:02d}{rest[1]}"
    parts = run(nik_date_parts, [male, female])
    assert parts[0]["valid"] == parts[1]["valid"]
    assert parts[0]["day"] == parts[1]["day"]
    assert (parts[0]["female"], parts[1]["female"]) == (False, True)


@settings(max_examples=200)
@given(st.lists(st.one_of(st.none(), st.text()), min_size=1, max_size=30), st.data())
def test_parse_date_never_raises(texts, data):
    num = data.draw(
        st.lists(st.one_of(st.none(), st.booleans()), min_size=len(texts), max_size=len(texts))
    )
    out = run(parse_date, texts, num=num)
    assert all(v is None or isinstance(v, dt.date) for v in out)


# --- names -------------------------------------------------------------------------------------


@cases(
    {
        "siti aminah": "SITI AMINAH",
        "  Siti\u00a0\u00a0Aminah\t": "SITI AMINAH",
        "Siti,  S.Pd": "SITI, S.PD",
        "": None,
        " \u00a0\t": None,
        None: None,
    }
)
def test_display_name(text, expected):
    assert one(display_name, text) == expected


@cases(
    {
        "Siti Aminah": "SITI AMINAH",
        "  siti\u00a0 aminah ": "SITI AMINAH",
        # titles and honorifics
        "SITI, S.Pd": "SITI",
        "Siti,S.Pd": "SITI",
        "Siti S.Pd.I": "SITI",
        "Siti, S. Pd. I": "SITI",
        "Siti S.PdI": "SITI",
        "Siti SPd": "SITI",
        "Siti S.Ag": "SITI",
        "Budi S.Sos": "BUDI",
        "Budi, S.E.": "BUDI",
        "Budi SE": "BUDI",
        "Budi S.H.": "BUDI",
        "Budi S.Kom": "BUDI",
        "Budi S.T": "BUDI",
        "Budi S.IP": "BUDI",
        "Budi S.KM": "BUDI",
        "Budi S.Kep": "BUDI",
        "Rina A.Md": "RINA",
        "Rina Ama.Pd": "RINA",
        "Rina A.Ma.Pd": "RINA",
        "Budi, M.Pd": "BUDI",
        "Budi M.Si": "BUDI",
        "Budi, S.E., M.M.": "BUDI",
        "Budi M.Ag": "BUDI",
        "H. Ahmad": "AHMAD",
        "H Ahmad": "AHMAD",
        "Hj. Siti": "SITI",
        "Haji Ahmad": "AHMAD",
        "Hajjah Siti": "SITI",
        "Drs. Ahmad": "AHMAD",
        "Dra. Siti": "SITI",
        "Dr. Ir. Ahmad": "AHMAD",
        "Prof. Dr. Ahmad": "AHMAD",
        "Ustadz Ahmad": "AHMAD",
        "Ustad Ahmad": "AHMAD",
        "Ust. Ahmad": "AHMAD",
        "Ustadzah Siti": "SITI",
        "Ustazah Siti": "SITI",
        "Bpk. Ahmad": "AHMAD",
        "Bapak Ahmad": "AHMAD",
        "Ibu Siti": "SITI",
        "Ny. Siti": "SITI",
        "Nyonya Siti": "SITI",
        "Tn. Ahmad": "AHMAD",
        "Sdr. Ahmad": "AHMAD",
        "Sdri. Siti": "SITI",
        "Alm. Ahmad": "AHMAD",
        "Almh. Siti": "SITI",
        "Almarhum Ahmad": "AHMAD",
        "Almarhumah Siti": "SITI",
        "Tgk. Ahmad": "AHMAD",
        "Teungku Ahmad": "AHMAD",
        "Drs. H. Ahmad Djoko, M.Si": "AHMAD JOKO",
        "HAJI": "HAJI",
        "Ibu": "IBU",
        "Hj.": "HJ",
        # Muhammad variants
        "M. Yusuf": "MUHAMMAD JUSUF",
        "M Yusuf": "MUHAMMAD JUSUF",
        "M.Yusuf": "MUHAMMAD JUSUF",
        "Muh. Yusuf": "MUHAMMAD JUSUF",
        "Muhd Yusuf": "MUHAMMAD JUSUF",
        "Moh. Yusuf": "MUHAMMAD JUSUF",
        "Mohd Yusuf": "MUHAMMAD JUSUF",
        "Mhd. Yusuf": "MUHAMMAD JUSUF",
        "Moch. Yusuf": "MUHAMMAD JUSUF",
        "Mochamad Yusuf": "MUHAMMAD JUSUF",
        "Mochammad Yusuf": "MUHAMMAD JUSUF",
        "Mohamad Yusuf": "MUHAMMAD JUSUF",
        "Mohammad Yusuf": "MUHAMMAD JUSUF",
        "Mohammed Yusuf": "MUHAMMAD JUSUF",
        "Muhamad Yusuf": "MUHAMMAD JUSUF",
        "Muhammed Yusuf": "MUHAMMAD JUSUF",
        "Muhamat Yusuf": "MUHAMMAD JUSUF",
        "Muhammat Yusuf": "MUHAMMAD JUSUF",
        "H. M. Yusuf": "MUHAMMAD JUSUF",
        "Ahmad Moh. Yusuf": "AHMAD MUHAMMAD JUSUF",
        "Ahmad M": "AHMAD M",
        "Ahmad Muh": "AHMAD MUH",
        "M": "MUHAMMAD",
        "Mahmud": "MAHMUD",
        "M. Mahmud": "MUHAMMAD MAHMUD",
        # old spelling
        "Yusuf": "JUSUF",
        "Jusuf": "JUSUF",
        "Djoko": "JOKO",
        "Joko": "JOKO",
        "Tjahja": "TJAHJA",
        "Cahya": "TJAHJA",
        "Soekarno": "SUKARNO",
        "Sukarno": "SUKARNO",
        "Chairul": "KHAIRUL",
        "Khairul": "KHAIRUL",
        "Sjarifah": "SJARIFAH",
        "Syarifah": "SJARIFAH",
        "Njoman": "NJOMAN",
        "Nyoman": "NJOMAN",
        "Widya": "WIJA",
        "Widja": "WIJA",
        # bin / binti
        "Ahmad bin Abdullah": "AHMAD",
        "Siti Binti Ali": "SITI",
        "Siti bt. Ali": "SITI",
        "Siti Bte Ali": "SITI",
        "Ahmad Bin": "AHMAD",
        "Ahmad Binsar": "AHMAD BINSAR",
        "Ahmad H. bin Ali": "AHMAD",
        "Ahmad bin H. Ali": "AHMAD",
        "Prof.Dr.Ir.H.Ahmad": "AHMAD",
        "M. Yusuf, S.H.": "MUHAMMAD JUSUF",
        "Andi S.Pd, M.Pd": "ANDI",
        "Cici": "TJITJI",
        # ST. before a name is Siti; the degree S.T. after it goes
        "ST. AMINAH": "SITI AMINAH",
        "Hj. St. Aminah": "SITI AMINAH",
        "St.Aminah Nasution": "SITI AMINAH NASUTION",
        "Budi, S.T.": "BUDI",
        "Ir. Budi, ST": "BUDI",
        "Steven": "STEVEN",
        # degrees after the comma ending a name
        "Drs. H. Abdul Manaf, M.A": "ABDUL MANAF",
        "H. Ahmad, Lc": "AHMAD",
        "dr. Rina, Sp.A": "RINA",
        "Siti Aminah, S.Pd., M.Pd": "SITI AMINAH",
        "Nasution, Ali": "NASUTION ALI",
        "Rosma, Br. Pane": "ROSMA BR PANE",
        "Hasanuddin, M. Nur": "HASANUDDIN MUHAMMAD NUR",
        "M. A. Rahman": "MUHAMMAD A RAHMAN",
        "Siti 2": "SITI 2",
        # punctuation
        "Ma'ruf": "MARUF",
        "Ma\u2019ruf": "MARUF",
        "Siti-Aminah": "SITI AMINAH",
        "(Siti) Aminah": "SITI AMINAH",
        "": None,
        "  ": None,
        ".,-": None,
        None: None,
    }
)
def test_name_key(text, expected):
    assert one(name_key, text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("YUSUF", "JUSUF"),
        ("DJOKO", "JOKO"),
        ("TJAHJA", "CAHYA"),
        ("SOEKARNO", "SUKARNO"),
        ("H. Moch. Chairul Soeharto, S.E.", "MUHAMMAD KHAIRUL SUHARTO"),
        ("Hj. Siti Nurjanah binti Ahmad", "SITI NURYANAH"),
        ("HADYAN", "HADJAN"),
        ("SATYA", "SATJA"),
        ("WIDYA", "WIDJA"),
        ("NYOMAN", "NJOMAN"),
        ("SYARIFAH", "SJARIFAH"),
        ("MA'RUF", "MARUF"),
        ("ST. AMINAH", "SITI AMINAH"),
        ("HJ. ST AMINAH", "Hj. Siti Aminah"),
    ],
    ids=repr,
)
def test_name_key_equivalent_spellings(a, b):
    assert run(name_key, [a, b]) == [run(name_key, [b])[0]] * 2


@cases(
    {
        "-": True,
        "--": True,
        "TIDAK ADA": True,
        "tidak  ada": True,
        "Tdk Ada": True,
        "TDK. ADA": True,
        "NN": True,
        "N.N.": True,
        "XXX": True,
        "xxxxxx": True,
        "XX": True,
        "X": True,
        "N/A": True,
        "NA": True,
        "null": True,
        "None": True,
        "Belum Ada": True,
        "KOSONG": True,
        "?": True,
        "A": True,
        "Siti 2": True,
        "SITI1": True,
        " \u00a0- ": True,
        "Siti Aminah": False,
        "Ani": False,
        "Nana": False,
        "Ny. Siti": False,
        "Xena": False,
        "": False,
        "   ": False,
        None: False,
    }
)
def test_is_placeholder_name(text, expected):
    assert one(is_placeholder_name, text) is expected


name_words = st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=12)
names = st.lists(name_words, min_size=1, max_size=5).map(" ".join)
ascii_names = st.lists(
    st.sampled_from(
        ["M", "MUH", "H", "HJ", "BIN", "S", "PD", "Y", "DJ", "TJ", "OE", "CH", "D", "T"]
    )
    | st.text(alphabet="ABCDEHIJKMNOPSTUY", min_size=1, max_size=8),
    min_size=1,
    max_size=6,
).map(" ".join)


@settings(max_examples=300)
@given(st.lists(names | ascii_names, min_size=1, max_size=20))
def test_name_key_idempotent_and_never_null(texts):
    keys = run(name_key, texts)
    assert all(k is not None for k in keys)
    assert run(name_key, keys) == keys


@settings(max_examples=100)
@given(
    st.lists(
        st.text(alphabet=st.characters(categories=["Lu", "Ll", "Zs", "Po", "Pd"])),
        min_size=1,
        max_size=20,
    )
)
def test_name_key_idempotent_with_punctuation(texts):
    keys = run(name_key, texts)
    assert run(name_key, keys) == keys


# --- values ------------------------------------------------------------------------------------


@cases(
    {
        "L": "L",
        "l": "L",
        " L ": "L",
        "L.": "L",
        "LK": "L",
        "Lk.": "L",
        "Laki": None,  # not a spelling the spec lists
        "Laki-laki": "L",
        "LAKI LAKI": "L",
        "laki2": "L",
        "Laki-Laki ": "L",
        "Lelaki": None,
        "L1": None,
        "Pria": "L",
        "M": "L",
        "Male": None,
        "P": "P",
        "p": "P",
        "PR": "P",
        "Pr.": "P",
        "Perempuan": "P",
        "PEREMPUAN": "P",
        "Wanita": "P",
        "W": None,
        "F": "P",
        "Female": None,
        "Perempua": None,
        "L/P": None,
        "LP": None,
        "X": None,
        "Laki-laki/Perempuan": None,
        "1": None,
        "": None,
        None: None,
    }
)
def test_parse_sex(text, expected):
    assert one(parse_sex, text) == expected


@cases({"L": True, " x ": True, "-": True, "": False, " \u00a0\t": False, None: False})
def test_sex_present(text, expected):
    assert one(sex_present, text) is expected


@cases(
    {
        "600000": 600000.0,
        "600.000": 600000.0,
        "Rp 600.000": 600000.0,
        "Rp. 600.000,00": 600000.0,
        "Rp600.000,-": 600000.0,
        "rp 600.000,-": 600000.0,
        "Rp 600.000.-": 600000.0,
        "600,000": 600000.0,
        "600.000,00": 600000.0,
        "600.000,5": 600000.5,
        "600000.00": 600000.0,
        "600000.5": 600000.5,
        "600,000.50": 600000.5,
        "600,5": 600.5,
        "600000,00": 600000.0,
        "IDR 600.000": 600000.0,
        "IDR600000": 600000.0,
        "-600.000": -600000.0,
        "Rp -600.000": -600000.0,
        "1.000.000": 1000000.0,
        "1,500": 1500.0,
        " 600.000\u00a0": 600000.0,
        "0": 0.0,
        "Rp 1.500.000,-": 1500000.0,
        "IDR 600.000,00": 600000.0,
        "-Rp 600.000": -600000.0,
        "600 000": 600000.0,
        "0,50": 0.5,
        # thousands and millions in words, as typed in kelurahan lists
        "600 ribu": 600000.0,
        "Rp 600rb": 600000.0,
        "600K": 600000.0,
        "1,2 jt": 1200000.0,
        "Rp 1,5 Juta": 1500000.0,
        "1.250rb": None,  # a thousands dot before a word: a slip
        "600.000 rb": None,
        "1,250 jt": None,
        # near misses
        "60.00.000": None,
        "6.0000": None,
        "600.0000": None,
        "1.50.000": None,
        "600.000,000": None,
        "12,34,567": None,
        "600.000,00.00": None,
        "rb": None,
        "1,2,3 jt": None,
        "USD 600": None,
        "6OO.000": None,
        "Rp": None,
        "(600.000)": None,
        "600.000 Rp": None,
        "--600": None,
        ".5": None,
        "6E5": None,
        "-": None,
        "abc": None,
        "": None,
        None: None,
    }
)
def test_parse_amount(text, expected):
    assert one(parse_amount, text) == expected


def test_parse_amount_is_num_scalar():
    assert run(parse_amount, ["600000.125"], True)[0] == 600000.125


@pytest.mark.parametrize(
    ("text", "num", "expected"),
    [
        ("6E5", True, 600000.0),
        ("600000", True, 600000.0),
        ("600000.125", True, 600000.125),
        ("600000.125", False, None),
        ("600.000", False, 600000.0),
        ("Rp 600.000", None, 600000.0),
        ("-600000", True, -600000.0),
    ],
    ids=repr,
)
def test_parse_amount_numeric_cell(text, num, expected):
    assert run(parse_amount, [text], num=[num])[0] == expected


@settings(max_examples=300)
@given(st.lists(st.integers(1, 10**9), min_size=1, max_size=50))
def test_parse_amount_dotted_thousands_roundtrip(ns):
    texts = [f"{n:,}".replace(",", ".") for n in ns]
    assert run(parse_amount, texts) == [float(n) for n in ns]
