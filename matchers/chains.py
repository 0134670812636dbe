"""Clusters checked against the pairs their chains of links never compared.

Links a–b and b–c put a and c in one cluster although blocking may never have compared them.
Once the clusters stand, those pairs are scored; the ones scored apart (below
``APART_PROBABILITY``) count against the chain by their log-odds, and the clusters are made
again (``clustering.connected`` weighs the pairs across two groups before joining them): a
chain stays whole only where its links outweigh the evidence that its ends differ. Pairs that
blocking compared and scored apart stay cannot-links.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from matchers.clustering import Apart, Clusters, connected, unscored_within
from matchers.coded import Coded
from matchers.decisions import CHUNK_PAIRS
from matchers.scoring import score_pairs
from matchers.settings import EntityModel

Scorer = Callable[[np.ndarray, np.ndarray], Apart]
"""Given node pairs, the ones that score apart with their log-odds."""


def apart_pairs(model: EntityModel, coded: Coded, left: np.ndarray, right: np.ndarray) -> Apart:
    """The given pairs of records that score apart, with their log-odds (scored
    ``CHUNK_PAIRS`` at a time; only the apart ones are kept)."""
    lefts, rights, odds = [left[:0]], [right[:0]], [np.empty(0)]
    for start in range(0, len(left), CHUNK_PAIRS):
        chunk = slice(start, start + CHUNK_PAIRS)
        scored = score_pairs(model, coded, left[chunk], right[chunk])
        lefts.append(scored.left[scored.apart])
        rights.append(scored.right[scored.apart])
        odds.append(scored.odds[scored.apart])
    return Apart(np.concatenate(lefts), np.concatenate(rights), np.concatenate(odds))


def checked_clusters(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    link_odds: np.ndarray,
    *,
    apart_left: np.ndarray,
    apart_right: np.ndarray,
    score: Scorer,
    scorable: np.ndarray | None = None,
    exclusive: np.ndarray | None = None,
    max_cluster: int = 60,
    weight: np.ndarray | None = None,
) -> Clusters:
    """Guarded clusters of the links (``left``, ``right`` with their log-odds in bits), made
    again with the pairs of nodes they joined unscored that ``score`` finds apart.
    ``scorable``: the nodes ``score`` can compare (default: all)."""

    def cluster(chained: Apart) -> Clusters:
        return connected(
            n,
            left,
            right,
            link_odds,
            apart_left=np.concatenate([apart_left, chained.left]),
            apart_right=np.concatenate([apart_right, chained.right]),
            apart_odds=np.concatenate([np.full(len(apart_left), -np.inf), chained.odds]),
            link_odds=link_odds,
            exclusive=exclusive,
            max_cluster=max_cluster,
            weight=weight,
        )

    nothing = np.empty(0, dtype=np.int64)
    first = cluster(Apart(nothing, nothing, np.empty(0)))
    a, b = unscored_within(
        first.labels, np.concatenate([left, apart_left]), np.concatenate([right, apart_right])
    )
    if scorable is not None:
        both = scorable[a] & scorable[b]
        a, b = a[both], b[both]
    chained = score(a, b)
    return first if len(chained.left) == 0 else cluster(chained)
