"""Decisions: accept, reject, skip (fetch → the next pair as partial HTML), undo, bulk accept,
unmerge. Each needs a steward or admin and the session's CSRF token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from flows.web.auth import form_of, require_decider
from flows.web.deps import get_engine
from flows.web.review.common import (
    MAX_ID,
    neighbours,
    pair_context,
    partial,
    query,
    queue_filter,
)
from ingest.store import merges
from ingest.store.review import queue_ids
from ingest.store.users import UserInfo

router = APIRouter(prefix="/review", tags=["review"])
Decider = Annotated[UserInfo, Depends(require_decider)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# Routes without an ``await`` are plain ``def`` (run in the thread pool); the others hand their
# database calls to the thread pool, so the event loop never waits on the store.
ACTIONS = {"accept": merges.accept, "reject": merges.reject, "skip": merges.skip}
FLASH = {"accept": "Merged", "reject": "Rejected", "skip": "Skipped"}


def _next_pair(request: Request, user: UserInfo, after: int | None, flash: str) -> HTMLResponse:
    engine, f = get_engine(request), queue_filter(request)
    ids = queue_ids(engine, f)
    target = after if after in ids else (ids[0] if ids else None)
    context = pair_context(engine, f, target) if target is not None else None
    if context is None:
        return partial("_empty.html", flash=flash, q=query(f), user=user)
    return partial("_pair.html", flash=flash, user=user, **context)


@router.post("/pair/{candidate_id}/{action}")
async def decide(request: Request, candidate_id: Id, action: str, user: Decider) -> Response:
    """Decide a pair; an accept's form may carry ``keep.<field>=<person id>``: the steward's
    choice of surviving values (ids only, so no personal value travels in the request)."""
    if action not in ACTIONS:
        raise HTTPException(404, "no such action")
    keep = _keep(await form_of(request)) if action == "accept" else {}
    return await run_in_threadpool(_decide, request, user, candidate_id, action, keep)


def _keep(form: dict[str, str]) -> dict[str, int]:
    keep = {}
    for key, value in form.items():
        if key.startswith("keep.") and value:
            if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
                raise HTTPException(422, f"{key} must be the id of one of the pair's people")
            keep[key.removeprefix("keep.")] = int(value)
    return keep


def _decide(
    request: Request, user: UserInfo, candidate_id: int, action: str, keep: dict[str, int]
) -> Response:
    engine, f = get_engine(request), queue_filter(request)
    _, following = neighbours(queue_ids(engine, f), candidate_id)
    try:
        if keep:
            merges.accept(engine, candidate_id, actor=user.name, keep=keep)
        else:
            ACTIONS[action](engine, candidate_id, actor=user.name)
    except merges.UnknownDecisionTarget:
        raise HTTPException(404, "no such pair") from None
    except merges.DecisionConflict as error:
        raise HTTPException(409, str(error)) from None
    except merges.InvalidChoice as error:
        raise HTTPException(422, str(error)) from None
    kept = f", keeping {len(keep)} chosen value{'s' if len(keep) > 1 else ''}" if keep else ""
    return _next_pair(request, user, following, f"{FLASH[action]} pair {candidate_id}{kept}")


@router.post("/undo")
def undo(request: Request, user: Decider) -> Response:
    """Undo the user's last decision and show that pair again."""
    decision = merges.undo_last(get_engine(request), actor=user.name)
    if decision is None:
        return _next_pair(request, user, None, "Nothing to undo")
    return _next_pair(request, user, decision.candidate_id, f"Undid pair {decision.candidate_id}")


@router.post("/bulk")
async def bulk_accept(request: Request, user: Decider) -> Response:
    """Accept every pair of the filter at or above the bar, if the count is what was confirmed."""
    engine, f, form = get_engine(request), queue_filter(request), await form_of(request)
    try:
        bar, expected = float(form["min_probability"]), int(form["expected"])
    except (KeyError, ValueError):
        raise HTTPException(422, "min_probability and expected are required") from None
    ids = await run_in_threadpool(queue_ids, engine, f, min_probability=bar)
    if len(ids) != expected:
        raise HTTPException(409, f"the queue changed: {len(ids)} pairs now match; confirm again")
    decisions = await run_in_threadpool(merges.bulk_accept, engine, ids, actor=user.name)
    return RedirectResponse(f"/review{query(f, bulk=len(decisions))}", status_code=303)


@router.post("/merges/{merge_id}/unmerge")
def unmerge(request: Request, merge_id: Id, user: Decider) -> Response:
    try:
        merges.unmerge(get_engine(request), merge_id, actor=user.name)
    except merges.UnknownDecisionTarget:
        raise HTTPException(404, "no such merge") from None
    except merges.DecisionConflict as error:
        raise HTTPException(409, str(error)) from None
    return RedirectResponse("/review/merges", status_code=303)
