"""Finance overview: per program and period every kecamatan side by side (api/finance.py), and
every submission of all kecamatan, newest first, with a link to its results."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api import finance
from api.deps import Ctx, StoreDep
from api.errors import ApiError
from api.pages.web import PageUser, refuse, render
from validator.store import query, run
from validator.wilayah import load_regions

router = APIRouter()


@router.get("/keuangan")
def overview(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, scope: str = ""):
    if user.role != "finance":
        return refuse(request, user, 403, "Halaman ini untuk keuangan Dinas Sosial.")
    scopes = run(store.con, """SELECT program, period, max(created_at) FROM submissions WHERE state = 'complete'
                               GROUP BY ALL ORDER BY 3 DESC""")
    program, _, period = scope.partition("|")  # "pkh|2026-T1", one select on the page
    if not program and scopes:  # the most recent program and period first
        program, period = scopes[0][0], scopes[0][1]
    table, error = None, None
    if program and period:
        try:
            table = finance.overview(ctx, store, program, period)
        except ApiError as exc:
            error = exc.message
    subs = query(store.con, """
        SELECT id, program, period, kecamatan, file_name, created_at, rows, accepted, review, rejected,
               superseded_by IS NOT NULL AS superseded
        FROM submissions WHERE state = 'complete' ORDER BY created_at DESC LIMIT 200""").to_dicts()
    regions = load_regions()
    for s in subs:
        s["kecamatan_name"] = regions.describe(s["kecamatan"]) if s["kecamatan"] else "-"
    return render(request, "finance.html", user, scopes=[(p, q) for p, q, _ in scopes], program=program,
                  period=period, table=table, error=error, subs=subs, programs=ctx.rules.programs)
