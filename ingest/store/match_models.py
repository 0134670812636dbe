"""Versioned match model settings (JSON) in ``match_models``: save, list, activate, load.

The store only keeps the JSON; what it means is the matcher's business (``matchers.model``).
Exactly one version is active at a time; the import matches with the active one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from ingest.errors import LeadflowError
from ingest.store.models import MatchModel


class UnknownModelVersionError(LeadflowError, LookupError):
    """No stored match model has this version: list them with ``leadflow model list``."""

    def __init__(self, version: object) -> None:
        self.version = version
        super().__init__(
            f"no match model version {version} in the store: `leadflow model list` shows them"
        )


@dataclass(frozen=True, slots=True)
class StoredModel:
    version: int
    settings: dict[str, Any]
    trained_on: dict[str, Any] | None
    is_active: bool
    created_at: datetime


def save_model(
    engine: Engine,
    settings: dict[str, Any],
    *,
    trained_on: dict[str, Any] | None = None,
    activate: bool = True,
) -> int:
    """Store settings as the next version (active unless told otherwise); returns the version."""
    with Session(engine) as session, session.begin():
        version = (session.scalar(select(func.max(MatchModel.version))) or 0) + 1
        if activate:
            session.execute(update(MatchModel).values(is_active=False))
        session.add(
            MatchModel(
                version=version, settings=settings, trained_on=trained_on, is_active=activate
            )
        )
    return version


def activate_model(engine: Engine, version: int) -> None:
    """Make ``version`` the active model (the others inactive)."""
    with Session(engine) as session, session.begin():
        if session.scalar(select(MatchModel.id).where(MatchModel.version == version)) is None:
            raise UnknownModelVersionError(version)
        session.execute(update(MatchModel).values(is_active=MatchModel.version == version))


def deactivate_all(engine: Engine) -> None:
    """Leave no version active, so that the import goes back to the shipped default model."""
    with Session(engine) as session, session.begin():
        session.execute(update(MatchModel).values(is_active=False))


def active_model(engine: Engine) -> StoredModel | None:
    """The active model, or None when none is (none stored, or the default chosen)."""
    with Session(engine) as session:
        row = session.scalar(select(MatchModel).where(MatchModel.is_active.is_(True)))
        return _stored(row) if row is not None else None


def model_version(engine: Engine, version: int) -> StoredModel | None:
    """One stored version (active or not), or None when there is no such version."""
    with Session(engine) as session:
        row = session.scalar(select(MatchModel).where(MatchModel.version == version))
        return _stored(row) if row is not None else None


def list_models(engine: Engine) -> list[StoredModel]:
    """All stored versions, oldest first."""
    with Session(engine) as session:
        return [
            _stored(r) for r in session.scalars(select(MatchModel).order_by(MatchModel.version))
        ]


def _stored(row: MatchModel) -> StoredModel:
    return StoredModel(row.version, row.settings, row.trained_on, row.is_active, row.created_at)


def steward_labels(engine: Engine) -> list[tuple[bool, dict[str, Any]]]:
    """(accepted?, comparison detail) of every pair a steward decided, oldest first."""
    from ingest.store.models import MatchCandidate

    with Session(engine) as session:
        rows = session.execute(
            select(MatchCandidate.status, MatchCandidate.detail)
            .where(MatchCandidate.status.in_(("accepted", "rejected")))
            .order_by(MatchCandidate.id)
        )
        return [(status == "accepted", detail or {}) for status, detail in rows]
