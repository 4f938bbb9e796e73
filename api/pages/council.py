"""Council (and finance) look-up of one NIK: the person's story, recorded as the API look-up is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from api import lookups
from api.deps import Ctx, StoreDep
from api.errors import ApiError
from api.pages import text
from api.pages.web import PageUser, refuse, render
from validator.wilayah import load_regions

router = APIRouter()
LOOKERS = ("council", "finance")


@router.get("/telusur")
def lookup_page(request: Request, user: PageUser):
    if user.role not in LOOKERS:
        return refuse(request, user, 403, "Penelusuran NIK hanya untuk anggota DPRD dan keuangan Dinas Sosial.")
    return render(request, "lookup.html", user)


# POST, not GET: the NIK stays out of the address bar, the browser history and the access log.
@router.post("/telusur")
def lookup(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, nik: Annotated[str, Form(max_length=40)]):
    if user.role not in LOOKERS:
        return refuse(request, user, 403, "Penelusuran NIK hanya untuk anggota DPRD dan keuangan Dinas Sosial.")
    try:
        found = lookups.lookup(ctx, store, user, nik)
    except ApiError as exc:
        return render(request, "lookup.html", user, status_code=exc.status, error=exc.message)
    regions, programs = load_regions(), ctx.rules.programs
    stories = [
        {"event": e, "text": text.story(e, regions.name(e["kecamatan"]),
                                        programs[e["program"]].name if e["program"] in programs else e["program"])}
        for e in reversed(found["events"])  # newest first: what happens now matters most
    ]
    return render(request, "lookup.html", user, nik_masked=found["nik_masked"], stories=stories, asked=True)
