"""The disbursement gate over HTTP (finance only): check a batch, read its result and summary,
approve and freeze it, verify the frozen files, open its Data Docs and download its files."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from api.accounts import User
from api.context import ApiContext
from api.deps import Ctx, StoreDep, allow
from api.errors import ApiError, api_error
from validator.batch import service
from validator.batch.verify import verify_batch
from validator.errors import UserError, mask_echo
from validator.store import Store

router = APIRouter(prefix="/api/v1/batches", tags=["gerbang pencairan / disbursement gate"])
Finance = Annotated[User, Depends(allow("finance"))]
MEDIA = {".csv": "text/csv; charset=utf-8", ".json": "application/json",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class CheckRequest(BaseModel):
    program: str = Field(max_length=40)
    period: str = Field(max_length=20)
    # A number, or the text finance types on the page ("Rp 1.500.000.000", "2.500"): read as there.
    pagu: bool | int | float | str | None = Field(None, description="Pagu anggaran batch (Rupiah), angka bulat",
                                           examples=[1500000000, "Rp 1.500.000.000"])
    kuota: bool | int | float | str | None = Field(None, description="Kuota penerima batch", examples=[2500, "2.500"])


def _whole(value: bool | int | float | str | None, what: str) -> int | None:
    """A pagu or kuota as the API takes it: a whole number, or text as the page reads it; a
    fraction is refused as on the page, never rounded."""
    if isinstance(value, bool):  # JSON true is no amount (Python would take it as 1)
        raise UserError(f"{what} harus berupa angka, bukan true/false.", f"{what} must be a number, not true/false.",
                        code="bad_number")
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():  # 12.345 too: a JSON number's dot is a decimal point, not thousands
            raise UserError(f"{what} harus berupa angka bulat, tanpa angka di belakang koma.",
                            f"{what} must be a whole number, without decimals.", code="bad_number")
        return int(value)
    return service.parse_number(str(value), what)


def batch_root(ctx: ApiContext) -> Path:
    return ctx.data_dir / "batches"


def batch_or_404(store: Store, batch_id: str) -> dict:
    batch = service.get_batch(store, batch_id)
    if batch is None:
        raise api_error(404, "batch_not_found", "Batch tidak ditemukan.", "Batch not found.")
    return batch


def refused(exc: service.GateRefused) -> ApiError:
    return api_error(409, exc.code, exc.message_id, exc.message_en)


def run_check(ctx: ApiContext, store: Store, user: User, program: str, period: str,
              pagu: float | None, kuota: int | None) -> dict:
    return service.check(store, ctx.rules, program, period, pagu=pagu, kuota=kuota, root=batch_root(ctx),
                         actor=user.name, lock=ctx.write_lock)


def run_approve(ctx: ApiContext, store: Store, user: User, batch: dict) -> dict:
    try:
        return service.approve(store, ctx.rules, batch["program"], batch["period"], actor=user.name,
                               lock=ctx.write_lock, bid=batch["id"])
    except service.GateRefused as exc:
        raise refused(exc) from None


def docs_file(batch: dict, path: str, check: dict | None) -> Path:
    """A file of a check's Data Docs site, never anything outside it."""
    if check is None:
        raise api_error(404, "no_check", "Batch ini belum diperiksa.", "This batch has no check yet.")
    site = Path(check["docs"]).resolve()
    target = (site / (path or "index.html")).resolve()
    if not target.is_relative_to(site) or not target.is_file():
        raise api_error(404)
    return target


def frozen_file(batch: dict, name: str) -> Path:
    """The disbursement CSV/XLSX or the manifest of an approved batch."""
    if batch["state"] != "approved":
        raise api_error(404, "not_approved", "Batch ini belum disetujui: belum ada berkas pencairan.",
                        "This batch is not approved: no disbursement files yet.")
    stem = f"pencairan_{batch['id']}"
    if name not in (f"{stem}.csv", f"{stem}.xlsx", "manifest.json"):
        raise api_error(404)
    path = Path(batch["folder"]) / name
    if not path.is_file():
        raise api_error(404, "file_missing", f"Berkas {name} tidak ada di folder batch.", f"{name} is missing.")
    return path


# The Data Docs pages link Bootstrap, jQuery and Vega from public CDNs; an office browser must not
# fetch them (no outside host learns who reads a disbursement report), so only this site's files load.
DOCS_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'"


def download(path: Path) -> FileResponse:
    media = MEDIA.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media, filename=path.name if path.suffix in MEDIA else None,
                        headers={"Content-Security-Policy": DOCS_POLICY, "X-Content-Type-Options": "nosniff"})


def brief(store: Store, batch: dict) -> dict:
    last = service.latest_check(store, batch["id"])
    return _json(batch) | {"latest_check": None if last is None else {
        "seq": last["seq"], "time": last["time"].isoformat(timespec="seconds"), "passed": last["passed"]}}


def _json(batch: dict) -> dict:
    return {k: (v.isoformat(timespec="seconds") if hasattr(v, "isoformat") else v)
            for k, v in batch.items() if k != "folder"}


