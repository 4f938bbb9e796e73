"""Finance pages of the disbursement gate: check a batch with pagu and kuota, read each failed
expectation's rows, open the Data Docs, approve, download the frozen files, and the summary for
the Kepala Dinas (SVG charts drawn here, a print version)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup

from api import finance
from api.deps import Ctx, StoreDep
from api.errors import ApiError
from api.pages.text import angka, persen, rupiah
from api.pages.web import PageUser, refuse, render
from api.routes import batch as batch_api
from validator.batch import service
from validator.batch.charts import bar_chart
from validator.batch.verify import verify_batch
from validator.errors import UserError

router = APIRouter(include_in_schema=False)
ROWS_SHOWN = 50  # offending rows per expectation on the page; the Data Docs and the API hold more


def _finance_only(request: Request, user):
    return None if user.role == "finance" else refuse(request, user, 403, "Halaman ini untuk keuangan Dinas Sosial.")


@router.get("/keuangan/batch")
def batches(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, scope: str = ""):
    if (no := _finance_only(request, user)) is not None:
        return no
    scopes = [(p["program"], p["period"]) for p in finance.periods(store)]
    program, _, period = scope.partition("|")
    if not program and scopes:
        program, period = scopes[0]
    versions = [batch_api.brief(store, b) for b in service.batches_of(store, program or None, period or None)]
    open_version = next((v for v in versions if v["state"] == "open"), None)
    return render(request, "batch.html", user, scopes=scopes, program=program, period=period, versions=versions,
                  open_version=open_version, programs=ctx.rules.programs, error=None)


@router.post("/keuangan/batch/periksa")
def check(request: Request, ctx: Ctx, store: StoreDep, user: PageUser,
          scope: Annotated[str, Form(max_length=80)] = "", pagu: Annotated[str, Form(max_length=40)] = "",
          kuota: Annotated[str, Form(max_length=20)] = ""):
    if (no := _finance_only(request, user)) is not None:
        return no
    program, _, period = scope.partition("|")
    try:
        done = batch_api.run_check(ctx, store, user, program, period, service.parse_number(pagu, "Pagu"),
                                   service.parse_number(kuota, "Kuota"))
    except UserError as exc:
        return refuse(request, user, 400, exc.message_id)
    return RedirectResponse(f"/keuangan/batch/{done['batch']['id']}", status_code=303)


@router.get("/keuangan/batch/{batch_id}")
def detail(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, batch_id: str):
    if (no := _finance_only(request, user)) is not None:
        return no
    try:
        batch = batch_api.batch_or_404(store, batch_id)
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
    checks = service.checks_of(store, batch_id)
    latest = service.latest_batch(store, batch["program"], batch["period"])
    problems = verify_batch(store, batch) if batch["state"] == "approved" else None
    can_approve = (batch["state"] == "open" and latest["id"] == batch["id"] and bool(checks)
                   and checks[0]["passed"])
    return render(request, "batch_detail.html", user, batch=batch, checks=checks, last=checks[0] if checks else None,
                  can_approve=can_approve, is_latest=latest["id"] == batch["id"], problems=problems,
                  programs=ctx.rules.programs, rows_shown=ROWS_SHOWN, stem=f"pencairan_{batch['id']}")


@router.post("/keuangan/batch/{batch_id}/setujui")
def approve(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, batch_id: str):
    if (no := _finance_only(request, user)) is not None:
        return no
    try:
        batch_api.run_approve(ctx, store, user, batch_api.batch_or_404(store, batch_id))
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
    return RedirectResponse(f"/keuangan/batch/{batch_id}", status_code=303)


@router.get("/keuangan/batch/{batch_id}/ringkasan")
def summary(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, batch_id: str, cetak: int = 0):
    if (no := _finance_only(request, user)) is not None:
        return no
    batch = service.get_batch(store, batch_id)
    last = service.latest_check(store, batch_id) if batch else None
    if last is None:
        return refuse(request, user, 404, "Batch tidak ditemukan atau belum diperiksa.")
    s = last["result"]["summary"]
    amounts = Markup(bar_chart([(k["kecamatan_name"], k["amount_paid"] or 0, rupiah(k["amount_paid"] or 0))
                                for k in s["kecamatan"]], title="Nominal dibayar per kecamatan"))
    people = Markup(bar_chart([(k["kecamatan_name"], k["accepted"], angka(k["accepted"])) for k in s["kecamatan"]],
                              title="Penerima per kecamatan", color="#3c8d5a"))
    rates = Markup(bar_chart([(c["code"], c["rate"], f"{persen(c['rate'])} ({angka(c['rows'])} baris)")
                              for c in s["by_code"][:15]], title="Persentase baris per kode alasan",
                             color="#b5473a"))
    return render(request, "batch_summary.html", user, batch=batch, last=last, s=s, charts={
        "amounts": amounts, "people": people, "rates": rates}, printable=bool(cetak),
        programs=ctx.rules.programs)


@router.get("/keuangan/batch/{batch_id}/laporan/{seq}/{path:path}")
def data_docs(request: Request, store: StoreDep, user: PageUser, batch_id: str, seq: int, path: str):
    if (no := _finance_only(request, user)) is not None:
        return no
    try:
        batch = batch_api.batch_or_404(store, batch_id)
        return batch_api.download(batch_api.docs_file(batch, path, batch_api.check_of(store, batch_id, seq)))
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)


@router.get("/keuangan/batch/{batch_id}/berkas/{name}")
def frozen_file(request: Request, store: StoreDep, user: PageUser, batch_id: str, name: str):
    if (no := _finance_only(request, user)) is not None:
        return no
    try:
        return batch_api.download(batch_api.frozen_file(batch_api.batch_or_404(store, batch_id), name))
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
