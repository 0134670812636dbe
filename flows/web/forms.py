"""Public web-form endpoints: stage a submission durably, then answer; confirm a double opt-in.

Nothing here logs or echoes personal data: log lines carry the form id and row id only, and
store errors are logged by class name (their SQL parameters would hold the submission).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from flows.web.deps import OnStaged, get_engine, get_on_staged, get_settings
from ingest.config import Settings
from ingest.errors import LeadflowError
from ingest.store.forms import (
    confirm_submission,
    stage_submission,
    stage_suppressed,
    suppressed_reason,
)
from ingest.store.meta import hash_salt
from sources.web_forms import (
    FORM_ID_PATTERN,
    MAX_FIELDS,
    MAX_SUBMISSION_BYTES,
    Submission,
    SubmissionError,
    body_from_form,
    flatten,
    parse_json_body,
)

log = logging.getLogger(__name__)
router = APIRouter(prefix="/forms", tags=["forms"])

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


class _Refused(LeadflowError):
    """A request refused before anything is written; becomes a JSON error answer."""

    def __init__(self, status: int, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems

    def response(self) -> JSONResponse:
        content: dict[str, object] = {"message": self.message}
        if self.problems:
            content["problems"] = list(self.problems)
        return JSONResponse(content, status_code=self.status)


@router.post("/{form_id}", status_code=202)
async def submit(
    request: Request,
    form_id: Annotated[str, Path(pattern=FORM_ID_PATTERN)],
    engine: Annotated[Engine, Depends(get_engine)],
    settings: Annotated[Settings, Depends(get_settings)],
    on_staged: Annotated[OnStaged, Depends(get_on_staged)],
) -> JSONResponse:
    """Stage one submission (JSON or form-encoded) and answer 202 once it is durable."""
    try:
        submission = await _read_submission(request, form_id)
    except _Refused as refused:
        return refused.response()
    try:
        payload = flatten(submission)
        salt = await run_in_threadpool(hash_salt, engine, settings.hash_salt)
        reason = await run_in_threadpool(suppressed_reason, engine, payload, salt=salt)
        if reason is not None:  # nothing of a suppressed person is stored in clear
            await run_in_threadpool(stage_suppressed, engine, form_id, reason)
            log.info("form %s: submission from a suppressed address not stored", form_id)
            return JSONResponse(
                {"submission_id": submission.submission_id, "status": "staged"}, status_code=202
            )
        staged = await run_in_threadpool(
            stage_submission,
            engine,
            form_id,
            payload,
            submission.evidence(),
            submission_id=submission.submission_id,
            double_opt_in=submission.needs_confirmation,
        )
    except SQLAlchemyError as exc:
        log.error("form %s: staging failed (%s)", form_id, type(exc).__name__)
        return _Refused(503, "the submission could not be stored; try again later").response()
    log.info("form %s: submission %d staged (new=%s)", form_id, staged.id, staged.created)
    # (a received submission always has an id: ``Submission.received`` gives one)
    if staged.created and staged.token is not None and submission.submission_id is not None:
        try:
            await run_in_threadpool(on_staged, submission.submission_id, staged.token)
        except Exception as exc:  # the submission is durable; a mailer failure must not undo it
            log.error(
                "form %s: on_staged failed for %d (%s)", form_id, staged.id, type(exc).__name__
            )
    return JSONResponse(
        {"submission_id": submission.submission_id, "status": "staged"}, status_code=202
    )


@router.get("/confirm/{token}")
async def confirm(token: str, engine: Annotated[Engine, Depends(get_engine)]) -> JSONResponse:
    """Record a double opt-in confirmation; 404 for an unknown token."""
    well_formed = TOKEN_PATTERN.match(token) is not None
    if well_formed and await run_in_threadpool(confirm_submission, engine, token):
        return JSONResponse({"status": "confirmed"})
    return JSONResponse({"message": "unknown or expired confirmation link"}, status_code=404)


async def _read_submission(request: Request, form_id: str) -> Submission:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in (JSON, FORM):
        raise _Refused(415, f"send the submission as {JSON} or {FORM}")
    raw = await _read_body(request, MAX_SUBMISSION_BYTES)
    received_at = datetime.now(UTC)
    try:
        body = parse_json_body(raw) if media_type == JSON else body_from_form(_form_pairs(raw))
        return Submission.received(
            body,
            form_id=form_id,
            received_at=received_at,
            ip=request.client.host if request.client else None,
            user_agent=request.headers.get("user-agent"),
        )
    except SubmissionError as exc:
        raise _Refused(422, "the submission is invalid", exc.problems) from None


async def _read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused with 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise _Refused(400, "invalid Content-Length header")
        if int(declared) > limit:
            raise _Refused(413, f"the submission is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _Refused(413, f"the submission is larger than {limit} bytes")
    return bytes(body)


def _form_pairs(raw: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            raw.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=MAX_FIELDS + 4,
            errors="strict",
        )
    except UnicodeDecodeError:
        raise SubmissionError(["body: the form data is not valid UTF-8"]) from None
    except ValueError:
        raise SubmissionError([f"body: more than {MAX_FIELDS} form fields"]) from None
