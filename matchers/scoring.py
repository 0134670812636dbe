"""Scoring record pairs with a fitted entity model: levels → weights → probability → decision.

Each comparison's level weighs log2(m/u) bits; on levels with term-frequency adjustment the u of
the agreeing value replaces the level's average u (agreeing on a rare surname weighs more than
on "smith"). The prior (log odds that two random records match) plus the weights give the
match probability; thresholds turn it into link / review / apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from matchers.coded import Coded
from matchers.comparisons import MISSING
from matchers.settings import EntityModel

TF_MIN_RECORDS = 1000
"""Below this many records value frequencies say nothing (a name seen twice in ten records is
a duplicate, not a common name), so no term-frequency adjustment is made."""
TF_BITS = (-8.0, 4.0)
"""A term-frequency adjustment moves a level's weight by at most these many bits."""
APART_PROBABILITY = 1e-3
"""Pairs scored below this are cannot-link for the clustering guard."""
WITHIN_KIND = "employer"
"""The comparison whose agreement (same company) selects the colleagues' u."""


def compare(model: EntityModel, coded: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Levels per pair and comparison (``int8``, pairs × comparisons)."""
    out = np.empty((len(left), len(model.comparisons)), dtype=np.int8)
    for k, comparison in enumerate(model.comparisons):
        out[:, k] = comparison.spec.compare(coded, left, right)
    return out


def value_u(count: np.ndarray, present: float, u: float) -> np.ndarray:
    """u of agreeing on a value carried by ``count`` of ``present`` records, for a pair of
    those records whose level's average u is ``u``.

    The pair itself is two of the records, so only the others tell how common the value is;
    their number is shrunk toward the level's average (a gamma prior of shape 1 and mean
    ``u * present``): a value seen only in the pair is not taken for a common one (a date
    shared by one duplicate pair is not a popular birthday), and a value carried by many
    others is."""
    others = np.maximum(count - 2.0, 0.0)
    typical = max(u * present, 1e-9)
    return (1.0 + others) / (1.0 / typical + 1.0) / max(present, 1.0)


def tf_adjustment(
    model: EntityModel, coded: Coded, left: np.ndarray, levels: np.ndarray
) -> np.ndarray:
    """Bits added to each pair's weights by term frequencies (pairs × comparisons)."""
    out = np.zeros(levels.shape, dtype=np.float32)
    if len(coded) < TF_MIN_RECORDS:
        return out
    for k, comparison in enumerate(model.comparisons):
        spec = comparison.spec
        if not (comparison.term_frequency and spec.tf_key and comparison.fitted):
            continue
        codes = coded.tf_codes[spec.tf_key][left]
        count = coded.tf_count[spec.tf_key]
        if len(count) == 0:
            continue
        present = float(count.sum())
        known = codes >= 0
        for level in spec.tf_levels:
            hit = (levels[:, k] == level) & known
            u = comparison.levels[level].u or 1.0
            bits = _bits(u, value_u(count[codes[hit]], present, u))
            if spec.tf_parts:
                bits = _bounded_by_parts(bits, _parts_bits(coded, spec.tf_parts, left[hit]))
            out[hit, k] = bits
        for level, part in spec.part_levels:
            # agreeing on one part: "chen" says less than a rare surname (never more than the
            # level's fitted weight: relatives and colleagues share rare surnames too)
            hit = levels[:, k] == level
            out[hit, k] = np.minimum(_parts_bits(coded, (part,), left[hit]), 0.0)
    return out


def _bits(u: float, adjusted: np.ndarray) -> np.ndarray:
    return np.clip(np.log2(u / np.maximum(adjusted, 1e-12)), *TF_BITS)


def _parts_bits(coded: Coded, parts: tuple[str, ...], rows: np.ndarray) -> np.ndarray:
    """How much more (or less) common the value of each of ``rows`` is than a typical one,
    judged by its parts alone: the product of its parts' value u (each shrunk toward that
    part's chance agreement, the sum of its squared frequencies) against the product of the
    parts' chance agreements, in bits."""
    adjusted = np.ones(len(rows))
    average = 1.0
    for part in parts:
        count = coded.tf_count[part]
        present = max(float(count.sum()), 1.0)
        chance = float(np.square(count / present).sum()) if len(count) else 1.0
        codes = coded.tf_codes[part][rows]
        value = value_u(count[np.maximum(codes, 0)], present, chance) if len(count) else chance
        adjusted = adjusted * np.where(codes >= 0, value, chance)
        average *= chance
    return _bits(average, adjusted)


