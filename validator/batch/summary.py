"""The batch as the Kepala Dinas reads it: per kecamatan counts and amounts, and how often each
reason code held rows back. Computed when the gate runs and kept with the check, so an approved
batch's summary never moves."""

from __future__ import annotations

import polars as pl

from validator.rulebook import Rulebook
from validator.store import Store, run
from validator.wilayah import load_regions


def summarize(store: Store, rules: Rulebook, rows: pl.DataFrame) -> dict:
    status = pl.col("effective_status")
    paid = status == "accepted"
    # Held: still in review or rejected. Rows an earlier approved version, or an exclusive
    # program, paid are neither.
    held = status.is_in(["review", "rejected"])
    per_kec = (rows.group_by("kecamatan", "submission_id", maintain_order=True).agg(
        pl.len().alias("rows"), paid.sum().alias("accepted"), (status == "review").sum().alias("review"),
        (status == "rejected").sum().alias("rejected"), (status == "paid_before").sum().alias("paid_before"),
        (status == "paid_elsewhere").sum().alias("paid_elsewhere"),
        pl.col("nominal").filter(paid).sum().alias("amount_paid"),
        pl.col("nominal").filter(held).sum().alias("amount_held"),
    ).sort("kecamatan"))
    regions = load_regions()
    kecamatan = [k | {"kecamatan_name": regions.describe(k["kecamatan"]),
                      "rejection_rate": k["rejected"] / k["rows"] if k["rows"] else 0.0}
                 for k in per_kec.to_dicts()]
    total = rows.height
    ids = per_kec["submission_id"].to_list()
    codes = run(store.con, f"""
        SELECT f.code, count(DISTINCT (f.submission_id, f.row)) AS n
        FROM findings f WHERE f.submission_id IN ({', '.join('?' * len(ids))})
        GROUP BY f.code ORDER BY n DESC, f.code""", ids) if ids else []
    catalog = rules.catalog
    by_code = [{"code": c, "title": catalog[c].title_id if c in catalog else c,
                "title_en": catalog[c].title_en if c in catalog else c,
                "severity": catalog[c].severity if c in catalog else None,
                "rows": n, "rate": n / total if total else 0.0} for c, n in codes]
    counts = {s: int((rows["effective_status"] == s).sum()) for s in ("accepted", "review", "rejected")}
    if (before := int((rows["effective_status"] == "paid_before").sum())):
        counts["paid_before"] = before  # paid by an earlier approved version, not paid again
    if (elsewhere := int((rows["effective_status"] == "paid_elsewhere").sum())):
        counts["paid_elsewhere"] = elsewhere  # paid by an exclusive program, left out
    return {"rows": total, "counts": counts,
            "amount_paid": float(rows.filter(paid)["nominal"].sum() or 0),
            "amount_held": float(rows.filter(held)["nominal"].sum() or 0),
            "kecamatan": kecamatan, "by_code": by_code}
