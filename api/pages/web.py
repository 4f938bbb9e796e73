"""What every page shares: templates, the secret of the session cookie, the logged-in user."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from api.accounts import ROLE_TEXT, User, token_hash
from api.deps import StoreDep
from api.pages import text
from validator.ingest import WHY_TEXT
from validator.store import Store, run
from validator.wilayah import load_regions

HERE = Path(__file__).resolve().parent.parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.globals.update(WHY_TEXT=WHY_TEXT, ROLE_TEXT=ROLE_TEXT, STATUS_TEXT=text.STATUS_TEXT, CHANNEL_TEXT=text.CHANNEL_TEXT, rupiah=text.rupiah,
                             tanggal=text.tanggal, angka=text.angka, persen=text.persen,
                             # "Medan Sunggal (12.71.02)" for a kecamatan code: finance reads names.
                             kecamatan_name=lambda code: load_regions().describe(code) if code else "-")


def session_secret(data_dir: Path) -> str:
    """BANSOS_SECRET, else a random secret made once and kept in the data folder, so sessions
    survive a restart of the server."""
    if env := os.environ.get("BANSOS_SECRET"):
        return env
    path = Path(data_dir) / "session_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class LoginRequired(Exception):
    """A page asked for by someone without a (valid) session: the answer is the login page."""


def install_login_redirect(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, exc: LoginRequired) -> RedirectResponse:
        # The page's query (a results filter) comes back too after logging in.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/masuk?{urlencode({'next': target})}", status_code=303)


def user_by_id(store: Store, user_id: str) -> User | None:
    # Read again on every page: a disabled account loses its session at once.
    found = run(store.con, "SELECT id, name, role, kecamatan FROM users WHERE id = ? AND NOT disabled", [user_id])
    return User(*found[0]) if found else None


SESSION_HOURS = 12


def session_user(store: Store, session) -> User | None:
    """The account of a page session still open: logged in within SESSION_HOURS, not logged out,
    the account not disabled. One point query on the session's key."""
    uid, sid = session.get("uid"), session.get("sid")
    if not uid or not sid:
        return None
    since = dt.datetime.now() - dt.timedelta(hours=SESSION_HOURS)
    found = run(store.con, """SELECT 1 FROM page_sessions WHERE sid_sha256 = ? AND user_id = ? AND ended_at IS NULL
                              AND created_at > ?""", [token_hash(sid), uid, since])
    return user_by_id(store, uid) if found else None


def scope_user(scope) -> User | None:
    """The account behind a request seen outside FastAPI's dependencies (a middleware, an error
    handler): its Bearer token, else its page session; None when there is none or the store
    cannot answer (what asks only withholds something then)."""
    from api.accounts import user_by_token

    ctx = getattr(getattr(scope.get("app"), "state", None), "ctx", None)
    if ctx is None or getattr(ctx, "store", None) is None:
        return None
    auth = dict(scope.get("headers") or []).get(b"authorization", b"").decode("latin-1")
    try:
        view = ctx.view()
    except Exception:  # noqa: BLE001
        return None
    try:
        if auth.lower().startswith("bearer "):
            return user_by_token(view, auth[7:].strip())
        return session_user(view, scope.get("session") or {})
    except Exception:  # noqa: BLE001
        return None
    finally:
        view.close()


def page_user(request: Request, store: StoreDep) -> User:
    user = session_user(store, request.session)
    if user is None:
        request.session.clear()
        raise LoginRequired()
    return user


def optional_user(request: Request, store: StoreDep) -> User | None:
    return session_user(store, request.session)


PageUser = Annotated[User, Depends(page_user)]
MaybeUser = Annotated[User | None, Depends(optional_user)]


def render(request: Request, name: str, user: User | None, status_code: int = 200, **context):
    return templates.TemplateResponse(request, name, {"user": user, **context}, status_code=status_code)


def refuse(request: Request, user: User | None, status: int, message: str):
    """An error as a page (the API's error envelope is JSON, which a person should not see)."""
    return render(request, "error.html", user, status_code=status, status=status, message=message)
