"""Serving the web app with uvicorn (``leadflow serve``)."""

from __future__ import annotations

import uvicorn

from flows.web.app import create_app
from flows.web.deps import OnStaged, no_op
from ingest.config import Settings
from ingest.store.engine import make_engine


def serve(
    engine_url: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    settings: Settings,
    on_staged: OnStaged = no_op,
    log_level: str = "info",
) -> None:
    """Run the app against the store at ``engine_url`` until interrupted.

    The access log is off: its lines carry client IP addresses and confirmation tokens in paths.
    """
    engine = make_engine(engine_url)
    try:
        uvicorn.run(
            create_app(engine, settings=settings, on_staged=on_staged),
            host=host,
            port=port,
            log_level=log_level,
            access_log=False,
        )
    finally:
        engine.dispose()
