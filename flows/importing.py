"""Importing one file of one source kind: in this process, or through the Prefect import flow.

:func:`import_file` is what the CLI, the demo and the inbox call. By default the pipeline's
stages run in this process and Prefect is not even imported. They run as the Prefect import flow
(``flows.import_flow``, the same stage functions as tasks) when asked: ``orchestrate=True``
(``leadflow import --prefect``), the settings (``LEADFLOW_ORCHESTRATOR=prefect`` or a configured
Prefect API, ``PREFECT_API_URL``) or a task runner such as Dask.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ingest.config import Settings
from ingest.consent_policy import load_policy
from ingest.importer import ImportReport, run_import
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from matchers import load_matcher
from sources import ADAPTERS, resolve_profile


def orchestrated(orchestrate: bool | None, settings: Settings) -> bool:
    """Whether an import runs as the Prefect flow: the caller's choice, else the settings."""
    return orchestrate if orchestrate is not None else settings.use_prefect


def import_file(
    engine: Engine,
    kind: SourceKind,
    path: Path,
    *,
    settings: Settings,
    profile: SourceProfile | None = None,
    chunk_rows: int | None = None,
    on_batch: Callable[[int], None] | None = None,
    orchestrate: bool | None = None,
    task_runner: Any = None,
    strict: bool = True,
) -> ImportReport:
    """Run one import end to end (adapter → normalize → validate → consent → match → load).

    ``orchestrate`` None follows the settings (:attr:`Settings.use_prefect`); ``task_runner``
    (e.g. a ``DaskTaskRunner``) runs the flow's chunk tasks elsewhere. ``strict`` False (dry runs
    only) lets a column that looks like consent through unexplained.
    """
    if orchestrated(orchestrate, settings) or task_runner is not None:
        from pydantic import SecretStr

        from flows.import_flow import import_flow
        from flows.prefect_server import prefect_api

        run = (
            import_flow
            if task_runner is None
            else import_flow.with_options(task_runner=task_runner)
        )
        with prefect_api():  # the configured API, else a server that dies with this process
            return run(
                kind.value,
                str(path),
                profile=profile,
                db_url=SecretStr(engine.url.render_as_string(hide_password=False)),
                chunk_rows=chunk_rows or settings.chunk_rows,
                spool_dir=settings.spool_dir,
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
        consent_policy=load_policy(settings.consent_policy),
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
