"""`Annotated` dependencies the routes declare: the context, a store cursor, the current user."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.accounts import User, token_hash, user_by_token
from api.context import ApiContext
from api.errors import api_error
from validator.store import Store


# Dependencies that neither read the store nor wait are `async def`: FastAPI runs a plain `def`
# dependency in its thread pool, and each such hop costs a look-up more than its own work does.
async def get_ctx(request: Request) -> ApiContext:
    return request.app.state.ctx


Ctx = Annotated[ApiContext, Depends(get_ctx)]


async def get_store(ctx: Ctx) -> AsyncIterator[Store]:
    view = ctx.borrow_view()
    try:
        yield view
    except BaseException:
        ctx.give_back(view, clean=False)
        raise
    ctx.give_back(view)


StoreDep = Annotated[Store, Depends(get_store)]

# auto_error=False: a missing token gets our envelope, not FastAPI's own 403 body.
bearer = HTTPBearer(auto_error=False, description="Token dari `bansos user add` / token from `bansos user add`")


async def current_user(ctx: Ctx, store: StoreDep,
                       cred: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    # Kept in the store cache (dropped at the next write, a disabled account included), so most
    # requests neither query nor hop to a thread for their account. An unknown token is not kept.
    user = None
    if cred is not None:
        key = ("user", token_hash(cred.credentials))
        user = ctx.cache.peek(key)
        if user is None:
            user = await run_in_threadpool(ctx.cache.get, key, lambda: user_by_token(store, cred.credentials))
    if user is None:
        if cred is not None:
            raise api_error(401, "bad_token", "Token tidak dikenal atau akun dinonaktifkan.",
                            "Unknown token, or the account is disabled.", headers={"WWW-Authenticate": "Bearer"})
        raise api_error(401, headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def allow(*roles: str):
    """A dependency that lets only these roles through (403 for the others)."""

    async def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise api_error(403)
        return user

    return check


Operator = Annotated[User, Depends(allow("operator"))]
ListReader = Annotated[User, Depends(allow("operator", "finance"))]  # results of a submission
LookupUser = Annotated[User, Depends(allow("council", "finance"))]


async def client_ip(request: Request) -> str:
    # request.client is the peer; behind a reverse proxy run uvicorn with --proxy-headers and
    # --forwarded-allow-ips so it is the citizen's address, not the proxy's.
    return request.client.host if request.client else "unknown"


ClientIP = Annotated[str, Depends(client_ip)]


async def status_rate_limit(ctx: Ctx, ip: ClientIP) -> None:
    """Every request counts, also malformed ones: guessing NIK and birth-date pairs stays slow."""
    wait = ctx.limiter.allow(ip)
    if wait is not None:
        raise api_error(429, headers={"Retry-After": str(max(1, round(wait)))})
