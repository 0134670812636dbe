"""Steward labels refine a model: accepted pairs pull m, rejected pairs pull u towards their
levels, read back from the review detail by level label."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from matchers import default_model
from matchers.estimate import monotone
from matchers.training import labelled_levels, refit

PEOPLE = default_model().people
assert PEOPLE is not None


def column(kind: str) -> int:
    return [c.kind for c in PEOPLE.comparisons].index(kind)


def level(kind: str, label: str) -> int:
    return [lv.label for lv in PEOPLE.comparisons[column(kind)].levels].index(label)


def test_labelled_levels_read_the_detail_by_label() -> None:
    details: list[dict[str, Any]] = [
        {"levels": {"person_name": "close", "email": "missing", "phone": "exact"}},
        {"levels": {"person_name": "a level since renamed", "email": "different"}},
        {"no levels": True},
    ]
    levels = labelled_levels(PEOPLE, details)
    assert levels.shape == (3, len(PEOPLE.comparisons))
    assert levels[0, column("person_name")] == level("person_name", "close")
    assert levels[0, column("phone")] == level("phone", "exact")
    assert levels[0, column("email")] == -1  # missing: not compared
    assert levels[1, column("person_name")] == -1  # an unknown label counts for nothing
    assert levels[1, column("email")] == level("email", "different")
    assert (levels[2] == -1).all()


def test_refit_moves_m_towards_accepted_pairs_and_u_towards_rejected() -> None:
    n = 100
    levels = np.full((n, len(PEOPLE.comparisons)), -1, dtype=np.int8)
    close, different = level("person_name", "close"), level("person_name", "different")
    levels[:50, column("person_name")] = close  # accepted: close names were one person
    levels[50:, column("person_name")] = different  # rejected
    accepted = np.r_[np.ones(50, bool), np.zeros(50, bool)]
    refined = refit(PEOPLE, levels, accepted, strength=50)
    before = PEOPLE.comparisons[column("person_name")]
    after = refined.comparisons[column("person_name")]
    assert after.levels[close].m > before.levels[close].m
    assert after.levels[different].u > before.levels[different].u
    assert after.weights()[close] > before.weights()[close]
    assert sum(lv.m for lv in after.levels) == pytest.approx(1, abs=1e-6)
    for k, comparison in enumerate(refined.comparisons):  # no labels there: u as it was
        if k != column("person_name"):
            old = PEOPLE.comparisons[k]
            u = np.asarray([lv.u for lv in old.levels])
            assert [lv.u for lv in comparison.levels] == pytest.approx(u, rel=1e-4)
            m = monotone(np.asarray([lv.m for lv in old.levels]), u)  # only made monotone
            assert [lv.m for lv in comparison.levels] == pytest.approx(m, rel=1e-3, abs=1e-7)


def test_refit_levels_stay_monotone() -> None:
    levels = np.full((100, len(PEOPLE.comparisons)), -1, dtype=np.int8)
    levels[:50, column("person_name")] = level("person_name", "close")
    levels[50:, column("person_name")] = level("person_name", "different")
    accepted = np.r_[np.ones(50, bool), np.zeros(50, bool)]
    refined = refit(PEOPLE, levels, accepted, strength=50)
    for comparison in refined.comparisons:
        assert np.all(np.diff(comparison.weights()) <= 0.01), comparison.kind


def test_refit_keeps_u_among_colleagues() -> None:
    with_colleagues = replace(
        PEOPLE,
        comparisons=tuple(
            c.with_parameters(
                np.asarray([lv.m for lv in c.levels]),
                np.asarray([lv.u for lv in c.levels]),
                np.full(len(c.levels), 1 / len(c.levels)),
            )
            for c in PEOPLE.comparisons
        ),
    )
    levels = np.full((10, len(PEOPLE.comparisons)), -1, dtype=np.int8)
    levels[:, column("person_name")] = level("person_name", "close")
    refined = refit(with_colleagues, levels, np.ones(10, bool), strength=50)
    for before, after in zip(with_colleagues.comparisons, refined.comparisons, strict=True):
        assert [lv.u_within for lv in after.levels] == [lv.u_within for lv in before.levels]
