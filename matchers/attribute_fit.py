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
from matchers.coded import Coded
from matchers.estimate import distinct_random_pairs, estimate_u, fit_prior, level_counts, monotone
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
    rl, rr = distinct_random_pairs(features, rng, SAMPLE_PAIRS, cache or {})
    non_match = 1.0 - score_pairs(core, coded, rl, rr).probability
    only = replace(core, comparisons=attributes)
    sure_levels = compare(only, coded, left[sure], right[sure])
    u_all = estimate_u(only, compare(only, coded, rl, rr), non_match)
    kept = []
    for k, (attribute, u) in enumerate(zip(attributes, u_all, strict=True)):
        if int((sure_levels[:, k] >= 0).sum()) < MIN_SURE_PAIRS:
            continue
        # m shrunk toward u (one pair's worth): a level no sure pair reached weighs about
        # nothing, not the bits half a pair of smoothing against a tiny u would give it
        m = level_counts(sure_levels[:, k], len(attribute.levels), None) + u
        m /= m.sum()
        fitted = attribute.with_parameters(monotone(m, u), u)
        if np.abs(fitted.weights()).max() >= MIN_BITS:
            kept.append(fitted)
    return replace(core, comparisons=(*core.comparisons, *kept))


def fit_beside(
    core: EntityModel,
    attributes: tuple[ComparisonSettings, ...],
    features: pd.DataFrame,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    core_levels: np.ndarray | None,
    *,
    seed: int = 0,
    cache: dict[str, np.ndarray] | None = None,
) -> tuple[EntityModel, np.ndarray | None]:
    """``core`` (fitted) with the attributes it can learn (``fit_attributes``) and the match
    rate refitted with them, and the candidate pairs' levels under it (``core_levels``: under
    ``core``; None when the pairs were not compared, and then None)."""
    model = fit_attributes(core, attributes, features, coded, left, right, seed=seed, cache=cache)
    if len(model.comparisons) == len(core.comparisons):
        return core, core_levels
    levels = None
    if core_levels is not None:
        levels = with_levels(model, core, core_levels, coded, left, right)
    return fit_prior(model, coded, left, right, levels), levels


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
