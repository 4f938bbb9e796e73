"""Run every per-list check and return one tidy table: a row per finding."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from validator.checks import ganda, identitas, rekening, tempat
from validator.checks.base import (
    FINDING_SCHEMA,
    CheckContext,
    Rule,
    empty_findings,
    related_findings,
    rule_findings,
)
from validator.checks.prepare import prepare

__all__ = ["CheckContext", "run_checks", "prepare", "FINDING_SCHEMA"]


def _simple_rules(ctx: CheckContext) -> list[Rule]:
    return [
        *identitas.nik_rules(ctx),
        *identitas.kk_rules(ctx),
        *identitas.person_rules(ctx),
        *rekening.account_rules(ctx),
        *rekening.amount_rules(ctx),
        *tempat.place_rules(ctx),
    ]


def run_checks(frame: pl.DataFrame, ctx: CheckContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (prepared frame, findings). Findings follow FINDING_SCHEMA.

    After the shared preparation, the row rules and the duplicate searches read the prepared
    frame independently: they run side by side on a small thread pool (polars releases the GIL
    while it computes), so a two-core machine works on both at once."""
    prepared = prepare(frame, ctx)
    prepared = prepared.with_columns(tempat.group_accounts(prepared, ctx))
    if ctx.program.group is not None:
        # A group's account with its bank named on one member's row (the ketua's): the others'
        # empty bank cell is that bank, not BANK_TIDAK_DIKENAL.
        unnamed = pl.col("_group_acct") & pl.col("_bank_raw").is_null()
        prepared = prepared.with_columns(pl.when(unnamed).then(pl.col(c).max().over("_acct")).otherwise(pl.col(c))
                                         for c in ("_bank_raw", "_bank"))
    prepared = prepared.with_columns(rekening.account_columns(ctx))
    lazy = prepared.lazy()
    field_of = {c: e.field for c, e in ctx.rules.catalog.items()}
    rules = [r for r in _simple_rules(ctx) if ctx.enabled(r.code)]

    def row_rules() -> pl.DataFrame:
        parts = [rule_findings(lazy, r, field_of[r.code]) for r in rules]
        return pl.concat(parts).collect() if parts else empty_findings()

    def related(code: str, search) -> Callable[[], pl.DataFrame | None]:
        def run() -> pl.DataFrame | None:
            pairs = search()
            if pairs is not None and pairs.height and ctx.enabled(code):
                return related_findings(pairs.lazy(), code, field_of[code]).collect()
            return None
        return run

    # An account or a KK with a finding of its own is not also a duplicate (one problem, one finding).
    def without(codes: tuple[str, ...]) -> pl.Expr:
        faulty = pl.lit(False)
        for r in rules:
            if r.code in codes:
                faulty = faulty | r.when.fill_null(False)
        return ~faulty

    # (The account of a group, on its members' rows, is not a duplicate: tempat.group_accounts.)
    clean_accts = pl.col("_acct_digits") & ~pl.col("_group_acct") & without((
        "REKENING_HURUF", "REKENING_POLA", "REKENING_PANJANG", "REKENING_EXCEL"))
    clean_kks = pl.col("_kk_ok") & without(("KK_WILAYAH", "KK_SAMA_NIK"))

    tasks: list[Callable[[], pl.DataFrame | None]] = [
        related("DUGAAN_GANDA", lambda: ganda.probable_duplicates(prepared, ctx)),
        row_rules,
        related("GANDA_NIK", lambda: ganda.nik_duplicates(prepared)),
        related("GANDA_REKENING", lambda: ganda.account_duplicates(prepared, clean_accts)),
    ]
    if ctx.household:
        tasks.append(related("GANDA_KK", lambda: ganda.kk_duplicates(prepared, clean_kks)))
    if ctx.enabled("KELOMPOK_TIDAK_SESUAI"):
        def groups() -> pl.DataFrame | None:
            found = tempat.group_findings(prepared, ctx)
            return rule_like(found, "KELOMPOK_TIDAK_SESUAI", field_of) if found is not None and found.height else None
        tasks.append(groups)
    if ctx.has("nama_rekening") and ctx.enabled("NAMA_REKENING_BEDA"):
        def holders() -> pl.DataFrame | None:
            found = rekening.holder_mismatch(prepared, ctx)
            return rule_like(found.rename({"_holder_raw": "value", "_name": "expected"}),
                             "NAMA_REKENING_BEDA", field_of) if found.height else None
        tasks.append(holders)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [f.result() for f in [pool.submit(t) for t in tasks]]
    findings = pl.concat([r for r in results if r is not None], how="vertical_relaxed")
    return prepared, findings


def rule_like(part: pl.DataFrame, code: str, field_of: dict[str, str]) -> pl.DataFrame:
    """A finding frame from checks that are not simple row rules."""
    cols = []
    for name, dtype in FINDING_SCHEMA.items():
        if name == "code":
            cols.append(pl.lit(code).alias(name))
        elif name == "field":
            cols.append(pl.lit(field_of[code]).alias(name))
        elif name in part.columns:
            cols.append(pl.col(name).cast(dtype))
        else:
            cols.append(pl.lit(None, dtype).alias(name))
    return part.select(cols)
