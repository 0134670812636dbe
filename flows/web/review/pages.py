"""Read-only review pages: the queue, one pair, the bulk confirmation, past merges, audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse

from flows.web.auth import require_user
from flows.web.deps import get_engine
from flows.web.review.common import (
    MAX_ID,
    int_param,
    page,
    pair_context,
    partial,
    query,
    queue_filter,
)
from ingest.store.audit import audit_page
from ingest.store.review import (
    BANDS,
    SORTS,
    STATUSES,
    filter_options,
    list_merges,
    queue,
    queue_counts,
    queue_ids,
)
from ingest.store.users import UserInfo

router = APIRouter(prefix="/review", tags=["review"])
User = Annotated[UserInfo, Depends(require_user)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# Routes are plain ``def``: FastAPI runs them in its thread pool, so a slow query never blocks
# the event loop (form intake included).
PAGE_SIZE = 100


@router.get("")
def queue_page(request: Request, user: User) -> HTMLResponse:
    engine, f = get_engine(request), queue_filter(request)
    offset = int_param(request, "offset", 0) or 0
    sources, runs = filter_options(engine)
    return page(
        request, "queue.html", user,
        filter=f, q=query(f), items=queue(engine, f, limit=PAGE_SIZE, offset=offset),
        counts=queue_counts(engine, f), sources=sources, runs=runs, bands=BANDS,
        statuses=STATUSES, sorts=SORTS, offset=offset, page_size=PAGE_SIZE,
        bulk_done=request.query_params.get("bulk"),
    )  # fmt: skip


@router.get("/pair/{candidate_id}")
def pair_page(request: Request, candidate_id: Id, user: User) -> HTMLResponse:
    context = pair_context(get_engine(request), queue_filter(request), candidate_id)
    if context is None:
        raise HTTPException(404, "no such pair")
    if request.headers.get("X-Partial"):
        return partial("_pair.html", user=user, **context)
    return page(request, "pair.html", user, **context)


@router.get("/bulk")
def bulk_confirm(request: Request, user: User) -> HTMLResponse:
    """Confirmation of a bulk accept: how many pairs of the filter are at or above the bar."""
    engine, f = get_engine(request), queue_filter(request)
    try:
        bar = float(request.query_params.get("min_probability", ""))
    except ValueError:
        raise HTTPException(422, "min_probability must be a number") from None
    ids = queue_ids(engine, f, min_probability=bar)
    return page(
        request, "bulk.html", user, filter=f, q=query(f), min_probability=bar, count=len(ids)
    )


@router.get("/merges")
def merges_page(request: Request, user: User) -> HTMLResponse:
    return page(request, "merges.html", user, merges=list_merges(get_engine(request)))


@router.get("/audit")
def audit_log(request: Request, user: User) -> HTMLResponse:
    """The audit log a page at a time (``?before=<id>`` older, ``?after=<id>`` newer), with the
    input rows of the people each entry concerns."""
    log = audit_page(
        get_engine(request), before=int_param(request, "before"), after=int_param(request, "after")
    )
    return page(request, "audit.html", user, log=log)
