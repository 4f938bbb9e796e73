"""Finance overview: per program and period every kecamatan side by side (api/finance.py), every
submission of all kecamatan, newest first; and a submission's drill-down: reasons with row
counts, the rows behind each, decisions on review rows, the accepted list to download."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from api import exports, finance, services
from api.deps import Ctx, StoreDep
from api.errors import ApiError
from api.pages.web import PageUser, refuse, render
from api.routes.submissions import XLSX
from validator.store import query, run
from validator.wilayah import load_regions

router = APIRouter()
FINANCE_ONLY = "Halaman ini untuk keuangan Dinas Sosial."


@router.get("/keuangan")
def overview(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, scope: str = ""):
    if user.role != "finance":
        return refuse(request, user, 403, FINANCE_ONLY)
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


@router.get("/keuangan/pengajuan/{submission_id}")
def drill_down(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, submission_id: str,
               kode: str = "", done: int | None = None):
    """Without a code the rows waiting for finance (engine status review); with one, its rows."""
    if user.role != "finance":
        return refuse(request, user, 403, FINANCE_ONLY)
    code = kode.strip().upper()[:40]
    try:
        head = finance.submission_summary(store, submission_id)
        found = finance.reasons(ctx, store, submission_id, code or None, None if code else "review")
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
    programs = ctx.rules.programs
    # People an approved batch version already paid: the gate pays them no more, whatever is decided.
    paid = {row: batches for (_, row), batches in
            finance.paid_by_rows(ctx, store, submission_id, [r["row"] for r in found["rows"]]).items()}
    return render(request, "finance_submission.html", user, head=head, found=found, code=code, done=done, paid=paid,
                  warnings=services.list_warnings(ctx, submission_id),
                  program=programs[head["program"]].name if head["program"] in programs else head["program"],
                  kecamatan=load_regions().describe(head["kecamatan"]) if head["kecamatan"] else "-")


@router.post("/keuangan/pengajuan/{submission_id}/baris/{row}")
def decide(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, submission_id: str, row: int,
           decision: Annotated[Literal["accepted", "rejected"], Form()],
           note: Annotated[str, Form(max_length=500)] = "", kode: Annotated[str, Form(max_length=40)] = ""):
    """The decide form of one review row; back to the same list, the row marked."""
    if user.role != "finance":
        return refuse(request, user, 403, FINANCE_ONLY)
    try:
        finance.decide(ctx, store, user, submission_id, row, decision, note.strip())
    except ApiError as exc:  # a row not for review, a replaced list: said on a page
        return refuse(request, user, exc.status, exc.message)
    target = f"/keuangan/pengajuan/{submission_id}?done={row}" + (f"&kode={kode.strip().upper()}" if kode.strip() else "")
    return RedirectResponse(target + f"#baris-{row}", status_code=303)


@router.get("/keuangan/pengajuan/{submission_id}/diterima.{fmt}")
def accepted_list(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, submission_id: str, fmt: str):
    """The accepted list as the API gives it (finance's decisions included), behind the page login."""
    if user.role != "finance":
        return refuse(request, user, 403, FINANCE_ONLY)
    if fmt not in ("csv", "xlsx"):
        return refuse(request, user, 404, "Format unduhan hanya .csv atau .xlsx.")
    try:
        rows = finance.accepted_rows(ctx, store, submission_id)
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
    if fmt == "csv":
        body, media = exports.accepted_csv(rows), "text/csv; charset=utf-8"
    else:
        body, media = exports.accepted_xlsx(rows, f"Diterima {submission_id}"), XLSX
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{services.download_name(store, submission_id, "diterima", "." + fmt)}"'})
