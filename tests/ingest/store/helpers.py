"""Hand-built prepared batches, so store tests do not depend on the normalize stage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from ingest.prepared import PreparedBatch
from ingest.records import BrokenRow, Provenance, SourceKind
from ingest.store.runs import RunRef, begin_run, ensure_source

PROVENANCE = Provenance(
    source_kind=SourceKind.PURCHASED_LIST,
    source_name="test-list",
    location="/data/test-list.csv",
    file_hash="f" * 64,
    fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
)


def person_row(row: int, first: str, last: str, email: str | None, **extra: Any) -> dict[str, Any]:
    """One normalized, validated, consent-decided row as the load step receives it."""
    base: dict[str, Any] = {
        "_row": row,
        "first_name": first,
        "last_name": last,
        "full_name": f"{first} {last}",
        "first_name_key": first.lower(),
        "last_name_key": last.lower(),
        "email": email,
        "email_original": email,
        "email_key": email.lower() if email else None,
        "phone": None,
        "mobile": None,
        "company_name": None,
        "company_key": None,
        "postal_code": None,
        "custom": {},
        "issues": (),
        "quarantined": False,
        "suppression_reason": None,
        "consent_email": "unknown",
        "consent_phone": "unknown",
        "consent_sms": "unknown",
        "consent_post": "unknown",
    }
    base.update(extra)
    return base


def prepared(rows: list[dict[str, Any]], broken: tuple[BrokenRow, ...] = ()) -> PreparedBatch:
    frame = pd.DataFrame(rows)
    frame.index = frame["_row"].astype(int)
    payloads = {int(r["_row"]): {"Email": r.get("email_original") or ""} for r in rows}
    return PreparedBatch(frame=frame, payloads=payloads, broken=broken, provenance=PROVENANCE)


def start_run(engine: Engine, provenance: Provenance = PROVENANCE) -> RunRef:
    source_id = ensure_source(
        engine, name=provenance.source_name, kind="purchased_list", profile=None
    )
    return begin_run(engine, source_id=source_id, provenance=provenance, mapping={})
