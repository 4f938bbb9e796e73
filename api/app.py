"""The FastAPI application (contracts §7). `bansos serve` runs it; tests build it with a temp store."""

from __future__ import annotations

import contextlib
from pathlib import Path

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api import pages
from api.context import ApiContext
from api.errors import ErrorEnvelope, install_error_handlers
from api.jobs import JobWorker
from api.ratelimit import RateLimiter
from api.routes import admin, council, finance, jobs, lookup, submissions

DESCRIPTION = """API validasi daftar penerima bansos. Masuk dengan `Authorization: Bearer TOKEN`
(token dari `bansos user add`). Setiap galat 4xx/5xx berbentuk
`{"error": {"code", "message", "message_en"}}`.

HTTP API of the bansos recipient-list validator; every 4xx/5xx body has the error envelope above."""


def create_app(store_path: Path, data_dir: Path | None = None, *, status_limit: int = 10) -> FastAPI:
    """The store opens when the app starts and stays open: one process holds its file lock.

    `data_dir` keeps uploads and results (default: a folder beside the store)."""
    store_path = Path(store_path)
    data_dir = Path(data_dir) if data_dir is not None else store_path.parent / f"{store_path.stem}_files"

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        from api import logs
        from validator.rulebook import load_rules
        from validator.store import Store

        logs.install()  # here, after uvicorn has set up its loggers
        store = Store(store_path)
        ctx = ApiContext(store=store, data_dir=data_dir, rules=load_rules(),
                         limiter=RateLimiter(status_limit))
        ctx.worker = JobWorker(ctx)
        ctx.worker.start()
        app.state.ctx = ctx
        try:
            yield
        finally:
            ctx.worker.stop()
            store.close()

    # FastAPIOffline is FastAPI with /docs and /redoc served from files shipped in the package:
    # a Dinas office network may not reach a CDN.
    app = FastAPIOffline(title="bansos-validator API", version="1", description=DESCRIPTION, lifespan=lifespan,
                  responses={code: {"model": ErrorEnvelope} for code in (401, 403, 404, 422)})
    install_error_handlers(app)
    for module in (submissions, jobs, lookup, finance, council, admin, pages):
        app.include_router(module.router)
    pages.install(app, data_dir)  # session cookie, /static, login redirect of the web pages
    return app
