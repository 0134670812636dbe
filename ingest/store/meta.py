"""Store-level facts: the suppression hash salt and the suppression hashes themselves."""

from __future__ import annotations

import secrets

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.store.models import StoreMeta, Suppression

SALT_KEY = "hash_salt"


def hash_salt(engine: Engine, configured: str | None) -> str:
    """The salt for suppression hashes: ``LEADFLOW_HASH_SALT`` when set, else one per store.

    A per-store salt is generated once and kept in ``store_meta`` so that hashes stay comparable
    across runs without anyone having to manage a secret for the embedded default.
    """
    if configured:
        return configured
    with Session(engine) as session:
        found = session.scalar(select(StoreMeta.value).where(StoreMeta.key == SALT_KEY))
    if found:
        return found
    try:
        with Session(engine) as session, session.begin():
            session.add(StoreMeta(key=SALT_KEY, value=secrets.token_hex(16)))
    except IntegrityError:
        pass  # created concurrently; read the winner below
    with Session(engine) as session:
        return session.scalar(select(StoreMeta.value).where(StoreMeta.key == SALT_KEY)) or ""


def suppression_reasons(engine: Engine) -> dict[str, str]:
    """All suppression hashes with their reason code (``suppressed.<reason>``)."""
    with Session(engine) as session:
        return {
            value_hash: f"suppressed.{reason}"
            for value_hash, reason in session.execute(
                select(Suppression.value_hash, Suppression.reason)
            )
        }