def _check_json(check: dict) -> dict:
    return {k: (v.isoformat(timespec="seconds") if hasattr(v, "isoformat") else v)
            for k, v in check.items() if k not in ("docs", "fingerprint")}


@router.get("")
def list_batches(store: StoreDep, user: Finance, program: Annotated[str | None, Query(max_length=40)] = None,
                 period: Annotated[str | None, Query(max_length=20)] = None) -> list[dict]:
    """Versi batch, terbaru dulu, dengan hasil pemeriksaan terakhirnya."""
    return [brief(store, b) for b in service.batches_of(store, program, period)]


@router.post("/check")
def check(ctx: Ctx, store: StoreDep, user: Finance, body: CheckRequest) -> dict:
    """Jalankan gerbang (Great Expectations) atas batch program dan periode; pagu dan kuota disimpan."""
    done = run_check(ctx, store, user, body.program, body.period, _whole(body.pagu, "Pagu"),
                     _whole(body.kuota, "Kuota"))
    return {"batch": _json(done["batch"]), "check": _check_json(done["check"])}


@router.get("/{batch_id}")
def read(store: StoreDep, user: Finance, batch_id: str) -> dict:
    """Satu versi batch dengan semua pemeriksaannya (yang terbaru lengkap)."""
    batch = batch_or_404(store, batch_id)
    checks = service.checks_of(store, batch_id)
    return {"batch": _json(batch), "checks": [_check_json(c) if i == 0 else
                                              {k: v for k, v in _check_json(c).items() if k != "result"}
                                              for i, c in enumerate(checks)]}


@router.get("/{batch_id}/summary")
def summary(store: StoreDep, user: Finance, batch_id: str) -> dict:
    """Ringkasan untuk Kepala Dinas: per kecamatan jumlah dan nominal; tingkat penolakan per kode."""
    batch = batch_or_404(store, batch_id)
    last = service.latest_check(store, batch_id)
    if last is None:
        raise api_error(404, "no_check", "Batch ini belum diperiksa.", "This batch has no check yet.")
    return {"batch": _json(batch), "check": last["seq"], "passed": last["passed"]} | last["result"]["summary"]


@router.post("/{batch_id}/approve")
def approve(ctx: Ctx, store: StoreDep, user: Finance, batch_id: str) -> dict:
    """Setujui dan bekukan: hanya versi terbaru yang pemeriksaan terakhirnya lulus (409 selain itu)."""
    manifest = run_approve(ctx, store, user, batch_or_404(store, batch_id))
    return {k: v for k, v in manifest.items() if k != "folder"}  # no server paths in answers


@router.get("/{batch_id}/verify")
def verify(store: StoreDep, user: Finance, batch_id: str) -> dict:
    """Berkas pencairan dan manifest masih sama dengan saat disetujui? Masalah menyebut berkasnya."""
    batch = batch_or_404(store, batch_id)
    if batch["state"] != "approved":
        raise api_error(409, "not_approved", "Batch ini belum disetujui.", "This batch is not approved.")
    problems = verify_batch(store, batch)
    return {"batch_id": batch_id, "ok": not problems,
            "problems": [p | {"file": Path(p["file"]).name} for p in problems]}


@router.get("/{batch_id}/files/{name}", response_class=FileResponse)
def files(store: StoreDep, user: Finance, batch_id: str, name: str):
    """Berkas pencairan (CSV, XLSX) atau manifest.json batch yang disetujui."""
    return download(frozen_file(batch_or_404(store, batch_id), name))


def check_of(store: Store, batch_id: str, seq: int | None) -> dict | None:
    """The batch's latest check, or check number `seq`: 404 when the batch was checked but has no
    check of that number (not "not checked yet", which would be untrue)."""
    checks = service.checks_of(store, batch_id)
    found = next((c for c in checks if seq is None or c["seq"] == seq), None)
    if found is None and checks:
        typed = mask_echo(str(seq))  # a NIK typed into the address is not quoted back whole
        raise api_error(404, "no_check", f"Batch ini tidak punya pemeriksaan nomor {typed}; pemeriksaannya ke-1 "
                        f"sampai ke-{max(c['seq'] for c in checks)}.", f"This batch has no check number {typed}.")
    return found


@router.get("/{batch_id}/docs/{path:path}", response_class=FileResponse)
def docs(store: StoreDep, user: Finance, batch_id: str, path: str):
    """Data Docs Great Expectations dari pemeriksaan terakhir batch (mulai dari `index.html`)."""
    return download(docs_file(batch_or_404(store, batch_id), path, check_of(store, batch_id, None)))


@router.get("/{batch_id}/checks/{seq}/docs/{path:path}", response_class=FileResponse)
def check_docs(store: StoreDep, user: Finance, batch_id: str, seq: int, path: str):
    """Data Docs dari pemeriksaan ke-`seq`."""
    return download(docs_file(batch_or_404(store, batch_id), path, check_of(store, batch_id, seq)))
