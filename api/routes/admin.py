"""Admin only: accounts, the look-up audit list, registry and exclusion imports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from pydantic import BaseModel, Field

from api import admin
from api.accounts import User
from api.deps import Ctx, StoreDep, allow

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
Admin = Annotated[User, Depends(allow("admin"))]


class UserCreate(BaseModel):
    name: str = Field(max_length=120)
    role: Literal["operator", "finance", "council", "admin"]
    kecamatan: str | None = Field(None, max_length=20, description="Wajib untuk operator, mis. 12.71.17")


@router.get("/users")
def users(store: StoreDep, user: Admin) -> list[dict]:
    """Semua akun (tanpa token)."""
    return admin.list_users(store)


@router.post("/users", status_code=201)
def add_user(ctx: Ctx, store: StoreDep, user: Admin, body: UserCreate) -> dict:
    """Buat akun; token hanya ditampilkan sekali di jawaban ini."""
    return admin.add_user(ctx, store, body.name, body.role, body.kecamatan)


@router.post("/users/{user_id}/disable")
def disable(ctx: Ctx, store: StoreDep, user: Admin, user_id: str) -> dict:
    """Nonaktifkan akun: tokennya langsung ditolak (401)."""
    return admin.disable_user(ctx, store, user, user_id)


@router.get("/lookups")
def lookups(store: StoreDep, user: Admin, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
            per_page: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict:
    """Catatan setiap penelusuran: waktu, siapa, saluran, NIK tersamar (terbaru dulu)."""
    return admin.lookups_page(store, page, per_page)


@router.post("/registry")
def registry(ctx: Ctx, store: StoreDep, user: Admin,
             file: Annotated[UploadFile, File(description="Ekstrak DTKS/DTSEN: .csv atau .parquet")]) -> dict:
    """Impor ekstrak registri (menggantikan yang lama, semua atau tidak sama sekali); jawab laporannya."""
    return admin.import_file(ctx, store, "registry", file.file, file.filename)


@router.post("/exclusions")
def exclusions(ctx: Ctx, store: StoreDep, user: Admin,
               file: Annotated[UploadFile, File(description="Daftar pengecualian: .csv atau .parquet")]) -> dict:
    """Impor daftar pengecualian (ASN, perangkat desa, …), menggantikan yang lama."""
    return admin.import_file(ctx, store, "exclusions", file.file, file.filename)
