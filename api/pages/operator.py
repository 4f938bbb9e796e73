"""Operator pages: upload, the job's progress, the results, the kecamatan's submission history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse

from api import finance, jobs, services
from api.deps import Ctx, StoreDep
from api.errors import ApiError, envelope
from api.pages import text
from api.pages.web import PageUser, refuse, render
from api.routes.submissions import XLSX
from validator.reports.messages import action_text, context_params
from validator.store import query, run
from validator.wilayah import load_regions

router = APIRouter()
PER_PAGE = 50
READERS = ("operator", "finance")  # as the API: results are for the kecamatan and finance


def _programs(ctx) -> list:
    return sorted(ctx.rules.programs.values(), key=lambda p: p.name)


@router.get("/unggah")
def upload_page(request: Request, ctx: Ctx, user: PageUser):
    if user.role != "operator":
        return refuse(request, user, 403, "Hanya operator kecamatan yang dapat mengirim daftar.")
    return render(request, "upload.html", user, programs=_programs(ctx),
                  kecamatan=load_regions().describe(user.kecamatan))


@router.post("/unggah")
def upload(request: Request, ctx: Ctx, store: StoreDep, user: PageUser,
           file: Annotated[UploadFile, File()], program: Annotated[str, Form(max_length=40)],
           period: Annotated[str, Form(max_length=40)]):
    if user.role != "operator":
        return refuse(request, user, 403, "Hanya operator kecamatan yang dapat mengirim daftar.")
    try:
        _, job_id = services.start_submission(ctx, store, user, file=file.file, file_name=file.filename,
                                              program=program, period=period)
    except ApiError as exc:
        return render(request, "upload.html", user, status_code=exc.status, programs=_programs(ctx),
                      kecamatan=load_regions().describe(user.kecamatan), error=exc.message,
                      chosen=program, period=period)
    return RedirectResponse(f"/pekerjaan/{job_id}", status_code=303)


@router.get("/pekerjaan/{job_id}")
def job_page(request: Request, store: StoreDep, user: PageUser, job_id: str):
    if user.role not in READERS:
        return refuse(request, user, 403, "Akun Anda tidak berhak melihat pengajuan ini.")
    try:
        state = services.job_state(store, user, job_id)
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
    return render(request, "job.html", user, job_id=job_id, state=state, state_text=text.JOB_TEXT[state["state"]])


@router.get("/pekerjaan/{job_id}/keadaan")
def job_state(store: StoreDep, user: PageUser, job_id: str):
    """The job page's script polls this: the API's job answer, with the session instead of a token."""
    if user.role not in READERS:
        return envelope(403, "forbidden", "Akun Anda tidak melihat pekerjaan validasi.",
                        "Your account does not see validation jobs.")
    try:
        return services.job_state(store, user, job_id)
    except ApiError as exc:
        return envelope(exc.status, exc.code, exc.message, exc.message_en)


@router.get("/hasil/{submission_id}")
def result_page(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, submission_id: str,
                status: str = "", code: str = "", page: int = 1, dibayar: str = ""):
    if user.role not in READERS:
        return refuse(request, user, 403, "Akun Anda tidak berhak melihat pengajuan ini.")
    status = status if status in text.STATUS_TEXT else ""
    try:
        # All rows at once (result.json is parsed once and cached by the service), paged here:
        # without a status filter the page lists the rows with findings, as accepted rows need nothing.
        doc = services.submission_page(ctx, store, user, submission_id, page=1, per_page=10**9,
                                       status=status or None, code=code[:40] or None)
    except ApiError as exc:
        job = jobs.get_job(store, submission_id, by="submission") if exc.code in ("not_ready", "job_failed") else None
        if job is not None:  # the job page shows the progress, or why the file could not be read
            return RedirectResponse(f"/pekerjaan/{job['id']}", status_code=303)
        return refuse(request, user, exc.status, exc.message)
    replaced = run(store.con, "SELECT superseded_by, state, withdrawn_by, withdrawn_at FROM submissions WHERE id = ?",
                   [submission_id])
    replaced_by, state, withdrawn_by, withdrawn_at = replaced[0] if replaced else (None, None, None, None)
    # People an approved batch of this program and period already paid: counted for the whole
    # list in one query, marked on the rows shown by another (or, for the "already paid" filter,
    # read for the whole list once); never a query per row.
    paid_rows, paid_batches = finance.paid_summary(ctx, store, submission_id)
    paid_only = dibayar == "1"
    if paid_only:  # the paid count's link: those rows, with findings or not (status and code still apply)
        paid = finance.paid_by_rows(ctx, store, submission_id) if paid_rows else {}
        listed = [r for r in doc["rows"] if (r.get("sheet"), r["row"]) in paid]
    else:
        listed = doc["rows"] if status else [r for r in doc["rows"] if r["findings"]]
    total, pages = len(listed), max(1, -(-len(listed) // PER_PAGE))
    page = min(max(1, page), pages)  # a page past the last (an old link) shows the last one
    rows = listed[(page - 1) * PER_PAGE: page * PER_PAGE]
    catalog = ctx.rules.catalog
    actions = _actions(ctx, doc)
    codes = [(c, n, catalog[c].title_id if c in catalog else c, actions.get(c, ""))
             for c, n in doc["summary"]["by_code"].items()]
    if not paid_only:
        paid = finance.paid_by_rows(ctx, store, submission_id, [r["row"] for r in rows]) if paid_rows else {}
    # ...and those a program excluding this one paid for the period: the gate will not pay them.
    elsewhere = finance.paid_elsewhere_rows(ctx, store, submission_id, [r["row"] for r in rows])
    rows = [r | {"paid_by": paid.get((r.get("sheet"), r["row"]), []),
                 "paid_elsewhere": elsewhere.get((r.get("sheet"), r["row"]), [])} for r in rows]
    return render(request, "result.html", user, doc=doc, rows=rows, total=total, pages=pages, page=page, status=status, code=code.strip().upper(), codes=codes,
                  paid_rows=paid_rows, paid_batches=paid_batches,
                  paid_only=paid_only,
                  program=ctx.rules.programs.get(doc["program"]), catalog=catalog,
                  replaced_by=replaced_by, live=state == "complete" and replaced_by is None,
                  withdrawn=(withdrawn_by, withdrawn_at) if state == "withdrawn" else None,
                  flagged=[f | {"name": load_regions().describe(f["kecamatan"])}
                           for f in services.flagged_elsewhere(store, submission_id)] if state == "withdrawn" else [],
                  kecamatan=load_regions().describe(doc["kecamatan"]) if doc.get("kecamatan") else "-")


def _actions(ctx, doc: dict) -> dict[str, str]:
    """What the kecamatan must do for each code of the list, with the program's values (the
    return workbook's Ringkasan says the same); a code the catalogue no longer has is left out."""
    program, by_code = ctx.rules.programs.get(doc["program"]), doc["summary"]["by_code"]
    if program is None or not by_code:
        return {}
    context = context_params(ctx.rules, program, load_regions(), doc.get("kecamatan"), "id")
    return {c: action_text(ctx.rules.catalog[c].action_id, context) for c in by_code if c in ctx.rules.catalog}


