"""The Prefect import flow: the import pipeline of :mod:`ingest.importer` with its stages as
Prefect tasks.

The stages are defined once, in :mod:`ingest.importer`; this module only wraps them:
``open-run`` (:func:`ingest.importer.open_run`) → per chunk ``prepare-chunk``
(:func:`ingest.importer.prepare_batch`) → ``load-chunk`` (:func:`ingest.importer.load_prepared`)
→ ``finish-import`` (:func:`ingest.store.runs.finish_run`), driven by the same
:func:`ingest.importer.execute_import` as the in-process path, so counts, resume and the
already-imported check are the same code. The flow reads the file once; each raw chunk and the
run's context go to a private spool (a ``0700`` folder beside the SQLite store, or under
``spool_dir``), so tasks hand each other paths and counts, never rows, and persist no results.
Loads run in chunk order, so any task runner, including Dask, builds the same store; at most
``prefetch`` chunks are in flight. Only transient database errors are retried.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE, CachePolicy
from prefect.futures import PrefectFuture
from pydantic import SecretStr

from flows.store import store_engine
from ingest.config import Settings
from ingest.consent_policy import load_policy
from ingest.importer import (
    ChunkOutcome,
    ImportContext,
    ImportReport,
    OpenedRun,
    Pending,
    execute_import,
    is_transient,
    load_prepared,
    prepare_batch,
)
from ingest.importer import open_run as open_import_run
from ingest.profiles import SourceProfile
from ingest.records import RawBatch, SourceKind
from ingest.spool import Spool
from ingest.store.runs import RunCounts, RunRef, finish_run, run_counts
from matchers import load_matcher
from matchers.loading import active_version
from sources import ADAPTERS, resolve_profile

__all__ = ["dask_task_runner", "import_flow", "is_transient", "retry_transient", "store_engine"]

RETRY_DELAYS: list[float] = [2, 10, 30]


class RetryOptions(TypedDict):
    """``prefect.task`` options: retry a transient failure (typed, so the checker sees them)."""

    retries: int
    retry_delay_seconds: list[float]
    retry_condition_fn: Callable[[Any, Any, Any], bool]


class RowOptions(TypedDict):
    """``prefect.task`` options of a task that touches rows."""

    persist_result: bool
    cache_policy: CachePolicy


def retry_transient(_task: Any, _task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry a failed task only on a transient error."""
    try:
        state.result()
    except BaseException as error:  # the task's exception, re-raised from its state
        return is_transient(error)
    return False


RETRY_TRANSIENT: RetryOptions = {
    "retries": len(RETRY_DELAYS),
    "retry_delay_seconds": RETRY_DELAYS,
    "retry_condition_fn": retry_transient,
}
_ROWS: RowOptions = {"persist_result": False, "cache_policy": NO_CACHE}
"""Tasks touching rows: no result on disk, no cache key derived from their inputs."""


@dataclass(frozen=True, slots=True)
class SpooledChunk:
    """One chunk on the spool: its position, file and number of input rows."""

    index: int
    path: str
    rows: int


def dask_task_runner(
    address: str | None = None, *, workers: int = 2, processes: bool = False
) -> Any:
    """A ``DaskTaskRunner`` on the cluster at ``address``, or on a local cluster of ``workers``.

    Workers must import leadflow and reach the store (PostgreSQL; SQLite only on one machine).
    """
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_kwargs={
            "n_workers": workers,
            "threads_per_worker": 1,
            "processes": processes,
            "dashboard_address": None,
        }
    )


def _batches(kind: str, path: str, profile: SourceProfile | None, chunk_rows: int) -> Any:
    return ADAPTERS[SourceKind(kind)](Path(path), profile=profile, chunk_rows=chunk_rows)


# --- the stages as tasks (each calls the one stage function of ingest.importer) -------------


@task(name="open-run", **RETRY_TRANSIENT, **_ROWS)
def open_run_task(
    first_path: str, profile: SourceProfile | None, db_url: SecretStr
) -> tuple[OpenedRun, int | str]:
    """Propose the mapping, register the source, find or start the run; pin the match model."""
    first: RawBatch = Spool.read(first_path)
    engine = store_engine(db_url)
    try:
        return open_import_run(engine, first, profile), active_version(engine)
    finally:
        engine.dispose()


@task(name="prepare-chunk", **RETRY_TRANSIENT, **_ROWS)
def prepare_chunk(chunk: SpooledChunk, context_path: str) -> SpooledChunk:
    """Map, normalize, validate and consent-filter one spooled chunk (no database access)."""
    started = time.perf_counter()
    raw: RawBatch = Spool.read(chunk.path)
    context: ImportContext = Spool.read(context_path)
    batch = prepare_batch(raw, context)
    target = Spool.write_beside(chunk.path, f"prepared-{chunk.index:06d}.pkl",
                                (batch, time.perf_counter() - started))  # fmt: skip
    Path(chunk.path).unlink()
    return SpooledChunk(chunk.index, target, chunk.rows)