def _bounded_by_parts(joint: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """A joint value seen many times is penalized only as far as its parts' own frequencies
    support: a full name on many records is a common name when its first and last names are
    common, and one person seen many times when they are rare (an inventor on 200 patents).
    Adjustments upward are kept as they are."""
    return np.where(joint < 0, np.maximum(joint, np.minimum(parts, 0.0)), joint)


def colleagues(model: EntityModel, levels: np.ndarray) -> np.ndarray:
    """Pairs of one employer (same company or web domain), where the other comparisons are
    weighed against u among colleagues: colleagues share an office line, an address, a mail
    domain and often a title, so agreeing there says less about the person than it would
    between strangers."""
    kinds = [c.kind for c in model.comparisons]
    if WITHIN_KIND not in kinds:
        return np.zeros(len(levels), dtype=bool)
    g = levels[:, kinds.index(WITHIN_KIND)]
    return (g >= 0) & (g <= 1)


def weights(model: EntityModel, coded: Coded, left: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Match weight (bits) per pair and comparison; missing levels weigh 0."""
    out = np.zeros(levels.shape, dtype=np.float32)
    within = colleagues(model, levels)
    for k, comparison in enumerate(model.comparisons):
        g = levels[:, k]
        table = comparison.weights()
        w = table[np.maximum(g, 0)]
        if comparison.kind != WITHIN_KIND and comparison.has_within:
            w = np.where(within, comparison.weights(within=True)[np.maximum(g, 0)], w)
        out[:, k] = np.where(g != MISSING, w, 0.0)
    return out + tf_adjustment(model, coded, left, levels)


def prior_weight(model: EntityModel) -> float:
    prior = model.prior if model.prior is not None else 1e-4
    return float(np.log2(prior / (1 - prior)))


def log_odds(model: EntityModel, pair_weights: np.ndarray) -> np.ndarray:
    """Posterior log-odds of a match per pair, in bits: the prior plus the pair's weights."""
    return prior_weight(model) + pair_weights.sum(axis=1, dtype=np.float64)


def probability_of(odds: np.ndarray) -> np.ndarray:
    """Match probability from log-odds in bits."""
    return 1 / (1 + np.exp2(-np.clip(odds, -60, 60)))


def probability(model: EntityModel, pair_weights: np.ndarray) -> np.ndarray:
    return probability_of(log_odds(model, pair_weights))


@dataclass(frozen=True, slots=True)
class Scored:
    """Scored pairs: positions, levels, weights, probability and decision flags."""

    model: EntityModel
    left: np.ndarray
    right: np.ndarray
    levels: np.ndarray
    weights: np.ndarray
    odds: np.ndarray
    probability: np.ndarray
    link: np.ndarray
    review: np.ndarray
    apart: np.ndarray

    def detail(self, k: int) -> dict[str, Any]:
        """The comparison detail of pair ``k`` (levels and weights), JSON-ready."""
        comparisons = self.model.comparisons
        return {
            "model": self.model.entity,
            "probability": round(float(self.probability[k]), 4),
            "levels": {
                c.kind: (c.levels[int(v)].label if v >= 0 else "missing")
                for c, v in zip(comparisons, self.levels[k], strict=True)
            },
            "weights": {
                "prior": round(prior_weight(self.model), 2),
                **{
                    c.kind: round(float(w), 2)
                    for c, w in zip(comparisons, self.weights[k], strict=True)
                },
            },
        }


def _on_one_comparison(levels: np.ndarray) -> np.ndarray:
    """Pairs of which a model of several comparisons could compare one only (the rest
    missing): a name and nothing else is a question for a steward, never a link, whatever
    the name weighs."""
    if levels.shape[1] < 2:
        return np.zeros(len(levels), dtype=bool)
    return (levels >= 0).sum(axis=1) <= 1


def score_pairs(
    model: EntityModel,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    levels: np.ndarray | None = None,
) -> Scored:
    """Levels, weights, probability and decisions for the pairs (``levels``: already compared
    by the same comparisons, whatever their parameters)."""
    levels = compare(model, coded, left, right) if levels is None else levels
    pair_weights = weights(model, coded, left, levels)
    odds = log_odds(model, pair_weights)
    p = probability_of(odds)
    link = (p >= model.link_threshold) & ~_on_one_comparison(levels)
    review = (p >= model.review_threshold) & ~link
    apart = p < APART_PROBABILITY
    return Scored(model, left, right, levels, pair_weights, odds, p, link, review, apart)
