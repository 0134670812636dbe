"""Store-level training: steward decisions (accepted/rejected review pairs) refine the active
model into a new stored version, which the next import uses."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from ingest.store.match_models import active_model, list_models, save_model, steward_labels
from matchers.comparisons import FIELDS, MISSING
from matchers.incremental import default_model
from matchers.model import MatchModel, refit


def labelled_levels(details: list[dict]) -> pd.DataFrame:  # type: ignore[type-arg]
    """Comparison levels (ints) from stored review details; pairs without levels are skipped."""
    records = []
    for detail in details:
        levels = detail.get("levels")
        if not isinstance(levels, dict) or "name" not in levels:
            records.append(None)
            continue
        records.append(  # a field the pair was not compared on (newer than it) is missing
            {
                f.name: f.levels.index(levels[f.name])
                if levels.get(f.name) in f.levels
                else MISSING
                for f in FIELDS
            }
        )
    return pd.DataFrame([r or {f.name: pd.NA for f in FIELDS} for r in records])


def _base_model(engine: Engine) -> tuple[MatchModel, int | str, dict[str, Any]]:
    """The model a refit starts from, its version (or "default"), and the active model's
    ``trained_on``. A refit always starts from the model the active one was refit from (or
    from the active one when it is not a refit), so labels are never counted twice."""
    stored = active_model(engine)
    if stored is None:
        return default_model(), "default", {}
    trained_on = dict(stored.trained_on or {})
    base = trained_on.get("refit_from")
    if base is None:
        return MatchModel.from_dict(stored.settings), stored.version, trained_on
    if base == "default":
        return default_model(), "default", trained_on
    by_version = {m.version: m for m in list_models(engine)}
    if base in by_version:
        return MatchModel.from_dict(by_version[base].settings), base, trained_on
    return MatchModel.from_dict(stored.settings), stored.version, {}


def refit_from_store(engine: Engine, *, strength: float = 200.0) -> int | None:
    """Refit with every steward label and store the result as a new, active version.

    Returns the version, or None when there is no usable label or no label since the last
    refit (the same accepted and rejected counts)."""
    labels = steward_labels(engine)
    if not labels:
        return None
    levels = labelled_levels([detail for _, detail in labels])
    usable = levels.notna().all(axis=1).to_numpy()
    if not usable.any():
        return None
    accepted = np.asarray([a for a, _ in labels], dtype=bool)[usable]
    model, base_version, active_trained_on = _base_model(engine)
    trained_on = {
        "refit_from": base_version,
        "accepted": int(accepted.sum()),
        "rejected": int((~accepted).sum()),
    }
    if active_trained_on == trained_on:
        return None
    refined = refit(model, levels[usable].astype(np.int8), accepted, strength=strength)
    return save_model(engine, refined.to_dict(), trained_on=trained_on)
