"""Normalise every field once, in one pass; the checks then only compare columns."""

from __future__ import annotations

import re

import polars as pl

from validator.checks.base import CheckContext, text
from validator.normalize import (
    clean_id,
    digit_count,
    display_name,
    is_placeholder_name,
    is_scientific,
    name_key,
    nik_date_parts,
    parse_amount,
    parse_date,
    parse_sex,
)
from validator.rulebook import Rulebook, bank_key
from validator.wilayah import Regions, place_key

ID_FIELDS = {"nik": "_nik", "no_kk": "_kk", "no_rekening": "_acct"}


def _col(ctx: CheckContext, name: str) -> pl.Expr:
    return pl.col(name) if name in ctx.fields else pl.lit(None, pl.Utf8)


def _num(ctx: CheckContext, name: str) -> pl.Expr:
    flag = f"{name}__num"
    return pl.col(flag).fill_null(False) if name in ctx.fields else pl.lit(False)


def _id_columns(ctx: CheckContext, field: str, prefix: str) -> list[pl.Expr]:
    raw = text(_col(ctx, field))
    clean = clean_id(raw)
    is16 = clean.str.contains(r"^\d{16}$").fill_null(False)
    # Excel keeps 15 significant digits: a 16-digit number stored as a number has lost its last
    # digit, which Excel shows as 0. Scientific notation in a text cell is the same damage, typed.
    excel = is_scientific(raw).fill_null(False) | (_num(ctx, field) & is16 & clean.str.ends_with("0"))
    return [
        raw.alias(f"{prefix}_raw"),
        clean.alias(prefix),
        excel.alias(f"{prefix}_excel"),
        is16.alias(f"{prefix}_16"),
        (is16 & ~excel).alias(f"{prefix}_ok"),
        digit_count(clean).fill_null(0).alias(f"{prefix}_digits"),
    ]


def map_unique(values: pl.Series, fn) -> dict:
    """Apply a Python function to each distinct value (few: banks, kecamatan names)."""
    return {v: fn(v) for v in values.unique().drop_nulls().to_list()}


def resolve_bank(rules: Rulebook, written: str) -> str | None:
    key = bank_key(written)
    aliases = rules.bank_aliases
    if key in aliases:
        return aliases[key]
    # "BRI UNIT MEDAN BARU", "BANK BNI 46 CABANG MEDAN": the longest alias found as whole words.
    for alias in sorted(aliases, key=len, reverse=True):
        if re.search(rf"\b{re.escape(alias)}\b", key):
            return aliases[alias]
    return None


def resolve_kecamatan(regions: Regions, written: str, near: list[str]) -> str | None:
    """A kecamatan column cell as a 6-digit code: a code as written, else the name, preferring
    kecamatan inside `near` (the sender's kabupaten, the program's area) when names repeat."""
    digits = re.sub(r"\D", "", written)
    if len(digits) == 6 and not re.search(r"[A-Za-z]", written):
        return digits
    codes = regions.kecamatan_by_key.get(place_key(written), ())
    for prefix in near:
        inside = [c for c in codes if c.startswith(prefix)]
        if inside:
            return inside[0]
    return codes[0] if codes else None


def prepare(frame: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    today = ctx.today
    nik = pl.col("_nik")
    first = [*_id_columns(ctx, "nik", "_nik"), *_id_columns(ctx, "no_kk", "_kk"),
             *_id_columns(ctx, "no_rekening", "_acct")]
    name = display_name(_col(ctx, "nama"))
    dob_text = text(_col(ctx, "tanggal_lahir"))
    sex_text = text(_col(ctx, "jenis_kelamin"))
    first += [
        name.alias("_name"),
        (name.is_null() | is_placeholder_name(_col(ctx, "nama")).fill_null(False)).alias("_name_bad"),
        name_key(_col(ctx, "nama")).alias("_name_key"),
        dob_text.alias("_dob_raw"),
        parse_date(dob_text, _num(ctx, "tanggal_lahir"), today).alias("_dob"),
        sex_text.alias("_sex_raw"),
        parse_sex(sex_text).alias("_sex"),
        text(_col(ctx, "nominal")).alias("_amount_raw"),
        parse_amount(text(_col(ctx, "nominal")), _num(ctx, "nominal")).alias("_amount"),
        _num(ctx, "no_rekening").alias("_acct_num"),
        text(_col(ctx, "nama_bank")).alias("_bank_raw"),
        text(_col(ctx, "nama_rekening")).alias("_holder_raw"),
        name_key(_col(ctx, "nama_rekening")).alias("_holder_key"),
        text(_col(ctx, "kecamatan")).alias("_kec_raw"),
    ]
    out = frame.with_columns(first)
    out = out.with_columns(
        pl.when(pl.col("_nik_16")).then(nik_date_parts(nik)).otherwise(None).alias("_nikd"),
        pl.when(pl.col("_kk_16")).then(pl.col("_kk")).otherwise(None).alias("_kk16v"),
        (pl.col("_dob").is_not_null()
         & (pl.col("_dob") <= pl.lit(today))
         & (pl.col("_dob") > pl.lit(today.replace(year=today.year - 120)))).alias("_dob_ok"),
    )
    banks = map_unique(out["_bank_raw"], lambda v: resolve_bank(ctx.rules, v))
    near = [p for p in ([ctx.sender[:4]] if ctx.sender else []) + ctx.program.area]
    kecs = map_unique(out["_kec_raw"], lambda v: resolve_kecamatan(ctx.regions, v, near))
    return out.with_columns(
        pl.col("_bank_raw").replace_strict(banks, default=None, return_dtype=pl.Utf8).alias("_bank"),
        pl.col("_kec_raw").replace_strict(kecs, default=None, return_dtype=pl.Utf8).alias("_kec"),
    )
