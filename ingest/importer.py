"""An import run from raw batches to the store: prepare (pure stages) then load (one transaction
per batch). Orchestrators (the Prefect flows) call :func:`prepare_batch` and :func:`load_prepared`
as separate steps; :func:`run_import` is the plain composition of both.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from ingest.config import Settings
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
from ingest.records import ROW_COLUMN, RawBatch, SourceKind
from ingest.store.engine import load_transaction
from ingest.store.load import load_batch
from ingest.store.meta import hash_salt
from ingest.store.runs import RunCounts, RunRef, begin_run, ensure_source, finish_run, run_counts
from ingest.store.suppressions import suppression_index
from ingest.validate import validate_batch


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
    payload_rows = raw.rows.drop(columns=[ROW_COLUMN])
    payloads = {
        int(row): {k: v for k, v in rec.items() if v is not None}
        for row, rec in zip(raw.rows[ROW_COLUMN], payload_rows.to_dict("records"), strict=True)
    }
    return PreparedBatch(
        frame=frame,
        payloads=erased_payloads(frame, payloads),
        broken=raw.broken,
        provenance=raw.provenance,
    )


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
    mapping = propose_mapping(headers, profile=profile)
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


def run_import(
    engine: Engine,
    batches: Iterable[RawBatch],
    *,
    matcher: Matcher,
    profile: SourceProfile | None = None,
    configured_salt: str | None = None,
    on_batch: Any = None,
    consent_policy: ConsentPolicy | None = None,
    strict: bool = True,
) -> ImportReport:
    """Import every batch of one source location; a completed file is not imported twice.

    ``strict`` False (a dry run) lets an unexplained consent-like column through."""
    started = time.perf_counter()
    iterator: Iterator[RawBatch] = iter(batches)
    first = next(iterator, None)
    if first is None:
        raise ValueError("the adapter yielded no batch; it must yield at least one, even if empty")
    provenance = first.provenance
    opened = open_run(engine, first, profile, strict=strict)
    run, mapping = opened.run, opened.mapping
    report = ImportReport(
        run_id=run.run_id,
        source_name=provenance.source_name,
        location=provenance.location,
        counts=RunCounts(),
        resumed=run.resumed,
        mapping=mapping.to_dict(),
    )
    if run.status == "completed":
        report.already_imported = True
        report.counts = run_counts(engine, run.run_id)
        return report
    index = suppression_index(engine)
    context = ImportContext(
        mapping=mapping,
        default_region=profile.default_region if profile else None,
        policy=consent_policy or load_policy(Settings.from_env().consent_policy),
        terms=consent_policy_for(profile, kind=provenance.source_kind),
        suppressed=index.reasons,
        salt=hash_salt(engine, configured_salt),
        algorithms=index.algorithms,
    )
    timings = {"prepare": 0.0, "load": 0.0}
    for raw in itertools.chain([first], iterator):
        t0 = time.perf_counter()
        prepared = prepare_batch(raw, context)
        t1 = time.perf_counter()
        load_prepared(engine, run, prepared, matcher, source_name=provenance.source_name)
        timings["prepare"] += t1 - t0
        timings["load"] += time.perf_counter() - t1
        if on_batch is not None:
            on_batch(len(raw.rows) + len(raw.broken))
    timings["total"] = time.perf_counter() - started
    report.timings = {k: round(v, 3) for k, v in timings.items()}
    report.counts = finish_run(engine, run.run_id, timings=report.timings, mapping=None)
    return report
