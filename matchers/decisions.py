"""Scoring many candidate pairs in chunks, keeping only what clustering and review read.

``score_pairs`` returns levels and weights for every pair; on tens of millions of pairs those
frames alone take gigabytes. Here pairs are scored a chunk at a time and only the decisions are
kept: the link / review / apart flags, and the probability of the pairs that link or go to
review. Each pair is scored on its own, so the result equals ``score_pairs`` on all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matchers.coded import Coded
from matchers.model import MatchModel
from matchers.scoring import score_pairs

CHUNK_PAIRS = 500_000
"""Pairs scored at a time: big enough for vectorized work, small enough that the per-pair
temporaries of the comparisons stay in reused memory."""


@dataclass(frozen=True, slots=True)
class Decisions:
    """Per pair (``left``/``right`` positions): the decision flags; ``probability`` is kept for
    the pairs that link or go to review (``kept``, ascending pair indices)."""

    left: np.ndarray
    right: np.ndarray
    link: np.ndarray
    review: np.ndarray
    apart: np.ndarray
    kept: np.ndarray
    kept_probability: np.ndarray

    def probability(self, pairs: np.ndarray) -> np.ndarray:
        """Match probability of the given pair indices (each must link or be under review)."""
        return self.kept_probability[np.searchsorted(self.kept, pairs)]


def decide_pairs(
    model: MatchModel,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    *,
    chunk: int = CHUNK_PAIRS,
) -> Decisions:
    """Score the pairs ``chunk`` at a time with ``score_pairs``; keep the decisions."""
    n = len(left)
    link, review, apart = (np.zeros(n, dtype=bool) for _ in range(3))
    kept, kept_probability = [], []
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        scored = score_pairs(model, coded, left[start:stop], right[start:stop])
        link[start:stop], review[start:stop] = scored.link, scored.review
        apart[start:stop] = scored.apart
        keep = np.flatnonzero(scored.link | scored.review)
        kept.append(keep + start)
        kept_probability.append(scored.probability[keep])
    return Decisions(
        left,
        right,
        link,
        review,
        apart,
        np.concatenate(kept) if kept else np.empty(0, dtype=np.int64),
        np.concatenate(kept_probability) if kept_probability else np.empty(0),
    )
