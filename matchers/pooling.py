"""Pooling adjacent violators: the closest non-increasing sequence to a sequence of weights.

Levels run from the closest agreement to full disagreement, so a level's weight must never
rise above the weight of a closer level. Where it does, the violating run of levels is pooled
into one weight, their average weighted by ``mass`` (a level that is rarely seen takes the
weight of its common neighbour, not the other way round).
"""

from __future__ import annotations

import numpy as np


def pooled(weights: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """``weights`` made non-increasing by pooling adjacent violators, weighted by ``mass``."""
    blocks: list[list[float]] = []  # [weight, mass, count]
    for weight, size in zip(weights.tolist(), mass.tolist(), strict=True):
        blocks.append([weight, size, 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            b = blocks.pop()
            a = blocks[-1]
            total = a[1] + b[1]
            a[0] = (a[0] * a[1] + b[0] * b[1]) / total if total > 0 else max(a[0], b[0])
            a[1], a[2] = total, a[2] + b[2]
    return np.concatenate([np.full(int(count), weight) for weight, _, count in blocks])
