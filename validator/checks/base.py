"""What every check shares: the context, the tidy finding table, and a rule as data + expression."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from validator.normalize import INVISIBLE
from validator.rulebook import Program, Rulebook
from validator.wilayah import Regions

# One row per finding: the shape every report is a view of.
FINDING_SCHEMA: dict[str, pl.DataType] = {
    "_idx": pl.UInt32(),
    "code": pl.Utf8(),
    "field": pl.Utf8(),
    "value": pl.Utf8(),
    "expected": pl.Utf8(),
    "actual": pl.Utf8(),
    "bank": pl.Utf8(),
    "detail": pl.Utf8(),
    "related": pl.List(pl.Int32()),
    "variant": pl.Utf8(),  # a message variant of the catalogue entry, or null for its message
    "detail_en": pl.Utf8(),  # `detail` in English, where the detail is words rather than codes
    "more": pl.Int32(),  # related rows beyond the ones `related` names (a group above MAX_RELATED)
}
PARAMS = ("value", "expected", "actual", "bank", "detail")


@dataclass
class CheckContext:
    rules: Rulebook
    program: Program
    regions: Regions
    today: dt.date
    sender: str | None = None  # the submitting kecamatan, 6 digits
    fields: set[str] = field(default_factory=set)
    skipped: list[dict] = field(default_factory=list)
    date1904: bool = False  # the workbook's date serials count from 1904 (ListData.date1904)
    warnings: list[dict] = field(default_factory=list)  # said about the list as a whole (result.json)

    def has(self, *names: str) -> bool:
        return all(n in self.fields for n in names)

    def enabled(self, code: str) -> bool:
        return self.rules.enabled(self.program, code)

    def skip(self, check: str, reason_id: str, reason_en: str) -> None:
        self.skipped.append({"check": check, "reason": reason_id, "reason_en": reason_en})

    @property
    def household(self) -> bool:
        return self.program.unit == "household"


@dataclass
class Rule:
    """A reason code's row-level logic: where it fires and what the message shows."""

    code: str
    when: pl.Expr
    value: pl.Expr | None = None
    expected: pl.Expr | None = None
    actual: pl.Expr | None = None
    bank: pl.Expr | None = None
    detail: pl.Expr | None = None
    variant: pl.Expr | None = None  # the catalogue's message variant for the row, or null


def rule_findings(frame: pl.LazyFrame, rule: Rule, field_name: str) -> pl.LazyFrame:
    cols = [pl.col("_idx"), pl.lit(rule.code).alias("code"), pl.lit(field_name).alias("field")]
    for p in PARAMS:
        e = getattr(rule, p)
        cols.append((e.cast(pl.Utf8) if e is not None else pl.lit(None, pl.Utf8)).alias(p))
    cols.append(pl.lit(None, pl.List(pl.Int32)).alias("related"))
    cols.append((rule.variant if rule.variant is not None else pl.lit(None, pl.Utf8)).alias("variant"))
    cols.append(pl.lit(None, pl.Utf8).alias("detail_en"))
    cols.append(pl.lit(None, pl.Int32).alias("more"))
    return frame.filter(rule.when.fill_null(False)).select(cols)


def empty_findings() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING_SCHEMA)


def related_findings(pairs: pl.LazyFrame, code: str, field_name: str) -> pl.LazyFrame:
    """Findings from (_idx, value, related) rows: duplicates naming the other rows."""
    return pairs.select(
        pl.col("_idx").cast(pl.UInt32),
        pl.lit(code).alias("code"),
        pl.lit(field_name).alias("field"),
        pl.col("value").cast(pl.Utf8),
        pl.lit(None, pl.Utf8).alias("expected"),
        (pl.col("actual").cast(pl.Utf8) if "actual" in pairs.collect_schema() else pl.lit(None, pl.Utf8)).alias("actual"),
        pl.lit(None, pl.Utf8).alias("bank"),
        (pl.col("detail").cast(pl.Utf8) if "detail" in pairs.collect_schema() else pl.lit(None, pl.Utf8)).alias("detail"),
        pl.col("related").cast(pl.List(pl.Int32)),
        (pl.col("variant").cast(pl.Utf8) if "variant" in pairs.collect_schema() else pl.lit(None, pl.Utf8))
        .alias("variant"),
        pl.lit(None, pl.Utf8).alias("detail_en"),
        (pl.col("more").cast(pl.Int32) if "more" in pairs.collect_schema() else pl.lit(None, pl.Int32)).alias("more"),
    )


# The normalisers remove invisible characters inside a value; a cell holding nothing else is empty.
# (strip_chars() with its default set, Unicode whitespace, is about half the cost of one with a set
# of its own.)
_EMPTY = ["", *INVISIBLE, *(c + c for c in INVISIBLE)]
# A cell holding only a dash means "not filled in" for a date, a sex, a bank.
_DASHES = [*_EMPTY, "-", "--", "---", "\u2013", "\u2014", "\u2212"]


def text(e: pl.Expr) -> pl.Expr:
    """Cell text stripped; empty (or only invisible characters) becomes null."""
    # replace() of literals is about three times cheaper than when/then on a million cells.
    return e.str.strip_chars().replace(_EMPTY, None)


def text_or_dash(e: pl.Expr) -> pl.Expr:
    """As `text`, and a cell holding only a dash is empty too (README: "-" counts as empty).
    Not for names, where "-" is the placeholder NAMA_TIDAK_WAJAR names, nor for amounts, where
    "-" is how Excel's accounting format shows zero (NOMINAL_TIDAK_VALID: not positive)."""
    return e.str.strip_chars().replace(_DASHES, None)
