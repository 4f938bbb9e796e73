"""result.json (contracts §2): written by polars' JSON writer, so a million rows stay fast."""

from __future__ import annotations

import json

import polars as pl

from validator.ingest import WHY_TEXT

TIMED_STAGES = ("read", "checks", "registry", "store", "write")


def rows_frame(outcome) -> pl.DataFrame:
    """Every data row in file order with its findings nested (empty list when accepted)."""
    f = outcome.findings
    nested = f.group_by("_idx", maintain_order=True).agg(
        pl.struct(
            "code", "severity", "field", "value", "message", "message_en",
            pl.col("related").fill_null(pl.lit([], pl.List(pl.Int32))).alias("related_rows"),
        ).alias("findings"))
    return (
        outcome.rows.join(nested, on="_idx", how="left", maintain_order="left")
        .with_columns(pl.col("findings").fill_null(pl.lit([], dtype=nested.schema["findings"])))
        .sort("_idx")
        # An empty NIK cell's text is "" (contracts §2: the raw cell text when no NIK could be read);
        # an empty name is "" too, so a consumer always gets a string.
        .with_columns(pl.col("nik").fill_null(""), pl.col("nama").fill_null(""))
        .select("row", "sheet", "nik", "nama", "status", "findings")
    )


def header(outcome) -> dict:
    listing = outcome.listing
    return {
        "program": outcome.program.id,
        "period": outcome.period,
        "kecamatan": outcome.kecamatan,
        "rule_set_version": outcome.rule_set_version,
        "source": {
            "file": outcome.file_name,
            "sha256": outcome.sha256,
            "sheet": listing.sheet,
            "header_row": listing.header_row,
            "columns": {f: listing.headers[j] for f, j in listing.fields.items()},
        },
        "checks_skipped": sorted({c["check"] for c in outcome.checks_skipped}),
        "checks_skipped_detail": outcome.checks_skipped,
        "warnings": listing.warnings,
        "summary": outcome.summary,
        "skipped": [
            {**s, "why_text": WHY_TEXT[s["why"]][0]} for s in listing.skipped
        ],
        # Every stage of contracts §2, 0 when it did not run (no --store: nothing recorded).
        "timings": {k: round(outcome.timings.get(k, 0.0), 3) for k in TIMED_STAGES},
    } | ({"submission_id": outcome.submission_id} if outcome.recorded else {}) | (
        {"compared_to": outcome.compared_to} if outcome.compared_to is not None else {})


def render_json(outcome, extra: dict | None = None) -> bytes:
    head = header(outcome) | (extra or {})
    # Splice the rows array, serialised by polars, into the document.
    text = json.dumps(head | {"rows": "__ROWS__"}, ensure_ascii=False, indent=1)
    before, after = text.split('"__ROWS__"')
    rows = rows_frame(outcome)
    body = rows.write_json() if rows.height else "[]"
    return (before + body + after).encode("utf-8")
