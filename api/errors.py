"""One error shape at the edge (contracts §7, STYLE §6): every 4xx/5xx body is
{"error": {"code", "message" (Indonesian), "message_en"}} — whatever raised it."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from validator.errors import UserError

log = logging.getLogger("bansos.api")


class ErrorBody(BaseModel):
    code: str
    message: str
    message_en: str


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    """An error the client can act on, with its HTTP status and both messages."""

    def __init__(self, status: int, code: str, message: str, message_en: str,
                 headers: dict[str, str] | None = None):
        super().__init__(code)
        self.status, self.code, self.message, self.message_en = status, code, message, message_en
        self.headers = headers


# Used for HTTPExceptions raised by FastAPI/Starlette themselves (unknown path, wrong method, …).
DEFAULTS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "Permintaan tidak dapat diproses.", "The request cannot be processed."),
    401: ("unauthorized", "Masuk dulu: kirim token Anda di header 'Authorization: Bearer TOKEN'.",
          "Log in first: send your token as 'Authorization: Bearer TOKEN'."),
    403: ("forbidden", "Akun Anda tidak berhak melakukan ini.", "Your account may not do this."),
    404: ("not_found", "Tidak ditemukan.", "Not found."),
    405: ("method_not_allowed", "Metode HTTP ini tidak dipakai di alamat ini.",
          "This HTTP method is not used at this address."),
    413: ("too_large", "Berkas atau permintaan terlalu besar.", "The file or request is too large."),
    429: ("rate_limited", "Terlalu banyak permintaan. Tunggu satu menit, lalu coba lagi.",
          "Too many requests. Wait a minute and try again."),
    500: ("internal_error", "Terjadi kesalahan pada server, bukan pada data Anda. Coba lagi nanti atau "
          "hubungi admin Dinas Sosial.", "A server error occurred (not caused by your data)."),
}

# UserErrors that concern the service rather than the request.
USER_ERROR_STATUS = {"store_busy": 503, "store_unreadable": 503, "store_missing": 503, "out_dir": 503,
                     # a pagu or kuota the API cannot take, as a field pydantic refuses
                     "bad_pagu": 422, "bad_kuota": 422, "bad_number": 422}

# Field names as a person reads them in a 422 message.
FIELD_ID = {
    "file": "berkas", "program": "program", "period": "periode", "nik": "NIK",
    "tanggal_lahir": "tanggal lahir", "page": "halaman", "per_page": "jumlah baris per halaman",
    "status": "status", "code": "kode alasan", "job_id": "nomor pekerjaan",
    "submission_id": "nomor pengajuan", "body": "isi permintaan",
    "decision": "keputusan", "note": "catatan", "name": "nama akun", "role": "peran", "row": "nomor baris",
    "user_id": "nomor akun", "nama": "nama", "kecamatan": "kecamatan",
}


def api_error(status: int, code: str | None = None, message: str | None = None,
              message_en: str | None = None, headers: dict[str, str] | None = None) -> ApiError:
    d_code, d_id, d_en = DEFAULTS.get(status, DEFAULTS[400] if status < 500 else DEFAULTS[500])
    return ApiError(status, code or d_code, message or d_id, message_en or d_en, headers)


def envelope(status: int, code: str, message: str, message_en: str,
             headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "message_en": message_en}}
    return JSONResponse(body, status_code=status, headers=headers)


_TYPE_NAMES = {"bool", "int", "float", "str", "list", "dict", "none", "bytes"}


def _place(error: dict) -> tuple[str, ...]:
    """Where an error is, as field names: list positions left out, and the type a field of several
    types was tried as (("body", "pagu", "int") is the field pagu)."""
    return tuple(str(p) for p in error.get("loc", ()) if not isinstance(p, int) and str(p) not in _TYPE_NAMES
                 and "[" not in str(p))


def _validation_text(exc: RequestValidationError) -> tuple[str, str]:
    """Name the first faulty field in Indonesian; never echo the input (it may hold a NIK)."""
    errors = exc.errors()
    first = errors[0] if errors else {}
    loc = _place(first)
    field = loc[-1] if loc else "body"
    name = FIELD_ID.get(field, field)
    kind = first.get("type", "")
    if kind == "missing":
        text = f"Isian '{name}' wajib diisi."
    elif kind in ("json_invalid", "model_attributes_type", "dict_type"):
        text = "Isi permintaan bukan JSON yang sah."
    else:
        text = f"Isian '{name}' tidak sah."
    # (A field of several types reports one error per type tried: one field, not several.)
    fields = {_place(e) for e in errors}
    more = f" (dan {len(fields) - 1} isian lain)" if len(fields) > 1 else ""
    said = first.get("msg", "invalid") if len(errors) == len(fields) else "invalid"
    return text + more, f"Field '{field}': {said}."


def wants_page(scope) -> bool:
    """A person's browser asking for a web page (not /api/, not the OpenAPI files): an error
    is shown as a page in Bahasa Indonesia, not as the JSON envelope."""
    path = scope.get("path", "")
    if path.startswith(("/api/", "/docs", "/redoc", "/openapi")):
        return False
    accept = dict(scope.get("headers") or []).get(b"accept", b"")
    return b"text/html" in accept


def error_page(scope, status: int, message: str, headers: dict[str, str] | None = None):
    # (The pages import this module: resolve at call time.)
    from api.pages.web import render, scope_user

    # The signed-in person keeps their header (their name, Keluar) instead of looking logged out.
    response = render(Request(scope), "error.html", scope_user(scope), status_code=status, status=status,
                      message=message)
    response.headers.update(headers or {})
    return response


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError):
        if wants_page(request.scope):
            return error_page(request.scope, exc.status, exc.message, exc.headers)
        return envelope(exc.status, exc.code, exc.message, exc.message_en, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        # An ApiError carried through code that only lets HTTPExceptions pass (request body reading).
        err = exc.detail if isinstance(exc.detail, ApiError) else api_error(exc.status_code)
        if wants_page(request.scope):
            return error_page(request.scope, exc.status_code, err.message, getattr(exc, "headers", None))
        return envelope(exc.status_code, err.code, err.message, err.message_en, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, message_en = _validation_text(exc)
        if wants_page(request.scope):
            return error_page(request.scope, 422, message)
        return envelope(422, "invalid_request", message, message_en)

    @app.exception_handler(UserError)
    async def _user(request: Request, exc: UserError):
        if wants_page(request.scope):
            return error_page(request.scope, USER_ERROR_STATUS.get(exc.code, 400), exc.message_id)
        return envelope(USER_ERROR_STATUS.get(exc.code, 400), exc.code, exc.message_id,
                        exc.message_en or exc.message_id)

    app.add_middleware(CatchAll)


class CatchAll:
    """Any other exception becomes a 500 envelope here, inside Starlette's ServerErrorMiddleware,
    which would log the exception's text (it may quote a NIK) and answer in plain text."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def watch(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            # Only the type and the path are logged, never the exception's text.
            log.error("internal error %s on %s %s", type(exc).__name__, scope.get("method"), scope.get("path"))
            if started:  # too late for another answer; the client sees a cut response
                return
            err = api_error(500)
            if wants_page(scope):  # a person's browser: the page in Indonesian, as for any other error
                try:
                    return await error_page(scope, 500, err.message)(scope, receive, send)
                except Exception:  # noqa: BLE001 (the page itself failed: the envelope still answers)
                    pass
            await envelope(500, err.code, err.message, err.message_en)(scope, receive, send)
