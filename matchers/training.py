"""Steward labels refine the active model: accepted review pairs pull m, rejected pairs pull u
towards their level frequencies; the result is stored as a new, active version."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from sqlalchemy import Engine

from ingest.store.match_models import active_model, list_models, save_model, steward_labels
from matchers.estimate import monotone
from matchers.priors import default_model, with_priors
from matchers.settings import EntityModel, MatchModel


def labelled_levels(model: EntityModel, details: list[dict[str, Any]]) -> np.ndarray:
    """Level per labelled pair and comparison (-1 where the pair was not compared on it or
    its stored label is unknown to the model)."""
    out = np.full((len(details), len(model.comparisons)), -1, dtype=np.int8)
    for i, detail in enumerate(details):
        levels = detail.get("levels")
        if not isinstance(levels, dict):
            continue
        for k, comparison in enumerate(model.comparisons):
            labels = [level.label for level in comparison.levels]
            if levels.get(comparison.kind) in labels:
                out[i, k] = labels.index(levels[comparison.kind])
    return out


def refit(
    model: EntityModel, levels: np.ndarray, accepted: np.ndarray, *, strength: float = 200.0
) -> EntityModel:
    """m and u blended with the labelled pairs' level counts (the model counts as ``strength``
    pairs); levels stay monotone; u among colleagues is kept as it was (labels do not say
    which pairs were colleagues)."""
    comparisons = []
    for k, comparison in enumerate(model.comparisons):
        m = np.asarray([lv.m for lv in comparison.levels], dtype=float)
        u = np.asarray([lv.u for lv in comparison.levels], dtype=float)
        g = levels[:, k]
        for target, mask in ((m, accepted), (u, ~accepted)):
            usable = g[mask & (g >= 0)].astype(np.int64)
            counts = np.bincount(usable, minlength=len(target))[: len(target)]
            blended = target * strength + counts
            target[:] = blended / blended.sum()
        within = None
        if comparison.has_within:
            within = np.asarray([lv.u_within for lv in comparison.levels], dtype=float)
        comparisons.append(comparison.with_parameters(monotone(m, u), u, within))
    return replace(model, comparisons=tuple(comparisons))


def _base(engine: Engine) -> tuple[MatchModel, int | str, dict[str, Any]]:
    """The model a refit starts from (never a refit itself, so labels count once), its
    version, and the active model's ``trained_on``."""
    stored = active_model(engine)
    if stored is None:
        return default_model(), "default", {}
    trained_on = dict(stored.trained_on or {})
    base = trained_on.get("refit_from")
    if base == "default":
        return default_model(), "default", trained_on
    by_version = {m.version: m for m in list_models(engine)}
    if base is not None and base in by_version:
        return MatchModel.from_dict(by_version[base].settings), base, trained_on
    return MatchModel.from_dict(stored.settings), stored.version, trained_on if base else {}


def refit_from_store(engine: Engine, *, strength: float = 200.0) -> int | None:
    """Refit the people model with every steward label; store it as a new active version.
    Returns the version, or None when there is no usable label or none since the last refit."""
    labels = steward_labels(engine)
    if not labels:
        return None
    model, base_version, active_trained_on = _base(engine)
    people = model.people
    if people is None:
        return None
    people = people if people.fitted else with_priors(people)
    levels = labelled_levels(people, [detail for _, detail in labels])
    usable = (levels >= 0).any(axis=1)
    if not usable.any():
        return None
    accepted = np.asarray([a for a, _ in labels], dtype=bool)[usable]
    trained_on = {
        "refit_from": base_version,
        "accepted": int(accepted.sum()),
        "rejected": int((~accepted).sum()),
    }
    if active_trained_on == trained_on:
        return None
    refined = refit(people, levels[usable], accepted, strength=strength)
    new = replace(model, people=replace(refined, trained_on={**people.trained_on, **trained_on}))
    return save_model(engine, new.to_dict(), trained_on=trained_on)
