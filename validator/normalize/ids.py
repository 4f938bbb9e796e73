"""Normalisation of NIK, KK and account-number cells."""

from __future__ import annotations

import polars as pl

# Invisible characters pasted from web pages, WhatsApp and PDFs that are not whitespace to Unicode:
# zero-width spaces and joiners, the word joiner, a byte-order mark inside a cell.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"

# Typing noise inside a number: spaces of every kind (NBSP, tabs, zero-width), dots and dashes
# (ASCII and typographic). A literal multi-pattern replace is about twice as fast as a regex.
_NOISE = [
    *" \t\n\r\v\f.-",
    *map(chr, range(0x2000, 0x200E)),  # en/em/thin/hair and zero-width spaces
    *"\u00a0\u1680\u202f\u205f\u3000\u2060\ufeff\u2010\u2011\u2012\u2013\u2014\u2015\u2212",
]
# A leading apostrophe (also ’ ‘) is how operators force Excel to keep a number as text.
_APOSTROPHES = "'\u2018\u2019"

# Excel's display of a long number, e.g. 3.20101E+15, 3,27101E+15, 3.27E15.
_SCIENTIFIC = r"(?i)^\s*['\u2018\u2019]?\s*[+-]?[0-9]+(?:\s*[.,]\s*[0-9]*)?\s*E\s*[+-]?\s*[0-9]+\s*$"


# A digit that is not 0-9: full-width (１２７), Arabic-Indic (١٢٧) and the like, pasted from a phone
# or a PDF. Banks and the registry take ASCII digits only, so such an ID is not usable as typed.
OTHER_DIGITS = r"[\d&&[^0-9]]"


# An Excel error value in place of the number: a VLOOKUP that found nothing (#N/A), a deleted
# reference (#REF!). The cell holds a failed formula, not a mistyped ID.
FORMULA_ERROR = r"^\s*#(?:N/A|REF!|VALUE!|NAME\?|DIV/0!|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)\s*$"


# A number written with a decimal tail ("1271171203700025.0"): a program's decimal number format.
DECIMAL_TAIL = r"^\s*['\u2018\u2019]?[0-9]+[.,]0+\s*$"


# What the return workbook appends to an ID that Excel's number format damaged (it is written back
# as text, and would otherwise pass as a valid ID when the workbook is sent again unchanged). A
# cell ending so is read as its digits, stored as a number.
EXCEL_MARK = " <- KETIK ULANG: rusak oleh format angka Excel"
EXCEL_MARK_PATTERN = r"(?i)\s*<-\s*KETIK ULANG\b.*$"


def clean_id(text: pl.Expr) -> pl.Expr:
    """Normalised ID text: noise and a leading apostrophe removed, upper-cased, empty → null."""
    out = text.str.replace_many(_NOISE, [""] * len(_NOISE)).str.strip_chars_start(_APOSTROPHES)
    return out.str.to_uppercase().replace("", None)


def plain_digits(text: pl.Expr) -> pl.Expr:
    """Digits only, up to 19 of them: an unsigned integer cast answers it far more cheaply than a
    regex. Longer digit runs and empty cells answer False; test those by regex where they matter."""
    return text.cast(pl.UInt64, strict=False).is_not_null() & ~text.str.starts_with("+")


def is_scientific(text: pl.Expr) -> pl.Expr:
    """True where the raw cell text is a number in Excel scientific notation."""
    return text.str.contains(_SCIENTIFIC).fill_null(False)


def digit_count(text: pl.Expr) -> pl.Expr:
    """Number of ASCII digits in the text (UInt32; null stays null)."""
    # Dropping the (usually absent) non-digits is cheaper than counting every digit as a match.
    return text.str.replace_all(r"[^0-9]+", "").str.len_bytes().cast(pl.UInt32)
