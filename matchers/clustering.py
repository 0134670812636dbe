"""Clusters from linked pairs: connected components with a guard against chaining.

Links are added strongest first (Kruskal style). Two groups are not joined when the pairs
scored across them weigh nothing in sum (links count for, pairs scored as clearly different
against; a *cannot-link* outweighs everything), when both hold an exclusive node (two stored
people are never merged by a batch) or when the union would exceed ``max_cluster``. Such
refused links are returned so they can go to review instead of silently chaining people.

Only a component of the links that could trip a guard (too big, two exclusive nodes, or a
cannot-link pair inside it) needs the link-by-link loop; every other component is taken whole
from plain connected components (vectorized), which is what the loop would build for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matchers.blocking import identical_rows


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
    weight: np.ndarray | None = None,
    link_odds: np.ndarray | None = None,
    apart_odds: np.ndarray | None = None,
) -> Clusters:
    """Guarded connected components over ``n`` nodes from links (``left``, ``right``).

    ``weight``: what each node counts toward ``max_cluster`` (default 1; ``distinct_weight``
    makes a run of identical records count as one: they cannot chain anybody). ``apart_odds``:
    the log-odds (bits) of each apart pair, weighed against ``link_odds`` (the links' own);
    ``-inf`` or no odds at all makes it a cannot-link."""
    owner = np.zeros(n, dtype=bool) if exclusive is None else exclusive.astype(bool)
    weight = np.ones(n) if weight is None else weight.astype(float)
    component = _components(n, left, right)
    guarded = np.bincount(component, weights=weight, minlength=n) > max_cluster + 1e-9
    guarded |= np.bincount(component, weights=owner, minlength=n) > 1
    if apart_left is not None and apart_right is not None:
        involved = np.zeros(n, dtype=bool)  # only pairs of linked nodes can refuse a link
        involved[left] = involved[right] = True
        keep = np.flatnonzero(involved[apart_left] & involved[apart_right])
        apart_left, apart_right = apart_left[keep], apart_right[keep]
        apart_odds = None if apart_odds is None else apart_odds[keep]
        inside = component[apart_left] == component[apart_right]
        guarded[component[apart_left[inside]]] = True
    labels = component.copy()
    links = np.flatnonzero(guarded[component[left]])
    if len(links) == 0:
        return Clusters(labels, np.empty(0, dtype=np.int64))
    nodes = guarded[component]
    apart = None
    if apart_left is not None and apart_right is not None:
        keep = nodes[apart_left] & nodes[apart_right]
        odds = np.full(len(apart_left), -np.inf) if apart_odds is None else apart_odds
        apart = Apart(apart_left[keep], apart_right[keep], odds[keep])
    odds = np.ones(len(left)) if link_odds is None else link_odds
    roots, refused = _guarded_loop(
        left[links], right[links], strength[links], odds[links], apart, owner, weight, max_cluster
    )
    labels[nodes] = roots[nodes]
    return Clusters(labels, links[refused])


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Plain connected components: per node, the lowest node id of its component.

    Each round hooks the higher of two linked roots onto the lower, then flattens every node
    onto its root; labels only decrease, so rounds end when every link joins equal labels.
    """
    label = np.arange(n)
    while True:
        a, b = label[left], label[right]
        differ = a != b
        if not differ.any():
            return label
        np.minimum.at(label, np.maximum(a, b)[differ], np.minimum(a, b)[differ])
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped


@dataclass(frozen=True, slots=True)
class Apart:
    """Pairs scored apart and their log-odds (bits; ``-inf``: cannot-link)."""

    left: np.ndarray
    right: np.ndarray
    odds: np.ndarray


def _guarded_loop(
    left: np.ndarray,
    right: np.ndarray,
    strength: np.ndarray,
    link_odds: np.ndarray,
    apart: Apart | None,
    owner: np.ndarray,
    weight: np.ndarray,
    max_cluster: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Kruskal with the guards: root per node and the indices of the refused links.

    ``between[a][b]``: the summed log-odds of the pairs scored across groups ``a`` and ``b``
    (links and apart pairs); two groups join only while it is positive."""
    n = len(owner)
    parent = np.arange(n)
    size = weight.copy()
    owner = owner.copy()
    between: dict[int, dict[int, float]] = {}

    def weigh(a: int, b: int, odds: float) -> None:
        if a == b:  # a node linked to itself
            return
        for one, other in ((a, b), (b, a)):
            sums = between.setdefault(one, {})
            sums[other] = sums.get(other, 0.0) + odds

    for a, b, odds in zip(left.tolist(), right.tolist(), link_odds.tolist(), strict=True):
        weigh(a, b, odds)
    if apart is not None:
        involved = np.zeros(n, dtype=bool)
        involved[left] = involved[right] = True
        keep = involved[apart.left] & involved[apart.right]
        for a, b, odds in zip(
            apart.left[keep].tolist(),
            apart.right[keep].tolist(),
            apart.odds[keep].tolist(),
            strict=True,
        ):
            weigh(a, b, odds)

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
        if size[a] + size[b] > max_cluster + 1e-9 or (owner[a] and owner[b]):
            refused.append(k)
            continue
        if not between[a].get(b, 0.0) > 0:
            refused.append(k)
            continue
        small, large = (a, b) if size[a] <= size[b] else (b, a)
        parent[small] = large
        size[large] += size[small]
        owner[large] |= owner[small]
        for other, odds in between.pop(small).items():
            del between[other][small]
            if other != large:
                weigh(large, other, odds)
    labels = parent
    while True:
        nxt = labels[labels]
        if np.array_equal(nxt, labels):
            break
        labels = nxt
    return labels, np.asarray(refused, dtype=np.int64)


def unscored_within(
    labels: np.ndarray, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of nodes that share a cluster of three or more but are not among the scored
    pairs (``left``, ``right``): what a chain of links joined without comparing."""
    n = len(labels)
    nodes = np.flatnonzero(np.bincount(labels, minlength=n)[labels] >= 3)
    if len(nodes) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    frame = pd.DataFrame({"label": labels[nodes], "node": nodes})
    both = frame.merge(frame, on="label")
    a, b = both["node_x"].to_numpy(np.int64), both["node_y"].to_numpy(np.int64)
    a, b = a[a < b], b[a < b]
    scored = np.minimum(left, right).astype(np.int64) * n + np.maximum(left, right)
    new = ~np.isin(a * n + b, scored)
    return a[new], b[new]


def distinct_weight(frame: pd.DataFrame, cache: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Per row, 1 / the number of rows identical to it in every column: a group of identical
    records counts as one record toward a cluster's size cap (``cache``: ``identical_rows``
    keeps its codes there for blocking)."""
    if frame.empty:
        return np.ones(len(frame))
    codes = identical_rows(frame, cache)
    return 1.0 / np.bincount(codes)[codes]
