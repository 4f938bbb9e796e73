"""Council look-up by name within a kecamatan (council, finance); the NIK look-up is in lookup.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import lookups
from api.deps import Ctx, LookupUser, StoreDep

router = APIRouter(prefix="/api/v1", tags=["penelusuran / look-up"])


@router.get("/lookup/by-name")
def by_name(ctx: Ctx, store: StoreDep, user: LookupUser,
            nama: Annotated[str, Query(min_length=1, max_length=120, description="Nama lengkap")],
            kecamatan: Annotated[str, Query(max_length=20, description="Kode kecamatan, mis. 12.71.17")]) -> dict:
    """Orang dengan nama ini di daftar kecamatan, masing-masing dengan riwayatnya (NIK disamarkan,
    tanpa nomor rekening; setiap penelusuran dicatat)."""
    return lookups.by_name(ctx, store, user, nama, kecamatan)
