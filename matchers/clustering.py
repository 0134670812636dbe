"""Clusters from linked pairs: connected components with a guard against chaining.

Links are added strongest first (Kruskal style). Two groups are not joined when a pair across
them was scored as clearly different (a *cannot-link*), when both hold an exclusive node (two
stored people are never merged by a batch) or when the union would exceed ``max_cluster``. Such
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
) -> Clusters:
    """Guarded connected components over ``n`` nodes from links (``left``, ``right``).

    ``weight``: what each node counts toward ``max_cluster`` (default 1; ``distinct_weight``
    makes a run of identical records count as one: they cannot chain anybody)."""
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
        apart = (apart_left[keep], apart_right[keep])
    roots, refused = _guarded_loop(
        left[links], right[links], strength[links], apart, owner, weight, max_cluster
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


def _guarded_loop(
    left: np.ndarray,
    right: np.ndarray,
    strength: np.ndarray,
    apart_pairs: tuple[np.ndarray, np.ndarray] | None,
    owner: np.ndarray,
    weight: np.ndarray,
    max_cluster: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Kruskal with the guards: root per node and the indices of the refused links."""
    n = len(owner)
    parent = np.arange(n)
    size = weight.copy()
    owner = owner.copy()
    members: dict[int, list[int]] = {}
    apart: dict[int, set[int]] = {}
    if apart_pairs is not None:
        involved = np.zeros(n, dtype=bool)
        involved[left] = involved[right] = True
        a_left, a_right = apart_pairs
        keep = involved[a_left] & involved[a_right]
        for a, b in zip(a_left[keep].tolist(), a_right[keep].tolist(), strict=True):
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
        if size[a] + size[b] > max_cluster + 1e-9 or (owner[a] and owner[b]):
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
    return labels, np.asarray(refused, dtype=np.int64)


def distinct_weight(frame: pd.DataFrame, cache: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Per row, 1 / the number of rows identical to it in every column: a group of identical
    records counts as one record toward a cluster's size cap (``cache``: ``identical_rows``
    keeps its codes there for blocking)."""
    if frame.empty:
        return np.ones(len(frame))
    codes = identical_rows(frame, cache)
    return 1.0 / np.bincount(codes)[codes]
