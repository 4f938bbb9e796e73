"""Jenis kelamin and amount (nominal) cells."""

from __future__ import annotations

import polars as pl

_SEX = {
    **dict.fromkeys("L LK LAKI LAKILAKI LELAKI PRIA M MALE".split(), "L"),
    **dict.fromkeys("P PR PEREMPUAN WANITA W F FEMALE".split(), "P"),
}
_SEX_NOISE = [*" \t\u00a0.-", *"0123456789"]

_SPACES = [*" \t\n\r\u00a0\u2009\u202f"]  # \u202f and \u2009 are thousands separators elsewhere
_MINUS = "[-\u2212\u2013]"
_PREFIX = rf"^{_MINUS}?(?:(?:RP|IDR)\.?)?{_MINUS}?"  # "-Rp. 600.000", "Rp -600.000"
_NEGATIVE = rf"^(?:{_MINUS}|(?:RP|IDR)\.?{_MINUS})"
_SUFFIX = rf"[.,]?{_MINUS}+$"  # "600.000,-": the dash only closes the amount
# Indonesian groups with dots and a decimal comma; English groups with commas and a decimal dot;
# plain digits whose one- or two-digit tail after a dot or comma is decimals.
_DOT_GROUPS = r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?$"
_COMMA_GROUPS = r"^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d{1,2})?$"
_PLAIN = r"^\d+(?:[.,]\d{1,2})?$"


def sex_present(text: pl.Expr) -> pl.Expr:
    """True where the jenis kelamin cell holds anything but whitespace."""
    return (text.str.strip_chars().str.len_bytes() > 0).fill_null(False)


def parse_sex(text: pl.Expr) -> pl.Expr:
    """Jenis kelamin spelling to "L" or "P"; unrecognised or empty → null."""
    key = text.str.to_uppercase().str.replace_many(_SEX_NOISE, [""] * len(_SEX_NOISE))
    return key.replace_strict(_SEX, default=None, return_dtype=pl.Utf8)


def parse_amount(text: pl.Expr, is_num: pl.Expr | bool | None = None) -> pl.Expr:
    """Amount cell (Rp 600.000, 600.000,00, 600,000, …) to Float64; unreadable → null."""
    num = pl.lit(False) if is_num is None else pl.lit(is_num) if isinstance(is_num, bool) else is_num
    f = pl.field
    # Staged with_fields: each field is computed once however often later stages refer to it.
    s = pl.struct(
        text.str.to_uppercase().str.replace_many(_SPACES, [""] * len(_SPACES)).alias("s"),
        num.fill_null(False).alias("num"),
        # A numeric cell already holds a plain number, possibly with more decimals than text.
        text.str.strip_chars().cast(pl.Float64, strict=False).alias("plain"),
    )
    s = s.struct.with_fields(
        body=f("s").str.replace(_PREFIX, "").str.replace(_SUFFIX, ""),
        negative=f("s").str.contains(_NEGATIVE),
    )
    s = s.struct.with_fields(
        dots=f("body").str.contains(_DOT_GROUPS),
        commas=f("body").str.contains(_COMMA_GROUPS),
        plain_text=f("body").str.contains(_PLAIN),
    )
    digits = (
        pl.when(f("commas"))
        .then(f("body").str.replace_all(",", "", literal=True))
        .when(f("dots"))
        .then(f("body").str.replace_all(".", "", literal=True))
        .when(f("plain_text"))
        .then(f("body"))
    )
    value = digits.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    value = pl.when(f("negative")).then(-value).otherwise(value)
    value = pl.when(f("num")).then(pl.coalesce(f("plain"), value)).otherwise(value)
    return s.struct.with_fields(value=value).struct.field("value")
