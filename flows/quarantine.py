"""Quarantine replay: re-run held rows after a profile or mapping fix.

A replay is an import run of its own (source: the rows' source; location: "quarantine replay");
its identity hashes the replayed row ids and the profile, so the same replay twice does nothing,
and rows it loads are released from quarantine exactly once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine

from ingest.config import Settings
from ingest.consent_policy import load_policy
from ingest.importer import ImportReport, run_import
from ingest.profiles import SourceProfile
from ingest.records import ROW_COLUMN, Provenance, RawBatch, SourceKind
from ingest.store.quarantine import HeldRow, held_rows, settle_replay
from ingest.store.runs import run_source
from matchers import load_matcher


@dataclass(frozen=True, slots=True)
class ReplayReport:
    run_id: int
    replayed: int
    released: int
    still_held: int
    not_replayable: int
    import_report: ImportReport | None


def _source_of(engine: Engine, run_id: int) -> tuple[str, SourceKind, SourceProfile | None]:
    name, kind, profile = run_source(engine, run_id)
    return name, SourceKind(kind), SourceProfile.from_dict(profile) if profile else None


def _replay_batch(
    rows: list[HeldRow], *, kind: SourceKind, source_name: str, profile: SourceProfile | None
) -> RawBatch:
    payloads = [row.payload or {} for row in rows]
    frame = pd.DataFrame(payloads).astype(object)
    frame = frame.where(frame.notna(), None)
    frame[ROW_COLUMN] = [row.row_number for row in rows]
    identity = json.dumps(
        {
            "rows": sorted(row.raw_record_id for row in rows),
            "profile": profile.to_dict() if profile else None,
        },
        sort_keys=True,
        default=str,
    )
    provenance = Provenance(
        source_kind=kind,
        source_name=source_name,
        location=f"quarantine replay of run {rows[0].run_id}",
        file_hash=hashlib.sha256(identity.encode()).hexdigest(),
        fetched_at=datetime.now(UTC),
    )
    return RawBatch(rows=frame, provenance=provenance)


def replay_run(
    engine: Engine, run_id: int, *, settings: Settings, profile: SourceProfile | None = None
) -> ReplayReport:
    """Replay the held rows of one run with ``profile`` (default: the source's stored profile)."""
    held = held_rows(engine, run_id=run_id)
    replayable = [row for row in held if row.replayable]
    not_replayable = len(held) - len(replayable)
    if not replayable:
        return ReplayReport(run_id, 0, 0, len(held), not_replayable, None)
    source_name, kind, stored_profile = _source_of(engine, run_id)
    chosen = profile or stored_profile
    batch = _replay_batch(replayable, kind=kind, source_name=source_name, profile=chosen)
    report = run_import(
        engine,
        [batch],
        matcher=load_matcher(engine),
        profile=chosen,
        configured_salt=settings.hash_salt,
        consent_policy=load_policy(settings.consent_policy),
    )
    origin = {row.row_number: row.raw_record_id for row in replayable}
    released = settle_replay(engine, report.run_id or 0, origin) if report.run_id else 0
    still_held = len(held_rows(engine, run_id=run_id))
    return ReplayReport(run_id, len(replayable), released, still_held, not_replayable, report)
