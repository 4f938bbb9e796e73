"""How far a validation has got (the submitter, finance)."""

from __future__ import annotations

from fastapi import APIRouter

from api import services
from api.deps import ListReader, StoreDep
from api.schemas import JobState

router = APIRouter(prefix="/api/v1/jobs", tags=["pekerjaan / jobs"])


@router.get("/{job_id}", response_model=JobState, response_model_exclude_none=True)
def job(store: StoreDep, user: ListReader, job_id: str):
    """Keadaan validasi: queued, running, done atau failed (dengan alasan)."""
    return services.job_state(store, user, job_id)
