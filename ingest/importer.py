"""The import pipeline, defined once: from raw batches to the store, chunk by chunk.

Stages: read (the source adapter) → :func:`open_run` (mapping, run bookkeeping) →
:func:`prepare_batch` (map, normalize, validate, consent; pure) → :func:`load_prepared` (match
and load in one transaction) → :func:`~ingest.store.runs.finish_run`. :func:`execute_import`
drives them through any :class:`Stages`: :class:`ImportStages` in this process
(:func:`run_import`, the default), or as Prefect tasks (``flows.import_flow`` wraps the same
functions).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from ingest.consent import (
    DUE_DILIGENCE_INCOMPLETE,
    NO_DECLARED_OPT_IN,
    SourceTerms,
    apply_consent,
    erased_payloads,
)
from ingest.consent_policy import ConsentPolicy, load_policy
from ingest.contracts import Matcher
from ingest.mapping import ColumnMapping, apply_mapping, propose_mapping
from ingest.mapping_checks import check_mapping
from ingest.normalize import normalize_batch
from ingest.prepared import PreparedBatch
from ingest.profiles import SourceProfile
from ingest.records import ROW_COLUMN, RawBatch, SourceKind, row_dicts
from ingest.store.engine import load_transaction, reader
from ingest.store.load import load_batch
from ingest.store.meta import hash_salt
from ingest.store.runs import (
    RunCounts,
    RunRef,
    begin_run,
    ensure_source,
    fail_run,
    finish_run,
    run_counts,
)
from ingest.store.suppressions import suppression_index
from ingest.validate import validate_batch

logger = logging.getLogger(__name__)
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
C = TypeVar("C")
"""What a stages' ``prepare`` hands to its ``load``: a :class:`Prepared` chunk here, a spooled
one in an orchestrator."""

TRANSIENT_MARKERS = (
    "database is locked",
    "database table is locked",
    "server closed",
    "terminating connection",
    "connection reset",
    "connection refused",
    "connection timed out",
    "could not receive data",
    "could not send data",
    "ssl connection has been closed",
    "deadlock detected",
    "canceling statement due to lock timeout",
)
"""Driver messages of errors that a retry can cure: a busy store or a dropped connection."""


@dataclass(frozen=True, slots=True)
class ImportContext:
    """What every batch of one run is prepared with."""

    mapping: ColumnMapping
    default_region: str | None
    policy: ConsentPolicy
    terms: SourceTerms
    suppressed: Mapping[str, str]
    salt: str
    algorithms: frozenset[str] = frozenset({"salted_sha256"})


@dataclass(slots=True)
class ImportReport:
    """The result of one import: its run, counts, mapping and per-stage timings in seconds."""

    run_id: int | None
    source_name: str
    location: str
    counts: RunCounts
    already_imported: bool = False
    resumed: bool = False
    mapping: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)


def prepare_batch(raw: RawBatch, context: ImportContext) -> PreparedBatch:
    """Map, normalize, validate and consent-filter one raw batch (pure, no I/O)."""
    canonical = apply_mapping(raw.rows, context.mapping)
    normalized = normalize_batch(canonical, default_region=context.default_region)
    validated = validate_batch(normalized)
    decided = apply_consent(
        validated,
        policy=context.policy,
        terms=context.terms,
        suppressed=context.suppressed,
        salt=context.salt,
        algorithms=context.algorithms,
    )
    frame = decided.set_index(decided[ROW_COLUMN].astype(int), drop=False)
    frame.index.name = None
    return PreparedBatch(
        frame=frame,
        payloads=erased_payloads(frame, raw_payloads(raw.rows)),
        broken=raw.broken,
        provenance=raw.provenance,
    )


def raw_payloads(rows: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """Each row's source cells by row number, missing (None) cells left out. Text columns (an
    adapter's usual ``object`` dtype) are read column-wise; other frames row by row."""
    payload_rows = rows.drop(columns=[ROW_COLUMN])
    numbers = rows[ROW_COLUMN].tolist()
    names = list(payload_rows.columns)
    if names and all(map(pd.api.types.is_object_dtype, payload_rows.dtypes)):
        cells: Iterable[Iterable[tuple[str, Any]]] = (
            zip(names, row, strict=True)
            for row in zip(*(payload_rows[name].tolist() for name in names), strict=True)
        )
    else:
        cells = (record.items() for record in row_dicts(payload_rows))
    return {
        int(row): {k: v for k, v in items if v is not None}
        for row, items in zip(numbers, cells, strict=True)
    }