@task(name="load-chunk", **RETRY_TRANSIENT, **_ROWS)
def load_chunk(
    chunk: SpooledChunk, run: RunRef, source_name: str, model: int | str, db_url: SecretStr
) -> ChunkOutcome:
    """Match and load one prepared chunk in one transaction (a retry skips loaded rows)."""
    batch, prepare_s = Spool.read(chunk.path)
    started = time.perf_counter()
    engine = store_engine(db_url)
    try:
        counts = load_prepared(
            engine, run, batch, load_matcher(engine, model), source_name=source_name
        )
    finally:
        engine.dispose()
    Path(chunk.path).unlink()
    return ChunkOutcome(chunk.index, chunk.rows, counts, prepare_s, time.perf_counter() - started)


@task(name="finish-import", **RETRY_TRANSIENT, **_ROWS)
def finish_import(run_id: int, db_url: SecretStr, timings: dict[str, float]) -> RunCounts:
    """Mark the run completed after checking its counts against its raw records."""
    engine = store_engine(db_url)
    try:
        return finish_run(engine, run_id, timings=timings, mapping=None)
    finally:
        engine.dispose()


@task(name="run-counts", **RETRY_TRANSIENT, **_ROWS)
def counts_task(run_id: int, db_url: SecretStr) -> RunCounts:
    engine = store_engine(db_url)
    try:
        return run_counts(engine, run_id)
    finally:
        engine.dispose()


class PrefectStages:
    """The import stages as Prefect tasks (a ``Stages[SpooledChunk]``), handing each other
    spool paths, never rows."""

    def __init__(self, db_url: SecretStr, spool: Spool):
        self.db_url = db_url
        self.spool = spool
        self.retry_delays = tuple(RETRY_DELAYS)
        self.model: int | str = "default"
        self.context_path = ""
        self.logger = get_run_logger()

    def log(self, message: str, *args: object) -> None:
        self.logger.info(message, *args)

    def open(self, first: RawBatch, profile: SourceProfile | None) -> OpenedRun:
        path = self.spool.write("first.pkl", first)
        try:
            opened, self.model = open_run_task(path, profile, self.db_url)
        finally:
            Path(path).unlink(missing_ok=True)
        return opened

    def counts(self, run_id: int) -> RunCounts:
        return counts_task(run_id, self.db_url)

    def prepare(
        self, index: int, raw: RawBatch, context: ImportContext
    ) -> PrefectFuture[SpooledChunk]:
        if not self.context_path:
            self.context_path = self.spool.write("context.pkl", context)
        chunk = SpooledChunk(index, self.spool.write(f"raw-{index:06d}.pkl", raw),
                             len(raw.rows) + len(raw.broken))  # fmt: skip
        return prepare_chunk.submit(chunk, self.context_path)

    def load(
        self,
        prepared: Pending[SpooledChunk],
        run: RunRef,
        source_name: str,
        after: Pending[ChunkOutcome] | None,
    ) -> PrefectFuture[ChunkOutcome]:
        # Prefect resolves the futures passed as arguments or in ``wait_for``; ``submit`` is
        # typed with the task's plain parameters, so it refuses them.
        return load_chunk.submit(  # type: ignore[call-overload]
            prepared,
            run,
            source_name,
            self.model,
            self.db_url,
            wait_for=[after] if after is not None else None,
        )

    def finish(self, run_id: int, timings: dict[str, float]) -> RunCounts:
        return finish_import(run_id, self.db_url, timings)


# --- the flow --------------------------------------------------------------------------------


@flow(name="import", flow_run_name="import-{kind}", validate_parameters=False)
def import_flow(
    kind: str,
    path: str,
    *,
    profile: SourceProfile | None = None,
    db_url: SecretStr | None = None,
    chunk_rows: int | None = None,
    prefetch: int = 2,
    spool_dir: str | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one file of one source kind; its result is the run's report with counts.

    A flow is an entry point: it reads the settings of the process it runs in (the hash salt
    is never a flow parameter, which Prefect would store). ``db_url`` defaults to
    ``LEADFLOW_DATABASE_URL`` (it is stored masked by Prefect); ``spool_dir`` must be shared
    with the workers when tasks run on a remote Dask cluster.
    """
    settings = Settings.from_env()
    url = db_url or SecretStr(settings.database_url)
    source_kind = SourceKind(kind.replace("-", "_"))
    profile = resolve_profile(source_kind, Path(path), profile)
    batches = ADAPTERS[source_kind](
        Path(path), profile=profile, chunk_rows=chunk_rows or settings.chunk_rows
    )
    engine = store_engine(url)
    try:
        with Spool.open(url.get_secret_value(), spool_dir or settings.spool_dir) as spool:
            return execute_import(
                engine,
                batches,
                PrefectStages(url, spool),
                profile=profile,
                configured_salt=settings.hash_salt,
                consent_policy=load_policy(settings.consent_policy),
                on_batch=on_batch,
                prefetch=prefetch,
            )
    finally:
        engine.dispose()
