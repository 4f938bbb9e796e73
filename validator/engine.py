"""Validate one list: read, check, and shape the result every report is a view of."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from validator.checks import CheckContext, run_checks
from validator.errors import UserError
from validator.ingest import ListData, read_list, sha256_of
from validator.reports.messages import context_params, render
from validator.rulebook import Program, Rulebook, load_rules
from validator.wilayah import Regions, load_regions, normalise_kecamatan_code

Progress = Callable[[str, float], None]


@dataclass
class Outcome:
    """Everything known after validating one list."""

    program: Program
    rules: Rulebook
    regions: Regions
    listing: ListData
    file_name: str
    sha256: str
    kecamatan: str | None
    period: str | None
    findings: pl.DataFrame  # FINDING_SCHEMA + severity, message, message_en, _order
    rows: pl.DataFrame  # _idx, row, sheet, nik, nama, status
    checks_skipped: list[dict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def summary(self) -> dict:
        counts = dict(self.rows.group_by("status").len().iter_rows())
        by_code = dict(self.findings.group_by("code").len().sort("code").iter_rows())
        order = {c: i for i, c in enumerate(self.rules.catalog)}
        return {
            "rows": self.rows.height,
            "accepted": counts.get("accepted", 0),
            "review": counts.get("review", 0),
            "rejected": counts.get("rejected", 0),
            "skipped_rows": len(self.listing.skipped),
            "by_code": dict(sorted(by_code.items(), key=lambda kv: order.get(kv[0], 999))),
        }


def parse_kecamatan(text: str | None, regions: Regions) -> str | None:
    if text is None or text == "":
        return None
    code = normalise_kecamatan_code(text)
    if code is None or code not in regions.kecamatan:
        raise UserError(
            f"Kode kecamatan '{text}' tidak dikenal. Tulis kode Kemendagri 6 angka, misalnya 12.71.17 atau 127117.",
            f"Unknown kecamatan code '{text}'. Use the 6-digit Kemendagri code, e.g. 12.71.17.",
            code="bad_kecamatan",
        )
    return code


def _status(findings: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    per_row = findings.group_by("_idx").agg(
        pl.when((pl.col("severity") == "reject").any()).then(pl.lit("rejected"))
        .otherwise(pl.lit("review")).alias("status"))
    return rows.join(per_row, on="_idx", how="left").with_columns(
        pl.col("status").fill_null("accepted"))


def validate(path: Path, program_id: str, *, kecamatan: str | None = None, period: str | None = None,
             rules: Rulebook | None = None, today: dt.date | None = None,
             progress: Progress | None = None) -> Outcome:
    step = progress or (lambda stage, frac: None)
    timings: dict[str, float] = {}
    rules = rules or load_rules()
    program = rules.program(program_id)
    regions = load_regions()
    sender = parse_kecamatan(kecamatan, regions)
    today = today or dt.date.today()

    t0 = time.perf_counter()
    step("read", 0.0)
    listing = read_list(Path(path), rules.header_map(program))
    digest = sha256_of(Path(path))
    timings["read"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    step("checks", 0.4)
    ctx = CheckContext(rules=rules, program=program, regions=regions, today=today, sender=sender,
                       fields=set(listing.fields) | ({"tanggal_lahir"} if "tempat_tanggal_lahir" in listing.fields else set())
                       | ({"tempat_lahir"} if "tempat_tanggal_lahir" in listing.fields else set()))
    prepared, findings = run_checks(listing.frame, ctx)
    order = {c: i for i, c in enumerate(rules.catalog)}
    severity = {c: rules.severity(program, c) for c in rules.catalog}
    findings = findings.with_columns(
        pl.col("code").replace_strict(severity, return_dtype=pl.Utf8).alias("severity"),
        pl.col("code").replace_strict(order, return_dtype=pl.Int32).alias("_order"),
    )
    contexts = {lang: context_params(rules, program, regions, sender, lang) for lang in ("id", "en")}
    findings = render(findings, rules.catalog, contexts).sort(["_idx", "_order"])
    rows = prepared.select(
        "_idx",
        pl.col("_row").alias("row"),
        pl.lit(listing.sheet, pl.Utf8).alias("sheet"),
        pl.when(pl.col("_nik_16")).then(pl.col("_nik")).otherwise(pl.col("_nik_raw")).alias("nik"),
        pl.col("_name").alias("nama"),
    )
    rows = _status(findings, rows)
    timings["checks"] = time.perf_counter() - t0
    step("checks", 0.8)

    skipped = list(ctx.skipped)
    for check, why_id, why_en in (
        ("registry", "tidak ada data DTKS/DTSEN (--registry)", "no registry extract given (--registry)"),
        ("exclusions", "tidak ada daftar pengecualian (--exclusions)", "no exclusion list given (--exclusions)"),
        ("history", "tidak ada riwayat pengajuan (--store)", "no history store given (--store)"),
    ):
        skipped.append({"check": check, "reason": why_id, "reason_en": why_en})
    return Outcome(program=program, rules=rules, regions=regions, listing=listing,
                   file_name=Path(path).name, sha256=digest, kecamatan=sender, period=period,
                   findings=findings, rows=rows, checks_skipped=skipped, timings=timings)