def load_prepared(
    engine: Engine, run: RunRef, batch: PreparedBatch, matcher: Matcher, *, source_name: str
) -> RunCounts:
    """Match and load one prepared batch atomically (skipping rows a crashed attempt loaded)."""
    with load_transaction(engine) as session:
        return load_batch(session, run, batch, matcher, source_name=source_name)


CUSTOMER_BASES = frozenset({"existing_customer", "customer", "contract"})
OPT_IN_BASES = frozenset({"opt_in", "consent", "double_opt_in", "express_consent"})
INQUIRY_KINDS = frozenset({"web_form", "event"})


def consent_policy_for(
    profile: SourceProfile | None, *, kind: SourceKind | None = None
) -> SourceTerms:
    """What a source's consent answers are worth: purchased lists grant email permission only
    when the vendor declared an opt-in basis and the due-diligence manifest is complete (vendor,
    compile date, consent wording, named organisations, suppression screening date); a declared
    customer base allows soft opt-in;
    web forms and events are inquiries (CASL implied consent).

    A purchased list without a profile has no due-diligence facts at all: its opt-ins are never
    trusted (``kind`` tells; without it the answers are taken as the source's own)."""
    if profile is None:
        if kind is SourceKind.PURCHASED_LIST:
            return SourceTerms(trust_opt_in=False, purchased=True)
        return SourceTerms()
    declared = (profile.declared_consent_basis or "").strip().lower().replace("-", "_") or None
    purchased = profile.kind.value == "purchased_list"
    relationship = None
    if declared in CUSTOMER_BASES and not purchased:
        relationship = "customer"
    elif profile.kind.value in INQUIRY_KINDS:
        relationship = "inquiry"
    gaps = profile.due_diligence_gaps()
    return SourceTerms(
        trust_opt_in=not purchased or (declared in OPT_IN_BASES and not gaps),
        purchased=purchased,
        untrusted_reason=(
            DUE_DILIGENCE_INCOMPLETE if declared in OPT_IN_BASES and gaps else NO_DECLARED_OPT_IN
        ),
        relationship=relationship,
        declared_basis=declared,
        vendor=profile.vendor,
        fallback_country=profile.default_region,
    )


@dataclass(frozen=True, slots=True)
class OpenedRun:
    """A run found or started for a file: its source, the run and the proposed mapping."""

    source_id: int
    run: RunRef
    mapping: ColumnMapping


def open_run(
    engine: Engine, first: RawBatch, profile: SourceProfile | None, *, strict: bool = True
) -> OpenedRun:
    """Propose the mapping from the first batch's headers, check it (``check_mapping``; a dry
    run is not ``strict``), register the source and find the file's run (completed or running)
    or start one, keeping the profile's vendor manifest."""
    provenance = first.provenance
    headers = [c for c in first.rows.columns if c != ROW_COLUMN]
    mapping = propose_mapping(headers, profile=profile, sample=first.rows)
    check_mapping(mapping, first.rows, strict=strict)
    source_id = ensure_source(
        engine,
        name=provenance.source_name,
        kind=provenance.source_kind.value,
        profile=profile.to_dict() if profile else None,
    )
    run = begin_run(
        engine,
        source_id=source_id,
        provenance=provenance,
        mapping=mapping.to_dict(),
        manifest=profile.manifest() if profile else None,
    )
    return OpenedRun(source_id, run, mapping)


class Pending(Protocol[T_co]):
    """A stage's result that may still be computing (a Prefect future, or an immediate value)."""

    def result(self) -> T_co: ...


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """A stage result computed in this process."""

    value: T

    def result(self) -> T:
        return self.value


@dataclass(frozen=True, slots=True)
class ChunkOutcome:
    """One loaded chunk: its position, input rows, counts and stage timings in seconds."""

    index: int
    rows: int
    counts: RunCounts
    prepare_s: float
    load_s: float


@dataclass(frozen=True, slots=True)
class Prepared:
    """A prepared chunk on its way to the load stage (in memory here; orchestrators may spool)."""

    index: int
    rows: int
    batch: Any
    prepare_s: float


