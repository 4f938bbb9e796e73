"""Vectorised normalisation of list cells: every function takes and returns a polars expression."""

from validator.normalize.dates import (
    century_year,
    month_first_column,
    nik_birth_date,
    nik_date_parts,
    parse_date,
)
from validator.normalize.ids import (
    DECIMAL_TAIL,
    EXCEL_MARK,
    EXCEL_MARK_PATTERN,
    FORMULA_ERROR,
    INVISIBLE,
    OTHER_DIGITS,
    clean_id,
    digit_count,
    is_scientific,
    plain_digits,
)
from validator.normalize.names import (
    BIN_WORD,
    display_name,
    father_key,
    is_placeholder_name,
    name_key,
    name_key_with_father,
    names_alike,
)
from validator.normalize.values import parse_amount, parse_sex, sex_present

__all__ = [
    "EXCEL_MARK",
    "DECIMAL_TAIL",
    "EXCEL_MARK_PATTERN",
    "FORMULA_ERROR",
    "INVISIBLE",
    "OTHER_DIGITS",
    "century_year",
    "nik_birth_date",
    "clean_id",
    "digit_count",
    "BIN_WORD",
    "display_name",
    "father_key",
    "name_key_with_father",
    "names_alike",
    "is_placeholder_name",
    "is_scientific",
    "name_key",
    "nik_date_parts",
    "parse_amount",
    "month_first_column",
    "parse_date",
    "parse_sex",
    "plain_digits",
    "sex_present",
]
