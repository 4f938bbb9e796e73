"""The gate's Great Expectations suite over a batch, and its Data Docs.

This is the only module that imports Great Expectations (and pandas, which GX runs on); both load
inside `run_gate`, so validating an upload never pays for them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from validator.batch.rows import PAID_BEFORE, PAID_ELSEWHERE, PAY, banks_of
from validator.rulebook import Program, Rulebook

MAX_ROWS_SHOWN = 200  # offending rows kept per expectation; the count is always complete
INDEX_COLUMNS = ["kecamatan", "baris", "nik_samaran"]
SITE = "laporan_batch"


@dataclass(frozen=True)
class Limits:
    pagu: float | None = None  # budget ceiling for the batch, Rupiah (less what earlier versions paid)
    kuota: int | None = None  # most rows (recipients) the batch may pay (less those paid before)


def _floor(limit: float | None) -> int | None:
    """The lower bound of a pagu or kuota expectation: 0, or none when the limit is below zero
    (approved versions already paid more than finance entered), so the expectation fails."""
    return 0 if limit is None or limit >= 0 else None


def suite_name(program: Program, period: str) -> str:
    return "gerbang_pencairan_" + re.sub(r"[^A-Za-z0-9_]+", "_", f"{program.id}_{period}")


def _expectations(gxe, Column, rules: Rulebook, program: Program, limits: Limits) -> list[tuple]:
    """(key, Indonesian title, English title, expectation or None when it cannot run, why not)."""
    pay = Column("status") == PAY
    out = [
        ("tidak_ada_review", "Tidak ada baris yang masih perlu diperiksa",
         "No row still in review",
         gxe.ExpectColumnValuesToBeInSet(column="status", value_set=["accepted", "rejected", PAID_BEFORE, PAID_ELSEWHERE]), None),
        ("nik_unik", "Satu NIK dibayar sekali dalam batch, lintas kecamatan",
         "No NIK paid twice in the batch, across kecamatan",
         gxe.ExpectColumnValuesToBeUnique(column="nik_id", row_condition=pay), None),
    ]
    if rules.exclusive_partners(program.id):
        out.append(("tidak_dibayar_program_lain",
                    "Tidak ada yang sudah dibayar program lain yang tidak boleh bersamaan, untuk periode yang sama",
                    "No one already paid by a mutually exclusive program for the same period",
                    gxe.ExpectColumnValuesToBeInSet(column="dibayar_program_lain", value_set=[False],
                                                    row_condition=pay), None))
    if program.unit == "household":
        out.append(("kk_unik", "Satu KK dibayar sekali dalam batch (program keluarga)",
                    "No KK paid twice in a household program",
                    gxe.ExpectColumnValuesToBeUnique(column="kk_id", row_condition=pay), None))
    out += [
        ("bank_penyalur", "Bank adalah bank penyalur program", "The bank pays this program",
         gxe.ExpectColumnValuesToBeInSet(column="bank", value_set=banks_of(rules, program),
                                         row_condition=pay), None),
        ("rekening_sah", "Nomor rekening sah untuk banknya (angka, panjang sesuai bank, bukan isian sementara)",
         "Every account valid for its bank",
         gxe.ExpectColumnValuesToBeInSet(column="rekening_sah", value_set=[True], row_condition=pay), None),
        ("nominal_ada", "Setiap baris yang dibayar punya nominal", "Every paid row has an amount",
         gxe.ExpectColumnValuesToNotBeNull(column="nominal", row_condition=pay), None),
    ]
    rule = program.amount
    if rule is not None and rule.allowed is not None:
        amount = gxe.ExpectColumnValuesToBeInSet(column="nominal", value_set=[float(a) for a in rule.allowed],
                                                 row_condition=pay)
    elif rule is not None:
        amount = gxe.ExpectColumnValuesToBeBetween(column="nominal", min_value=rule.min, max_value=rule.max,
                                                   row_condition=pay)
    else:
        amount = gxe.ExpectColumnValuesToBeBetween(column="nominal", min_value=0, strict_min=True,
                                                   row_condition=pay)
    out.append(("nominal_sesuai", "Nominal sesuai ketentuan program", "Amounts within the program's rule",
                amount, None))
    if rule is not None and rule.step:
        out.append(("nominal_kelipatan", f"Nominal kelipatan Rp{rule.step:,}".replace(",", "."),
                    f"Amounts in steps of {rule.step}",
                    gxe.ExpectColumnValuesToBeInSet(column="nominal_sisa", value_set=[0.0], row_condition=pay),
                    None))
    out.append(("pagu", "Jumlah nominal tidak melebihi pagu", "Total amount within the budget ceiling (pagu)",
                # (No lower bound when nothing is left: GX refuses a minimum above the maximum.)
                gxe.ExpectColumnSumToBeBetween(column="nominal", min_value=_floor(limits.pagu), max_value=limits.pagu,
                                               row_condition=pay) if limits.pagu is not None else None,
                ("pagu belum diisi", "no budget ceiling entered")))
    out.append(("kuota", "Jumlah penerima tidak melebihi kuota", "Row count within the quota",
                gxe.ExpectTableRowCountToBeBetween(min_value=_floor(limits.kuota), max_value=limits.kuota,
                                                   row_condition=pay)
                if limits.kuota is not None else None,
                ("kuota belum diisi", "no quota entered")))
    return out


def run_gate(frame: pl.DataFrame, rules: Rulebook, program: Program, period: str, limits: Limits,
             docs_dir: Path) -> dict:
    """Validate the batch frame; write the Data Docs site into `docs_dir`; the verdict per expectation
    with its offending rows (kecamatan, row, masked NIK)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # a dinas network sends nothing outside
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )
    from great_expectations.expectations.row_conditions import Column

    step = program.amount.step if program.amount is not None else None
    df = frame.with_columns(
        (pl.col("nominal") % step if step else pl.lit(0.0)).alias("nominal_sisa")).to_pandas()

    # In memory, except for our one Data Docs site: no temporary docs folder left behind, no
    # analytics sent anywhere, no progress bars in a server log.
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False, progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={SITE: {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"}}})
    context = gx.get_context(mode="ephemeral", project_config=config)
    batch_definition = (context.data_sources.add_pandas("bansos").add_dataframe_asset(program.id)
                        .add_batch_definition_whole_dataframe("batch"))
    name = suite_name(program, period)
    suite = context.suites.add(gx.ExpectationSuite(name=name, meta={"program": program.id, "period": period}))
    planned = _expectations(gxe, Column, rules, program, limits)
    for key, title, _, expectation, _ in planned:
        if expectation is not None:
            expectation.meta = {"kunci": key, "judul": title}
            suite.add_expectation(expectation)
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validasi", data=batch_definition, suite=suite))
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name=f"{name}_checkpoint", validation_definitions=[validation],
        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[SITE])],
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": INDEX_COLUMNS}))
    outcome = checkpoint.run(batch_parameters={"dataframe": df})
    by_key = {r.expectation_config.meta["kunci"]: r
              for run in outcome.run_results.values() for r in run.results}
    notes = _notes(frame)
    results = [_verdict(key, title, title_en, by_key.get(key), skipped, notes)
               for key, title, title_en, _, skipped in planned]
    # The validation page itself is plain HTML; the site's index lists runs with CDN scripts only.
    page = next((docs_dir / "validations").rglob("*.html"), None)
    return {"suite": name, "passed": all(r["success"] is True for r in results), "expectations": results,
            "docs_page": page.relative_to(docs_dir).as_posix() if page else "index.html"}


