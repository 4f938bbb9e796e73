"""Admin pages: accounts (add with the token shown once, disable), registry and exclusion imports,
and the audit list of look-ups. The same services as /api/v1/admin."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse

from api import admin
from api.deps import Ctx, StoreDep
from api.errors import ApiError
from api.pages.web import PageUser, refuse, render
from validator.errors import UserError
from validator.store import run
from validator.wilayah import load_regions

router = APIRouter()
ADMIN_ONLY = "Halaman ini untuk admin Dinas Sosial."
AUDIT_PER_PAGE = 100
IMPORTS = {"registri": ("registry", "Ekstrak DTKS/DTSEN"), "pengecualian": ("exclusions", "Daftar pengecualian")}


def _users_page(request: Request, store, user, status_code: int = 200, **extra):
    regions = load_regions()
    users = admin.list_users(store)
    for u in users:
        u["kecamatan_name"] = regions.describe(u["kecamatan"]) if u["kecamatan"] else ""
    return render(request, "admin_users.html", user, status_code=status_code, users=users, **extra)


@router.get("/admin/akun")
def users(request: Request, store: StoreDep, user: PageUser, nonaktif: str = ""):
    if user.role != "admin":
        return refuse(request, user, 403, ADMIN_ONLY)
    # The banner names an account the admin disabled, never any text put in the link.
    gone = run(store.con, "SELECT name FROM users WHERE name = ? AND disabled", [nonaktif[:120]]) if nonaktif else []
    return _users_page(request, store, user, disabled_name=gone[0][0] if gone else "")


@router.post("/admin/akun")
def add_user(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, name: Annotated[str, Form(max_length=120)],
             role: Annotated[Literal["operator", "finance", "council", "admin"], Form()],
             kecamatan: Annotated[str, Form(max_length=20)] = ""):
    """The answer page is the only place the token is ever shown: no redirect, nothing kept."""
    if user.role != "admin":
        return refuse(request, user, 403, ADMIN_ONLY)
    try:
        made = admin.add_user(ctx, store, name.strip(), role, kecamatan.strip() or None)
    except ApiError as exc:
        return _users_page(request, store, user, status_code=exc.status, error=exc.message,
                           form={"name": name, "role": role, "kecamatan": kecamatan})
    return _users_page(request, store, user, made=made)


@router.post("/admin/akun/{user_id}/nonaktif")
def disable_user(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, user_id: str):
    if user.role != "admin":
        return refuse(request, user, 403, ADMIN_ONLY)
    try:
        gone = admin.disable_user(ctx, store, user, user_id)
    except ApiError as exc:
        return refuse(request, user, exc.status, exc.message)
    return RedirectResponse(f"/admin/akun?nonaktif={quote(gone['name'])}", status_code=303)


@router.get("/admin/impor")
def imports(request: Request, user: PageUser):
    if user.role != "admin":
        return refuse(request, user, 403, ADMIN_ONLY)
    return render(request, "admin_imports.html", user, imports=IMPORTS)


@router.post("/admin/impor/{kind}")
def import_file(request: Request, ctx: Ctx, store: StoreDep, user: PageUser, kind: str,
                file: Annotated[UploadFile, File()]):
    """Replace the registry or the exclusion list; the page shows the import's report or why not."""
    if user.role != "admin":
        return refuse(request, user, 403, ADMIN_ONLY)
    if kind not in IMPORTS:
        return refuse(request, user, 404, "Jenis impor tidak dikenal.")
    try:
        report = admin.import_file(ctx, store, IMPORTS[kind][0], file.file, file.filename)
    except ApiError as exc:
        return render(request, "admin_imports.html", user, status_code=exc.status, imports=IMPORTS, kind=kind,
                      error=exc.message)
    except UserError as exc:  # the registry reader's own words: which column, which line
        return render(request, "admin_imports.html", user, status_code=422, imports=IMPORTS, kind=kind,
                      error=exc.message_id)
    facts = {k: v for k, v in report.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    return render(request, "admin_imports.html", user, imports=IMPORTS, kind=kind, facts=facts)


@router.get("/admin/penelusuran")
def audit(request: Request, store: StoreDep, user: PageUser, page: int = 1):
    if user.role != "admin":
        return refuse(request, user, 403, ADMIN_ONLY)
    return render(request, "admin_audit.html", user, found=admin.lookups_page(store, min(max(1, page), 10**6), AUDIT_PER_PAGE))
