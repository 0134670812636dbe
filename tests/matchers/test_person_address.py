"""Person-address data (no company, email or phone): the private address is person evidence,
and EM that loses the match class falls back to its starting model."""

from __future__ import annotations

from dataclasses import replace

from matchers import dedupe_frame, default_model
from matchers.explain import explain_pair
from matchers.model import Stratum
from matchers.scoring import _sane
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
    assert explain_pair(result, 0, 1).table["level"].iat[0] == "other"  # no employer on either side


def test_em_that_collapsed_keeps_the_starting_stratum() -> None:
    start = default_model().strata["other"]
    collapsed = replace(start, prior=1e-6)
    assert _sane(collapsed, start) is start
    swapped = replace(start, m={**start.m, "name": list(reversed(start.m["name"]))})
    assert _sane(swapped, start) is start
    healthy = replace(start, prior=0.01)
    assert _sane(healthy, start) is healthy
    assert isinstance(_sane(Stratum(), start), Stratum)
