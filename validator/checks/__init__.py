"""Run every per-list check and return one tidy table: a row per finding."""

from __future__ import annotations

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


def _clean_accounts() -> pl.Expr:
    """Accounts with no finding of their own (one problem, one finding)."""
    return pl.col("_acct").str.contains(r"^\d+$").fill_null(False)


def run_checks(frame: pl.DataFrame, ctx: CheckContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (prepared frame, findings). Findings follow FINDING_SCHEMA."""
    prepared = prepare(frame, ctx).with_columns(rekening.account_columns(ctx))
    lazy = prepared.lazy()
    field_of = {c: e.field for c, e in ctx.rules.catalog.items()}
    parts: list[pl.LazyFrame] = [
        rule_findings(lazy, r, field_of[r.code]) for r in _simple_rules(ctx) if ctx.enabled(r.code)
    ]
    findings = pl.concat(parts).collect() if parts else empty_findings()

    extra: list[pl.DataFrame] = []
    faulty = set(findings.filter(pl.col("code").is_in(
        ["REKENING_HURUF", "REKENING_POLA", "REKENING_PANJANG", "REKENING_EXCEL"]))["_idx"].to_list())
    clean_accts = _clean_accounts() & ~pl.col("_idx").is_in(list(faulty))

    def add(code: str, pairs: pl.DataFrame | None) -> None:
        if pairs is not None and pairs.height and ctx.enabled(code):
            extra.append(related_findings(pairs.lazy(), code, field_of[code]).collect())

    add("GANDA_NIK", ganda.nik_duplicates(prepared))
    if ctx.household:
        add("GANDA_KK", ganda.kk_duplicates(prepared))
    add("GANDA_REKENING", ganda.account_duplicates(prepared, clean_accts))
    add("DUGAAN_GANDA", ganda.probable_duplicates(prepared, ctx))
    if ctx.enabled("KELOMPOK_TIDAK_SESUAI"):
        groups = tempat.group_findings(prepared, ctx)
        if groups is not None and groups.height:
            extra.append(rule_like(groups, "KELOMPOK_TIDAK_SESUAI", field_of))
    if ctx.has("nama_rekening") and ctx.enabled("NAMA_REKENING_BEDA"):
        holders = rekening.holder_mismatch(prepared, ctx)
        if holders.height:
            extra.append(rule_like(holders.rename({"_holder_raw": "value", "_name": "expected"}),
                                   "NAMA_REKENING_BEDA", field_of))
    if extra:
        findings = pl.concat([findings, *extra], how="vertical_relaxed")
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
