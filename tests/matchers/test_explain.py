"""``explain_pair`` says what happened to one pair: the prior and each comparison's level and
weight, and a decision that tells a refused link and a blocking miss from a plain "different"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matchers import MatchModel, dedupe_frame
from matchers.configure import configure
from matchers.explain import NotComparableError, explain_pair
from matchers.features import record_features
from matchers.priors import with_priors
from matchers.settings import BlockingRule, EntityModel
from tests.matchers.helpers import rows

ANN = {"first_name_key": "ann", "last_name_key": "miller", "email_key": "ann.miller@acme.com",
       "company_key": "acme", "postal_code": "10001"}  # fmt: skip
BOB = {"first_name_key": "bob", "last_name_key": "ray", "email_key": "bob.ray@globex.com",
       "company_key": "globex", "postal_code": "10002"}  # fmt: skip


def shipped_people(frame, **changes) -> EntityModel:
    """The comparisons configured for ``frame`` with the shipped parameters."""
    model = with_priors(configure(record_features(frame), "people")[0])
    return replace(model, **changes)


def test_the_table_is_the_prior_then_each_comparison_with_its_values() -> None:
    frame = rows(ANN, ANN, ANN, BOB)
    result = dedupe_frame(frame)
    explanation = explain_pair(result, 0, 3)
    table = explanation.table
    kinds = [c.kind for c in result.model.people.comparisons]
    assert table["field"].tolist() == ["prior", *kinds]
    assert {"person_name", "email", "employer"} <= set(kinds)
    name = table.set_index("field").loc["person_name"]
    assert (name["left"], name["right"], name["level"]) == (
        "ann / miller",
        "bob / ray",
        "different",
    )
    assert name["weight"] < 0
    assert explanation.decision == "different"
    assert explanation.probability == pytest.approx(0, abs=1e-3)
    same = explain_pair(result, 0, 1)
    assert same.decision == "link" and same.probability > 0.9
    assert set(same.table["level"].iloc[1:]) <= {"exact", "same_company", "same_company_and_site"}


def test_a_link_refused_by_the_chaining_guard_says_so() -> None:
    # one person three times, each row a little different (identical rows count once toward
    # the cap); clusters may hold two rows
    ann = [ANN, {**ANN, "postal_code": "10003"}, {**ANN, "postal_code": "10004"}]
    frame = rows(*ann, BOB)
    model = MatchModel(people=shipped_people(frame, max_cluster=2))
    result = dedupe_frame(frame, model=model, fit=False)
    assert result.clusters.iloc[:3].nunique() == 2
    pairs = [(0, 1), (0, 2), (1, 2)]
    split = [(i, j) for i, j in pairs if result.clusters[i] != result.clusters[j]]
    together = next(p for p in pairs if p not in split)
    assert explain_pair(result, *together).decision == "link"
    for pair in split:
        assert explain_pair(result, *pair).decision == (
            "link refused by the chaining guard (sent to review)"
        )
    reviewed = set(zip(result.reviews["left"], result.reviews["right"], strict=True))
    assert reviewed == set(split)  # refused links wait for a steward


def test_a_pair_no_blocking_rule_brought_together_says_so() -> None:
    frame = rows(ANN, ANN, BOB)
    model = MatchModel(people=shipped_people(frame, blocking=(BlockingRule(("dob",)),)))
    result = dedupe_frame(frame, model=model, fit=False)
    assert result.clusters.nunique() == 3
    assert explain_pair(result, 0, 1).decision == (
        "would link, but no blocking rule brought the two together"
    )


def test_a_person_and_a_company_row_are_not_comparable() -> None:
    frame = rows(ANN, BOB, {"company_key": "acme", "company_domain": "acme.com"})
    result = dedupe_frame(frame)
    with pytest.raises(NotComparableError, match="never the same entity"):
        explain_pair(result, 0, 2)
    with pytest.raises(KeyError):
        explain_pair(result, 0, 99)
