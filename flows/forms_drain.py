"""Draining staged web-form submissions into the CRM through the normal import pipeline.

Each drain takes the oldest staged submissions in batches (``staged_batch``), imports each
batch as one run (mapping, normalize, validate, consent and suppression, matching, counts) and
marks its submissions imported. A batch's run is keyed by its submission ids, so a drain that
crashes between the import and the marking imports nothing twice: the next drain finds the run
completed and only marks. ``leadflow forms-drain`` runs it now; the ``leadflow-forms``
deployment of ``leadflow schedule`` runs it every few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prefect import flow
from pydantic import SecretStr
from sqlalchemy import Engine

from ingest.config import Settings
from ingest.consent_policy import load_policy
from ingest.importer import run_import
from ingest.records import ROW_COLUMN, SourceKind
from ingest.storable import storable_batch
from ingest.store.engine import make_engine
from ingest.store.forms import LOCATION, mark_imported, staged_batch
from matchers import load_matcher
from sources import resolve_profile

BATCH_SUBMISSIONS = 5_000


@dataclass(frozen=True, slots=True)
class DrainedBatch:
    """One drained batch: its run, how many submissions it took and where they ended."""

    run_id: int | None
    submissions: int
    counts: dict[str, int]


def drain_forms(
    engine: Engine,
    *,
    settings: Settings,
    limit: int = BATCH_SUBMISSIONS,
    settle_seconds: float = 0.0,
) -> list[DrainedBatch]:
    """Import every staged submission (older than ``settle_seconds``) once; returns the batches.

    ``settle_seconds`` leaves fresh submissions a moment to be confirmed (double opt-in) first.
    """
    policy = load_policy(settings.consent_policy)
    profile = resolve_profile(SourceKind.WEB_FORM, Path(LOCATION), None)
    before = datetime.now(UTC) - timedelta(seconds=settle_seconds) if settle_seconds else None
    drained: list[DrainedBatch] = []
    while (raw := staged_batch(engine, limit=limit, received_before=before)) is not None:
        ids = [int(i) for i in raw.rows[ROW_COLUMN]]
        report = run_import(
            engine,
            [storable_batch(raw)],
            matcher=load_matcher(engine),
            profile=profile,
            configured_salt=settings.hash_salt,
            consent_policy=policy,
        )
        mark_imported(engine, ids, report.run_id)
        drained.append(DrainedBatch(report.run_id, len(ids), report.counts.as_dict()))
    return drained


@flow(name="forms-drain", validate_parameters=False)
def forms_drain_flow(
    db_url: SecretStr | None = None, settle_seconds: float = 60.0
) -> list[dict[str, object]]:
    """Prefect flow around :func:`drain_forms` (scheduled by ``leadflow schedule``)."""
    settings = Settings.from_env()
    engine = make_engine(db_url.get_secret_value() if db_url else settings.database_url)
    try:
        batches = drain_forms(engine, settings=settings, settle_seconds=settle_seconds)
    finally:
        engine.dispose()
    return [{"run_id": b.run_id, "submissions": b.submissions, **b.counts} for b in batches]
