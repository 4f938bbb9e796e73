"""Duplicates within one list: GANDA_NIK, GANDA_KK, GANDA_REKENING, DUGAAN_GANDA."""

from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz, process

from validator.checks.base import CheckContext
from validator.normalize import father_key

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
        pl.len().alias("_size"),
    ).filter(pl.col("_n") > 1)
    own = dup.group_by(own_key).agg(pl.col("_row").alias("_own"))
    others = pl.col("_size") - pl.col("_own").list.len()  # rows of the group that are not this row's
    return (
        dup.join(groups, on=key).join(own, on=own_key)
        .with_columns(pl.col("_grp").list.set_difference("_own").list.sort().list.head(MAX_RELATED)
                      .alias("related"))
        .filter(pl.col("related").list.len() > 0)
        .select(pl.col("_idx"), pl.col(key).alias("value"), pl.col("related").cast(pl.List(pl.Int32)),
                pl.when(others > pl.col("related").list.len()).then(others - pl.col("related").list.len())
                .cast(pl.Int32).alias("more"))
    )


def readable(frame: pl.DataFrame, *columns: str | pl.Expr, where: pl.Expr | None = None) -> pl.DataFrame:
    """Rows with a readable NIK (not empty, malformed or damaged by Excel): duplicate checks
    skip the others. Only the named columns are carried, never the whole wide frame."""
    cond = pl.col("_nik_ok") if where is None else pl.col("_nik_ok") & where
    return frame.lazy().filter(cond).select(columns).collect()


def nik_duplicates(frame: pl.DataFrame) -> pl.DataFrame:
    return group_related(readable(frame, "_idx", "_row", "_nik"), "_nik")


def kk_duplicates(frame: pl.DataFrame, clean_kks: pl.Expr | None = None) -> pl.DataFrame:
    where = pl.col("_kk_ok") if clean_kks is None else clean_kks
    return group_related(readable(frame, "_idx", "_row", "_nik", "_kk", where=where), "_kk", "_nik")


def account_duplicates(frame: pl.DataFrame, clean_accounts: pl.Expr) -> pl.DataFrame:
    return group_related(readable(frame, "_idx", "_row", "_nik", "_acct", where=clean_accounts), "_acct", "_nik")




