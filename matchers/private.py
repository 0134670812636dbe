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


def _same_home(levels: pd.DataFrame) -> np.ndarray:
    """Pairs at one home: the same street, and the same postcode or city (one street name and
    number recurs in many towns)."""
    street, postcode, city = (levels[f].to_numpy() for f in ADDRESS_FIELDS)
    return (street == 0) & ((postcode == 0) | (city == 0))


def train_private(
    start: Stratum,
    coded: Coded,
    levels: pd.DataFrame,
    rng: np.random.Generator,
    *,
    candidates: int | None = None,
) -> Stratum:
    """The stratum trained on the private records of ``coded`` and the levels of the stratum's
    candidate pairs (all ``candidates`` of them, or a sample); the prior is the chance that two
    random private records match (``match_rate``), on the scale of random-pair u."""
    candidates = len(levels) if candidates is None else candidates
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
    for subset, held in (
        (levels["name"].to_numpy() == 0, ("name",)),
        (_same_home(levels), ADDRESS_FIELDS),
    ):
        if subset.sum() >= MIN_PRIVATE_PAIRS // 4:
            pairs = levels[subset].assign(**dict.fromkeys(held, MISSING))
            trained = train_em(trained, pairs, fixed_m=held, fixed_u=True)
    if trained.level_weights("name")[0] <= 0:
        return fixed
    scale = candidates / len(levels)  # ``levels`` may be a sample of the candidate pairs
    return replace(trained, prior=match_rate(trained, levels, scale, n * (n - 1) / 2))


def match_rate(stratum: Stratum, levels: pd.DataFrame, scale: float, all_pairs: float) -> float:
    """The chance that two random records match: λ = Σ P(match | pair, λ) / all pairs, summed
    over the candidate pairs (each standing for ``scale`` pairs; pairs never blocked together
    count as non-matches), solved by fixed-point iteration.

    The share of matches that EM finds among the candidates is no estimate of it: candidates
    share a name or an address, so against u from random pairs even their non-matches look
    like matches, and λ came out 10x too high (neighbours with one name linked)."""
    log_odds = np.zeros(len(levels))
    for spec in PERSON_FIELDS:
        g = levels[spec.name].to_numpy()
        ok = g >= 0
        log_odds[ok] += stratum.level_weights(spec.name)[g[ok]]
    ratio = np.exp2(np.clip(log_odds, -60, 60))
    rate = float(np.clip(stratum.prior, 1e-12, 0.5))
    for _ in range(200):
        odds = ratio * (rate / (1 - rate))
        new = float(np.clip(scale * (odds / (1 + odds)).sum() / max(all_pairs, 1.0), 1e-12, 0.5))
        if abs(new - rate) <= 1e-4 * rate:
            return new
        rate = new
    return rate


def random_pairs(rng: np.random.Generator, n: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """About ``size`` random pairs of distinct positions below ``n`` (with replacement)."""
    left = rng.integers(0, n, size)
    right = rng.integers(0, n, size)
    keep = left != right
    return left[keep], right[keep]
