"""Council (and finance) look-up of a person by full NIK, or by name within a kecamatan: each
person's story, recorded as the API look-ups are."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from api import lookups
from api.deps import Ctx, StoreDep
from api.errors import ApiError
from api.pages import text
from api.pages.web import PageUser, refuse, render
from validator.errors import mask_echo
from validator.wilayah import load_regions

router = APIRouter()
LOOKERS = ("council", "finance")
NOT_YOURS = "Penelusuran hanya untuk anggota DPRD dan keuangan Dinas Sosial."


@router.get("/telusur")
def lookup_page(request: Request, user: PageUser):
    if user.role not in LOOKERS:
        return refuse(request, user, 403, NOT_YOURS)
    return render(request, "lookup.html", user)


# POST, not GET: the NIK stays out of the address bar, the browser history and the access log.
@router.post("/telusur")
def lookup(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, nik: Annotated[str, Form(max_length=40)]):
    if user.role not in LOOKERS:
        return refuse(request, user, 403, NOT_YOURS)
    try:
        found = lookups.lookup(ctx, store, user, nik, channel="web")
    except ApiError as exc:
        return render(request, "lookup.html", user, status_code=exc.status, error=exc.message)
    return render(request, "lookup.html", user, nik_masked=found["nik_masked"], stories=_stories(ctx, found["events"]),
                  asked=True)


def _refill(typed: str, min_digits: int = 6) -> str:
    return typed if mask_echo(typed, min_digits) == typed else ""


def _stories(ctx, events: list[dict]) -> list[dict]:
    regions, programs = load_regions(), ctx.rules.programs
    return [{"event": e, "text": text.story(e, regions.name(e["kecamatan"]),
                                            programs[e["program"]].name if e["program"] in programs else e["program"])}
            for e in reversed(events)]  # newest first: what happens now matters most


# POST as the NIK form: a name with a kecamatan identifies a person, so it stays out of the logs too.
@router.post("/telusur/nama")
def by_name(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, nama: Annotated[str, Form(max_length=120)],
            kecamatan: Annotated[str, Form(max_length=60)]):
    if user.role not in LOOKERS:
        return refuse(request, user, 403, NOT_YOURS)
    try:
        found = lookups.by_name(ctx, store, user, nama, kecamatan, channel="web-name")
    except ApiError as exc:
        # The form comes back filled, except a field holding a NIK or other ID typed by mistake.
        return render(request, "lookup.html", user, status_code=exc.status, name_error=exc.message,
                      nama=_refill(nama), kecamatan=_refill(kecamatan, 7))
    people = [m | {"stories": _stories(ctx, m["events"])} for m in found["matches"]]
    # A NIK typed into the name field is neither refilled nor shown whole in the heading.
    return render(request, "lookup.html", user, people=people, truncated=found["truncated"], by_name=True,
                  nama=_refill(nama), nama_shown=mask_echo(nama), kecamatan=kecamatan,
                  kecamatan_name=found["kecamatan_name"])
