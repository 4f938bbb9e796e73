"""Check and approve a batch: what `bansos batch` and the finance pages and API call.

A batch is one program and period. Each version has a folder (Data Docs of every check, and once
approved the disbursement files and manifest). An approved version is frozen: the next check opens
version n+1. Approval writes files first and records them last, in one transaction. verify.py
checks the frozen versions."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path

import polars as pl

from validator.batch import files
from validator.batch.paid import paid_by_exclusive
from validator.batch.rows import (
    PAID_BEFORE,
    PAID_ELSEWHERE,
    PAY,
    fingerprint,
    gate_frame,
    live_rows,
    mark_paid_elsewhere,
    paid_before,
    paid_by,
)
from validator.batch.summary import summarize
from validator.errors import UserError, id_as_period, mask_echo, thousands
from validator.ingest import sha256_of
from validator.reports import sweep_dead
from validator.rulebook import Rulebook
from validator.store import Store, registered, run
from validator.store.history import canonical_period, mask_nik, period_months
from validator.wilayah import load_regions


class GateRefused(UserError):
    """The gate says no: a failed check, a batch not checked or changed since, a frozen version.
    The CLI exits 3 (not 2: the command was right, the batch is not ready); the API answers 409."""


MAX_CHANGED = 50  # rows with a changed amount listed in the check (all are counted)
BATCH_COLUMNS = ["id", "program", "period", "version", "folder", "pagu", "kuota", "created_at", "created_by",
                 "state", "approved_at", "approved_by", "manifest_sha256", "previous_batch"]


def default_root(store_path: Path) -> Path:
    """Beside the store, in the folder the API server keeps its files in (`<store>_files/`)."""
    store_path = Path(store_path)
    return store_path.parent / f"{store_path.stem}_files" / "batches"


def clean_period(period: str) -> str:
    if (wrong := id_as_period(period)) is not None:
        raise wrong
    period = canonical_period(period)  # '2026-t1' is the 2026-T1 batch, as lists are recorded
    if not period or len(period) > 20:
        raise UserError("Periode wajib diisi (mis. 2026-T1), paling panjang 20 karakter.",
                        "A period is required (e.g. 2026-T1), at most 20 characters.", code="bad_period")
    return period


# How finance types an amount: Indonesian thousands (1.500.000.000, 1.500.000,00), English ones
# (1,500,000,000.00), or plain digits with at most two decimals (20000000.00, 2500,5).
_GROUPED_ID = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,(\d+))?")
_GROUPED_EN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.(\d+))?")
_PLAIN = re.compile(r"\d+(?:[.,](\d{1,2}))?")


def parse_number(text: str | None, what: str) -> int | None:
    """'Rp 1.500.000.000', '1500000000', '2.500', '20000000.00' or '1,500,000' as finance types
    them; empty: not entered. Anything else (1,5 M; 2500.7 of a kuota) is refused, never guessed:
    a misread pagu or kuota would let the gate pass a batch over its budget."""
    text = (text or "").strip()
    if not text:
        return None
    # "Rp1.500.000.000,-": the rupiah sign before, the dash of a whole amount after.
    plain = re.sub(r"[.,]?-+$", "", re.sub(r"(?i)^rp\.?", "", text).replace(" ", "").replace("\u00a0", ""))
    whole: str | None = None
    for pattern, group in ((_GROUPED_ID, "."), (_GROUPED_EN, ","), (_PLAIN, None)):
        m = pattern.fullmatch(plain)
        if m:
            decimals = m.group(1) or ""
            if not decimals.strip("0"):  # a fraction of a rupiah or of a person is no pagu or kuota
                head = plain[: len(plain) - len(decimals) - (1 if decimals else 0)]
                whole = head.replace(group, "") if group else head
            break
    if whole is None or not whole.isdigit():
        example = "2.500" if what.lower().startswith("kuota") else "1.500.000.000"
        raise UserError(f"{what} harus berupa angka bulat, mis. {example} (tertulis: {mask_echo(text[:30])}). "
                        "Tulis tanpa singkatan seperti 'M' atau 'jt', dan tanpa angka di belakang koma.",
                        f"{what} must be a whole number, e.g. {example}, without abbreviations or decimals.",
                        code="bad_number")
    return int(whole)


def batch_id(program: str, period: str, version: int) -> str:
    """A name safe for a folder; a period whose characters had to change gets a short hash of
    itself, so two periods written differently never share a batch ('x y' and 'x/y')."""
    safe = re.sub(r"[^A-Za-z0-9.-]+", "-", period)
    if safe != period:
        safe += "-" + hashlib.sha256(period.encode()).hexdigest()[:6]
    return f"{program}_{safe}_v{version}"


def _batch(store: Store, where: str, params: list) -> dict | None:
    found = run(store.con, f"SELECT {', '.join(BATCH_COLUMNS)} FROM batches WHERE {where}", params)
    return dict(zip(BATCH_COLUMNS, found[0], strict=True)) if found else None


def get_batch(store: Store, bid: str) -> dict | None:
    return _batch(store, "id = ?", [bid])


def latest_batch(store: Store, program: str, period: str) -> dict | None:
    return _batch(store, "program = ? AND period = ? ORDER BY version DESC LIMIT 1", [program, period])


def batches_of(store: Store, program: str | None = None, period: str | None = None) -> list[dict]:
    found = run(store.con, f"""SELECT {', '.join(BATCH_COLUMNS)} FROM batches
        WHERE (? IS NULL OR program = ?) AND (? IS NULL OR period = ?)
        ORDER BY created_at DESC, version DESC""", [program, program, period, period])
    return [dict(zip(BATCH_COLUMNS, f, strict=True)) for f in found]


def checks_of(store: Store, bid: str) -> list[dict]:
    found = run(store.con, """SELECT seq, time, actor, passed, fingerprint, pagu, kuota, docs, result
                              FROM batch_checks WHERE batch_id = ? ORDER BY seq DESC""", [bid])
    keys = ["seq", "time", "actor", "passed", "fingerprint", "pagu", "kuota", "docs", "result"]
    return [dict(zip(keys, f, strict=True)) | {"result": json.loads(f[-1])} for f in found]


def latest_check(store: Store, bid: str) -> dict | None:
    found = checks_of(store, bid)
    return found[0] if found else None


# Above any real batch (a kuota is stored as a 32-bit integer): a number this big is a typing slip.
MAX_KUOTA = 100_000_000
MAX_PAGU = 10**15  # Rp 1.000 triliun


def _limits(pagu: float | None, kuota: int | None) -> None:
    if pagu is not None and pagu < 0:
        raise UserError("Pagu tidak boleh negatif.", "The budget ceiling cannot be negative.", code="bad_pagu")
    if kuota is not None and kuota < 0:
        raise UserError("Kuota tidak boleh negatif.", "The quota cannot be negative.", code="bad_kuota")
    # (What was typed is not quoted back: a NIK pasted into the field would come back whole.)
    if pagu is not None and pagu > MAX_PAGU:
        raise UserError(f"Pagu yang diisi terlalu besar (paling banyak Rp{thousands(MAX_PAGU)}); periksa jumlah "
                        "angka nolnya.", "The budget ceiling is too large; check its zeros.", code="bad_pagu")
    if kuota is not None and kuota > MAX_KUOTA:
        raise UserError(f"Kuota yang diisi terlalu besar (paling banyak {thousands(MAX_KUOTA)} penerima); periksa "
                        "jumlah angka nolnya.", "The quota is too large; check its zeros.", code="bad_kuota")


def check(store: Store, rules: Rulebook, program_id: str, period: str, *, pagu: float | None,
          kuota: int | None, root: Path, actor: str, lock=None) -> dict:
    """Run the gate on the batch as it is now; record it on the open version (a new one when the
    latest is approved). Pagu and kuota left out keep what finance entered on the open version."""
    from validator.batch.gate import Limits, run_gate

    program, period = rules.program(program_id), clean_period(period)
    _limits(pagu, kuota)
    # Who a mutually exclusive program already paid is part of what the gate sees (and of its
    # fingerprint: a partner approved after this check makes the check stale).
    rows = mark_paid_elsewhere(live_rows(store, program, period), paid_by_exclusive(store, rules, program, period))
    latest = latest_batch(store, program.id, period)
    if latest is not None:  # the period's pagu and kuota carry over to a next version too
        pagu = latest["pagu"] if pagu is None else pagu
        kuota = latest["kuota"] if kuota is None else kuota
    root = Path(root).resolve()
    if latest is not None and latest["state"] == "open":
        # An open version keeps the folder of its first check: every check of it in one place
        # (and the staging folder on the same disk as the version's, for the rename below).
        root = Path(latest["folder"]).parent
        _sweep_staging(Path(latest["folder"]))  # a killed approval's disbursement file goes too
    _sweep_staging(root)
    staging = root / f".pemeriksaan-{os.getpid()}-{uuid.uuid4().hex}"
    staging.mkdir(parents=True, exist_ok=True)
    # What approved versions of this program and period paid comes off the pagu and the kuota: the
    # rows they paid are marked paid_before and not paid again. So are the rows a version of an
    # overlapping period paid (2026-T1 holds March), which leave this period's pagu as it is.
    everything = paid_before(store, program, period)
    before = everything.filter(pl.col("same_period"))
    other = everything.filter(~pl.col("same_period"))
    again = rows.filter((pl.col("effective_status") == PAID_BEFORE) & paid_by(before, program)).join(
        before.select("nik", pl.col("nominal").alias("paid")).unique("nik"), on="nik", how="left")
    # A person paid before whose amount has since changed: not paid as a difference, so finance sees it.
    changed = again.filter(pl.col("paid").is_not_null() & (pl.col("nominal") != pl.col("paid")))
    earlier = {"rows": before.height, "amount": float(before["nominal"].sum() or 0),
               "live_rows": again.height, "amount_changed": changed.height,
               "amount_changed_rows": [{"kecamatan": r["kecamatan"], "row": r["row"], "nik_masked": mask_nik(r["nik"]),
                                        "paid": r["paid"], "now": r["nominal"]}
                                       for r in changed.head(MAX_CHANGED).iter_rows(named=True)]}
    if other.height:
        covered = rows.filter((pl.col("effective_status") == PAID_BEFORE) & ~paid_by(before, program)
                              & paid_by(other, program))
        earlier["other_periods"] = {
            "batches": sorted(other["batch_id"].unique().to_list()), "live_rows": covered.height,
            "amount": float(covered["nominal"].sum() or 0),
            "list": [{"kecamatan": r["kecamatan"], "row": r["row"], "nik_masked": mask_nik(r["nik"])}
                     for r in covered.head(MAX_CHANGED).iter_rows(named=True)]}
    # What is left of the pagu and kuota: below zero when approved versions already paid more than
    # finance entered now (the top-up alone typed as the kuota). The gate then fails, and the page
    # says by how much the entry falls short.
    left = {"pagu": None if pagu is None else pagu - earlier["amount"],
            "kuota": None if kuota is None else kuota - earlier["rows"]}
    earlier["remaining"] = left
    remaining = Limits(left["pagu"], left["kuota"])
    try:
        gate = run_gate(gate_frame(rows, rules, program), rules, program, period, remaining, staging)
        paid = rows.filter(pl.col("effective_status") == PAY)
        elsewhere = rows.filter(pl.col("effective_status") == PAID_ELSEWHERE)
        result = gate | {"summary": summarize(store, rules, rows), "pay_rows": paid.height,
                         "total": float(paid["nominal"].sum() or 0), "paid_before": earlier,
                         # A period of no known form overlaps no other: a month of a paid quarter
                         # typed so would not be seen as paid.
                         "period_unrecognised": period_months(period) is None,
                         # Left out: an exclusive program paid them (GANDA_ANTAR_PROGRAM sees live lists only).
                         "paid_elsewhere": {"rows": elsewhere.height,
                                            "amount": float(elsewhere["nominal"].sum() or 0),
                                            "list": [{"kecamatan": r["kecamatan"], "row": r["row"],
                                                      "nik_masked": mask_nik(r["nik"])}
                                                     for r in elsewhere.head(MAX_CHANGED).iter_rows(named=True)]},
                         "rule_set_version": f"{program.version}+{rules.digest}"}
        with lock or contextlib.nullcontext(), store.transaction():
            batch = _open_version(store, program.id, period, root, actor)
            seq = run(store.con, "SELECT coalesce(max(seq), 0) + 1 FROM batch_checks WHERE batch_id = ?",
                      [batch["id"]])[0][0]
            docs = Path(batch["folder"]) / f"pemeriksaan_{seq}"
            docs.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(docs, ignore_errors=True)  # left by a check whose record was rolled back
            staging.rename(docs)
            try:
                run(store.con, "INSERT INTO batch_checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [batch["id"], seq, dt.datetime.now(), actor, gate["passed"], fingerprint(rows), pagu,
                     kuota, str(docs), json.dumps(result, default=str)])
                run(store.con, "UPDATE batches SET pagu = ?, kuota = ? WHERE id = ?", [pagu, kuota, batch["id"]])
            except BaseException:
                shutil.rmtree(docs, ignore_errors=True)
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"batch": get_batch(store, batch["id"]), "check": latest_check(store, batch["id"])}


_STAGING = re.compile(r"^\.(?:persetujuan|pemeriksaan)-(\d+)-[0-9a-f]{32}$")


def _sweep_staging(folder: Path) -> None:
    """Staging folders of a check or an approval killed mid-way (its process is gone): an
    approval's holds the disbursement file with every payee's NIK and account, so it must not stay."""
    sweep_dead(folder, _STAGING)


def _left_out(result: dict) -> int:
    """Rows of the batch left out as paid already: by an earlier version, or by an exclusive program."""
    return (sum((result.get(k) or {}).get("rows", 0) for k in ("paid_before", "paid_elsewhere"))
            + ((result.get("paid_before") or {}).get("other_periods") or {}).get("live_rows", 0))


def _open_version(store: Store, program: str, period: str, root: Path, actor: str) -> dict:
    latest = latest_batch(store, program, period)
    if latest is not None and latest["state"] == "open":
        return latest
    version = 1 if latest is None else latest["version"] + 1
    bid = batch_id(program, period, version)
    run(store.con, "INSERT INTO batches (id, program, period, version, folder, created_at, created_by, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
        [bid, program, period, version, str(root / bid), dt.datetime.now(), actor])
    return get_batch(store, bid)


def approve(store: Store, rules: Rulebook, program_id: str, period: str, *, actor: str, lock=None,
            bid: str | None = None) -> dict:
    """Freeze the latest version if its latest check passed and nothing changed since."""
    program, period = rules.program(program_id), clean_period(period)
    with lock or contextlib.nullcontext():
        batch = latest_batch(store, program.id, period)
        if batch is None:
            raise GateRefused(f"Batch {program.id} {period} belum pernah diperiksa. Jalankan pemeriksaan dulu.",
                              "This batch was never checked; run the check first.", code="not_checked")
        if bid is not None and bid != batch["id"]:
            raise GateRefused(f"{bid} bukan versi terbaru batch ini ({batch['id']}); hanya versi terbaru yang "
                              "dapat disetujui.", "Only the latest version can be approved.", code="not_latest")
        if batch["state"] == "approved":
            raise GateRefused(f"Batch {batch['id']} sudah disetujui dan dibekukan. Perubahan memerlukan versi "
                              "baru: jalankan pemeriksaan lagi.", "Already approved and frozen; a change needs "
                              "a new version (check again).", code="already_approved")
        last = latest_check(store, batch["id"])
        if last is None:
            raise GateRefused(f"Batch {batch['id']} belum diperiksa.", "Not checked yet.", code="not_checked")
        if last["passed"] and last["result"].get("pay_rows") == 0 and _left_out(last["result"]):
            raise GateRefused(f"Batch {batch['id']} tidak membayar siapa pun yang belum dibayar versi sebelumnya "
                              "atau program lain yang tidak boleh bersamaan: tidak ada yang perlu disetujui.",
                              "Nobody is left to pay that an earlier approved version or a mutually exclusive "
                              "program did not pay; nothing to approve.", code="nothing_to_pay")
        if not last["passed"]:
            failed = [e["title"] + (f" — {e['skipped']}" if e.get("skipped") else "")
                      for e in last["result"]["expectations"] if e["success"] is not True]
            raise GateRefused(f"Batch {batch['id']} tidak dapat disetujui: pemeriksaan terakhir gagal "
                              f"({'; '.join(failed)}).", "The latest gate check failed; approval refused.",
                              code="gate_failed")
        rows = mark_paid_elsewhere(live_rows(store, program, period), paid_by_exclusive(store, rules, program, period))
        if fingerprint(rows) != last["fingerprint"]:
            raise GateRefused(f"Data batch {batch['id']} berubah sejak pemeriksaan terakhir (daftar baru, daftar "
                              "yang ditarik, atau keputusan keuangan). Jalankan pemeriksaan lagi sebelum menyetujui.",
                              "The batch changed since its last check; check again.", code="stale_check")
        return _freeze(store, rules, program, batch, last, rows, actor)


def _freeze(store: Store, rules: Rulebook, program, batch: dict, last: dict, rows: pl.DataFrame,
            actor: str) -> dict:
    folder = Path(batch["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    regions = load_regions()
    paid = (rows.filter(pl.col("effective_status") == PAY)
            .with_columns(pl.col("kecamatan").map_elements(regions.describe, return_dtype=pl.Utf8)
                          .alias("kecamatan_name")).sort("kecamatan", "row"))
    stem = f"pencairan_{batch['id']}"
    names = {"csv": f"{stem}.csv", "xlsx": f"{stem}.xlsx"}
    _sweep_staging(folder)
    staging = folder / f".persetujuan-{os.getpid()}-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        files.write_csv(paid, staging / names["csv"])
        files.write_xlsx(paid, staging / names["xlsx"], f"Pencairan {program.name} {batch['period']}")
        now = dt.datetime.now()
        previous = _batch(store, "state = 'approved' ORDER BY approved_at DESC LIMIT 1", [])
        summary = last["result"]["summary"]
        manifest = {
            "format": "bansos-manifest/1",
            "batch_id": batch["id"], "program": program.id, "program_name": program.name,
            "period": batch["period"], "version": batch["version"],
            "rule_set_version": last["result"]["rule_set_version"],
            "submissions": sorted({(r["kecamatan"], r["submission_id"], r["rule_set_version"])
                                   for r in rows.iter_rows(named=True)}),
            "gate": {"check": last["seq"], "checked_at": last["time"].isoformat(timespec="seconds"),
                     "suite": last["result"]["suite"], "passed": True, "pagu": last["pagu"],
                     "kuota": last["kuota"], "data_docs": Path(last["docs"]).name + "/index.html"},
            "counts_by_status": summary["counts"],
            "by_kecamatan": [{"kecamatan": k["kecamatan"], "kecamatan_name": k["kecamatan_name"],
                              "submission_id": k["submission_id"], "rows": k["rows"], "accepted": k["accepted"],
                              "review": k["review"], "rejected": k["rejected"], "amount_paid": k["amount_paid"]}
                             for k in summary["kecamatan"]],
            "rows_paid": paid.height, "total_amount": float(paid["nominal"].sum() or 0),
            # Paid by earlier approved versions of this program and period: not paid again here.
            "paid_in_earlier_versions": last["result"].get("paid_before", {"rows": 0, "amount": 0.0}),
            # Left out: a mutually exclusive program paid them for the period (count and amount).
            "left_out_paid_elsewhere": {k: (last["result"].get("paid_elsewhere") or {}).get(k, 0)
                                        for k in ("rows", "amount")},
            "files": {n: sha256_of(staging / n) for n in names.values()},
            "approved_by": actor, "approved_at": now.isoformat(timespec="seconds"),
            "previous_manifest": None if previous is None else
            {"batch_id": previous["id"], "sha256": previous["manifest_sha256"]},
        }
        manifest["submissions"] = [dict(zip(["kecamatan", "submission_id", "rule_set_version"], s, strict=True))
                                   for s in manifest["submissions"]]
        body = files.manifest_bytes(manifest)
        (staging / "manifest.json").write_bytes(body)
        digest = sha256_of(staging / "manifest.json")
        moved: list[Path] = []
        try:
            with store.transaction():
                for name in [*names.values(), "manifest.json"]:
                    (staging / name).rename(folder / name)
                    moved.append(folder / name)
                run(store.con, """UPDATE batches SET state = 'approved', approved_at = ?, approved_by = ?,
                                  manifest_sha256 = ?, previous_batch = ? WHERE id = ? AND state = 'open'""",
                    [now, actor, digest, None if previous is None else previous["id"], batch["id"]])
                with registered(store.con, bansos_paid=paid.select(
                        pl.lit(batch["id"]).alias("batch_id"), pl.lit(program.id).alias("program"),
                        pl.lit(batch["period"]).alias("period"), "nik", "no_kk", pl.col("nominal").cast(pl.Float64)
                        ).to_arrow()):
                    run(store.con, "INSERT INTO paid_rows SELECT * FROM bansos_paid")
        except BaseException:
            for path in moved:  # not approved: no disbursement file may look as if it were
                path.unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest | {"manifest_sha256": digest, "folder": str(folder)}
