"""Sign in and out. Sign-ins are audited by user name; failed ones without the name typed."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from flows.web.auth import (
    MAX_AGE,
    check_csrf,
    current_user,
    form_of,
    safe_next,
    session_of,
    set_session,
)
from flows.web.deps import get_engine
from flows.web.review.common import page
from ingest.store.merges import record_event
from ingest.store.users import UserInfo, authenticate, end_session, open_session

router = APIRouter(tags=["review"])


@router.get("/", include_in_schema=False)
async def home() -> RedirectResponse:
    return RedirectResponse("/review", status_code=303)


@router.get("/login")
def login_form(request: Request) -> Response:
    user = current_user(request)
    if user is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return page(request, "login.html", None, next=safe_next(request.query_params.get("next")))


@router.post("/login")
async def login(request: Request) -> Response:
    await check_csrf(request)
    form = await form_of(request)
    engine = get_engine(request)
    user = await run_in_threadpool(
        authenticate, engine, form.get("name", ""), form.get("password", "")
    )
    target = safe_next(form.get("next"))
    if user is None:
        await run_in_threadpool(record_event, engine, "anonymous", "login_failed", "user", None)
        return page(request, "login.html", None, 401, next=target, error=True)
    await run_in_threadpool(record_event, engine, user.name, "login", "user", user.id)
    response = RedirectResponse(target, status_code=303)
    # a fresh CSRF token on sign-in, so a token seen before cannot be reused
    sid = await run_in_threadpool(open_session, engine, user.id, max_age_seconds=MAX_AGE)
    data = {"uid": user.id, "sid": sid, "csrf": secrets.token_urlsafe(32)}
    set_session(request, response, data)
    return response


@router.post("/logout")
async def logout(
    request: Request, user: Annotated[UserInfo | None, Depends(current_user)]
) -> Response:
    await check_csrf(request)
    sid = session_of(request).get("sid")
    if isinstance(sid, str):
        await run_in_threadpool(end_session, get_engine(request), sid)
    response = RedirectResponse("/login", status_code=303)
    set_session(request, response, {"csrf": secrets.token_urlsafe(32)})
    return response