class Stages(Protocol[C]):
    """The stages of one import as :func:`execute_import` drives them, in chunk order."""

    retry_delays: tuple[float, ...]

    def log(self, message: str, *args: object) -> None: ...
    def open(self, first: RawBatch, profile: SourceProfile | None) -> OpenedRun: ...
    def counts(self, run_id: int) -> RunCounts: ...
    def prepare(self, index: int, raw: RawBatch, context: ImportContext) -> Pending[C]: ...
    def load(
        self, prepared: Pending[C], run: RunRef, source_name: str,
        after: Pending[ChunkOutcome] | None,
    ) -> Pending[ChunkOutcome]: ...  # fmt: skip
    def finish(self, run_id: int, timings: dict[str, float]) -> RunCounts: ...


class ImportStages:
    """The stages of one import, run in this process, in chunk order (a ``Stages[Prepared]``).

    :func:`execute_import` drives any :class:`Stages`; an orchestrator (the Prefect flow)
    runs the very same stage functions (:func:`open_run`,
    :func:`prepare_batch`, :func:`load_prepared`, :func:`finish_run`) as tasks. Transient
    database errors (a lost connection, SQLite's "database is locked") are retried per stage;
    a retried load skips the rows a failed attempt committed.
    """

    def __init__(
        self,
        engine: Engine,
        matcher: Matcher,
        *,
        retry_delays: Sequence[float] = (),
        strict: bool = True,
    ):
        self.engine = engine
        self.matcher = matcher
        self.retry_delays = tuple(retry_delays)
        self.strict = strict

    def log(self, message: str, *args: object) -> None:
        logger.info(message, *args)

    def open(self, first: RawBatch, profile: SourceProfile | None) -> OpenedRun:
        return with_retries(
            lambda: open_run(self.engine, first, profile, strict=self.strict), self.retry_delays
        )

    def counts(self, run_id: int) -> RunCounts:
        return with_retries(lambda: run_counts(reader(self.engine), run_id), self.retry_delays)

    def prepare(self, index: int, raw: RawBatch, context: ImportContext) -> Pending[Prepared]:
        started = time.perf_counter()
        batch = prepare_batch(raw, context)
        return Done(Prepared(index, raw_rows(raw), batch, time.perf_counter() - started))

    def load(
        self,
        prepared: Pending[Prepared],
        run: RunRef,
        source_name: str,
        after: Pending[ChunkOutcome] | None,
    ) -> Pending[ChunkOutcome]:
        chunk = prepared.result()
        started = time.perf_counter()
        counts = with_retries(
            lambda: load_prepared(self.engine, run, chunk.batch, self.matcher,
                                  source_name=source_name),
            self.retry_delays,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        return Done(ChunkOutcome(chunk.index, chunk.rows, counts, chunk.prepare_s, elapsed))

    def finish(self, run_id: int, timings: dict[str, float]) -> RunCounts:
        return with_retries(
            lambda: finish_run(self.engine, run_id, timings=timings, mapping=None),
            self.retry_delays,
        )


DEFAULT_RETRY_DELAYS = (1.0, 5.0, 15.0)
"""Waits between attempts of a stage that failed on a transient database error."""


def is_transient(error: BaseException | None) -> bool:
    """Whether retrying could help: lock timeouts, pool timeouts and dropped connections only.

    Bad data never raises (it becomes reason codes); mapping or profile errors, a missing
    database, a full disk or a read-only store are errors that a retry cannot fix.
    """
    if isinstance(error, sa_exc.TimeoutError):
        return True
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, sa_exc.OperationalError):
        return False
    text = str(error.orig if error.orig is not None else error).lower()
    return any(marker in text for marker in TRANSIENT_MARKERS)


def with_retries(step: Callable[[], T], delays: Sequence[float]) -> T:
    """Run ``step``, retrying after each of ``delays`` seconds while it fails transiently."""
    for delay in delays:
        try:
            return step()
        except sa_exc.SQLAlchemyError as error:
            if not is_transient(error):
                raise
            logger.warning("transient database error (%s); retrying in %ss",
                           type(error).__name__, delay)  # fmt: skip
            time.sleep(delay)
    return step()


def raw_rows(raw: RawBatch) -> int:
    """Input rows of one raw batch (parsed and broken)."""
    return len(raw.rows) + len(raw.broken)


def import_context(
    engine: Engine,
    mapping: ColumnMapping,
    profile: SourceProfile | None,
    *,
    configured_salt: str | None,
    consent_policy: ConsentPolicy | None = None,
    kind: SourceKind | None = None,
) -> ImportContext:
    """What every chunk of a run is prepared with (read once per run, without the write lock);
    ``consent_policy`` None is the shipped default policy."""
    index = suppression_index(reader(engine))
    return ImportContext(
        mapping=mapping,
        default_region=profile.default_region if profile else None,
        policy=consent_policy or load_policy(),
        terms=consent_policy_for(profile, kind=kind),
        suppressed=index.reasons,
        salt=hash_salt(engine, configured_salt),
        algorithms=index.algorithms,
    )


