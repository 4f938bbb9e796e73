"""Place and program: the sender's kecamatan, the program's area, group composition (KUBE)."""

from __future__ import annotations

import polars as pl

from validator.checks.base import CheckContext, Rule


def place_rules(ctx: CheckContext) -> list[Rule]:
    rules: list[Rule] = []
    kec, raw = pl.col("_kec"), pl.col("_kec_raw")
    if ctx.sender and ctx.has("kecamatan"):
        rules.append(Rule("KECAMATAN_BEDA", raw.is_not_null() & ~pl.col("_kec_is_sender"), value=raw))
    area = ctx.program.area
    if area:
        # The row's kecamatan column, else the kecamatan that sent the list.
        row_kec = kec if ctx.has("kecamatan") else pl.lit(None, pl.Utf8)
        if ctx.sender:
            row_kec = pl.when(raw.is_null()).then(pl.lit(ctx.sender)).otherwise(row_kec)
        inside = pl.lit(False)
        for prefix in area:
            inside = inside | row_kec.str.starts_with(prefix)
        shown = pl.when(raw.is_not_null()).then(raw).otherwise(pl.lit(ctx.regions.describe(ctx.sender)
                                                                      if ctx.sender else ""))
        rules.append(Rule("WILAYAH_DI_LUAR_PROGRAM", row_kec.is_not_null() & ~inside, value=shown))
        if not ctx.sender and not ctx.has("kecamatan"):
            ctx.skip("WILAYAH_DI_LUAR_PROGRAM", "tidak ada kolom kecamatan dan --kecamatan tidak diisi; wilayah "
                     "program tidak diperiksa", "no kecamatan column and no --kecamatan; the program area was not checked")
    return rules


def group_findings(frame: pl.DataFrame, ctx: CheckContext) -> pl.DataFrame | None:
    """KELOMPOK_TIDAK_SESUAI: every member of a group with the wrong size or not one leader."""
    rule = ctx.program.group
    if rule is None:
        return None
    if not ctx.has("nama_kelompok"):
        ctx.skip("KELOMPOK_TIDAK_SESUAI", "tidak ada kolom nama kelompok", "no group-name column")
        return None
    group, raw = _group_of(frame)
    title = (pl.col("jabatan").str.to_uppercase().str.replace_all(r"[^A-Z ]", " ").str.strip_chars()
             .str.replace_all(r"\s+", " ") if ctx.has("jabatan") else pl.lit(None, pl.Utf8))
    leader = rule.leader_title.upper()
    is_leader = (title == leader) | title.str.starts_with(leader + " ")
    if leader == "KETUA":  # "Ka. Kelompok", "KA KUBE": the usual abbreviation of ketua
        is_leader = is_leader | title.str.contains(r"^KA (?:KELOMPOK|KUBE|KEL)\b")
    # Members are people: a NIK listed twice in a group is one member (GANDA_NIK tells the rest);
    # a row without a readable NIK counts as one of its own.
    person = pl.when(pl.col("_nik_ok")).then(pl.col("_nik")).otherwise(pl.format("#{}", pl.col("_idx")))
    g = frame.select("_idx", "_row", group.alias("_grp"), raw.alias("_grp_raw"),
                     is_leader.fill_null(False).alias("_lead"), person.alias("_person"))
    sizes = g.group_by("_grp").agg(pl.col("_person").n_unique().alias("_members"),
                                   pl.col("_person").filter(pl.col("_lead")).n_unique().alias("_leaders"))
    out = g.join(sizes, on="_grp", how="left", nulls_equal=True)
    # Without a jabatan column the leaders cannot be counted: the sizes are still checked (the
    # warning column_missing says the rest).
    leaders_bad = (pl.col("_leaders") != 1) if ctx.has("jabatan") else pl.lit(False)
    bad = (pl.col("_grp").is_null() | (pl.col("_members") < rule.min_members)
           | (pl.col("_members") > rule.max_members) | leaders_bad)
    return out.filter(bad).select(
        "_idx", pl.col("_grp_raw").fill_null("").alias("value"),
        pl.when(pl.col("_grp").is_null()).then(pl.lit(None)).otherwise(pl.col("_members")).alias("actual"),
        pl.when(pl.col("_grp").is_null()).then(pl.lit(None)).otherwise(pl.col("_leaders")).alias("detail"),
        pl.when(pl.col("_grp").is_null()).then(pl.lit("no_group"))
        .when(pl.lit(not ctx.has("jabatan"))).then(pl.lit("size_only")).alias("variant"),
    )


def _group_of(frame: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """Each row's group (normalised name) and the name as written."""
    group = (pl.col("nama_kelompok").str.to_uppercase().str.replace_all(r"\s+", " ").str.strip_chars()
             .replace("", None))
    raw = pl.col("nama_kelompok")
    if _written_once(frame.select(group.alias("_g")).to_series()):
        # The group's name typed on its first member's row only, the rows below left blank
        # (a merged cell typed without merging): the blank rows belong to the group above, up to
        # a row set aside (the blank row or the line between two groups). Rows after it with no
        # name are a group nobody named, not more members of the group before.
        block = (pl.col("_row").diff().fill_null(1) != 1).cum_sum()
        raw = pl.when(group.is_null()).then(None).otherwise(raw).forward_fill().over(block)
        group = group.forward_fill().over(block)
    return group, raw


def group_accounts(frame: pl.DataFrame, ctx: CheckContext) -> list[pl.Series]:
    """In a program paid to a group account (KUBE: programs.md), `_group_acct`: the row's account
    is its group's (the same account on two or more rows, all of one named group), so not
    GANDA_REKENING; and `_group_holder`: that, or the holder named as the group ("KUBE MAWAR" on
    the ketua's row), so the holder is not compared with the member (NAMA_REKENING_BEDA). An
    account shared across groups is still both."""
    if ctx.program.group is None or not ctx.has("nama_kelompok"):
        no = pl.repeat(False, frame.height, eager=True)
        return [no.alias("_group_acct"), no.alias("_group_holder")]
    group, acct = pl.col("_g"), pl.col("_acct")
    # (Every member giving an account gives this one: a group whose members give their own
    # accounts has no group account, and two of them sharing one is GANDA_REKENING.)
    shared = (acct.is_not_null() & group.is_not_null()
              & (pl.len().over(acct) >= 2) & (group.n_unique().over(acct) == 1)
              & (group.null_count().over(acct) == 0)
              & (acct.filter(acct.is_not_null()).n_unique().over(group) == 1)).fill_null(False)
    # The group's name whole ("KUBE MAWAR", "KUBE MAWAR (TONI)"), not a name it begins (MAWARDI);
    # with or without the word KUBE/KELOMPOK before it (group MAWAR, holder KUBE MAWAR).
    word = r"^(?:KUBE|KELOMPOK|KEL\.?)\s+"
    holder = pl.col("_holder_raw").str.to_uppercase().str.replace_all(r"\s+", " ").str.strip_chars().str.replace(word, "")
    bare = group.str.replace(word, "")
    named = ((holder == bare) | holder.str.starts_with(bare + " ")).fill_null(False)
    return frame.select(_group_of(frame)[0].alias("_g"), acct, "_holder_raw").select(
        shared.alias("_group_acct"), (shared | named).alias("_group_holder")).get_columns()


def _written_once(groups: pl.Series) -> bool:
    """The layout where a group's name stands on its first row only: the first row names a group
    and blank cells are at least as many as named ones (groups have five members or more, so a
    list that names each member's group has few blanks, each a real omission)."""
    if groups.len() == 0 or groups[0] is None:
        return False
    return groups.null_count() >= groups.len() - groups.null_count()
