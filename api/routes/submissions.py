"""Uploading a list and reading its results (operators of the kecamatan, finance)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import FileResponse

from api import finance, services
from api.deps import Ctx, ListReader, Operator, StoreDep
from api.schemas import SubmissionCreated

router = APIRouter(prefix="/api/v1/submissions", tags=["pengajuan / submissions"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("", status_code=202, response_model=SubmissionCreated)
def upload(ctx: Ctx, store: StoreDep, user: Operator,
           file: Annotated[UploadFile, File(description="Daftar penerima: .xlsx, .csv atau .parquet")],
           program: Annotated[str, Form(description="pkh, bpnt, bst, kube, maghrib_mengaji, …")],
           period: Annotated[str, Form(description="Periode penyaluran, mis. 2026-T1 atau 2026-03")]):
    """Kirim daftar; validasi berjalan di latar belakang. Kecamatan diambil dari akun operator."""
    sid, job_id = services.start_submission(ctx, store, user, file=file.file, file_name=file.filename,
                                            program=program, period=period)
    return SubmissionCreated(submission_id=sid, job_id=job_id)


@router.get("/{submission_id}")
def result(ctx: Ctx, store: StoreDep, user: ListReader, submission_id: str,
           page: Annotated[int, Query(ge=1)] = 1,
           per_page: Annotated[int, Query(ge=1, le=1000)] = 100,
           # "?status=&code=X" (an empty filter, as the results page builds its links) means no filter.
           status: Literal["accepted", "review", "rejected", ""] | None = None,
           code: Annotated[str | None, Query(max_length=40)] = None) -> dict:
    """result.json (contracts §2), baris per halaman dan dapat disaring menurut status atau kode.
    Setiap baris juga memuat `effective_status`, `decision` (keputusan keuangan: siapa, kapan, catatan) dan
    `paid_by` (batch pencairan yang disetujui yang sudah membayar orang itu untuk program dan periode ini)."""
    doc = services.submission_page(ctx, store, user, submission_id, page=page, per_page=per_page,
                                   status=status or None, code=code or None)
    return finance.with_paid_by(ctx, store, submission_id, finance.with_decisions(store, submission_id, doc))


@router.get("/{submission_id}/workbook", response_class=FileResponse)
def workbook(ctx: Ctx, store: StoreDep, user: ListReader, submission_id: str):
    """Berkas kembali untuk kecamatan (result.xlsx, contracts §3)."""
    path = services.workbook_path(ctx, store, user, submission_id)
    return FileResponse(path, media_type=XLSX, filename=services.download_name(store, submission_id, "hasil", ".xlsx"))


@router.post("/{submission_id}/withdraw")
def withdraw(ctx: Ctx, store: StoreDep, user: ListReader, submission_id: str) -> dict:
    """Tarik daftar yang berlaku (salah periode, salah program atau salah berkas): daftar itu tidak
    dihitung lagi di mana pun, dan daftar yang digantikannya (bila ada) berlaku kembali. Operator
    kecamatannya atau keuangan; orang yang sudah dibayar batch yang disetujui tetap tercatat dibayar."""
    return services.withdraw_submission(ctx, store, user, submission_id)
