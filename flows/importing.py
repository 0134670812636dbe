"""Importing one file of one source kind: through the Prefect import flow, or plainly.

:func:`import_file` is what the CLI, the demo and the inbox call. By default it runs the Prefect
import flow (``flows.import_flow``; Prefect's local ephemeral mode when no server is configured);
``orchestrate=False`` or ``LEADFLOW_ORCHESTRATOR=plain`` runs the same stages in-process
without starting Prefect (for code that must not, e.g. test helpers and the web app).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Engine

from ingest.config import Settings
from ingest.importer import ImportReport, run_import
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from matchers import load_matcher
from sources import ADAPTERS, resolve_profile


def import_file(
    engine: Engine,
    kind: SourceKind,
    path: Path,
    *,
    profile: SourceProfile | None = None,
    chunk_rows: int | None = None,
    on_batch: Callable[[int], None] | None = None,
    orchestrate: bool | None = None,
    task_runner: Any = None,
    strict: bool = True,
) -> ImportReport:
    """Run one import end to end (adapter → normalize → validate → consent → match → load).

    ``orchestrate`` None follows ``LEADFLOW_ORCHESTRATOR``; ``task_runner`` (e.g. a
    ``DaskTaskRunner``) runs the flow's chunk tasks elsewhere. ``strict`` False (dry runs only)
    lets a column that looks like consent through unexplained.
    """
    settings = Settings.from_env()
    if orchestrate if orchestrate is not None else settings.orchestrator != "plain":
        from flows.import_flow import import_flow

        run = (
            import_flow
            if task_runner is None
            else import_flow.with_options(task_runner=task_runner)
        )
        return run(
            kind.value,
            str(path),
            profile=profile,
            db_url=SecretStr(engine.url.render_as_string(hide_password=False)),
            chunk_rows=chunk_rows,
            on_batch=on_batch,
        )
    adapter = ADAPTERS[kind]
    profile = resolve_profile(kind, path, profile)
    batches = adapter(path, profile=profile, chunk_rows=chunk_rows or settings.chunk_rows)
    return run_import(
        engine,
        batches,
        matcher=load_matcher(engine),
        profile=profile,
        configured_salt=settings.hash_salt,
        on_batch=on_batch,
        strict=strict,
    )


def profile_for(path: Path, profiles_dir: Path) -> SourceProfile | None:
    """The profile named after the file (``<stem>.yaml``/``.yml``/``.toml``) in ``profiles_dir``."""
    for suffix in (".yaml", ".yml", ".toml"):
        candidate = profiles_dir / f"{path.stem}{suffix}"
        if candidate.is_file():
            return SourceProfile.from_path(candidate)
    return None
