"""Birth-date parsing and the date encoded in a NIK."""

from __future__ import annotations

import datetime as dt

import polars as pl

from validator.normalize.ids import INVISIBLE

_MONTHS = {
    1: "JANUARI JANUARY JAN DJANUARI",
    2: "FEBRUARI FEBRUARY FEB PEBRUARI PEB FEBUARI PEBUARI",
    3: "MARET MARCH MAR MRT",
    4: "APRIL APR",
    5: "MEI MAY",
    6: "JUNI JUNE JUN DJUNI",
    7: "JULI JULY JUL DJULI",
    8: "AGUSTUS AUGUST AGU AGT AGS AGUS AGST AGUST AUG",
    9: "SEPTEMBER SEP SEPT",
    10: "OKTOBER OCTOBER OKT OCT",
    11: "NOVEMBER NOPEMBER NOV NOP",
    12: "DESEMBER DECEMBER DES DEC",
}
_MONTH_NO = {name: no for no, names in _MONTHS.items() for name in names.split()}

# Separator runs (with the spaces typed around them) become one "-"; a literal multi-pattern
# replace is several times cheaper than a regex, and splitting then replaces capture groups.
_SEPARATORS = [
    f"{left}{sep}{right}" for sep in "-/.," for left, right in ((" ", " "), (" ", ""), ("", " "))
] + [*"-/.,", "   ", "  ", " ", "\t", "\u00a0", "\u202f", "\u2009"]
_TIME = r"^\d{1,2}:\d{2}(?::\d{2})?$"  # what may follow a date: "1968-06-15 00:00:00"
# Before splitting: zero-width characters pasted with the date and a leading apostrophe go; an ISO
# "T" between date and time becomes a space; a time's AM/PM or time zone goes with it.
_INVISIBLE = f"[{INVISIBLE}]|^['\u2018\u2019]"
_ISO_T = r"^(\d{4}-\d{1,2}-\d{1,2})T(\d)"
_TIME_TAIL = r"(\d:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:[AP]\.?M\.?|Z|[+-]\d{2}:?\d{2})$"
_EXCEL_EPOCH_SERIAL = 25569  # Excel serial of 1970-01-01
# Days from the 1900 system's day 0 to the 1904 system's (1899-12-30 to 1904-01-01): serial s of a
# workbook in the 1904 system is serial s + 1462 in the 1900 one.
_SERIAL_1904 = 1462


def century_year(yy: pl.Expr | int, today: dt.date | None = None) -> pl.Expr:
    """Four-digit year for a two-digit year: 20YY unless that is after today's year (Int32)."""
    yy = (yy if isinstance(yy, pl.Expr) else pl.lit(yy)).cast(pl.Int32)
    this_year = (today or dt.date.today()).year
    return yy + pl.when(yy + 2000 <= this_year).then(2000).otherwise(1900).cast(pl.Int32)


