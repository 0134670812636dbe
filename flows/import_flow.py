"""The Prefect import flow: one flow for any source kind, one task per stage, chunk by chunk.

Stages: ``open_run`` (mapping, run bookkeeping) → ``spool_chunks`` (the adapter reads the file
once and writes each raw batch to a private spool file) → per chunk ``prepare_chunk`` (map,
normalize, validate, consent; pure) → ``load_chunk`` (match + load in one transaction) →
``finish_import``. Tasks hand each other run ids, spool paths and counts, never rows, and
persist no results. Loads run in chunk order (each waits for the previous one), so any task
runner, including Dask, builds the same store; at most ``prefetch`` chunks are in flight, so
memory stays flat on large files. Only transient database errors are retried.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from ingest.config import Settings
from ingest.consent_policy import load_policy
from ingest.importer import (
    ImportContext,
    ImportReport,
    consent_policy_for,
    load_prepared,
    prepare_batch,
)
from ingest.importer import open_run as begin_import_run
from ingest.mapping import propose_mapping
from ingest.profiles import SourceProfile
from ingest.records import ROW_COLUMN, RawBatch, SourceKind
from ingest.store.engine import make_engine
from ingest.store.meta import hash_salt
from ingest.store.runs import RunCounts, RunRef, finish_run, run_counts
from ingest.store.suppressions import suppression_index
from matchers import load_matcher
from matchers.loading import active_version
from sources import ADAPTERS, resolve_profile

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    sa_exc.OperationalError,  # lost connection, server restart, SQLite "database is locked"
    sa_exc.TimeoutError,  # connection pool exhausted
)
"""Errors worth retrying. Bad data never raises (it becomes reason codes), and mapping or
profile errors are program errors that a retry cannot fix."""

RETRY_DELAYS = [2, 10, 30]


def is_transient(error: BaseException | None) -> bool:
    """Whether retrying could help: only database connectivity and lock timeouts."""
    return isinstance(error, TRANSIENT_ERRORS)


def retry_transient(_task: Any, _task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry a failed task only on a transient error."""
    try:
        state.result()
    except BaseException as error:  # the task's exception, re-raised from its state
        return is_transient(error)
    return False


RETRY_TRANSIENT = {
    "retries": len(RETRY_DELAYS),
    "retry_delay_seconds": RETRY_DELAYS,
    "retry_condition_fn": retry_transient,
}
_ROWS = {"persist_result": False, "cache_policy": NO_CACHE}
"""Tasks touching rows: no result on disk, no cache key derived from their inputs."""


@dataclass(frozen=True, slots=True)
class RunPlan:
    """What the chunk tasks need to know about the run (ids and names, no rows)."""

    run_id: int
    source_id: int
    source_name: str
    location: str
    status: str
    resumed: bool
    mapping: dict[str, Any]
    model_version: int | str = "default"
    """The match model every chunk uses (pinned when the run opens)."""

    @property
    def ref(self) -> RunRef:
        return RunRef(self.run_id, self.source_id, self.status, self.resumed)


@dataclass(frozen=True, slots=True)
class ChunkRef:
    """One chunk on the spool: its position, file and number of input rows."""

    index: int
    path: str
    rows: int


@dataclass(frozen=True, slots=True)
class ChunkResult:
    index: int
    rows: int
    counts: RunCounts
    prepare_s: float
    load_s: float


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


def store_engine(db_url: SecretStr) -> Engine:
    # hide_parameters: a failing statement must not carry row values into logs or states.
    return make_engine(db_url.get_secret_value(), hide_parameters=True)


def _batches(kind: str, path: str, profile: SourceProfile | None, chunk_rows: int) -> Any:
    return ADAPTERS[SourceKind(kind)](Path(path), profile=profile, chunk_rows=chunk_rows)


# --- run bookkeeping -------------------------------------------------------------------------


@task(name="open-run", **RETRY_TRANSIENT, **_ROWS)
def open_run(
    kind: str, path: str, profile: SourceProfile | None, db_url: SecretStr, chunk_rows: int
) -> RunPlan:
    """Propose the mapping from the headers, register the source and find or start the run."""
    batches = _batches(kind, path, profile, chunk_rows)
    first: RawBatch | None = next(iter(batches), None)
    if first is None:
        raise ValueError("the adapter yielded no batch; it must yield at least one, even if empty")
    provenance = first.provenance
    engine = store_engine(db_url)
    try:
        opened = begin_import_run(engine, first, profile)
        version = active_version(engine)
    finally:
        engine.dispose()
    del first, batches
    run, source_id, mapping = opened.run, opened.source_id, opened.mapping
    return RunPlan(
        run.run_id,
        source_id,
        provenance.source_name,
        provenance.location,
        run.status,
        run.resumed,
        mapping.to_dict(),
        version,
    )


@task(name="finish-import", **RETRY_TRANSIENT, **_ROWS)
def finish_import(plan: RunPlan, db_url: SecretStr, timings: dict[str, float]) -> RunCounts:
    """Mark the run completed after checking its counts against its raw records."""
    engine = store_engine(db_url)
    try:
        return finish_run(engine, plan.run_id, timings=timings, mapping=None)
    finally:
        engine.dispose()


def _context(
    engine: Engine, raw: RawBatch, profile: SourceProfile | None, salt: SecretStr | None
) -> ImportContext:
    """The same context :func:`ingest.importer.run_import` prepares its batches with."""
    index = suppression_index(engine)
    return ImportContext(
        mapping=propose_mapping([c for c in raw.rows.columns if c != ROW_COLUMN], profile=profile),
        default_region=profile.default_region if profile else None,
        policy=load_policy(Settings.from_env().consent_policy),
        terms=consent_policy_for(profile, kind=raw.provenance.source_kind),
        suppressed=index.reasons,
        salt=hash_salt(engine, salt.get_secret_value() if salt else None),
        algorithms=index.algorithms,
    )


