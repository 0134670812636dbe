"""What the review routers share: templates, the queue filter from the query, the pair partial."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from flows.web.auth import csrf_token, session_of, set_session
from ingest.store.review import BANDS, SORTS, STATUSES, QueueFilter, pair_view, queue_ids
from ingest.store.users import UserInfo

templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")


MAX_ID = 2**63 - 1
"""Largest id a store holds (PostgreSQL bigint); larger numbers in a URL are refused (422)."""


def int_param(request: Request, name: str, default: int | None = None) -> int | None:
    """A non-negative whole-number query parameter; anything else answers 422."""
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_ID:
        raise HTTPException(422, f"{name} must be a whole number from 0 to {MAX_ID}")
    return int(raw)


def _choice(value: str | None, valid: Collection[str], default: str) -> str:
    return value if value is not None and value in valid else default


def queue_filter(request: Request) -> QueueFilter:
    """The queue filter from the query string; unknown names fall back to the defaults, a
    malformed number answers 422."""
    q = request.query_params
    return QueueFilter(
        source=q.get("source") or None,
        run_id=int_param(request, "run_id"),
        band=q.get("band") if q.get("band") in BANDS else None,
        status=_choice(q.get("status"), STATUSES, "pending"),
        sort=_choice(q.get("sort"), SORTS, "uncertainty"),
    )


def query(f: QueueFilter, **extra: Any) -> str:
    """``?…`` for links that keep the filter."""
    params = {**f.as_params(), **{k: str(v) for k, v in extra.items() if v is not None}}
    return f"?{urlencode(params)}" if params else ""


def page(
    request: Request, name: str, user: UserInfo | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a full page (with the CSRF token every form and fetch needs)."""
    csrf, fresh = csrf_token(request)
    html = templates.get_template(name).render(
        {"request": request, "user": user, "csrf": csrf, **context}
    )
    response = HTMLResponse(html, status_code=status_code)
    if fresh:
        set_session(request, response, session_of(request))
    return response


def neighbours(ids: list[int], current: int) -> tuple[int | None, int | None]:
    """The ids before and after ``current`` in the queue order (None at the ends)."""
    if current not in ids:
        return None, ids[0] if ids else None
    i = ids.index(current)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


def pair_context(engine: Engine, f: QueueFilter, candidate_id: int) -> dict[str, Any] | None:
    """Everything the pair template needs, or None when there is no such candidate."""
    view = pair_view(engine, candidate_id)
    if view is None:
        return None
    ids = queue_ids(engine, f)
    prev_id, next_id = neighbours(ids, candidate_id)
    return {
        "view": view,
        "filter": f,
        "q": query(f),
        "prev_id": prev_id,
        "next_id": next_id,
        "position": ids.index(candidate_id) + 1 if candidate_id in ids else None,
        "remaining": len(ids),
    }


def partial(
    name: str, status_code: int = 200, flash: str | None = None, **context: Any
) -> HTMLResponse:
    """A fragment for fetch() to swap in; ``flash`` travels in the ``X-Flash`` header."""
    html = templates.get_template(name).render(context)
    headers = {"X-Flash": flash} if flash else {}
    return HTMLResponse(html, status_code=status_code, headers=headers)