def _same_father(pairs: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Pairs whose fathers' names (after bin/binti, as name keys) are alike, or not both given.
    token_set_ratio: "ABDULLAH" and "ABDULLAH SIREGAR" are one father; "HASAN" and "UMAR" two."""
    both = pairs.filter(pl.col("_father").is_not_null() & pl.col("_fb").is_not_null())
    if both.height == 0:
        return pairs
    score = pl.Series(process.cpdist(both["_father"].to_list(), both["_fb"].to_list(),
                                     scorer=fuzz.token_set_ratio, workers=1))
    different = both.filter(score < threshold * 100).select("_idx", "_r")
    return pairs.join(different, on=["_idx", "_r"], how="anti")


def _birth_key(frame: pl.DataFrame) -> pl.Expr:
    """Birth date as DDMMYY in one integer: from the date column when it is usable, else from
    the NIK. Two-digit years, as the NIK has them, so both sources give the same key."""
    d, dob = pl.col("_nikd"), pl.col("_dob")
    from_dob = dob.dt.day().cast(pl.Int32) * 10_000 + dob.dt.month().cast(pl.Int32) * 100 + dob.dt.year() % 100
    from_nik = d.struct.field("day") * 10_000 + d.struct.field("month") * 100 + d.struct.field("yy")
    return (pl.when(pl.col("_dob_ok")).then(from_dob)
            .when(d.struct.field("valid")).then(from_nik).otherwise(None)).cast(pl.Int32)


def duplicated_positions(keys: pl.Series) -> pl.Series:
    """Positions of values that occur more than once, in row order.

    A plain sort (no argsort) finds the repeated values, and a membership test against those few
    finds their rows: on a million integers about a seventh of the CPU of is_duplicated()."""
    # One thread: on a million integers the parallel sort costs more in hand-over than it saves.
    ordered = keys.drop_nulls().sort(multithreaded=False)
    repeated = ordered.filter((ordered == ordered.shift(1)).fill_null(False)).unique()
    if repeated.len() == 0:
        return pl.Series(dtype=pl.UInt32)
    return keys.is_in(repeated.implode()).fill_null(False).arg_true()


def _digits_differing(a: pl.Expr, b: pl.Expr, positions: range) -> pl.Expr:
    """How many of the given digit positions (0 = first of 16) differ between two NIK integers."""
    return pl.sum_horizontal([
        ((a // 10 ** (15 - i)) % 10 != (b // 10 ** (15 - i)) % 10).cast(pl.Int32) for i in positions])


def _one_digit_apart(base: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Pairs of NIKs differing in exactly one digit, with similar names.

    A 16-digit NIK fits an Int64. Two NIKs one digit apart agree on everything outside that digit,
    so a key that drops the digit finds them without comparing all pairs. The region (digits
    1-6) is dropped as a whole: rows agreeing on birth date and serial are few. Birth date and
    serial (7-16) are dense within one kecamatan (many people share a birth date), so each of
    those ten digits gets a key of its own."""
    ints = base.with_columns(pl.col("_nik").cast(pl.Int64, strict=False).alias("_n")).filter(
        pl.col("_n").is_not_null())
    n = ints.get_column("_n")
    blocks: list[tuple[pl.Series, range]] = [(n % 10**10, range(0, 6))]
    for i in range(6, 16):
        p = 10 ** (15 - i)
        blocks.append((n - (n // p % 10) * p, range(i, i + 1)))
    pairs = []
    for key, positions in blocks:
        pos = duplicated_positions(key)
        if pos.len() == 0:
            continue
        keyed = ints[pos].with_columns(key.gather(pos).alias("_k"))
        # A NIK repeated k times (a list pasted into itself) would give k² pairs per neighbour:
        # pair each distinct (NIK, name) once, carrying its rows (up to MAX_RELATED), then hand
        # the pair to every row holding that NIK and name, naming every row of the partner.
        reps = keyed.group_by("_k", "_n", "_name_key").agg(pl.col("_row").sort().head(MAX_RELATED).alias("_rows"))
        j = reps.join(reps, on="_k", suffix="_b").filter(pl.col("_n") != pl.col("_n_b"))
        if len(positions) > 1:
            j = j.filter(_digits_differing(pl.col("_n"), pl.col("_n_b"), positions) == 1)
        j = keyed.select("_idx", "_k", "_n", "_name_key").join(
            j.select("_k", "_n", "_name_key", "_rows_b", "_name_key_b"), on=["_k", "_n", "_name_key"])
        pairs.append(j.explode("_rows_b").select("_idx", pl.col("_rows_b").alias("_row_b"), "_name_key",
                                                 "_name_key_b"))
    if not pairs:
        return pl.DataFrame(schema={"_idx": pl.UInt32, "_row_b": pl.Int32})
    cand = pl.concat(pairs).unique()
    score = process.cpdist(cand["_name_key"].to_list(), cand["_name_key_b"].to_list(),
                           scorer=fuzz.token_sort_ratio, workers=1)
    return cand.filter(pl.Series(score) >= threshold * 100).select("_idx", "_row_b")


def probable_duplicates(frame: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame:
    """DUGAAN_GANDA: different NIKs, probably one person."""
    # The century of a full birth date: two-digit keys let a date match the NIK's DDMMYY, but two
    # full dates a hundred years apart are two people.
    century = pl.when(pl.col("_dob_ok")).then(pl.col("_dob").dt.year() // 100).cast(pl.Int32)
    base = readable(frame, "_idx", "_row", "_nik", "_name_key", _birth_key(frame).alias("_birth"),
                    century.alias("_century"), where=~pl.col("_name_bad") & pl.col("_name_key").is_not_null())
    dated = base.filter(pl.col("_birth").is_not_null())
    # Rows sharing name and birth date: candidates by a 64-bit hash of the pair (a sort of
    # integers), then the exact text key on those few rows only.
    pos = duplicated_positions(dated.select(pl.struct("_name_key", "_birth").hash()).to_series())
    candidates = dated[pos].with_columns(
        pl.concat_str(["_name_key", pl.col("_birth").cast(pl.Utf8)], separator="|").alias("_nb"))
    same = group_related(candidates, "_nb", "_nik")
    if same.height:
        # The name key drops "bin/binti" and the father's name (a registry may leave it out), but
        # two rows that both name a father, different ones, are two people.
        father = (frame.filter(pl.col("_idx").is_in(candidates["_idx"].implode()))
                  .select("_idx", father_key(pl.col("_name")).alias("_father")))
        c = base.select("_idx", "_row", "_century").join(father, on="_idx", how="left")
        same = (same.select("_idx", pl.col("related").alias("_r")).explode("_r")
                .join(c.select("_idx", "_century", "_father"), on="_idx")
                .join(c.select(pl.col("_row").cast(pl.Int32).alias("_r"), pl.col("_century").alias("_cb"),
                               pl.col("_father").alias("_fb")), on="_r")
                .filter(pl.col("_century").is_null() | pl.col("_cb").is_null() | (pl.col("_century") == pl.col("_cb")))
                .pipe(_same_father, ctx.program.name_similarity)
                .group_by("_idx").agg(pl.col("_r").alias("related")))
    near = _one_digit_apart(base.select("_idx", "_row", "_nik", "_name_key"), ctx.program.name_similarity)
    related = pl.concat([
        same.select("_idx", pl.col("related").alias("_r")).explode("_r").with_columns(pl.lit("same").alias("_why")),
        near.select("_idx", pl.col("_row_b").cast(pl.Int32).alias("_r"), pl.lit("near").alias("_why")),
    ])
    if related.height == 0:
        return pl.DataFrame(schema={"_idx": pl.UInt32, "value": pl.Utf8, "related": pl.List(pl.Int32)})
    # The message says which of the two reasons holds, when only one does.
    return (related.group_by("_idx").agg(pl.col("_r").unique().sort().head(MAX_RELATED).alias("related"),
                                         pl.col("_why").unique().alias("_whys"))
            .with_columns(pl.when(pl.col("_whys").list.len() == 1).then(pl.col("_whys").list.first())
                          .alias("variant"))
            .join(base.select("_idx", pl.col("_nik").alias("value")), on="_idx")
            .select("_idx", "value", "related", "variant"))