@router.post("/hasil/{submission_id}/tarik")
def withdraw(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, submission_id: str,
             yakin: Annotated[str, Form(max_length=10)] = ""):
    """Withdraw the list (the result page's form; the box must be ticked)."""
    if user.role not in READERS:
        return refuse(request, user, 403, "Akun Anda tidak berhak menarik daftar ini.")
    if yakin != "ya":
        return refuse(request, user, 422, "Centang kotak persetujuan dulu untuk menarik daftar ini.")
    try:
        services.withdraw_submission(ctx, store, user, submission_id)
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
    return RedirectResponse(f"/hasil/{submission_id}", status_code=303)


@router.get("/hasil/{submission_id}/berkas")
def workbook(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, submission_id: str):
    if user.role not in READERS:
        return refuse(request, user, 403, "Akun Anda tidak berhak melihat pengajuan ini.")
    try:
        path = services.workbook_path(ctx, store, user, submission_id)
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
    return FileResponse(path, media_type=XLSX, filename=services.download_name(store, submission_id, "hasil", ".xlsx"))


@router.get("/riwayat")
def history(request: Request, ctx: Ctx, store: StoreDep, user: PageUser):
    if user.role != "operator":
        return RedirectResponse("/keuangan" if user.role == "finance" else "/", status_code=303)
    subs = query(store.con, """
        SELECT s.id, s.program, s.period, s.file_name, s.created_at, s.rows, s.accepted, s.review,
               s.rejected, s.superseded_by IS NOT NULL AS superseded, s.state = 'withdrawn' AS withdrawn
        FROM submissions s WHERE s.kecamatan = ? AND s.state IN ('complete', 'withdrawn') ORDER BY s.created_at DESC
    """, [user.kecamatan]).to_dicts()
    # Uploads still running or that failed are not submissions yet; listed apart so the operator
    # sees where a file went.
    pending = run(store.con, """
        SELECT id, program, period, file_name, state, created_at FROM jobs
        WHERE kecamatan = ? AND state <> 'done' ORDER BY created_at DESC LIMIT 50
    """, [user.kecamatan])
    return render(request, "history.html", user, subs=subs, pending=pending, programs=ctx.rules.programs,
                  job_text=text.JOB_TEXT, kecamatan=load_regions().describe(user.kecamatan))
