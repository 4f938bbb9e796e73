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
    # Digit keys (NIK, KK, most accounts) compare far faster as integers than as text.
    as_int = base.get_column(key).cast(pl.Int64, strict=False)
    if as_int.null_count() == 0:
        dup = base[duplicated_positions(as_int)]
    else:
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


def readable(frame: pl.DataFrame, *columns: str | pl.Expr, where: pl.Expr | None = None) -> pl.DataFrame:
    """Rows with a readable NIK (not empty, malformed or damaged by Excel): duplicate checks
    skip the others. Only the named columns are carried, never the whole wide frame."""
    cond = pl.col("_nik_ok") if where is None else pl.col("_nik_ok") & where
    return frame.lazy().filter(cond).select(columns).collect()


def nik_duplicates(frame: pl.DataFrame) -> pl.DataFrame:
    return group_related(readable(frame, "_idx", "_row", "_nik"), "_nik")


def kk_duplicates(frame: pl.DataFrame) -> pl.DataFrame:
    return group_related(readable(frame, "_idx", "_row", "_nik", "_kk", where=pl.col("_kk_ok")), "_kk", "_nik")


def account_duplicates(frame: pl.DataFrame, clean_accounts: pl.Expr) -> pl.DataFrame:
    return group_related(readable(frame, "_idx", "_row", "_nik", "_acct", where=clean_accounts), "_acct", "_nik")


def _birth_key(frame: pl.DataFrame) -> pl.Expr:
    d = pl.col("_nikd")
    from_nik = pl.format("{}{}{}", d.struct.field("day").cast(pl.Utf8).str.zfill(2),
                         d.struct.field("month").cast(pl.Utf8).str.zfill(2),
                         d.struct.field("yy").cast(pl.Utf8).str.zfill(2))
    return (pl.when(pl.col("_dob_ok")).then(pl.col("_dob").dt.strftime("%d%m%y"))
            .when(d.struct.field("valid")).then(from_nik).otherwise(None))


def duplicated_positions(keys: pl.Series) -> pl.Series:
    """Positions of values that occur more than once, by sorting: on a million integers a sort
    and a neighbour comparison cost about half of a hash-based is_duplicated()."""
    order = keys.arg_sort()
    ordered = keys.gather(order)
    repeated = ((ordered == ordered.shift(1)) | (ordered == ordered.shift(-1))).fill_null(False)
    return order.filter(repeated)


def _one_digit_apart(base: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Pairs of NIKs differing in exactly one digit, with similar names.

    A 16-digit NIK fits an Int64. Zeroing digit i gives a key that two NIKs share exactly when
    they differ at most in digit i, so sixteen integer keys find every pair without comparing
    all pairs; only the few rows whose key repeats are joined."""
    ints = base.with_columns(pl.col("_nik").cast(pl.Int64, strict=False).alias("_n")).filter(
        pl.col("_n").is_not_null())
    n = ints.get_column("_n")
    pairs = []
    for i in range(16):
        p = 10 ** (15 - i)
        key = n - (n // p % 10) * p
        pos = duplicated_positions(key)
        if pos.len() == 0:
            continue
        keyed = ints[pos].with_columns(key.gather(pos).alias("_k"))
        pairs.append(keyed.join(keyed, on="_k", suffix="_b").filter(pl.col("_n") != pl.col("_n_b"))
                     .select("_idx", "_row_b", "_name_key", "_name_key_b"))
    if not pairs:
        return pl.DataFrame(schema={"_idx": pl.UInt32, "_row_b": pl.Int32})
    cand = pl.concat(pairs).unique()
    score = process.cpdist(cand["_name_key"].to_list(), cand["_name_key_b"].to_list(),
                           scorer=fuzz.token_sort_ratio, workers=1)
    return cand.filter(pl.Series(score) >= threshold * 100).select("_idx", "_row_b")


def probable_duplicates(frame: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """DUGAAN_GANDA: different NIKs, probably one person."""
    base = readable(frame, "_idx", "_row", "_nik", "_name_key", _birth_key(frame).alias("_birth"),
                    where=~pl.col("_name_bad") & pl.col("_name_key").is_not_null())
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
