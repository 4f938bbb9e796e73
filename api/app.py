"""The FastAPI application (contracts §7). `bansos serve` runs it; tests build it with a temp store."""

from __future__ import annotations

import contextlib
from pathlib import Path

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException

from api import pages, services
from api.context import ApiContext
from api.errors import ErrorEnvelope, envelope, error_page, install_error_handlers, wants_page
from api.jobs import JobWorker
from api.pages import batch as batch_pages
from api.ratelimit import RateLimiter
from api.routes import admin, batch, council, finance, jobs, lookup, submissions
from validator.errors import env_number

DESCRIPTION = """API validasi daftar penerima bansos. Masuk dengan `Authorization: Bearer TOKEN`
(token dari `bansos user add`). Setiap galat 4xx/5xx berbentuk
`{"error": {"code", "message", "message_en"}}`.

HTTP API of the bansos recipient-list validator; every 4xx/5xx body has the error envelope above."""


def create_app(store_path: Path, data_dir: Path | None = None, *, status_limit: int = 10,
               max_upload_mb: float | None = None, lookup_limit: int | None = None) -> FastAPI:
    """The store opens when the app starts and stays open: one process holds its file lock.

    `data_dir` keeps uploads and results (default: a folder beside the store). `max_upload_mb`
    caps a list upload (default: env BANSOS_MAX_UPLOAD_MB, else 200); `lookup_limit` is the
    council/finance look-ups per account and minute (default: env BANSOS_LOOKUPS_PER_MINUTE, else 60)."""
    store_path = Path(store_path)
    upload_limit = services.max_upload_bytes(max_upload_mb)
    if lookup_limit is None:
        lookup_limit = int(env_number("BANSOS_LOOKUPS_PER_MINUTE", 60))
    data_dir = Path(data_dir) if data_dir is not None else store_path.parent / f"{store_path.stem}_files"
    # Uploads and results hold every NIK of a list: the folder is the server account's alone
    # (made so, or made private again if an earlier start left it open to other local users).
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir.chmod(0o700)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        from api import logs
        from validator.rulebook import load_rules
        from validator.store import Store

        logs.install()  # here, after uvicorn has set up its loggers
        store = Store(store_path)
        ctx = ApiContext(store=store, data_dir=data_dir, rules=load_rules(),
                         limiter=RateLimiter(status_limit), max_upload_bytes=upload_limit,
                         lookup_limiter=RateLimiter(lookup_limit))
        ctx.worker = JobWorker(ctx)
        ctx.worker.start()
        app.state.ctx = ctx
        try:
            yield
        finally:
            ctx.worker.stop()
            ctx.close_views()
            store.close()

    # FastAPIOffline is FastAPI with /docs and /redoc served from files shipped in the package:
    # a Dinas office network may not reach a CDN.
    app = FastAPIOffline(title="bansos-validator API", version="1", description=DESCRIPTION, lifespan=lifespan,
                  responses={code: {"model": ErrorEnvelope} for code in (401, 403, 404, 422)})
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit=upload_limit)
    app.add_middleware(SameOrigin)
    app.add_middleware(NoStore)
    for module in (submissions, jobs, lookup, finance, council, admin, batch, batch_pages, pages):
        app.include_router(module.router)
    pages.install(app, data_dir)  # session cookie, /static, login redirect of the web pages
    return app


def _admin_caller(scope) -> bool:
    """The request comes from a signed-in admin (a Bearer token, or a page session): only then
    is an import body allowed ten times a list's size, read before FastAPI checks anyone."""
    from api.pages.web import scope_user

    user = scope_user(scope)
    return user is not None and user.role == "admin"


class NoStore:
    """`Cache-Control: no-store` on every response but the static files: pages, results, exports
    and look-ups carry NIKs and account numbers, and a browser on a shared office PC must not keep
    them after "Keluar" (nor a proxy between)."""

    HEADERS = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("path", "").startswith("/static/"):
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                held = [(k, v) for k, v in message.get("headers", []) if k.lower() not in (b"cache-control", b"pragma")]
                message = message | {"headers": held + self.HEADERS}
            await send(message)

        return await self.app(scope, receive, sending)


