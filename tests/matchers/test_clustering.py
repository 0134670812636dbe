"""Connected components with the chaining guard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matchers.clustering import Apart, _guarded_loop, connected, distinct_weight


def arr(*values: int) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def test_links_form_components() -> None:
    result = connected(5, arr(0, 1, 3), arr(1, 2, 4), np.asarray([0.99, 0.95, 0.97]))
    labels = result.labels
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] == labels[4] != labels[0]
    assert len(result.refused) == 0


def test_a_weak_bridge_between_clearly_different_records_is_cut() -> None:
    # 0-1 strong, 2-3 strong, 1-2 a weak bridge; 0 and 3 were scored as clearly different
    result = connected(
        4,
        arr(0, 2, 1),
        arr(1, 3, 2),
        np.asarray([0.99, 0.99, 0.91]),
        apart_left=arr(0),
        apart_right=arr(3),
    )
    labels = result.labels
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert labels[1] != labels[2]
    assert list(result.refused) == [2]


def test_two_exclusive_nodes_are_never_joined() -> None:
    exclusive = np.asarray([False, True, True])
    result = connected(3, arr(0, 0), arr(1, 2), np.asarray([0.99, 0.98]), exclusive=exclusive)
    assert result.labels[0] == result.labels[1] != result.labels[2]
    assert list(result.refused) == [1]


def test_cluster_size_is_capped() -> None:
    n = 10
    left, right = np.arange(n - 1), np.arange(1, n)
    result = connected(n, left, right, np.linspace(0.99, 0.9, n - 1), max_cluster=4)
    assert np.bincount(result.labels).max() == 4
    assert len(result.refused) > 0


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@pytest.mark.parametrize("seed", range(6))
def test_guarding_only_the_risky_components_gives_the_loops_clusters(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 1000  # about half of the links fall in components that trip a guard
    left, right = rng.integers(0, n, 450), rng.integers(0, n, 450)
    strength = rng.choice([0.91, 0.95, 0.99], len(left))  # ties: order decides
    apart_left, apart_right = rng.integers(0, n, 150), rng.integers(0, n, 150)
    exclusive = rng.random(n) < 0.02
    result = connected(
        n,
        left,
        right,
        strength,
        apart_left=apart_left,
        apart_right=apart_right,
        exclusive=exclusive,
        max_cluster=8,
    )
    apart = Apart(apart_left, apart_right, np.full(len(apart_left), -np.inf))
    labels, refused = _guarded_loop(
        left, right, strength, np.ones(len(left)), apart, exclusive, np.ones(n), 8
    )
    assert len(refused) > 0  # the guards did refuse links in this graph
    assert _same_partition(result.labels, labels)
    assert result.refused.tolist() == refused.tolist()  # same links, same order


def test_identical_records_count_once_toward_the_size_cap() -> None:
    # ten identical listings of one firm and two spellings of it: a cap of 4 records splits
    # them when each copy counts, not when the copies count as one record
    frame = pd.DataFrame({"company": ["akzo nobel"] * 10 + ["akzo nobel v", "akzo nobl"]})
    n = len(frame)
    left, right = np.zeros(n - 1, dtype=np.int64), np.arange(1, n)
    strength = np.full(n - 1, 0.99)
    weight = distinct_weight(frame)
    assert weight[:10].sum() == pytest.approx(1.0) and weight[10:].tolist() == [1.0, 1.0]
    capped = connected(n, left, right, strength, max_cluster=4)
    assert len(set(capped.labels.tolist())) > 1
    together = connected(n, left, right, strength, max_cluster=4, weight=weight)
    assert len(set(together.labels.tolist())) == 1 and len(together.refused) == 0
    # two distinct records more than the cap still split
    assert len(set(connected(n, left, right, strength, max_cluster=2, weight=weight).labels)) > 1
