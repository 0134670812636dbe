"""What request handlers get from the app: the store engine, the settings and the staging
callback."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from sqlalchemy import Engine

from ingest.config import Settings

OnStaged = Callable[[str, str], None]
"""Called as ``on_staged(submission_id, token)`` once a new submission needing a double opt-in
is durable; the token must reach the submitter only (by mail), never the HTTP response."""


def no_op(submission_id: str, token: str) -> None:
    """The default OnStaged: no mailer configured."""


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_on_staged(request: Request) -> OnStaged:
    return request.app.state.on_staged