# --- read, prepare, load ---------------------------------------------------------------------


@task(name="spool-chunks", **_ROWS)
def spool_chunks(
    kind: str, path: str, profile: SourceProfile | None, chunk_rows: int, spool_dir: str
) -> list[ChunkRef]:
    """Read the file once, writing each raw batch to its own spool file (one batch in memory)."""
    chunks = []
    for index, raw in enumerate(_batches(kind, path, profile, chunk_rows)):
        target = Path(spool_dir) / f"raw-{index:06d}.pkl"
        with target.open("wb") as handle:
            pickle.dump(raw, handle, protocol=pickle.HIGHEST_PROTOCOL)
        chunks.append(ChunkRef(index, str(target), len(raw.rows) + len(raw.broken)))
    return chunks


@task(name="prepare-chunk", **_ROWS)
def prepare_chunk(
    chunk: ChunkRef, profile: SourceProfile | None, db_url: SecretStr, salt: SecretStr | None
) -> tuple[ChunkRef, float]:
    """Map, normalize, validate and consent-filter one spooled chunk; spool the result."""
    started = time.perf_counter()
    raw: RawBatch = pickle.loads(Path(chunk.path).read_bytes())
    engine = store_engine(db_url)
    try:
        context = _context(engine, raw, profile, salt)
    finally:
        engine.dispose()
    prepared = prepare_batch(raw, context)
    target = Path(chunk.path).with_name(f"prepared-{chunk.index:06d}.pkl")
    with target.open("wb") as handle:
        pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
    Path(chunk.path).unlink()
    return ChunkRef(chunk.index, str(target), chunk.rows), time.perf_counter() - started


@task(name="load-chunk", **RETRY_TRANSIENT, **_ROWS)
def load_chunk(prepared: tuple[ChunkRef, float], plan: RunPlan, db_url: SecretStr) -> ChunkResult:
    """Match and load one prepared chunk in one transaction (a retry skips loaded rows)."""
    chunk, prepare_s = prepared
    started = time.perf_counter()
    batch = pickle.loads(Path(chunk.path).read_bytes())
    engine = store_engine(db_url)
    try:
        counts = load_prepared(
            engine,
            plan.ref,
            batch,
            load_matcher(engine, plan.model_version),
            source_name=plan.source_name,
        )
    finally:
        engine.dispose()
    Path(chunk.path).unlink()
    return ChunkResult(chunk.index, chunk.rows, counts, prepare_s, time.perf_counter() - started)


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

    ``db_url`` defaults to ``LEADFLOW_DATABASE_URL`` (it is stored masked by Prefect);
    ``spool_dir`` must be shared with the workers when tasks run on a remote Dask cluster.
    """
    logger = get_run_logger()
    settings = Settings.from_env()
    url = db_url or SecretStr(settings.database_url)
    salt = SecretStr(settings.hash_salt) if settings.hash_salt else None
    source_kind = SourceKind(kind.replace("-", "_"))
    profile = resolve_profile(source_kind, Path(path), profile)
    rows_per_chunk = chunk_rows or settings.chunk_rows
    name = Path(path).name
    started = time.perf_counter()
    plan = open_run(source_kind.value, path, profile, url, rows_per_chunk)
    report = ImportReport(
        run_id=plan.run_id,
        source_name=plan.source_name,
        location=plan.location,
        counts=RunCounts(),
        resumed=plan.resumed,
        mapping=plan.mapping,
    )
    if plan.status == "completed":
        engine = store_engine(url)
        try:
            report.counts = run_counts(engine, plan.run_id)
        finally:
            engine.dispose()
        report.already_imported = True
        logger.info("%s: already imported as run %s; nothing to do", name, plan.run_id)
        return report
    logger.info("%s: run %s %s", name, plan.run_id, "resumed" if plan.resumed else "started")
    spool = Path(tempfile.mkdtemp(prefix="leadflow-spool-", dir=spool_dir))
    try:
        chunks = spool_chunks(source_kind.value, path, profile, rows_per_chunk, str(spool))
        logger.info("%s: %d chunk(s) of up to %d rows", name, len(chunks), rows_per_chunk)
        timings = {"prepare": 0.0, "load": 0.0}
        in_flight: deque[PrefectFuture[ChunkResult]] = deque()
        previous: PrefectFuture[ChunkResult] | None = None

        def collect(future: PrefectFuture[ChunkResult]) -> None:
            done = future.result()
            timings["prepare"] += done.prepare_s
            timings["load"] += done.load_s
            logger.info(
                "%s: chunk %d loaded, %d rows (%s)",
                name,
                done.index + 1,
                done.rows,
                ", ".join(f"{k}={v}" for k, v in done.counts.as_dict().items()),
            )
            if on_batch is not None:
                on_batch(done.rows)

        for chunk in chunks:
            prepared = prepare_chunk.submit(chunk, profile, url, salt)
            previous = load_chunk.submit(
                prepared, plan, url, wait_for=[previous] if previous is not None else None
            )
            in_flight.append(previous)
            if len(in_flight) >= max(prefetch, 1):
                collect(in_flight.popleft())
        while in_flight:
            collect(in_flight.popleft())
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    timings["total"] = time.perf_counter() - started
    report.timings = {k: round(v, 3) for k, v in timings.items()}
    report.counts = finish_import(plan, url, report.timings)
    logger.info(
        "%s: run %s completed: %s",
        name,
        plan.run_id,
        ", ".join(f"{k}={v}" for k, v in report.counts.as_dict().items()),
    )
    return report
