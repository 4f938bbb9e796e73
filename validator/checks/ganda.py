"""Duplicates within one list: GANDA_NIK, GANDA_KK, GANDA_REKENING, DUGAAN_GANDA."""

from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz, process

from validator.checks.base import CheckContext

# A finding names at most this many other rows; a group larger than that is one problem anyway.
MAX_RELATED = 50


def group_related(base: pl.DataFrame, key: str, distinct: str | None = None) -> pl.DataFrame:
    """Rows sharing `key` (with a different `distinct`, when given): (_idx, value, related rows)."""
    base = base.filter(pl.col(key).is_not_null())
    dup = base.filter(pl.col(key).is_duplicated())
    if dup.height == 0:
        return pl.DataFrame(schema={"_idx": pl.UInt32, "value": pl.Utf8, "related": pl.List(pl.Int32)})
    own_key = [key, distinct] if distinct else [key, "_row"]
    groups = dup.group_by(key).agg(
        pl.col("_row").head(MAX_RELATED * 2).alias("_grp"),
        (pl.col(distinct).n_unique() if distinct else pl.len()).alias("_n"),
    ).filter(pl.col("_n") > 1)
    own = dup.group_by(own_key).agg(pl.col("_row").alias("_own"))
    return (
        dup.join(groups, on=key).join(own, on=own_key)
        .with_columns(pl.col("_grp").list.set_difference("_own").list.sort().list.head(MAX_RELATED)
                      .alias("related"))
        .filter(pl.col("related").list.len() > 0)
        .select(pl.col("_idx"), pl.col(key).alias("value"), pl.col("related").cast(pl.List(pl.Int32)))
    )


def readable(frame: pl.DataFrame) -> pl.DataFrame:
    """Duplicate checks need a readable NIK (not empty, malformed or damaged by Excel)."""
    return frame.filter(pl.col("_nik_ok"))


def nik_duplicates(frame: pl.DataFrame) -> pl.DataFrame:
    return group_related(readable(frame).select("_idx", "_row", "_nik"), "_nik")


def kk_duplicates(frame: pl.DataFrame) -> pl.DataFrame:
    base = readable(frame).filter(pl.col("_kk_ok")).select("_idx", "_row", "_nik", "_kk")
    return group_related(base, "_kk", "_nik")


def account_duplicates(frame: pl.DataFrame, clean_accounts: pl.Expr) -> pl.DataFrame:
    base = readable(frame).filter(clean_accounts).select("_idx", "_row", "_nik", "_acct")
    return group_related(base, "_acct", "_nik")


def _birth_key(frame: pl.DataFrame) -> pl.Expr:
    d = pl.col("_nikd")
    from_nik = pl.format("{}{}{}", d.struct.field("day").cast(pl.Utf8).str.zfill(2),
                         d.struct.field("month").cast(pl.Utf8).str.zfill(2),
                         d.struct.field("yy").cast(pl.Utf8).str.zfill(2))
    return (pl.when(pl.col("_dob_ok")).then(pl.col("_dob").dt.strftime("%d%m%y"))
            .when(d.struct.field("valid")).then(from_nik).otherwise(None))


def _one_digit_apart(base: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Pairs of NIKs differing in exactly one digit, with similar names.

    Two 16-digit strings one digit apart agree on at least three of their four 4-digit blocks,
    so blocking on each 12-digit "three blocks" key finds every pair without comparing all."""
    pairs = []
    nik = pl.col("_nik")
    for b in range(4):
        masked = pl.concat_str([nik.str.slice(0, 4 * b), nik.str.slice(4 * b + 4)])
        keyed = base.with_columns(masked.alias("_k"), nik.str.slice(4 * b, 4).alias("_blk"))
        keyed = keyed.filter(pl.col("_k").is_duplicated())
        if keyed.height == 0:
            continue
        j = keyed.join(keyed, on="_k", suffix="_b").filter(pl.col("_idx") != pl.col("_idx_b"))
        # exactly one of the four digits in the differing block differs
        diff = pl.sum_horizontal([
            pl.col("_blk").str.slice(i, 1) != pl.col("_blk_b").str.slice(i, 1) for i in range(4)])
        pairs.append(j.filter(diff == 1).select("_idx", "_row_b", "_name_key", "_name_key_b"))
    if not pairs:
        return pl.DataFrame(schema={"_idx": pl.UInt32, "_row_b": pl.Int32})
    cand = pl.concat(pairs).unique()
    score = process.cpdist(cand["_name_key"].to_list(), cand["_name_key_b"].to_list(),
                           scorer=fuzz.token_sort_ratio, workers=1)
    return cand.filter(pl.Series(score) >= threshold * 100).select("_idx", "_row_b")


def probable_duplicates(frame: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """DUGAAN_GANDA: different NIKs, probably one person."""
    base = (readable(frame).filter(~pl.col("_name_bad") & pl.col("_name_key").is_not_null())
            .select("_idx", "_row", "_nik", "_name_key", _birth_key(frame).alias("_birth")))
    same = group_related(
        base.with_columns(pl.concat_str(["_name_key", "_birth"], separator="|").alias("_nb")), "_nb", "_nik")
    near = _one_digit_apart(base.select("_idx", "_row", "_nik", "_name_key"), ctx.program.name_similarity)
    related = pl.concat([
        same.select("_idx", pl.col("related").alias("_r")).explode("_r"),
        near.select("_idx", pl.col("_row_b").cast(pl.Int32).alias("_r")),
    ])
    if related.height == 0:
        return pl.DataFrame(schema={"_idx": pl.UInt32, "value": pl.Utf8, "related": pl.List(pl.Int32)})
    return (related.group_by("_idx").agg(pl.col("_r").unique().sort().head(MAX_RELATED).alias("related"))
            .join(base.select("_idx", pl.col("_nik").alias("value")), on="_idx"))
