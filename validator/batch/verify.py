"""Verify frozen batches: each manifest as the store recorded it, each file as its manifest says,
and each manifest's link to the one approved before it (one hash chain across the store)."""

from __future__ import annotations

import json
from pathlib import Path

from validator.batch.service import batches_of, clean_period, get_batch
from validator.errors import UserError
from validator.ingest import sha256_of
from validator.rulebook import Rulebook
from validator.store import Store


def verify(store: Store, rules: Rulebook, program_id: str, period: str) -> dict:
    """Every approved version of the program and period: its manifest as recorded, each file as the
    manifest says, and the link to the manifest before it in the chain."""
    program, period = rules.program(program_id), clean_period(period)
    approved = [b for b in batches_of(store, program.id, period) if b["state"] == "approved"]
    if not approved:
        raise UserError(f"Belum ada batch {program.id} {period} yang disetujui: tidak ada yang diverifikasi.",
                        "No approved batch for this program and period.", code="nothing_approved")
    out = [{"batch_id": b["id"], "problems": verify_batch(store, b)}
           for b in sorted(approved, key=lambda b: b["version"])]
    return {"program": program.id, "period": period, "ok": not any(b["problems"] for b in out), "batches": out}


def _problem(path: Path, message: str, message_en: str) -> dict:
    return {"file": str(path), "message": message, "message_en": message_en}


def verify_batch(store: Store, batch: dict) -> list[dict]:
    folder = Path(batch["folder"])
    path = folder / "manifest.json"
    if not path.exists():
        return [_problem(path, f"Manifest {path} hilang.", "The manifest is missing.")]
    problems = []
    if sha256_of(path) != batch["manifest_sha256"]:
        problems.append(_problem(path, f"Manifest {path} telah diubah sesudah disetujui (sha256 tidak sama "
                                 "dengan yang tercatat).", "The manifest was edited after approval."))
    try:
        manifest = json.loads(path.read_bytes())
        listed = dict(manifest["files"])
    except (ValueError, KeyError, TypeError):
        return problems + [_problem(path, f"Manifest {path} rusak dan tidak dapat dibaca.",
                                    "The manifest cannot be read.")]
    for name, digest in listed.items():
        f = folder / Path(name).name
        if not f.exists():
            problems.append(_problem(f, f"Berkas pencairan {f} hilang.", "A disbursement file is missing."))
        elif sha256_of(f) != digest:
            problems.append(_problem(f, f"Berkas pencairan {f} telah diubah sesudah disetujui (sha256 tidak sama "
                                     "dengan manifest).", "The disbursement file was edited after approval."))
    link = manifest.get("previous_manifest")
    if batch["previous_batch"] is not None:
        prev = get_batch(store, batch["previous_batch"])
        prev_path = Path(prev["folder"]) / "manifest.json" if prev else None
        if (not link or prev is None or link.get("sha256") != prev["manifest_sha256"]
                or not prev_path.exists() or sha256_of(prev_path) != link.get("sha256")):
            problems.append(_problem(prev_path or path, f"Rantai manifest putus: manifest sebelumnya "
                                     f"({batch['previous_batch']}) tidak sama dengan yang dirujuk {path}.",
                                     "The hash chain is broken at the previous manifest."))
    return problems
