"""Scoring: levels → weights (term frequencies on the levels that have them) → probability →
link / review / apart, and the detail a steward reads."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matchers.clustering import distinct_weight
from matchers.coded import encode
from matchers.priors import with_priors
from matchers.scoring import APART_PROBABILITY, TF_MIN_RECORDS, prior_weight, score_pairs
from matchers.settings import ComparisonSettings, EntityModel
from tests.matchers.helpers import coded, features

MODEL = with_priors(
    EntityModel(
        "people",
        (ComparisonSettings.of("person_name"), ComparisonSettings.of("email")),
        (),
    )
)


def untouched(model: EntityModel) -> EntityModel:
    """The model without term-frequency adjustments."""
    return replace(
        model, comparisons=tuple(replace(c, term_frequency=False) for c in model.comparisons)
    )


def crowd(n_smiths: int, n_others: int) -> list[dict[str, str]]:
    """Many John Smiths and many people of rare names, two records each."""
    smiths = [{"fn": "john", "ln": "smith"} for _ in range(n_smiths)]
    others = [{"fn": f"given{i // 2}", "ln": f"rare{i // 2}"} for i in range(n_others)]
    return smiths + others


def test_agreeing_on_a_rare_name_weighs_more_than_on_a_common_one() -> None:
    frame = features(*crowd(400, TF_MIN_RECORDS))
    records = coded(frame)
    scored = score_pairs(MODEL, records, np.asarray([0, 400]), np.asarray([1, 401]))
    assert scored.levels[:, 0].tolist() == [0, 0]  # both exact
    assert scored.weights[1, 0] > scored.weights[0, 0]
    flat = score_pairs(untouched(MODEL), records, np.asarray([0]), np.asarray([1]))
    assert scored.weights[0, 0] < flat.weights[0, 0]  # "john smith" is worth less than average


def test_a_small_file_has_no_term_frequency_adjustment() -> None:
    frame = features(*crowd(20, 20))
    scored = score_pairs(MODEL, coded(frame), np.asarray([0, 20]), np.asarray([1, 21]))
    assert scored.weights[0, 0] == pytest.approx(scored.weights[1, 0])


def test_decisions_follow_the_probability_and_the_thresholds() -> None:
    frame = features(
        {"fn": "ann", "ln": "lee", "email": "ann.lee@acme.com", "email_local": "annlee"},
        {"fn": "ann", "ln": "lee", "email": "ann.lee@acme.com", "email_local": "annlee"},
        {"fn": "ann", "ln": "lee"},
        {"fn": "bob", "ln": "ray", "email": "bob@ray.io", "email_local": "bob"},
    )
    records = coded(frame)
    left, right = np.asarray([0, 0, 0]), np.asarray([1, 2, 3])
    scored = score_pairs(MODEL, records, left, right)
    total = prior_weight(MODEL) + scored.weights.sum(axis=1)
    p = scored.probability
    assert p == pytest.approx(1 / (1 + 2.0**-total), rel=1e-5)
    assert p[0] > p[1] > p[2]  # name and email > name only > nothing in common
    assert scored.apart.tolist() == [False, False, True]
    assert p[2] < APART_PROBABILITY
    between = replace(MODEL, link_threshold=(p[0] + p[1]) / 2, review_threshold=(p[1] + p[2]) / 2)
    decided = score_pairs(between, records, left, right)
    assert decided.link.tolist() == [True, False, False]
    assert decided.review.tolist() == [False, True, False]


def test_a_name_and_nothing_else_is_reviewed_never_linked() -> None:
    """However much a name weighs, two records that can be compared on it alone (the email of
    one missing) go to a steward; a model of one comparison (a list of company names) still
    links on it."""
    frame = features({"fn": "ann", "ln": "lee"}, {"fn": "ann", "ln": "lee", "email": "a@b.io"})
    records, left, right = coded(frame), np.asarray([0]), np.asarray([1])
    eager = replace(MODEL, link_threshold=0.01, review_threshold=0.001)
    scored = score_pairs(eager, records, left, right)
    assert scored.probability[0] > eager.link_threshold
    assert scored.link.tolist() == [False]
    assert scored.review.tolist() == [True]
    names_only = replace(eager, comparisons=eager.comparisons[:1])
    assert score_pairs(names_only, records, left, right).link.tolist() == [True]


def test_a_missing_level_weighs_nothing_and_the_detail_names_levels() -> None:
    frame = features({"fn": "ann", "ln": "lee"}, {"fn": "ann", "ln": "lee", "email": "a@b.io"})
    scored = score_pairs(MODEL, coded(frame), np.asarray([0]), np.asarray([1]))
    assert scored.levels[0].tolist() == [0, -1]
    assert scored.weights[0, 1] == 0
    detail = scored.detail(0)
    assert detail["model"] == "people"
    assert detail["levels"] == {"person_name": "exact", "email": "missing"}
    assert set(detail["weights"]) == {"prior", "person_name", "email"}
    assert detail["probability"] == pytest.approx(float(scored.probability[0]), abs=1e-4)


def test_one_person_on_many_identical_rows_does_not_make_a_name_common() -> None:
    """Term frequencies count identical records once (``distinct_weight``): 400 identical
    rows of one John Smith leave the name as rare as any; 400 John Smiths with 400 different
    addresses make it common (about as common as "John" and "Smith" are: 400 of the 900
    distinct records, so the penalty is that of the parts, ``_bounded_by_parts``)."""
    copies = features(*crowd(400, TF_MIN_RECORDS))
    people = features(*[{**r, "email": f"js{i}@acme.com"} if i < 400 else r
                        for i, r in enumerate(crowd(400, TF_MIN_RECORDS))])  # fmt: skip
    pairs = np.asarray([0, 400]), np.asarray([1, 401])
    one = score_pairs(MODEL, encode(copies, None, distinct_weight(copies)), *pairs)
    many = score_pairs(MODEL, encode(people, None, distinct_weight(people)), *pairs)
    assert one.weights[0, 0] == pytest.approx(one.weights[1, 0], abs=0.5)
    assert many.weights[0, 0] < one.weights[0, 0] - 2


def town_crowd() -> list[dict[str, str]]:
    """Ada Lovelace and John Smith, each one person on 60 records (60 towns); 1,400 others,
    half of them named John or Smith."""
    ada = [{"fn": "ada", "ln": "lovelace", "city": f"a{i}"} for i in range(60)]
    john = [{"fn": "john", "ln": "smith", "city": f"j{i}"} for i in range(60)]
    johns = [{"fn": "john", "ln": f"rare{i}"} for i in range(350)]
    smiths = [{"fn": f"first{i}", "ln": "smith"} for i in range(350)]
    others = [{"fn": f"given{i}", "ln": f"family{i}"} for i in range(700)]
    return ada + john + johns + smiths + others


def test_a_name_on_many_records_is_common_only_if_its_parts_are() -> None:
    """Both full names are on 60 distinct records. John and Smith are on hundreds more: a
    common name, and agreeing on it says little. Ada and Lovelace are nowhere else: one
    person seen many times (an inventor on 60 patents), and agreeing on it says much."""
    frame = features(*town_crowd())
    records = encode(frame, None, distinct_weight(frame))
    scored = score_pairs(MODEL, records, np.asarray([0, 60]), np.asarray([1, 61]))
    assert scored.levels[:, 0].tolist() == [0, 0]
    ada, john = scored.weights[:, 0]
    assert ada > john + 3
    flat = score_pairs(untouched(MODEL), records, np.asarray([0]), np.asarray([1]))
    assert john < flat.weights[0, 0] - 3  # the common name keeps its penalty


def test_sharing_only_a_common_surname_weighs_less_than_a_rare_one() -> None:
    pairs = [{"fn": "alpha", "ln": "smith"}, {"fn": "omega", "ln": "smith"},
             {"fn": "alpha", "ln": "zanzibar"}, {"fn": "omega", "ln": "zanzibar"}]  # fmt: skip
    frame = features(*town_crowd(), *pairs)
    records = encode(frame, None, distinct_weight(frame))
    n = len(frame)
    left, right = np.asarray([n - 4, n - 2]), np.asarray([n - 3, n - 1])
    scored = score_pairs(MODEL, records, left, right)
    assert scored.levels[:, 0].tolist() == [5, 5]  # the surname, first names unlike
    smith, zanzibar = scored.weights[:, 0]
    assert smith < zanzibar - 1.5  # Smith is on a quarter of the records
    flat = score_pairs(untouched(MODEL), records, left, right)
    assert zanzibar == pytest.approx(flat.weights[1, 0], abs=0.1)  # rare: the level's weight
