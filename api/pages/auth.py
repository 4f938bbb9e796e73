"""Login with a token, logout, and the home page that sends each role to its own page."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from api.accounts import token_hash, user_by_token
from api.deps import StoreDep
from api.pages.web import SESSION_HOURS, MaybeUser, render
from validator.store import run

router = APIRouter()
# Page sessions are written under a lock of their own, not the store's write lock: nothing else
# writes page_sessions, and a login must not wait for a registry import of a minute to finish.
_SESSIONS = threading.Lock()
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
    sid = secrets.token_urlsafe(24)
    now = dt.datetime.now()
    with _SESSIONS:
        # Sessions past their hours open nothing any more: they go as the next one comes.
        run(store.con, "DELETE FROM page_sessions WHERE created_at < ?", [now - dt.timedelta(hours=SESSION_HOURS)])
        run(store.con, "INSERT INTO page_sessions VALUES (?, ?, ?, NULL)", [token_hash(sid), user.id, now])
    request.session.clear()
    request.session.update({"uid": user.id, "sid": sid})
    return RedirectResponse(_safe_next(next) or HOME[user.role], status_code=303)


@router.post("/keluar")
def logout(request: Request, store: StoreDep):
    """Ends the session in the store too: the cookie, copied before, opens nothing afterwards."""
    if sid := request.session.get("sid"):
        with _SESSIONS:
            run(store.con, "UPDATE page_sessions SET ended_at = ? WHERE sid_sha256 = ? AND ended_at IS NULL",
                [dt.datetime.now(), token_hash(sid)])
    request.session.clear()
    return RedirectResponse("/masuk", status_code=303)