def _notes(frame: pl.DataFrame) -> dict[tuple, dict]:
    return {(r["kecamatan"], r["baris"]): r for r in frame.select(
        "kecamatan", "baris", "rekening_catatan", "nominal", "status", "bank").iter_rows(named=True)}


def _detail(key: str, row: dict) -> str | None:
    if key == "rekening_sah":
        return row["rekening_catatan"]
    if key.startswith("nominal"):
        return None if row["nominal"] is None else f"Rp{int(row['nominal']):,}".replace(",", ".")
    if key == "bank_penyalur":
        return row["bank"]
    if key == "tidak_ada_review":
        return "masih perlu diperiksa"
    if key == "tidak_dibayar_program_lain":
        return "sudah dibayar program lain"
    return None


def _verdict(key: str, title: str, title_en: str, result, skipped, notes: dict) -> dict:
    base = {"key": key, "title": title, "title_en": title_en}
    if result is None:
        why, why_en = skipped
        return base | {"success": None, "skipped": why, "skipped_en": why_en, "unexpected_count": 0,
                       "rows": [], "rows_truncated": False}
    if result.exception_info and result.exception_info.get("raised_exception"):
        return base | {"success": False, "skipped": "pemeriksaan gagal dijalankan",
                       "skipped_en": "the expectation raised an error", "unexpected_count": 0,
                       "rows": [], "rows_truncated": False}
    found = result.result or {}
    rows = []
    for ix in (found.get("unexpected_index_list") or [])[:MAX_ROWS_SHOWN]:
        kec, row = ix["kecamatan"], int(ix["baris"])
        rows.append({"kecamatan": kec, "row": row, "nik_masked": ix["nik_samaran"],
                     "detail": _detail(key, notes.get((kec, row), {}))})
    observed = found.get("observed_value")
    count = found.get("unexpected_count") or 0
    return base | {"success": bool(result.success), "observed": None if observed is None else float(observed),
                   "unexpected_count": int(count), "rows": rows, "rows_truncated": count > len(rows)}
