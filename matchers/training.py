"""Store-level training: steward decisions (accepted/rejected review pairs) refine the active
model into a new stored version, which the next import uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from ingest.store.match_models import active_model, save_model, steward_labels
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


def refit_from_store(engine: Engine, *, strength: float = 200.0) -> int | None:
    """Refit the active (or default) model with the steward labels and store it as a new,
    active version; returns the version, or None when there is no usable label."""
    labels = steward_labels(engine)
    if not labels:
        return None
    levels = labelled_levels([detail for _, detail in labels])
    usable = levels.notna().all(axis=1).to_numpy()
    if not usable.any():
        return None
    accepted = np.asarray([a for a, _ in labels], dtype=bool)[usable]
    stored = active_model(engine)
    model = MatchModel.from_dict(stored.settings) if stored else default_model()
    refined = refit(model, levels[usable].astype(np.int8), accepted, strength=strength)
    trained_on = {
        "refit_from": stored.version if stored else "default",
        "accepted": int(accepted.sum()),
        "rejected": int((~accepted).sum()),
    }
    return save_model(engine, refined.to_dict(), trained_on=trained_on)