def execute_import(
    engine: Engine,
    batches: Iterable[RawBatch],
    stages: Stages[C],
    *,
    profile: SourceProfile | None = None,
    configured_salt: str | None = None,
    on_batch: Callable[[int], None] | None = None,
    consent_policy: ConsentPolicy | None = None,
    prefetch: int = 1,
) -> ImportReport:
    """The import pipeline: read → open run → (map, normalize, validate, consent) → (match,
    load) per chunk → finish. A completed file is not imported twice; a running one resumes.

    Loads run in chunk order; at most ``prefetch`` chunks are in flight, so memory stays flat.
    """
    started = time.perf_counter()
    iterator: Iterator[RawBatch] = iter(batches)
    first = next(iterator, None)
    if first is None:
        raise ValueError("the adapter yielded no batch; it must yield at least one, even if empty")
    provenance = first.provenance
    name = Path(provenance.location).name
    opened = stages.open(first, profile)
    run = opened.run
    report = ImportReport(
        run_id=run.run_id,
        source_name=provenance.source_name,
        location=provenance.location,
        counts=RunCounts(),
        resumed=run.resumed,
        mapping=opened.mapping.to_dict(),
    )
    if run.status == "completed":
        report.already_imported = True
        report.counts = stages.counts(run.run_id)
        stages.log("%s: already imported as run %s; nothing to do", name, run.run_id)
        return report
    stages.log("%s: run %s %s", name, run.run_id, "resumed" if run.resumed else "started")
    try:
        context = with_retries(
            lambda: import_context(engine, opened.mapping, profile, configured_salt=configured_salt,
                                   consent_policy=consent_policy, kind=provenance.source_kind),
            stages.retry_delays,
        )  # fmt: skip
        timings = {"prepare": 0.0, "load": 0.0}
        in_flight: deque[Pending[ChunkOutcome]] = deque()
        previous: Pending[ChunkOutcome] | None = None

        def collect(pending: Pending[ChunkOutcome]) -> None:
            done = pending.result()
            timings["prepare"] += done.prepare_s
            timings["load"] += done.load_s
            stages.log(
                "%s: chunk %d loaded, %d rows (%s)",
                name,
                done.index + 1,
                done.rows,
                ", ".join(f"{k}={v}" for k, v in done.counts.as_dict().items()),
            )
            if on_batch is not None:
                on_batch(done.rows)

        for index, raw in enumerate(itertools.chain([first], iterator)):
            prepared = stages.prepare(index, raw, context)
            previous = stages.load(prepared, run, provenance.source_name, previous)
            in_flight.append(previous)
            del raw, prepared
            if len(in_flight) >= max(prefetch, 1):
                collect(in_flight.popleft())
        while in_flight:
            collect(in_flight.popleft())
        timings["total"] = time.perf_counter() - started
        report.timings = {k: round(v, 3) for k, v in timings.items()}
        report.counts = stages.finish(run.run_id, report.timings)
    except BaseException as error:  # any failure ends the run `failed`, never `running`
        fail_run(engine, run.run_id, error)
        raise
    stages.log(
        "%s: run %s completed: %s",
        name,
        run.run_id,
        ", ".join(f"{k}={v}" for k, v in report.counts.as_dict().items()),
    )
    return report


def run_import(
    engine: Engine,
    batches: Iterable[RawBatch],
    *,
    matcher: Matcher,
    profile: SourceProfile | None = None,
    configured_salt: str | None = None,
    on_batch: Any = None,
    consent_policy: ConsentPolicy | None = None,
    retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
    strict: bool = True,
) -> ImportReport:
    """Import every batch of one source location in this process (the default path).

    On a ``Connection`` (the dry run's outer transaction) a failed step is not retried.
    ``strict`` False (a dry run) lets an unexplained consent-like column through.
    """
    delays = retry_delays if isinstance(engine, Engine) else ()
    return execute_import(
        engine,
        batches,
        ImportStages(engine, matcher, retry_delays=delays, strict=strict),
        profile=profile,
        configured_salt=configured_salt,
        on_batch=on_batch,
        consent_policy=consent_policy,
    )
