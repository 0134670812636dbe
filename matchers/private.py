"""Training the ``private`` stratum: people known by name and home address only.

Splink's recipe, which fits such data: u from random pairs of private records, held fixed; m by
expectation-maximisation over candidate pairs; the prior as the chance that two random records
match. Free u would not do: blocking on name and address gives candidate pairs that are nearly
all matches, and EM with free u then swaps the classes (seen on FEBRL).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from matchers.coded import Coded
from matchers.comparisons import ADDRESS_FIELDS, MISSING, TF_MIN_RECORDS, compare
from matchers.model import PERSON_FIELDS, Stratum, train_em, u_from_random

RANDOM_PAIRS = 100_000
MIN_PRIVATE_PAIRS = 200
"""EM in the private stratum needs this many candidate pairs; fewer keep the starting m."""


def _independent_name_u(coded: Coded, rows: np.ndarray, u: list[float]) -> list[float]:
    """u of an exact full name as the chance that first names agree times the chance that
    surnames agree. The frequency of the full name itself counts each duplicate as a second
    bearer of the name: in a small file that says "Michaela Neumann" is common because she is
    in it twice, and the exact name would weigh half of what it should."""
    chance = 1.0
    for column in ("fn", "ln"):
        codes = coded.codes[column][rows]
        counts = np.bincount(codes[codes >= 0]).astype(float)
        chance *= float(((counts / max(counts.sum(), 1.0)) ** 2).sum()) if len(counts) else 1.0
    probs = np.asarray(u, dtype=float)
    probs[0] = max(chance, 1e-9)
    rest = probs[1:].sum()
    probs[1:] *= (1 - probs[0]) / rest if rest else 0.0
    return list(probs)


def train_private(
    start: Stratum, coded: Coded, levels: pd.DataFrame, rng: np.random.Generator
) -> Stratum:
    """The stratum trained on the private records of ``coded`` and the candidate pairs'
    ``levels`` in the stratum. The prior is the expected matches among the candidates over all
    pairs of private records, so that it is on the scale of random-pair u."""
    private = np.flatnonzero(coded.codes["private"] >= 0)
    n = len(private)
    fixed = start  # too few records to tell chance agreement: the shipped u stays
    if n >= TF_MIN_RECORDS:
        rl, rr = random_pairs(rng, n, min(RANDOM_PAIRS, n * (n - 1) // 2))
        u = u_from_random(compare(coded, private[rl], private[rr]), coded.tf_freq)
        u["name"] = _independent_name_u(coded, private, u["name"])
        fixed = replace(start, u={f.name: u[f.name] for f in PERSON_FIELDS})
    if len(levels) < MIN_PRIVATE_PAIRS:
        return fixed
    # m by EM in two passes, each over the pairs that agree on what the other pass learns, with
    # that field left out: one pass over all candidates learnt "lives in the same town" (most
    # candidate pairs share a city or a first name) instead of "is the same person"
    trained = replace(fixed, prior=0.5)
    passes = (("name", ("name",)), ("street", ADDRESS_FIELDS))
    for agreeing, held in passes:
        subset = levels[levels[agreeing].to_numpy() == 0].assign(**{agreeing: MISSING})
        if len(subset) >= MIN_PRIVATE_PAIRS // 4:
            trained = train_em(trained, subset, fixed_m=held, fixed_u=True)
    everything = tuple(f.name for f in PERSON_FIELDS)
    trained = train_em(trained, levels, fixed_m=everything, fixed_u=True)  # the prior only
    if trained.level_weights("name")[0] <= 0:
        return fixed
    matches = trained.prior * len(levels)
    return replace(trained, prior=float(np.clip(matches / (n * (n - 1) / 2), 1e-9, 0.5)))


def random_pairs(rng: np.random.Generator, n: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """About ``size`` random pairs of distinct positions below ``n`` (with replacement)."""
    left = rng.integers(0, n, size)
    right = rng.integers(0, n, size)
    keep = left != right
    return left[keep], right[keep]
