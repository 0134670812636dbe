"""Person-address data (no company, email or phone): a private record's home address is person
evidence, and a model fitted to such a file learns the person, not the town."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.mapping import apply_mapping, propose_mapping
from ingest.normalize import normalize_batch
from ingest.validate import validate_batch
from matchers import dedupe_frame
from matchers.explain import explain_pair
from sample_data.households import generate_home_addresses
from tests.matchers.helpers import (
    best_rule_f1,
    exact_key_clusters,
    f1_score,
    precision_recall,
    rows,
)

MICHAELA = {"first_name_key": "michaela", "last_name_key": "neumann"}


def small_home_file() -> pd.DataFrame:
    return rows(
        {**MICHAELA, "postal_code": "4223", "street": "8 stanley street", "city": "kaleen"},
        {**MICHAELA, "postal_code": "4223", "street": "8 stanley st", "city": "kaleen"},
        # a namesake elsewhere
        {**MICHAELA, "postal_code": "3000", "street": "12 collins street", "city": "melbourne"},
        {"first_name_key": "tom", "last_name_key": "baker", "postal_code": "3001",
         "street": "1 elm road", "city": "melbourne"},
    )  # fmt: skip


def test_same_name_and_home_address_link_without_any_other_evidence() -> None:
    result = dedupe_frame(small_home_file())
    clusters = result.clusters.tolist()
    assert clusters[0] == clusters[1] != clusters[3]
    levels = explain_pair(result, 0, 1).table.set_index("field")["level"]
    assert levels["home_street"] == "close" and levels["home_postcode"] == "exact"
    assert "employer" not in levels  # no company on any record: not configured at all


def test_a_namesake_at_another_home_is_someone_else() -> None:
    clusters = dedupe_frame(small_home_file()).clusters.tolist()
    assert clusters[2] not in (clusters[0], clusters[1])


def home_rows(n: int, seed: int, **options: float) -> tuple[pd.DataFrame, pd.Series]:
    raw = generate_home_addresses(n, seed=seed, **options)
    truth = raw.pop("true_person_id")
    canonical = apply_mapping(raw, propose_mapping(list(raw.columns)))
    return validate_batch(normalize_batch(canonical)), truth


NAME_RULES = [
    ("first_name_key", "last_name_key", "postal_code"),
    ("first_name_key", "last_name_key"),
]
"""Naive rules a fitted model must beat on the same records (no threshold tuned to the
generator; quality on outside data is ``test_outside_data.py``)."""


@pytest.fixture(scope="module")
def homes() -> tuple[pd.DataFrame, pd.Series]:
    return home_rows(10_000, seed=11, household_share=0.0)


@pytest.mark.slow  # 10,000 generated records
def test_a_fitted_home_address_model_learns_the_person_not_the_town(
    homes: tuple[pd.DataFrame, pd.Series],
) -> None:
    frame, truth = homes
    result = dedupe_frame(frame)
    people = result.model.people
    assert people is not None
    kinds = [c.kind for c in people.comparisons]
    assert {"person_name", "home_street", "home_postcode"} <= set(kinds)
    town = "home_city" if "home_city" in kinds else "city"
    name = dict(zip([lv.label for lv in people.comparison("person_name").levels],
                    people.comparison("person_name").weights(), strict=True))  # fmt: skip
    assert name["exact"] > name["surname_other_first"] > name["different"]
    street = people.comparison("home_street").weights()
    city = people.comparison(town).weights()
    assert street[0] > city[0]  # the same home says more than the same town
    assert 0.2 / truth.nunique() < people.prior < 5 / truth.nunique()  # random pairs
    model_f1 = f1_score(*precision_recall(result.clusters, truth))
    assert model_f1 > best_rule_f1(frame, truth, NAME_RULES)


@pytest.mark.slow  # 3,000 generated records, fitted
def test_households_keep_recall() -> None:
    """With households (one surname, several first names at one home) recall holds; the
    model alone decides about them (there is no household option any more)."""
    frame, truth = home_rows(3000, seed=3)
    precision, recall = precision_recall(dedupe_frame(frame).clusters, truth)
    surname_at_home = exact_key_clusters(frame, ("last_name_key", "postal_code"))
    name_at_home = exact_key_clusters(frame, NAME_RULES[0])
    assert precision > precision_recall(surname_at_home, truth)[0]  # a home is not one person
    assert recall > precision_recall(name_at_home, truth)[1]  # typos and moves are found


@pytest.mark.slow
def test_person_address_quality_holds_at_100k_rows() -> None:
    """At this size one name often recurs in one postcode."""
    frame, truth = home_rows(100_000, seed=11, household_share=0.0)
    model_f1 = f1_score(*precision_recall(dedupe_frame(frame).clusters, truth))
    assert model_f1 > best_rule_f1(frame, truth, NAME_RULES)
