"""The FastAPI application: one place that wires the routers to a store engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from flows.web import forms, reports
from flows.web.auth import Forbidden, LoginRequired, login_redirect, secret_key
from flows.web.deps import OnStaged, no_op
from flows.web.ratelimit import RateLimits, StoreLimiter
from flows.web.review import actions_router, login_router, pages_router
from ingest.config import Settings

STATIC = Path(__file__).resolve().parent / "static"
NextApp = Callable[[Request], Awaitable[Response]]
"""The rest of the application, as an HTTP middleware calls it."""
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(
    engine: Engine,
    *,
    settings: Settings,
    on_staged: OnStaged = no_op,
    secret: bytes | None = None,
    rate_limits: RateLimits | None = None,
) -> FastAPI:
    """The app serving ``engine``'s store with ``settings`` (the hash salt, the secret key);
    ``on_staged(submission_id, token)`` receives each new double opt-in token (e.g. a mailer),
    and is the only place the token goes. ``secret`` signs session cookies (default:
    ``settings.secret_key``, else a random per-process key).
    ``rate_limits`` bound sign-ins and form posts per client address (429 + Retry-After),
    counted in the store so that every worker process shares them."""
    app = FastAPI(title="leadflow", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.settings = settings
    app.state.on_staged = on_staged
    app.state.secret_key = secret or secret_key(settings)
    app.include_router(forms.router)
    app.include_router(login_router)
    app.include_router(pages_router)
    app.include_router(actions_router)
    app.include_router(reports.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        if request.method == "GET" and not request.headers.get("X-Partial"):
            return RedirectResponse(login_redirect(request), status_code=303)
        return PlainTextResponse("sign in first", status_code=401)

    @app.exception_handler(Forbidden)
    async def _forbidden(_: Request, error: Forbidden) -> Response:
        return PlainTextResponse(f"forbidden: {error.reason}", status_code=403)

    limiter = StoreLimiter(engine, rate_limits or RateLimits(), configured_salt=settings.hash_salt)

    @app.middleware("http")
    async def _rate_limit(request: Request, call_next: NextApp) -> Response:
        path = request.url.path
        bucket = None
        if request.method == "POST" and path == "/login":
            bucket = "login"
        elif request.method == "POST" and path.startswith("/forms/"):
            bucket = "forms"
        if bucket is not None:
            client = request.client.host if request.client else "unknown"
            wait = await run_in_threadpool(limiter.retry_after, bucket, client)
            if wait is not None:
                return JSONResponse(
                    {"message": "too many requests; try again later"},
                    status_code=429,
                    headers={"Retry-After": str(wait)},
                )
        return await call_next(request)

    @app.middleware("http")
    async def _headers(request: Request, call_next: NextApp) -> Response:
        response = await call_next(request)
        if not request.url.path.startswith("/forms"):
            response.headers.update(SECURITY_HEADERS)
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app
