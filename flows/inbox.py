"""The inbox flow: :func:`flows.inbox_files.run_inbox` importing each file through the Prefect
import flow (the ``leadflow-inbox`` deployment, ``leadflow inbox --prefect``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from pydantic import SecretStr

from flows.import_flow import import_flow
from flows.inbox_files import (
    ARCHIVE,
    ERROR,
    InboxError,
    InboxItem,
    folder_source,
    move_to,
    ready_files,
    run_inbox,
)
from ingest.config import Settings
from ingest.importer import ImportReport
from ingest.profiles import SourceProfile
from ingest.records import SourceKind

__all__ = [
    "ARCHIVE",
    "ERROR",
    "InboxError",
    "InboxItem",
    "folder_source",
    "inbox_flow",
    "move_to",
    "ready_files",
]


@flow(name="inbox", validate_parameters=False)
def inbox_flow(
    inbox: str,
    *,
    db_url: SecretStr | None = None,
    settle_seconds: float = 5.0,
    chunk_rows: int | None = None,
) -> list[dict[str, Any]]:
    """Import every ready file in every watched folder once; the result reports each file."""
    logger = get_run_logger()
    url = db_url or SecretStr(Settings.from_env().database_url)

    def through_flow(
        kind: SourceKind, path: Path, profile: SourceProfile | None, chunk_rows: int | None
    ) -> ImportReport:
        return import_flow(
            kind.value, str(path), profile=profile, db_url=url, chunk_rows=chunk_rows
        )

    return run_inbox(
        Path(inbox),
        through_flow,
        settle_seconds=settle_seconds,
        chunk_rows=chunk_rows,
        log=logger.info,
        warn=logger.warning,
    )