class SameOrigin:
    """Refuse a state-changing request a browser sends from another site (403).

    The session cookie is SameSite=Lax, so another site's form cannot act in a signed-in user's
    name; but the login form needs no cookie: a hostile page could sign a real operator in with the
    attacker's token (login CSRF), and the operator's next upload would land where the attacker
    reads it. A browser says where a request comes from: `Sec-Fetch-Site: same-origin` passes and
    `cross-site` is refused whatever the Host, so a proxy that rewrites Host changes nothing; for
    `same-site` (a sibling subdomain, another port of the host) or without that header, an
    `Origin` naming another host than this server's (Host or X-Forwarded-Host, default ports
    alike) is refused. A request with neither (curl, scripts, the
    API's clients) is no browser's cross-site form and passes."""

    UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") not in self.UNSAFE:
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        fetch_site = headers.get(b"sec-fetch-site", b"").decode("latin-1").strip().lower()
        origin = headers.get(b"origin", b"").decode("latin-1").strip()
        # (Behind a proxy that rewrites Host, the proxy's X-Forwarded-Host names the public one.)
        hosts = [headers.get(h, b"").decode("latin-1").split(",")[0].strip() for h in (b"host", b"x-forwarded-host")]
        if fetch_site in ("same-origin", "none"):  # the page itself, or typed in the address bar
            allowed = True
        elif fetch_site == "cross-site":
            allowed = False
        else:  # "same-site" (a sibling subdomain, another port) or no such header: by Origin
            allowed = not origin or any(_same_host(origin, h) for h in hosts)
        if allowed:
            return await self.app(scope, receive, send)
        message = ("Permintaan ini dikirim dari situs lain, jadi ditolak. Buka halaman bansos-validator langsung "
                   "dari alamatnya, lalu ulangi.")
        if wants_page(scope):
            return await error_page(scope, 403, message)(scope, receive, send)
        return await envelope(403, "cross_site", message, "This request came from another site and was refused. "
                              "Open the bansos-validator page from its own address and try again.")(scope, receive, send)


def _same_host(origin: str, host: str) -> bool:
    """Whether an Origin header ("http://127.0.0.1:8000") names the Host the request was sent to."""
    from urllib.parse import urlsplit

    if origin == "null" or not host:  # a sandboxed frame or a file: page, never this server's own pages
        return False
    parts = urlsplit(origin)
    default = {"http": 80, "https": 443}.get(parts.scheme)

    def key(netloc: str) -> tuple[str, int | None]:
        try:
            at = urlsplit("//" + netloc)
            return (at.hostname or "").lower(), at.port or default
        except ValueError:  # a malformed port: no match
            return netloc.lower(), -1

    return key(parts.netloc) == key(host)


class BodyLimit:
    """Refuse an oversized request body before it is spooled to disk: 413 with the envelope.

    A declared Content-Length is refused at once; a chunked body is counted as it arrives. Admin
    imports (a registry extract of a province) may be ten times larger than a list."""

    SLACK = 1024 * 1024  # multipart boundaries and the form fields around the file

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        importing = path.startswith(("/api/v1/admin/", "/admin/impor/"))
        file_limit = self.limit * (10 if importing and _admin_caller(scope) else 1)
        allowed = file_limit + self.SLACK
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > allowed:
            err = services.too_large(file_limit, importing)
            if wants_page(scope):
                return await error_page(scope, 413, err.message, {"Connection": "close"})(scope, receive, send)
            return await envelope(413, err.code, err.message, err.message_en,
                                  {"Connection": "close"})(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > allowed:
                raise HTTPException(413, detail=services.too_large(file_limit, importing))
            return message

        await self.app(scope, counted, send)
