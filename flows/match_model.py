"""Naming, loading, storing and comparing match models for ``leadflow model``.

A model is named by a reference: a JSON file, a stored version (``3`` or ``v3``), ``active``
(the store's active version, else the shipped default) or ``default`` (the shipped model).
Composition only: the model is ``matchers.settings``'s, the versions are the store's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from ingest.errors import LeadflowError
from ingest.store.match_models import (
    StoredModel,
    UnknownModelVersionError,
    activate_model,
    active_model,
    deactivate_all,
    list_models,
    model_version,
    save_model,
)
from matchers.priors import default_model
from matchers.settings import ENTITIES, MatchModel

if TYPE_CHECKING:
    from flows.dedupe import DedupeRun
    from ingest.profiles import SourceProfile

DEFAULT = "default"
ACTIVE = "active"
_VERSION = re.compile(r"[vV]?(\d+)")


class ModelRefError(LeadflowError):
    """A model reference names no file, stored version or keyword; the message lists them."""


class NothingToFitError(LeadflowError):
    """The file has no rows to fit a model on: give a file with records."""


@dataclass(frozen=True, slots=True)
class ModelRef:
    """What a reference names: ``default``, ``active``, a stored ``version`` or a ``path``."""

    text: str
    version: int | None = None
    path: Path | None = None

    @property
    def needs_store(self) -> bool:
        return self.path is None and self.text != DEFAULT

    @property
    def label(self) -> str:
        if self.version is not None:
            return f"v{self.version}"
        return self.path.name if self.path is not None else self.text


def parse_ref(text: str) -> ModelRef:
    """``default``/``active``, then a version number (``3``, ``v3``), then a file path."""
    cleaned = text.strip()
    if cleaned.lower() in (DEFAULT, ACTIVE):
        return ModelRef(cleaned.lower())
    if match := _VERSION.fullmatch(cleaned):
        return ModelRef(cleaned, version=int(match.group(1)))
    path = Path(cleaned)
    if not path.is_file():
        raise ModelRefError(
            f"{text!r} is neither a model file nor a stored version: give a JSON file, a "
            "version (3 or v3), `active` or `default`"
        )
    return ModelRef(cleaned, path=path)


def stored(engine: Engine, version: int) -> MatchModel:
    """A stored version as a model; its source says which version and whether it is active."""
    row = model_version(engine, version)
    if row is None:
        raise UnknownModelVersionError(version)
    return _from_store(row)


def model_in_use(engine: Engine) -> MatchModel:
    """The store's active model, else the shipped default (its source says which)."""
    row = active_model(engine)
    if row is None:
        return replace(
            default_model(), source="the shipped default model (no stored version is active)"
        )
    return _from_store(row)


def load_ref(ref: ModelRef, engine: Engine | None) -> MatchModel:
    """The model a reference names (``engine`` is needed when ``ref.needs_store``)."""
    if ref.path is not None:
        return MatchModel.load(ref.path)
    if ref.text == DEFAULT:
        return default_model()
    assert engine is not None, "a stored model reference needs the store"
    if ref.version is not None:
        return stored(engine, ref.version)
    return model_in_use(engine)


def _from_store(row: StoredModel) -> MatchModel:
    state = "active" if row.is_active else "inactive"
    return MatchModel.from_dict(row.settings, source=f"stored model v{row.version} ({state})")


def fit_file(path: Path, id_column: str, *, profile: SourceProfile | None = None) -> DedupeRun:
    """Configure a model from the file's rows and fit it to them (``run.result.model``)."""
    from flows.dedupe import dedupe_file

    run = dedupe_file(path, id_column, profile=profile)
    if not run.result.runs:
        raise NothingToFitError(f"{path.name} has no rows to fit a match model on")
    return run


def model_json(model: MatchModel) -> str:
    """The model as its file holds it (``MatchModel.save``'s layout, trailing newline)."""
    return json.dumps(model.to_dict(), indent=2, ensure_ascii=False) + "\n"


def store_model(
    engine: Engine, model: MatchModel, *, origin: dict[str, Any], activate: bool
) -> int:
    """Save the model as the next version (``origin`` says where it came from)."""
    return save_model(engine, model.to_dict(), trained_on=origin, activate=activate)


def activate(engine: Engine, text: str) -> int | None:
    """Make a stored version (``3``/``v3``) active, or ``default`` the shipped model (no
    version active); returns the version, None for the default."""
    cleaned = text.strip()
    if cleaned.lower() == DEFAULT:
        deactivate_all(engine)
        return None
    match = _VERSION.fullmatch(cleaned)
    if match is None:
        raise ModelRefError(f"{text!r} is not a stored version: give 3, v3 or `default`")
    version = int(match.group(1))
    activate_model(engine, version)
    return version


# --- listing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VersionSummary:
    """One stored version as ``leadflow model list`` shows it (counts and names only)."""

    version: int
    active: bool
    created: datetime
    records: dict[str, int]
    pairs: int | None
    refit_from: str
    origin: str


def summaries(engine: Engine) -> list[VersionSummary]:
    """Every stored version, oldest first, with what it was trained on."""
    return [_summary(row) for row in list_models(engine)]


def _summary(row: StoredModel) -> VersionSummary:
    parts = {name: row.settings.get(name) for name in ENTITIES}
    trained = {
        name: part.get("trained_on") or {} for name, part in parts.items() if isinstance(part, dict)
    }
    records = {name: int(t["records"]) for name, t in trained.items() if "records" in t}
    pair_counts = [int(t["candidate_pairs"]) for t in trained.values() if "candidate_pairs" in t]
    origin = dict(row.trained_on or {})
    base = origin.get("refit_from")
    refit_from = "-" if base is None else base if isinstance(base, str) else f"v{base}"
    return VersionSummary(
        row.version,
        row.is_active,
        row.created_at,
        records,
        sum(pair_counts) if pair_counts else None,
        refit_from,
        _origin(origin),
    )


def _origin(origin: dict[str, Any]) -> str:
    if "fitted_on" in origin:
        return f"fitted on {origin['fitted_on']}"
    if "imported_from" in origin:
        return f"imported from {origin['imported_from']}"
    if "refit_from" in origin:
        return (
            f"steward labels: {origin.get('accepted', 0)} accepted, "
            f"{origin.get('rejected', 0)} rejected"
        )
    return ""
