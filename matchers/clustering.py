"""Clusters from linked pairs: connected components with a guard against chaining.

Links are added strongest first (Kruskal style). Two groups are not joined when a pair across
them was scored as clearly different (a *cannot-link*), when both hold an exclusive node (two
stored people are never merged by a batch) or when the union would exceed ``max_cluster``. Such
refused links are returned so they can go to review instead of silently chaining people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Clusters:
    """``labels`` per node (the root node id); ``refused`` indexes the links not applied."""

    labels: np.ndarray
    refused: np.ndarray


def connected(
    n: int,
    left: np.ndarray,
    right: np.ndarray,
    strength: np.ndarray,
    *,
    apart_left: np.ndarray | None = None,
    apart_right: np.ndarray | None = None,
    exclusive: np.ndarray | None = None,
    max_cluster: int = 60,
) -> Clusters:
    """Guarded connected components over ``n`` nodes from links (``left``, ``right``)."""
    parent = np.arange(n)
    size = np.ones(n, dtype=np.int64)
    owner = np.zeros(n, dtype=bool) if exclusive is None else exclusive.astype(bool).copy()
    members: dict[int, list[int]] = {}
    apart: dict[int, set[int]] = {}
    if apart_left is not None and apart_right is not None:
        involved = np.zeros(n, dtype=bool)
        involved[left] = involved[right] = True
        keep = involved[apart_left] & involved[apart_right]
        for a, b in zip(apart_left[keep].tolist(), apart_right[keep].tolist(), strict=True):
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    refused: list[int] = []
    for k in np.argsort(-strength, kind="stable").tolist():
        a, b = find(int(left[k])), find(int(right[k]))
        if a == b:
            continue
        if size[a] + size[b] > max_cluster or (owner[a] and owner[b]):
            refused.append(k)
            continue
        small, large = (a, b) if size[a] <= size[b] else (b, a)
        small_nodes = members.get(small, [small])
        if apart and any(find(o) == large for x in small_nodes for o in apart.get(x, ())):
            refused.append(k)
            continue
        parent[small] = large
        size[large] += size[small]
        owner[large] |= owner[small]
        members[large] = members.get(large, [large]) + small_nodes
        members.pop(small, None)
    labels = parent
    while True:
        nxt = labels[labels]
        if np.array_equal(nxt, labels):
            break
        labels = nxt
    return Clusters(labels, np.asarray(refused, dtype=np.int64))
