"""Jenis kelamin and amount (nominal) cells."""

from __future__ import annotations

import polars as pl

from validator.normalize.ids import INVISIBLE

# The spellings reason-codes.md recognises (L/P, LK/PR, Laki-laki/Perempuan, Pria/Wanita, M/F) in
# any case, with spaces, dots and dashes ignored; "Laki2" is how "Laki-laki" is commonly written.
# Anything else ("LAKI", "W", "MALE") is JK_TIDAK_VALID: the operator writes one of these.
_SEX = {
    **dict.fromkeys("L LK LAKILAKI LAKI2 PRIA M".split(), "L"),
    **dict.fromkeys("P PR PEREMPUAN WANITA F".split(), "P"),
}
_SEX_NOISE = [*" \t\u00a0\u202f.-", *INVISIBLE]

_SPACES = [*" \t\n\r\u00a0\u2009\u202f", *INVISIBLE]  # \u202f and \u2009 are thousands separators elsewhere
_MINUS = "[-\u2212\u2013]"
# "Rp. 600.000", "-Rp 600.000", "Rp -600.000" and a closing "600.000,-" go; the sign is kept apart.
_DECORATION = rf"(?i)^{_MINUS}?(?:RP|IDR)\.?{_MINUS}?|^{_MINUS}|[.,]?{_MINUS}+$"
_NEGATIVE = rf"(?i)^(?:{_MINUS}|(?:RP|IDR)\.?{_MINUS})"
# Indonesian groups with dots and a decimal comma; English groups with commas and a decimal dot;
# plain digits whose one- or two-digit tail after a dot or comma is decimals.
_NUMBER = (
    r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?$"
    r"|^[1-9]\d{0,2}(?:,\d{3})+(?:\.\d{1,2})?$"
    r"|^\d+(?:[.,]\d{1,2})?$"
)
_DECIMALS = r"[.,]\d{1,2}$"  # in a well-formed number only decimals are 1–2 digits after a mark
# Thousands and millions written as words: "600rb", "600 ribu", "600K", "1,2 jt", "1,5 juta".
_SCALE = r"(?i)(RB|RIBU|K|JT|JUTA)$"
_MILLIONS = ["JT", "JUTA"]
_SHORT = r"^\d{1,3}(?:[.,]\d{1,2})?$"


def sex_present(text: pl.Expr) -> pl.Expr:
    """True where the jenis kelamin cell holds anything but whitespace."""
    return (text.str.strip_chars().str.len_bytes() > 0).fill_null(False)


def parse_sex(text: pl.Expr) -> pl.Expr:
    """Jenis kelamin spelling to "L" or "P"; unrecognised or empty → null."""
    key = text.str.to_uppercase().str.replace_many(_SEX_NOISE, [""] * len(_SEX_NOISE))
    return key.replace_strict(_SEX, default=None, return_dtype=pl.Utf8)


def parse_amount(text: pl.Expr, is_num: pl.Expr | bool | None = None) -> pl.Expr:
    """Amount cell (Rp 600.000, 600.000,00, 600,000, …) to Float64; unreadable → null."""
    num = pl.lit(bool(is_num)) if is_num is None or isinstance(is_num, bool) else is_num
    f = pl.field
    # Staged with_fields: each field is computed once however often later stages refer to it.
    s = pl.struct(
        text.str.replace_many(_SPACES, [""] * len(_SPACES)).alias("s"),
        num.fill_null(False).alias("num"),
        # A numeric cell already holds a plain number, possibly with more decimals than text.
        text.str.strip_chars().cast(pl.Float64, strict=False).alias("plain"),
    )
    s = s.struct.with_fields(
        body=f("s").str.replace_all(_DECORATION, ""), negative=f("s").str.contains(_NEGATIVE)
    )
    s = s.struct.with_fields(scale=f("body").str.extract(_SCALE, 1).str.to_uppercase(),
                             bare=f("body").str.replace(_SCALE, ""))
    # Before a word, a short number only ("600rb", "1,5 jt"): "600.000 rb" or "1.250 jt" is a slip
    # (a thousand times too much), left unreadable rather than read as Rp600.000.000.
    s = s.struct.with_fields(body=pl.when(f("scale").is_null()).then(f("body"))
                             .when(f("bare").str.contains(_SHORT)).then(f("bare")))
    # Once the layout is known to be well-formed, the value is all its digits scaled by the
    # number of decimals: no per-layout rewriting of separators is needed.
    digits = f("body").str.replace_many([".", ","], ["", ""]).cast(pl.Float64, strict=False)
    decimals = f("body").str.len_bytes() - f("body").str.find(_DECIMALS) - 1
    value = digits / pl.lit(10.0).pow(decimals.fill_null(0))
    # ("1,2 jt": 1.2 × 1,000,000, rounded back to whole rupiah's cents.)
    value = (pl.when(f("scale").is_null()).then(value)
             .otherwise((value * pl.when(f("scale").is_in(_MILLIONS)).then(1e6).otherwise(1e3)).round(2)))
    sign = pl.when(f("negative")).then(-1.0).otherwise(1.0)
    # Each piece is referenced once: a sub-expression used twice would be computed twice.
    value = pl.when(f("body").str.contains(_NUMBER)).then(value * sign)
    value = pl.coalesce(pl.when(f("num")).then(f("plain")), value)
    return s.struct.with_fields(value=value).struct.field("value")
