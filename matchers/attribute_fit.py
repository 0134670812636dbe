"""m and u of the custom-field attributes (``matchers.attributes``), learnt beside the model.

EM takes an attribute's own structure for the match class: an assignee's co-authors are shared
by a few of its patents, so on the PATSTAT assignees EM fitted "shares co-authors" as the
matches (m of "different" 0.18, truly 0.94) and called most pairs of one company strangers.
So the model is fitted without its attributes first; m of each attribute is then its level
distribution among the candidate pairs that model is sure of (probability ≥ ``SURE``), and u
its distribution among random pairs of distinct records, each counted by that model's chance
of the pair being a non-match. An attribute that too few sure pairs both carry, or that weighs
less than ``MIN_BITS`` at every level, is left out.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from matchers.attributes import is_attribute
from matchers.blocking import first_of_each, identical_rows
from matchers.coded import Coded
from matchers.estimate import monotone, random_pairs
from matchers.scoring import compare, score_pairs
from matchers.settings import ComparisonSettings, EntityModel

SURE = 0.99
MIN_SURE_PAIRS = 20
SAMPLE_PAIRS = 100_000
"""Candidate pairs (and random pairs) the attributes are fitted on, at most."""
MIN_BITS = 1.0
"""An attribute none of whose levels weighs this many bits either way is left out: it does not
tell matches from strangers here (random tags), and comparing it on every pair costs time."""


def split_attributes(model: EntityModel) -> tuple[EntityModel, tuple[ComparisonSettings, ...]]:
    """The model without its attribute comparisons, and those comparisons."""
    core = tuple(c for c in model.comparisons if not is_attribute(c.kind))
    attributes = tuple(c for c in model.comparisons if is_attribute(c.kind))
    return replace(model, comparisons=core), attributes


def _counts(levels: np.ndarray, size: int, weight: np.ndarray) -> np.ndarray:
    present = levels >= 0
    return np.bincount(levels[present], weights=weight[present], minlength=size)[:size]


def fit_attributes(
    core: EntityModel,
    attributes: tuple[ComparisonSettings, ...],
    features: pd.DataFrame,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    *,
    seed: int = 0,
    cache: dict[str, np.ndarray] | None = None,
) -> EntityModel:
    """``core`` (fitted) with each attribute it can learn appended, m and u fitted as the
    module docstring says."""
    if not attributes or len(left) == 0:
        return core
    rng = np.random.default_rng(seed)
    if len(left) > SAMPLE_PAIRS:
        chosen = rng.choice(len(left), SAMPLE_PAIRS, replace=False)
        left, right = left[chosen], right[chosen]
    sure = score_pairs(core, coded, left, right).probability >= SURE
    distinct = np.flatnonzero(first_of_each(identical_rows(features, cache or {})))
    rl, rr = (distinct[side] for side in random_pairs(rng, len(distinct), SAMPLE_PAIRS))
    non_match = 1.0 - score_pairs(core, coded, rl, rr).probability
    only = replace(core, comparisons=attributes)
    sure_levels = compare(only, coded, left[sure], right[sure])
    random_levels = compare(only, coded, rl, rr)
    kept = []
    for k, attribute in enumerate(attributes):
        size = len(attribute.levels)
        if int((sure_levels[:, k] >= 0).sum()) < MIN_SURE_PAIRS:
            continue
        u = _counts(random_levels[:, k], size, non_match) + 0.5
        u /= u.sum()
        # m shrunk toward u (one pair's worth): a level no sure pair reached weighs about
        # nothing, not the bits half a pair of smoothing against a tiny u would give it
        m = _counts(sure_levels[:, k], size, np.ones(len(sure_levels))) + u
        m /= m.sum()
        fitted = attribute.with_parameters(monotone(m, u), u)
        if np.abs(fitted.weights()).max() >= MIN_BITS:
            kept.append(fitted)
    return replace(core, comparisons=(*core.comparisons, *kept))


def with_levels(
    model: EntityModel,
    core: EntityModel,
    core_levels: np.ndarray,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
) -> np.ndarray:
    """The pairs' levels under ``model``: the core comparisons' as compared, the rest now."""
    done = {c.kind: k for k, c in enumerate(core.comparisons)}
    out = np.empty((len(left), len(model.comparisons)), dtype=np.int8)
    for k, comparison in enumerate(model.comparisons):
        at = done.get(comparison.kind)
        out[:, k] = (
            core_levels[:, at] if at is not None else comparison.spec.compare(coded, left, right)
        )
    return out