def _iso(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
    """Compose integer year/month/day into a date; impossible combinations become null."""
    return pl.format("{}-{}-{}", y, m, d).str.to_date("%Y-%m-%d", strict=False)


def _from_serial(n: pl.Expr) -> pl.Expr:
    """Excel serial day number to a date."""
    # Excel serial 60 is the fictitious 29 Feb 1900; serials before it are one day later than
    # a plain count from 1899-12-30 would give.
    days = n - _EXCEL_EPOCH_SERIAL + (n < 60).cast(pl.Int32)
    return pl.when((n >= 1) & (n != 60)).then(days.cast(pl.Date))


def parse_date(
    text: pl.Expr, is_num: pl.Expr | bool | None = None, today: dt.date | None = None, date1904: bool = False,
    month_first: frozenset[str] = frozenset(),
) -> pl.Expr:
    """Birth-date cell text (any accepted layout, Excel serials included) to a Date, else null.
    `date1904`: the workbook counts serials from 1904 (a numeric cell's serial is shifted; a
    serial typed as text is read as the 1900 system's, as Excel shows such text no date at all).
    `month_first`: the separators with which 07/31/1998 is month, day, year (the column's own
    layout: month_first_column)."""
    num = pl.lit(bool(is_num)) if is_num is None or isinstance(is_num, bool) else is_num
    t = text.str.replace_all(_INVISIBLE, "").str.strip_chars().str.to_uppercase()
    t = t.str.replace(_ISO_T, "$1 $2").str.replace(_TIME_TAIL, "$1")
    t = t.str.replace_many(_SEPARATORS, ["-"] * len(_SEPARATORS), leftmost=True)
    # Staged with_fields: each field is computed once however often later stages refer to it.
    f = pl.field
    s = t.str.split("-").list.to_struct(fields=["a", "b", "c", "time", "frac", "more"])
    s = s.struct.with_fields(
        na=f("a").str.len_bytes(),
        nb=f("b").str.len_bytes(),
        nc=f("c").str.len_bytes(),
        # A part is a number when it casts (a stray "+" sign is tolerated) ...
        ia=f("a").cast(pl.Int32, strict=False),
        ib=f("b").cast(pl.Int32, strict=False),
        ic=f("c").cast(pl.Int32, strict=False),
        # ... or, in the middle, a month name.
        mb=f("b").replace_strict(_MONTH_NO, default=None, return_dtype=pl.Int32),
        # Nothing after the date but a time ("00:00:00.000": its dot is a "-" by now).
        end=f("more").is_null()
        & (f("time").is_null() | f("time").str.contains(_TIME))
        & (f("frac").is_null() | f("frac").str.contains(r"^\d+$")),
        num=num.fill_null(False),
    )
    eight = f("b").is_null() & (f("na") == 8) & f("ia").is_not_null()  # 19680615, 15061968
    # Eight digits are day-first only when YYYYMMDD cannot be a date (its month would be 19/20).
    eight_day_first = (f("ia") // 100 % 100).is_in([19, 20])
    s = s.struct.with_fields(
        # 1968-06-15; the year's four digits tell it from day-first 15-06-68.
        iso=f("end") & (f("na") == 4) & f("ib").is_not_null() & (f("nb") <= 2) & (f("nc") <= 2),
        day_first=f("end") & (f("na") <= 2),  # 15-06-1968, 15-06-68, 15 Juni 1968
        dmy8=eight & eight_day_first,
        ymd8=eight & ~eight_day_first,
        yyyy=pl.when(f("nc") == 2).then(century_year(f("ic"), today)).when(f("nc") == 4)
        .then(f("ic")),
        mm=pl.when(f("nb").is_between(1, 2)).then(f("ib")).otherwise(f("mb")),
        # Excel serials have at most 5 digits; only a numeric cell may add a time fraction.
        # (The fraction is digits of any length: 25639.604166666667 is 12-03-1970 at 14:30.)
        serial=pl.when(f("b").is_null() | (f("num") & f("b").str.contains(r"^\d+$") & f("c").is_null()))
        .then(pl.when(f("na") <= 5).then(f("ia") + (pl.when(f("num")).then(_SERIAL_1904).otherwise(0)
                                                     if date1904 else 0))),
    )  # fmt: skip

    def layout(iso: pl.Expr, day_first: pl.Expr, dmy8: pl.Expr, ymd8: pl.Expr) -> pl.Expr:
        """The part each layout holds; the layouts exclude each other."""
        return (
            pl.when(f("iso")).then(iso).when(f("day_first")).then(day_first)
            .when(f("dmy8")).then(dmy8).when(f("ymd8")).then(ymd8)
        )  # fmt: skip

    n = f("ia")
    year = layout(n, f("yyyy"), n % 10_000, n // 10_000)
    # Numbers, not a month name, written with a separator the column writes month first.
    swapped = (f("nb").is_between(1, 2) & text.str.extract(_NUMERIC_DATE, 2).is_in(list(month_first))
               if month_first else pl.lit(False))
    month = layout(f("ib"), pl.when(swapped).then(n).otherwise(f("mm")), n // 10_000 % 100, n // 100 % 100)
    day = layout(f("ic"), pl.when(swapped).then(f("ib")).otherwise(n), n // 1_000_000, n % 100)
    # One date parse for every layout: they exclude each other.
    date = pl.coalesce(_iso(year, month, day), _from_serial(f("serial")))
    s = s.struct.with_fields(date=date)
    # "15-12-26" read on 22 Nov 2026 is 1926, not a date three weeks ahead: a two-digit year is
    # the most recent one whose date has passed.
    ahead = f("day_first") & (f("nc") == 2) & (f("date") > pl.lit(today or dt.date.today()))
    s = s.struct.with_fields(date=pl.when(ahead).then(f("date").dt.offset_by("-100y")).otherwise(f("date")))
    return s.struct.field("date")


_NUMERIC_DATE = r"^\s*['\u2018\u2019]?(\d{1,2})([-/.])(\d{1,2})[-/.](?:\d{2}|\d{4})(?:[ T].*)?$"


def _date_parts(texts: pl.Series) -> pl.DataFrame:
    """Each 'a/b/yyyy' text's first part, separator and second part (a, sep, b); nulls elsewhere."""
    parts = texts.str.extract_groups(_NUMERIC_DATE).struct.unnest()
    a, sep, b = parts.columns[:3]
    return parts.select(pl.col(a).cast(pl.Int32, strict=False).alias("a"), pl.col(sep).alias("sep"),
                        pl.col(b).cast(pl.Int32, strict=False).alias("b"))


def month_first_column(texts: pl.Series, niks: pl.Series | None = None) -> frozenset[str]:
    """The separators with which a date column is written month first (07/31/1998: Excel or
    LibreOffice with English settings turning date cells into text, while dates typed as text keep
    their 31-07-1998). Per separator: some dates have a second part above 12 and none a first
    part above 12 (a day-first column shows a day above 12 in most of its dates, so one such date
    keeps it day-first; two or more the other way are needed). Then the NIKs (16 digits, same
    row) have the last word: month first only if more rows' NIK dates agree with that reading
    than with day-first (a short day-first list with two slips such as 05/13/1985 stays so)."""
    parts = _date_parts(texts.drop_nulls().unique()).drop_nulls()
    if parts.height == 0:
        return frozenset()
    counts = parts.group_by("sep").agg((pl.col("a") > 12).sum().alias("day"), (pl.col("b") > 12).sum().alias("month"))
    seps = set(counts.filter((pl.col("day") == 0) & (pl.col("month") >= 2))["sep"])
    if not seps or niks is None:
        return frozenset(seps)
    rows = pl.DataFrame({"t": texts, "nik": niks}).filter(
        pl.col("nik").str.contains(r"^\d{16}$") & pl.col("t").str.contains(_NUMERIC_DATE)).head(10_000)
    facts = pl.concat([_date_parts(rows["t"]), rows.select(
        (pl.col("nik").str.slice(6, 2).cast(pl.Int32) % 40).alias("d"),  # a woman's day is +40
        pl.col("nik").str.slice(8, 2).cast(pl.Int32).alias("m"),
    )], how="horizontal").filter(pl.col("a") != pl.col("b"))
    out = set()
    for s in seps:
        these = facts.filter(pl.col("sep") == s)
        day_first = these.filter((pl.col("a") == pl.col("d")) & (pl.col("b") == pl.col("m"))).height
        month_first = these.filter((pl.col("a") == pl.col("m")) & (pl.col("b") == pl.col("d"))).height
        if month_first > day_first or month_first == day_first == 0:
            out.add(s)
    return frozenset(out)


def nik_birth_date(parts: pl.Expr, today: dt.date) -> pl.Expr:
    """The birth date a NIK states (parts from `nik_date_parts`; null where they are no date).

    The century is the most recent one in which the date has passed: 20YY, unless that date is
    after today. 29 Feb of a century year that is not leap (1900) is read as 28 Feb."""
    yy, m, d = (parts.struct.field(k) for k in ("yy", "month", "day"))
    ok = parts.struct.field("valid")

    def in_century(century: int) -> pl.Expr:
        # Components of a NIK that is no date are null: pl.date raises on an impossible date,
        # even on rows a `when` would discard.
        y = pl.when(ok).then(yy + century)
        leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
        day = pl.when((m == 2) & (d == 29) & ~leap).then(28).otherwise(d)
        return pl.date(y, m, day)

    recent = in_century(2000)
    return pl.when(recent <= pl.lit(today)).then(recent).otherwise(in_century(1900))


def nik_date_parts(nik: pl.Expr) -> pl.Expr:
    """Struct {day, month, yy, female, valid} from NIK digits 7–12 (DDMMYY, women's day + 40)."""
    f = pl.field
    six = nik.str.slice(6, 6)
    # One integer cast of the six digits, then arithmetic: far cheaper than three string casts.
    # Staged with_fields: each field is computed once however often later stages refer to it.
    s = pl.struct(
        pl.when(six.str.len_bytes() == 6).then(six.cast(pl.Int32, strict=False)).alias("n")
    )
    s = s.struct.with_fields(raw_day=f("n") // 10_000, month=f("n") // 100 % 100, yy=f("n") % 100)
    s = s.struct.with_fields(female=f("raw_day") > 40)
    s = s.struct.with_fields(day=f("raw_day") - pl.when(f("female")).then(40).otherwise(0))
    # 29 Feb exists if 19YY or 20YY is a leap year: for YY 00..99 that is exactly YY % 4 == 0
    # (2000 is a leap year even though 1900 is not).
    month_len = (
        pl.when(f("month") == 2)
        .then(pl.when(f("yy") % 4 == 0).then(29).otherwise(28))
        .when(f("month").is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
    # Judged on the real day, so the women's form (day + 40) is valid exactly when the men's is.
    valid = (f("month").is_between(1, 12) & f("day").is_between(1, month_len)).fill_null(False)
    parts = pl.struct(f("day"), f("month"), f("yy"), f("female"), valid.alias("valid"))
    return s.struct.with_fields(parts=parts).struct.field("parts")
