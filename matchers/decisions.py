"""Scoring many candidate pairs in chunks, keeping only what clustering and review read.

``score_pairs`` returns levels and weights for every pair; on tens of millions of pairs those
frames alone take gigabytes. Here pairs are scored a chunk at a time and only the decisions are
kept: the link / review / apart flags, and the log-odds of the pairs that link or go to
review. Each pair is scored on its own, so the result equals ``score_pairs`` on all pairs.

Many pairs are scored on one worker process per CPU (started with ``spawn``; each gets the
model and the coded records once, when it starts), chunks handed out in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from ingest.normalize.parallel import default_workers
from matchers.coded import Coded
from matchers.scoring import probability_of, score_pairs
from matchers.settings import EntityModel as MatchModel

CHUNK_PAIRS = 150_000
"""Pairs scored at a time: big enough for vectorized work, small enough that the per-pair
temporaries of the comparisons stay in reused memory."""
PARALLEL_PAIRS = 2_000_000
"""From this many pairs on, chunks are scored in worker processes (fewer would not pay for
starting them)."""


@dataclass(frozen=True, slots=True)
class Decisions:
    """Per pair (``left``/``right`` positions): the decision flags; the log-odds are kept for
    the pairs that link or go to review (``kept``, ascending pair indices)."""

    left: np.ndarray
    right: np.ndarray
    link: np.ndarray
    review: np.ndarray
    apart: np.ndarray
    kept: np.ndarray
    kept_odds: np.ndarray

    def odds(self, pairs: np.ndarray) -> np.ndarray:
        """Log-odds (bits) of the given pair indices (each must link or be under review)."""
        return self.kept_odds[np.searchsorted(self.kept, pairs)]

    def probability(self, pairs: np.ndarray) -> np.ndarray:
        """Match probability of the given pair indices (each must link or be under review)."""
        return probability_of(self.odds(pairs))


Part = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""One chunk's link, review and apart flags, kept positions (in the chunk) and log-odds."""


def _decide(
    model: MatchModel,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    levels: np.ndarray | None = None,
) -> Part:
    scored = score_pairs(model, coded, left, right, levels)
    keep = np.flatnonzero(scored.link | scored.review)
    return scored.link, scored.review, scored.apart, keep, scored.odds[keep]


_WORKER: tuple[MatchModel, Coded] | None = None


def _load(model: MatchModel, coded: Coded) -> None:
    global _WORKER
    _WORKER = (model, coded)


def _decide_in_worker(left: np.ndarray, right: np.ndarray) -> Part:
    assert _WORKER is not None, "worker started without its model and records"
    return _decide(*_WORKER, left, right)


def _parts(
    model: MatchModel,
    coded: Coded,
    lefts: Iterable[np.ndarray],
    rights: Iterable[np.ndarray],
    workers: int,
    levels: Iterable[np.ndarray | None],
) -> Iterator[Part]:
    """Each chunk's part, in order: here (with the chunks' ``levels`` when compared already),
    or on ``workers`` processes."""
    if workers == 1:
        for left, right, compared in zip(lefts, rights, levels, strict=True):
            yield _decide(model, coded, left, right, compared)
        return
    import multiprocessing  # only here: matching a small batch never starts workers
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_load, initargs=(model, coded)
    ) as pool:
        yield from pool.map(_decide_in_worker, lefts, rights)


def decide_pairs(
    model: MatchModel,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    *,
    chunk: int = CHUNK_PAIRS,
    workers: int | None = None,
    levels: np.ndarray | None = None,
) -> Decisions:
    """Score the pairs ``chunk`` at a time with ``score_pairs``; keep the decisions. From
    ``PARALLEL_PAIRS`` pairs on, chunks go to ``workers`` processes (default: one per CPU);
    ``levels`` (fewer pairs than that, compared already) are scored here as they are."""
    n = len(left)
    starts = range(0, n, chunk)
    workers = 1 if n < PARALLEL_PAIRS else workers or default_workers()
    link, review, apart = (np.zeros(n, dtype=bool) for _ in range(3))
    kept, kept_odds = [np.empty(0, dtype=np.int64)], [np.empty(0)]
    lefts = (left[start : start + chunk] for start in starts)
    rights = (right[start : start + chunk] for start in starts)
    compared = (None if levels is None else levels[start : start + chunk] for start in starts)
    if levels is not None:
        workers = 1
    parts = _parts(model, coded, lefts, rights, min(workers, max(len(starts), 1)), compared)
    for start, part in zip(starts, parts, strict=True):
        chunk_link, chunk_review, chunk_apart, keep, odds = part
        stop = start + len(chunk_link)
        link[start:stop] = chunk_link
        review[start:stop] = chunk_review
        apart[start:stop] = chunk_apart
        kept.append(keep + start)
        kept_odds.append(odds)
    return Decisions(
        left, right, link, review, apart, np.concatenate(kept), np.concatenate(kept_odds)
    )
