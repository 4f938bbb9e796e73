"""A person's story across submissions (council, finance) and the citizen's own status (public)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api import lookups
from api.deps import ClientIP, Ctx, LookupUser, StoreDep, status_rate_limit
from api.errors import ErrorEnvelope
from api.schemas import LookupResult, StatusAnswer, StatusRequest

router = APIRouter(prefix="/api/v1", tags=["penelusuran / look-up"])


@router.get("/lookup", response_model=LookupResult)
def lookup(ctx: Ctx, store: StoreDep, user: LookupUser,
           nik: Annotated[str, Query(max_length=40, description="NIK 16 angka")]):
    """Riwayat satu NIK di semua pengajuan (NIK disamarkan; setiap penelusuran dicatat)."""
    return lookups.lookup(ctx, store, user, nik)


@router.post("/status", response_model=StatusAnswer, response_model_exclude_none=True,
             dependencies=[Depends(status_rate_limit)],
             responses={429: {"model": ErrorEnvelope, "description": "Terlalu banyak permintaan"}})
def status(ctx: Ctx, store: StoreDep, ip: ClientIP, body: StatusRequest):
    """Tahap pengajuan untuk warga: NIK dan tanggal lahir; tidak ada data orang lain."""
    return lookups.citizen_status(ctx, store, ip, body.nik, body.tanggal_lahir)
