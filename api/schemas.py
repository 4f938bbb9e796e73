"""Bodies of the HTTP API v1 (contracts §7)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.errors import ErrorBody


class SubmissionCreated(BaseModel):
    submission_id: str
    job_id: str


class JobState(BaseModel):
    state: Literal["queued", "running", "done", "failed"]
    progress: float = Field(ge=0.0, le=1.0)
    submission_id: str
    error: ErrorBody | None = None


class Reason(BaseModel):
    code: str
    message: str


class Decision(BaseModel):
    decision: Literal["accepted", "rejected"]
    decided_by: str
    decided_at: str


class LookupEvent(BaseModel):
    time: str
    program: str
    period: str
    kecamatan: str
    kecamatan_name: str
    status: Literal["accepted", "review", "rejected"]
    superseded: bool = Field(description="Daftar ini tidak berlaku lagi: digantikan kiriman ulang, atau ditarik")
    withdrawn: bool = Field(False, description="Daftar ini ditarik oleh kecamatan atau Dinas Sosial")
    reasons: list[Reason]
    next_step: str
    engine_status: Literal["accepted", "review", "rejected"] = Field(
        description="Status dari pemeriksaan otomatis; `status` sudah memuat keputusan keuangan")
    decision: Decision | None = Field(None, description="Keputusan keuangan atas baris review, bila ada")


class LookupResult(BaseModel):
    nik_masked: str
    events: list[LookupEvent]


class StatusRequest(BaseModel):
    nik: str = Field(max_length=40, examples=["1271171404510001"])
    tanggal_lahir: str = Field(max_length=20, examples=["1951-04-14", "14-04-1951"])


class StatusAnswer(BaseModel):
    stage: Literal["diajukan", "perlu_diperbaiki_kecamatan", "disetujui_untuk_pencairan",
                   "tidak_memenuhi_syarat", "tidak_ditemukan"]
    message: str
    message_en: str = Field(description="The same message in English")
    fix: str | None = Field(None, description="Jenis perbaikan yang ditunggu dari kecamatan")
    reason: str | None = Field(None, description="Jenis alasan bila tidak memenuhi syarat (tanpa data pribadi)")
    in_approved_disbursement: bool | None = Field(
        None, description="true: orang ini masuk berkas pencairan yang disetujui Dinas Sosial untuk program dan "
                          "periode pengajuannya (batch yang disetujui sudah membayarnya); tanpa nama program atau batch")
    family_in_approved_disbursement: bool | None = Field(
        None, description="true: dalam program keluarga, anggota lain dengan nomor KK yang sama sudah masuk berkas "
                          "pencairan yang disetujui untuk program dan periode ini, jadi orang ini tidak dibayar lagi")
