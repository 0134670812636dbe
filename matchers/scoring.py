"""Scoring record pairs: comparisons → per-field weights → probability → decision.

``train`` fits a model on records (u from random pairs, m and u per employer stratum by EM over
candidate pairs); ``score_pairs`` scores pairs with a model and says which may link, which go to
review and which are clearly apart (cannot-link for the clustering guard).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from matchers.coded import Coded
from matchers.comparisons import FIELDS, compare, household, tf_frequency
from matchers.model import (
    INTRINSIC,
    STRATA,
    MatchModel,
    Stratum,
    contact_evidence,
    estimate_u_random,
    field_weights,
    person_evidence,
    probabilities,
    stratum_of,
    train_em,
)
from matchers.private import RANDOM_PAIRS, random_pairs, train_private

MIN_TRAINING_PAIRS = 2_000
"""EM with free u on fewer candidate pairs than this fits noise (a 7-row file once scored an
obvious duplicate at p=0.0000): the employer strata of such files keep the starting model."""
EM_PAIRS = 1_000_000
APART_PROBABILITY = 0.01
"""Pairs scored below this (and without person evidence) are cannot-link for the guard."""


@dataclass(frozen=True, slots=True)
class Scored:
    """Scored pairs: positions, levels, weights, probability and decision flags."""

    left: np.ndarray
    right: np.ndarray
    levels: pd.DataFrame
    weights: pd.DataFrame
    probability: np.ndarray
    link: np.ndarray
    review: np.ndarray
    apart: np.ndarray

    def detail(self, k: int) -> dict[str, Any]:
        """The comparison detail of pair ``k`` (levels and weights), JSON-ready."""
        return {
            "model": "fellegi_sunter_by_employer",
            "probability": round(float(self.probability[k]), 4),
            "levels": {
                f.name: (f.levels[int(v)] if v >= 0 else "missing")
                for f, v in zip(FIELDS, self.levels.iloc[k], strict=True)
            },
            "weights": {n: round(float(v), 2) for n, v in self.weights.iloc[k].items()},
        }


def train(
    model: MatchModel, coded: Coded, left: np.ndarray, right: np.ndarray, *, seed: int = 0
) -> MatchModel:
    """u from random record pairs; m, u and the prior per employer stratum by EM over the
    candidate pairs (the ``other`` stratum keeps the person-intrinsic m learnt inside
    companies)."""
    rng = np.random.default_rng(seed)
    n = len(coded)
    if len(left) < MIN_TRAINING_PAIRS:  # the private stratum's EM, with u held, copes with fewer
        levels = compare(coded, left, right)
        private = train_private(
            model.strata[STRATA[2]], coded, levels[stratum_of(levels) == 2], rng
        )
        return replace(model, strata={**model.strata, STRATA[2]: private})
    rl, rr = random_pairs(rng, n, min(RANDOM_PAIRS, max(n * (n - 1) // 2, 1)))
    model = estimate_u_random(model, compare(coded, rl, rr), coded.tf_freq)
    sampled = len(left) > EM_PAIRS
    sample_share = EM_PAIRS / len(left) if sampled else 1.0
    if sampled:
        pick = rng.choice(len(left), EM_PAIRS, replace=False)
        left, right = left[pick], right[pick]
    levels = compare(coded, left, right)
    strata = stratum_of(levels)
    inside = train_em(model.strata[STRATA[0]], levels[strata == 0])
    start = model.strata[STRATA[1]]
    start = replace(start, m={**start.m, **{k: inside.m[k] for k in INTRINSIC}})
    across = train_em(start, levels[strata == 1], fixed_m=INTRINSIC)
    return replace(
        model,
        strata={
            STRATA[0]: _sane(inside, model.strata[STRATA[0]]),
            STRATA[1]: _sane(across, model.strata[STRATA[1]]),
            STRATA[2]: train_private(
                model.strata[STRATA[2]],
                coded,
                levels[strata == 2],
                rng,
                candidates=round(int((strata == 2).sum()) / sample_share),
            ),
        },
        trained_on={"records": int(n), "pairs": len(left), "random_pairs": len(rl)},
    )


def _sane(trained: Stratum, start: Stratum) -> Stratum:
    """The EM result, unless it degenerated: a prior pinned at its clamp, or an exact name
    counting against a match, means EM swapped or lost the match class (seen when nearly all
    candidate pairs are matches, e.g. person-address data); then the starting stratum stays."""
    collapsed = not 1e-5 < trained.prior < 1 - 1e-5
    if collapsed or trained.level_weights("name")[0] <= 0:
        return start
    return trained


def score_pairs(model: MatchModel, coded: Coded, left: np.ndarray, right: np.ndarray) -> Scored:
    """Levels, weights and probability per pair; ``link`` needs the link threshold and person
    evidence, ``review`` is the uncertain band (including strong pairs without person evidence)."""
    levels = compare(coded, left, right)
    weights = field_weights(model, levels, tf_frequency(coded, left))
    probability = probabilities(weights)
    person = person_evidence(levels)
    if model.household_review:
        person &= ~household(coded, left, right) | contact_evidence(levels)
    link = (probability >= model.link_threshold) & person
    review = (probability >= model.review_threshold) & ~link
    apart = (probability < APART_PROBABILITY) & ~person
    return Scored(left, right, levels, weights, probability, link, review, apart)
