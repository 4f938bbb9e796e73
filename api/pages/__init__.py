"""Web pages (Jinja2, server-rendered) on top of the same services the API routes call.

Pages log in with a token once and then carry a signed session cookie; the API keeps Bearer auth."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from api.pages import admin, auth, catalogue, council, finance, operator
from api.pages.web import SESSION_HOURS, STATIC_DIR, install_login_redirect, session_secret

router = APIRouter(include_in_schema=False)
for _module in (auth, operator, council, catalogue, finance, admin):
    router.include_router(_module.router)


def install(app: FastAPI, data_dir: Path) -> None:
    """The session cookie, the shipped CSS/JS, and the redirect to the login page."""
    # same_site="lax": the browser does not send the cookie on a cross-site form POST, so another
    # site cannot upload or look up in the user's name.
    app.add_middleware(SessionMiddleware, secret_key=session_secret(data_dir),
                       session_cookie="bansos_sesi", max_age=SESSION_HOURS * 3600, same_site="lax")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_login_redirect(app)
