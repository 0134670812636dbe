"""Clusters checked against the pairs their chains of links never compared."""

from __future__ import annotations

import numpy as np
import pandas as pd

from matchers.chains import apart_pairs, checked_clusters
from matchers.clustering import Apart, Clusters, connected, unscored_within
from matchers.coded import encode
from matchers.features import record_features
from matchers.generic import PERSON_RULES, generic_values
from matchers.priors import default_model


def arr(*values: int) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def test_an_apart_pair_with_odds_is_weighed_against_the_links() -> None:
    # 0-1 and 1-2 link; 0 and 2 scored apart. Strong links outweigh -12 bits, weak ones not.
    def chain(odds: np.ndarray) -> Clusters:
        return connected(
            3,
            arr(0, 1),
            arr(1, 2),
            odds,
            apart_left=arr(0),
            apart_right=arr(2),
            apart_odds=np.asarray([-12.0]),
            link_odds=odds,
        )

    strong = np.asarray([30.0, 25.0])
    kept = chain(strong)
    assert len(set(kept.labels.tolist())) == 1 and len(kept.refused) == 0
    cut = chain(np.asarray([8.0, 5.0]))
    assert cut.labels[0] == cut.labels[1] != cut.labels[2]
    assert cut.refused.tolist() == [1]  # the weaker link goes to review
    # without odds the apart pair is a cannot-link, whatever the links weigh
    hard = connected(3, arr(0, 1), arr(1, 2), strong, apart_left=arr(0), apart_right=arr(2))
    assert hard.labels[0] == hard.labels[1] != hard.labels[2]


def test_unscored_within_lists_what_a_chain_joined_without_comparing() -> None:
    labels = arr(0, 0, 0, 3, 3, 5)  # a chain of three, a pair, a single node
    a, b = unscored_within(labels, arr(0, 1, 3), arr(1, 2, 4))
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == [(0, 2)]
    # a pair scored either way round counts as scored
    a, b = unscored_within(labels, arr(0, 2, 1, 3), arr(1, 0, 2, 4))
    assert len(a) == 0


def test_the_ends_of_a_chain_that_score_apart_split_it_only_when_they_outweigh_it() -> None:
    def score(a: np.ndarray, b: np.ndarray) -> Apart:
        assert list(zip(a.tolist(), b.tolist(), strict=True)) == [(0, 2)]  # asked once
        return Apart(a, b, np.asarray([-20.0]))

    def clusters(odds: list[float]) -> list[int]:
        link_odds = np.asarray(odds)
        return checked_clusters(
            3, arr(0, 1), arr(1, 2), link_odds, apart_left=arr(), apart_right=arr(), score=score
        ).labels.tolist()

    assert len(set(clusters([30.0, 25.0]))) == 1
    split = clusters([9.0, 6.0])
    assert split[0] == split[1] != split[2]


def test_only_scorable_nodes_are_scored() -> None:
    def score(a: np.ndarray, b: np.ndarray) -> Apart:
        assert len(a) == 0  # node 2 stands for a stored person: never scored from here
        return Apart(a, b, np.empty(0))

    result = checked_clusters(
        3,
        arr(0, 1),
        arr(1, 2),
        np.asarray([5.0, 5.0]),
        apart_left=arr(),
        apart_right=arr(),
        score=score,
        scorable=np.asarray([True, True, False]),
    )
    assert len(set(result.labels.tolist())) == 1


def test_apart_pairs_keeps_the_pairs_of_records_the_model_scores_apart() -> None:
    rows = pd.DataFrame(
        {
            "first_name": ["Anna", "Maria", "Anna"],
            "last_name": ["Kowalska", "Nowak", "Kowalska"],
            "email": [
                "anna.kowalska@vistula.pl",
                "maria.nowak@vistula.pl",
                "anna.kowalska@vistula.pl",
            ],
            "phone": ["+48221234567", "+48601998877", "+48221234567"],
            "company": ["Vistula Logistics"] * 3,
        }
    )
    features = record_features(rows)
    model = default_model().people
    assert model is not None
    coded = encode(features, generic_values(features, PERSON_RULES), np.ones(len(features)))
    found = apart_pairs(model, coded, arr(0, 0, 1), arr(1, 2, 2))
    pairs = set(zip(found.left.tolist(), found.right.tolist(), strict=True))
    assert pairs == {(0, 1), (1, 2)}  # other name, email and phone at one firm; not the copy
    assert np.all(found.odds < -9.9)  # below APART_PROBABILITY: log2(1e-3) is about -10
