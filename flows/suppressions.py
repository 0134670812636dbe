"""Importing a suppression list (unsubscribes, bounces, do-not-call) as salted hashes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from ingest.config import Settings
from ingest.consent_policy import load_policy
from ingest.store.meta import hash_salt
from ingest.store.suppressions import AppliedSuppressions, add_suppressions, apply_to_existing
from ingest.suppressions import suppression_frame, suppression_hashes
from sources import purchased_lists


@dataclass(frozen=True, slots=True)
class SuppressionReport:
    location: str
    rows_in: int
    added: int
    already_known: int
    rejected: int
    broken: int


def import_suppression_file(
    engine: Engine,
    path: Path,
    *,
    settings: Settings,
    reason: str = "unsubscribe",
    default_region: str | None = None,
) -> SuppressionReport:
    """Hash every value of a suppression list into the store; re-importing adds nothing."""
    salt = hash_salt(engine, settings.hash_salt)
    rows_in = added = known = rejected = broken = 0
    for batch in purchased_lists.read(path, source_name=path.stem):
        broken += len(batch.broken)
        if batch.rows.empty:
            continue
        hashes = suppression_hashes(
            suppression_frame(batch.rows), salt=salt, default_reason=reason,
            default_region=default_region, source=path.name,
        )  # fmt: skip
        new = add_suppressions(engine, hashes.rows)
        rows_in += len(batch.rows)
        added += new
        known += len(batch.rows) - hashes.rejected - new
        rejected += hashes.rejected
    return SuppressionReport(str(path), rows_in + broken, added, known, rejected, broken)


def apply_suppression_list(
    engine: Engine, *, settings: Settings, policy: Path | None = None
) -> AppliedSuppressions:
    """Opt out the stored people's channels that the suppression list covers (audited);
    ``policy`` overrides the configured consent policy."""
    return apply_to_existing(
        engine,
        salt=hash_salt(engine, settings.hash_salt),
        policy=load_policy(policy or settings.consent_policy),
    )
