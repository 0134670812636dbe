"""Whose address a file gives: its people's homes, or their employers' sites."""

from __future__ import annotations

import pandas as pd

from matchers import dedupe_frame
from matchers.homes import MIN_SHARED, addresses_are_homes, with_homes
from tests.matchers.helpers import features, rows

EMPLOYERS = ("harbor freight", "mercy clinic", "city of tacoma", "walgreens", "boeing")
STREETS = ("walnut", "cedar", "elm", "birch", "maple", "spruce")


def _home_file(households: int) -> list[dict[str, str]]:
    """Two earners per household, each at their own employer, at the household's address."""
    out = []
    for k in range(households):
        street = f"{100 + k} {STREETS[k % len(STREETS)]} st"
        for j in (0, 1):
            company = EMPLOYERS[(k + 2 * j) % len(EMPLOYERS)]
            out.append({"street": street, "postal": "98402", "company": company})
    return out


def _site_file(sites: int) -> list[dict[str, str]]:
    """Two colleagues per site, the company's name once misspelt."""
    out = []
    for k in range(sites):
        street = f"{100 + k} {STREETS[k % len(STREETS)]} ave"
        company = f"{EMPLOYERS[k % len(EMPLOYERS)]} {k}"
        out += [
            {"street": street, "postal": "98402", "company": company},
            {"street": street, "postal": "98402", "company": company.replace("e", "a", 1)},
        ]
    return out


def test_addresses_shared_by_unlike_employers_are_homes() -> None:
    assert addresses_are_homes(features(*_home_file(MIN_SHARED)))
    assert not addresses_are_homes(features(*_site_file(MIN_SHARED)))
    # too few shared addresses say nothing
    assert not addresses_are_homes(features(*_home_file(MIN_SHARED - 1)))


def test_with_homes_marks_every_record_private_only_for_a_home_file() -> None:
    homes = with_homes(features(*_home_file(MIN_SHARED)))
    assert set(homes["private"]) == {"1"}
    sites = features(*_site_file(MIN_SHARED))
    assert with_homes(sites) is sites


def _earners() -> pd.DataFrame:
    """Tax forms: each person at their home, with one or two employers; households share the
    address and the surname. Person 0 (Nancy Spence) has two jobs."""
    first = ("nancy", "eric", "diana", "paul", "rosa", "li", "omar", "ines", "kai", "zoe")
    last = ("spence", "garrett", "garrett", "okafor", "okafor", "chen", "chen", "silva",
            "silva", "moreau")  # fmt: skip
    records = []
    for k in range(200):
        person = k % 10
        household = (person + 1) // 2 + 10 * (k // 10)
        records.append(
            {
                "first_name_key": first[person],
                "last_name_key": f"{last[person]}{k // 10}",
                "street": f"{100 + household} {STREETS[household % len(STREETS)]} st",
                "postal_code": "98402",
                "company_key": EMPLOYERS[(k + person) % len(EMPLOYERS)] + f" {k}",
                "person": f"{person}-{k // 10}",
            }
        )
    return rows(*records)


def _with_second_jobs() -> pd.DataFrame:
    frame = _earners()
    second = frame.iloc[::4].copy()  # a quarter of the earners hold a second job
    second["company_key"] = [f"riverside diner {k}" for k in range(len(second))]
    return pd.concat([frame, second], ignore_index=True)


def test_one_person_at_two_employers_at_home_is_one_person_and_a_spouse_is_not() -> None:
    frame = _with_second_jobs()
    clusters = dedupe_frame(frame.drop(columns=["person"])).clusters.to_numpy()
    truth = frame["person"].to_numpy()
    for k in range(len(frame)):
        for j in range(k + 1, len(frame)):
            assert (clusters[k] == clusters[j]) == (truth[k] == truth[j]), (k, j)
