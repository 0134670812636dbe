"""Shipped parameters: a prior for inputs too small to fit, never more.

``default_model.json`` holds m and u for every comparison of the library, for people and for
companies. A file of fewer than ``MIN_FIT_RECORDS`` records of one kind is matched with them;
larger files fit their own (``matchers.estimate``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from importlib import resources

import numpy as np

from matchers.settings import ComparisonSettings, EntityModel, MatchModel

MIN_FIT_RECORDS = 50

SHIPPED = "the shipped default model"
"""The ``source`` of the model shipped with leadflow (priors, not fitted to anyone's data)."""


@cache
def default_model() -> MatchModel:
    """The shipped model (every comparison of the library, for both entity kinds)."""
    text = resources.files("matchers").joinpath("default_model.json").read_text("utf-8")
    return MatchModel.from_dict(json.loads(text), source=SHIPPED)


def _prior(comparison: ComparisonSettings, shipped: EntityModel | None) -> ComparisonSettings:
    if comparison.fitted:
        return comparison
    known = shipped.comparison(comparison.kind) if shipped is not None else None
    if known is not None and known.fitted:
        return replace(known, term_frequency=comparison.term_frequency)
    m = np.asarray(comparison.spec.prior_m, dtype=float)
    u = np.full(len(m), 0.02 / max(len(m) - 1, 1))
    u[-1] = 0.98
    return comparison.with_parameters(m, u / u.sum())


def with_priors(model: EntityModel) -> EntityModel:
    """The model with every unfitted comparison given the shipped parameters."""
    shipped = default_model().entity(model.entity)
    comparisons = tuple(_prior(c, shipped) for c in model.comparisons)
    prior = model.prior if model.prior is not None else (shipped.prior if shipped else None)
    return replace(model, comparisons=comparisons, prior=prior or 1e-3)
