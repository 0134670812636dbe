"""Person-address data (no company, email or phone): the private address is person evidence,
the private stratum learns a person (not a town), households can be held for review, and EM
that loses the match class falls back to its starting model."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from ingest.mapping import apply_mapping, propose_mapping
from ingest.normalize import normalize_batch
from ingest.validate import validate_batch
from matchers import dedupe_frame, default_model
from matchers.explain import explain_pair
from matchers.model import Stratum
from matchers.scoring import _sane
from sample_data.households import generate_home_addresses
from tests.matchers.helpers import rows


def test_same_name_and_home_address_link_without_any_other_evidence() -> None:
    frame = rows(
        {"first_name_key": "michaela", "last_name_key": "neumann", "postal_code": "4223",
         "street": "8 stanley street"},
        {"first_name_key": "michaela", "last_name_key": "neumann", "postal_code": "4223",
         "street": "8 stanley st"},
        {"first_name_key": "michaela", "last_name_key": "neumann", "postal_code": "3000",
         "street": "12 collins street"},  # a namesake elsewhere
    )  # fmt: skip
    result = dedupe_frame(frame)
    clusters = result.clusters.tolist()
    assert clusters[0] == clusters[1] != clusters[2]
    assert explain_pair(result, 0, 1).table["level"].iat[0] == "private"  # no employer either side


def test_em_that_collapsed_keeps_the_starting_stratum() -> None:
    start = default_model().strata["other"]
    collapsed = replace(start, prior=1e-6)
    assert _sane(collapsed, start) is start
    swapped = replace(start, m={**start.m, "name": list(reversed(start.m["name"]))})
    assert _sane(swapped, start) is start
    healthy = replace(start, prior=0.01)
    assert _sane(healthy, start) is healthy
    assert isinstance(_sane(Stratum(), start), Stratum)


def _home_rows(n: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    raw = generate_home_addresses(n, seed=seed)
    canonical = apply_mapping(raw, propose_mapping(list(raw.columns)))
    return validate_batch(normalize_batch(canonical)), raw["true_person_id"]


def _precision_recall(clusters: pd.Series, truth: pd.Series) -> tuple[float, float]:
    def pairs(labels: pd.Series) -> int:
        sizes = labels.value_counts()
        return int((sizes * (sizes - 1) // 2).sum())

    joint = pairs(truth.astype(str) + "|" + clusters.astype(str).to_numpy())
    return joint / max(pairs(clusters), 1), joint / max(pairs(truth), 1)


def test_the_private_stratum_learns_the_person_not_the_town() -> None:
    frame, truth = _home_rows(3000, seed=3)
    result = dedupe_frame(frame)
    private = result.model.strata["private"]
    # a different street must count against a match: one pass of EM over every candidate
    # learnt "lives in the same town" (most candidates share a city) and linked neighbours
    assert private.level_weights("street")[-1] < -1
    assert private.level_weights("name")[0] > private.level_weights("name")[3] > 0
    people = truth.nunique()
    assert 0.2 / people < private.prior < 5 / people  # a random pair, not a candidate pair
    precision, recall = _precision_recall(result.clusters, truth)
    assert recall > 0.95
    assert precision > 0.6  # households: see the next test


def test_household_review_keeps_one_surname_at_one_address_apart() -> None:
    frame, truth = _home_rows(3000, seed=3)
    linked = dedupe_frame(frame)
    careful = dedupe_frame(frame, model=replace(default_model(), household_review=True))
    precision, recall = _precision_recall(careful.clusters, truth)
    assert precision > 0.9 and recall > 0.95
    assert precision > _precision_recall(linked.clusters, truth)[0] + 0.1
    assert len(careful.reviews) > len(linked.reviews)  # the household pairs wait for a steward


def test_match_rate_counts_matches_among_candidates_over_all_pairs() -> None:
    from matchers.private import match_rate

    stratum = default_model().strata["private"]
    names = [0] * 300 + [5] * 700  # 300 clear duplicates, 700 namesake-free neighbours
    levels = pd.DataFrame({"name": names, "email": -1, "phone": -1, "employer": 3,
                           "title": -1, "street": 0, "postcode": 0, "city": 0})  # fmt: skip
    levels["street"] = [0] * 300 + [3] * 700
    rate = match_rate(stratum, levels, scale=2.0, all_pairs=1e7)  # a sample of half of them
    assert rate == pytest.approx(600 / 1e7, rel=0.05)


def test_person_address_quality_holds_at_100k_rows() -> None:
    """At this size one name often recurs in one postcode; a one-digit-off postcode level and
    the candidates' match share as prior once linked such neighbours (F1 0.42)."""
    raw = generate_home_addresses(100_000, seed=11, household_share=0.0)
    truth = raw.pop("true_person_id")
    canonical = apply_mapping(raw, propose_mapping(list(raw.columns)))
    result = dedupe_frame(validate_batch(normalize_batch(canonical)))
    precision, recall = _precision_recall(result.clusters, truth)
    assert precision > 0.85 and recall > 0.9
