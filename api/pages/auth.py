"""Login with a token, logout, and the home page that sends each role to its own page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from api.accounts import user_by_token
from api.deps import StoreDep
from api.pages.web import MaybeUser, render

router = APIRouter()
HOME = {"operator": "/unggah", "finance": "/keuangan", "council": "/telusur", "admin": "/admin/akun"}


def _safe_next(target: str | None) -> str | None:
    # Only a path on this site: an open redirect would let a link send a user elsewhere after login.
    return target if target and target.startswith("/") and not target.startswith("//") else None


@router.get("/")
def home(user: MaybeUser):
    return RedirectResponse(HOME[user.role] if user else "/masuk", status_code=303)


@router.get("/masuk")
def login_page(request: Request, user: MaybeUser, next: str | None = None):
    return render(request, "login.html", user, next=_safe_next(next) or "")


@router.post("/masuk")
def login(request: Request, store: StoreDep, token: Annotated[str, Form(max_length=200)],
          next: Annotated[str, Form(max_length=300)] = ""):
    user = user_by_token(store, token.strip())
    if user is None:
        return render(request, "login.html", None, status_code=401, next=_safe_next(next) or "",
                      error="Token tidak dikenal atau akun dinonaktifkan. Periksa lagi token dari admin.")
    request.session.clear()
    request.session["uid"] = user.id
    return RedirectResponse(_safe_next(next) or HOME[user.role], status_code=303)


@router.post("/keluar")
def logout(request: Request):
    request.session.clear()
    return RedirectResponse("/masuk", status_code=303)
