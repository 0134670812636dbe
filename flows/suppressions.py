"""Importing a suppression list (unsubscribes, bounces, do-not-call) as salted hashes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from ingest.config import Settings
from ingest.consent_policy import load_policy
from ingest.records import ROW_COLUMN
from ingest.store.meta import hash_salt
from ingest.store.suppressions import AppliedSuppressions, add_suppressions, apply_to_existing
from ingest.suppressions import suppression_hashes
from sources import purchased_lists

VALUE_HEADERS = ("value", "email", "e-mail", "phone", "number", "address", "sha256", "md5",
                 "email_sha256", "sha256_email", "email_md5", "md5_email", "hash", "email_hash",
                 "hashed_email")  # fmt: skip


@dataclass(frozen=True, slots=True)
class SuppressionReport:
    location: str
    rows_in: int
    added: int
    already_known: int
    rejected: int
    broken: int


def _value_frame(rows: pd.DataFrame) -> pd.DataFrame:
    headers = {c.lower().strip(): c for c in rows.columns if c != ROW_COLUMN}
    value_column = next((headers[h] for h in VALUE_HEADERS if h in headers), None)
    if value_column is None:
        value_column = next(iter(headers.values()))
    out = pd.DataFrame({"value": rows[value_column]})
    for column in ("kind", "reason", "algorithm"):
        out[column] = rows[headers[column]] if column in headers else None
    named = next((a for a in ("sha256", "md5") if a in value_column.lower()), None)
    if named and "algorithm" not in headers:
        out["algorithm"] = named
    if "kind" not in headers and value_column.lower() in ("email", "e-mail", "phone"):
        out["kind"] = "email" if "mail" in value_column.lower() else "phone"
    elif "kind" not in headers and "email" in value_column.lower():
        out["kind"] = "email"
    return out


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
            _value_frame(batch.rows), salt=salt, default_reason=reason,
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
