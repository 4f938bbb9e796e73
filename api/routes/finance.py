"""Finance: the overview of every kecamatan, reasons, decisions on review rows, the accepted list;
and the resubmission diff (the kecamatan's operators and finance)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api import exports, finance, services
from api.accounts import User
from api.deps import Ctx, ListReader, StoreDep, allow
from api.routes.submissions import XLSX

router = APIRouter(prefix="/api/v1", tags=["keuangan / finance"])
Finance = Annotated[User, Depends(allow("finance"))]


class DecisionRequest(BaseModel):
    decision: Literal["accepted", "rejected"]
    note: str = Field("", max_length=500, description="Alasan keputusan / why")


@router.get("/finance/overview")
def overview(ctx: Ctx, store: StoreDep, user: Finance,
             program: Annotated[str, Query(max_length=40)], period: Annotated[str, Query(max_length=20)]) -> dict:
    """Semua kecamatan berdampingan: baris, diterima, review, ditolak, nominal diterima dan ditahan."""
    return finance.overview(ctx, store, program, period)


@router.get("/finance/periods")
def periods(store: StoreDep, user: Finance) -> list[dict]:
    """Pasangan program dan periode yang punya daftar aktif, terbaru dulu."""
    return finance.periods(store)


@router.get("/finance/submissions/{submission_id}/reasons")
def reasons(ctx: Ctx, store: StoreDep, user: Finance, submission_id: str,
            code: Annotated[str | None, Query(max_length=40)] = None,
            status: Literal["accepted", "review", "rejected"] | None = None) -> dict:
    """Alasan per kode dengan jumlah baris; dengan `code`, baris-baris yang memuatnya; dengan
    `status`, baris dengan status pemeriksaan itu (mis. `review`: yang menunggu keputusan)."""
    return finance.reasons(ctx, store, submission_id, code, status)


@router.post("/submissions/{submission_id}/rows/{row}/decision")
def decide(ctx: Ctx, store: StoreDep, user: Finance, submission_id: str, row: int, body: DecisionRequest) -> dict:
    """Putuskan baris berstatus review: diterima atau ditolak, dengan catatan (dicatat siapa dan kapan)."""
    return finance.decide(ctx, store, user, submission_id, row, body.decision, body.note.strip())


@router.get("/submissions/{submission_id}/decisions")
def decisions(store: StoreDep, user: ListReader, submission_id: str) -> list[dict]:
    """Keputusan keuangan atas baris review pengajuan ini (siapa, kapan, catatan), yang lama tetap tercatat."""
    return services.decisions_of(store, user, submission_id)


@router.get("/submissions/{submission_id}/accepted.csv", response_class=Response)
def accepted_csv(ctx: Ctx, store: StoreDep, user: Finance, submission_id: str):
    """Daftar diterima (termasuk keputusan keuangan) sebagai CSV; NIK dan KK sebagai teks."""
    body = exports.accepted_csv(finance.accepted_rows(ctx, store, submission_id))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{services.download_name(store, submission_id, "diterima", ".csv")}"'})


@router.get("/submissions/{submission_id}/accepted.xlsx", response_class=Response)
def accepted_xlsx(ctx: Ctx, store: StoreDep, user: Finance, submission_id: str):
    """Daftar diterima sebagai XLSX; NIK dan KK sel teks, tidak ada rumus."""
    body = exports.accepted_xlsx(finance.accepted_rows(ctx, store, submission_id), f"Diterima {submission_id}")
    return Response(body, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{services.download_name(store, submission_id, "diterima", ".xlsx")}"'})


@router.get("/submissions/{submission_id}/diff")
def diff(ctx: Ctx, store: StoreDep, user: ListReader, submission_id: str) -> dict:
    """Perbandingan dengan daftar yang digantikan: diperbaiki, masih gagal, baru gagal, ditambah, dihapus."""
    return services.submission_diff(ctx, store, user, submission_id)
