"""Generic values: a phone, an address or a web domain shared by many different identities says
nothing about which person (or company) a record is."""

from __future__ import annotations

import pandas as pd
import pytest

from matchers import dedupe_frame
from matchers.explain import explain_pair
from matchers.generic import COMPANY_RULES, DOMAIN_COMPANIES, PERSON_RULES, generic_values
from tests.matchers.helpers import features, rows

SWITCHBOARD = "6175550100"


def person(first: str, last: str, **values: str) -> dict[str, str]:
    return {"fn": first, "ln": last, **values}


def test_a_phone_given_by_many_different_surnames_is_generic() -> None:
    frame = features(
        person("ann", "lee", phone=SWITCHBOARD),
        person("bob", "ray", phone=SWITCHBOARD),
        person("carla", "oto", mobile=SWITCHBOARD),  # also counted when given as a mobile
        person("dan", "kim", phone="6175550199"),
        person("dan", "kim", mobile="6175550199"),
    )
    assert set(generic_values(frame, PERSON_RULES)["phone"]) == {SWITCHBOARD}


def test_a_persons_own_phone_on_their_records_is_not_generic() -> None:
    frame = features(
        person("dan", "kim", phone="6175550199"),
        person("daniel", "kim", mobile="6175550199"),
        person("dan", "kimm", phone="6175550199"),  # a typo is still his surname
        person("d", "kim", phone="6175550199"),
    )
    assert len(generic_values(frame, PERSON_RULES)["phone"]) == 0


def test_one_persons_address_under_swapped_garbled_and_half_missing_names_is_not_generic() -> None:
    """Another generator's duplicates: one address given as Noah Watson, Watson Noah, Noah
    with no surname, Nah Wtson; Ivy Kay as Iy, Ky, Ivy Ya. Each is one person."""
    frame = features(
        person("noah", "watson", email="matthew78@ballard.net"),
        person("watson", "noah", email="matthew78@ballard.net"),
        person("noah", "", email="matthew78@ballard.net"),
        person("nah", "wtson", email="matthew78@ballard.net"),
        person("ivy", "kay", email="seancollins@dean.com"),
        person("iy", "", email="seancollins@dean.com"),
        person("", "ky", email="seancollins@dean.com"),
        person("ivy", "ya", email="seancollins@dean.com"),
    )
    assert len(generic_values(frame, PERSON_RULES)["email"]) == 0


def test_an_address_of_three_unlike_people_is_generic_even_with_a_shared_surname() -> None:
    frame = features(
        person("ann", "lee", email="lees.desk@acme.com"),
        person("bob", "ray", email="lees.desk@acme.com"),
        person("carla", "oto", email="lees.desk@acme.com"),
        person("dan", "lee", email="lees.desk@acme.com"),
    )
    assert set(generic_values(frame, PERSON_RULES)["email"]) == {"lees.desk@acme.com"}


def test_two_people_sharing_a_line_is_not_yet_a_switchboard() -> None:
    frame = features(
        person("ann", "lee", phone=SWITCHBOARD), person("bob", "ray", phone=SWITCHBOARD)
    )
    assert len(generic_values(frame, PERSON_RULES)["phone"]) == 0


def test_a_role_mailbox_is_generic_even_on_one_record() -> None:
    frame = features(
        person("ann", "lee", email="info@acme.com"),
        person("bob", "ray", email="bob.ray@acme.com"),
    )
    assert set(generic_values(frame, PERSON_RULES)["email"]) == {"info@acme.com"}


FIRMS = (
    "acme",
    "globex",
    "initech",
    "hooli",
    "vandelay",
    "wonka",
    "tyrell",
    "cyberdyne",
    "soylent",
)


def test_a_domain_used_by_many_companies_is_generic() -> None:
    frame = features(
        {"company": "acme", "domain": "example.com"},
        {"company": "globex", "domain": "example.com"},
        {"company": "initech", "domain": "example.com"},
        {"company": "umbrella", "domain": "umbrella.com"},
        {"company": "umbrella", "domain": "umbrella.com"},
        {"company": "umbrella", "domain": "umbrella.com"},
    )
    assert set(generic_values(frame, PERSON_RULES)["web"]) == {"example.com"}
    # among company records three companies on one domain are weighed by term frequency;
    # DOMAIN_COMPANIES of them make it generic
    assert len(generic_values(frame, COMPANY_RULES)["web"]) == 0
    host = features(
        *({"company": name, "domain": "example.com"} for name in FIRMS),
        {"company": "umbrella", "domain": "umbrella.com"},
    )
    assert len(generic_values(host, COMPANY_RULES)["web"]) == 0
    host = pd.concat([host, features({"company": "zeta works", "domain": "example.com"})])
    assert DOMAIN_COMPANIES == 10
    assert set(generic_values(host, COMPANY_RULES)["web"]) == {"example.com"}


def test_a_company_line_at_one_site_is_not_generic_among_companies() -> None:
    """Listings of one company (one address, one switchboard) carry its line many times."""
    frame = features(
        {"company": "acme", "street_number": "1", "phone": SWITCHBOARD},
        {"company": "acme robotics", "street_number": "1", "phone": SWITCHBOARD},
        {"company": "acme", "street_number": "1", "phone": SWITCHBOARD},
        {"company": "globex", "street_number": "9", "phone": "2125550199"},
    )
    assert len(generic_values(frame, COMPANY_RULES)["phone"]) == 0


SWITCHBOARD_E164 = "+1" + SWITCHBOARD
STAFF = [("ann", "lee"), ("bob", "ray"), ("cy", "oto"), ("dee", "park"), ("eli", "stone"),
         ("fay", "wu")]  # fmt: skip


def office_rows() -> list[dict[str, object]]:
    """Six colleagues behind one switchboard with placeholder addresses at example.com, one
    person three times (her own mobile and email) and one twice (his mobile)."""
    staff = [
        {"first_name_key": first, "last_name_key": last, "phone": SWITCHBOARD_E164,
         "company_domain": "example.com", "email_key": f"{first}.{last}@example.com",
         "email_is_placeholder": True}
        for first, last in STAFF
    ]  # fmt: skip
    carla = {"first_name_key": "carla", "last_name_key": "mendes"}
    return [
        *staff,
        {**carla, "email_key": "carla.mendes@mendes.io", "mobile": "+16175550177"},
        {**carla, "email_key": "carla.mendes@mendes.io", "phone": SWITCHBOARD_E164},
        {**carla, "mobile": "+16175550177"},
        {"first_name_key": "dan", "last_name_key": "kim", "mobile": "+16175550155"},
        {"first_name_key": "dan", "last_name_key": "kim", "mobile": "+16175550155"},
    ]


def test_unrelated_people_sharing_a_switchboard_and_example_com_are_not_linked() -> None:
    result = dedupe_frame(rows(*office_rows()))
    clusters = result.clusters.tolist()
    assert len(set(clusters[:6])) == 6  # the colleagues stay apart
    assert clusters[6] == clusters[7] == clusters[8]  # the duplicates do link
    assert clusters[9] == clusters[10] != clusters[6]
    assert set(result.reviews["left"]).isdisjoint(range(6))  # nor do they wait for review
    run = result.runs["people"]
    assert SWITCHBOARD in set(run.coded.vocab["phone"][run.coded.generic["phone"]])
    explanation = explain_pair(result, 0, 1)
    levels = dict(zip(explanation.table["field"], explanation.table["level"], strict=True))
    # the shared line is never person evidence
    assert levels.get("phone", "not compared") == "not compared"
    assert explanation.decision == "different"


BUYER = "jordan.blake@gmail.com"


@pytest.mark.parametrize(
    ("names", "shared"),
    [
        ([("ann", "lee"), ("robert", "stone")], True),  # an order's attendees, buyer's address
        ([("ann", "lee"), ("robert", "lee")], True),  # a family under one address
        ([("anna", "fischer"), ("anna", "schulz")], True),  # the address names neither
        ([("robert", "stone"), ("bob", "stone")], False),  # a nickname: one person
        ([("robert", "stone"), ("stone", "robert")], False),  # swapped fields
        ([("robert", "stone"), ("robret", "stone")], False),  # a typo
        ([("kirk", "bass"), ("gxd", "tss")], False),  # garbled: no evidence of two people
        ([("jordan", "blake"), ("jordan", "smith")], False),  # a married name beside her address
    ],
)
def test_an_address_given_by_two_people_is_a_shared_mailbox(
    names: list[tuple[str, str]], shared: bool
) -> None:
    frame = features(*(person(first, last, email=BUYER) for first, last in names))
    assert (BUYER in set(generic_values(frame, PERSON_RULES)["email"])) is shared


def test_attendees_registered_under_the_buyers_address_stay_apart() -> None:
    """Two attendees of one order registered with the buyer's email (two people: not yet a
    generic value by count); the buyer's own two records still link."""
    buyer = {"first_name_key": "jordan", "last_name_key": "blake", "mobile": "+16175550177"}
    result = dedupe_frame(
        rows(
            {"first_name_key": "ann", "last_name_key": "lee", "email_key": BUYER},
            {"first_name_key": "robert", "last_name_key": "stone", "email_key": BUYER},
            {**buyer, "email_key": "jb@blake.io"},
            {**buyer, "email_key": "jb@blake.io"},
        )
    )
    clusters = result.clusters.tolist()
    assert clusters[0] != clusters[1]
    assert clusters[2] == clusters[3]
    assert clusters[2] not in (clusters[0], clusters[1])
    table = explain_pair(result, 0, 1).table
    levels = dict(zip(table["field"], table["level"], strict=True))
    assert levels.get("email", "not compared") == "not compared"  # no evidence either way


def test_an_address_that_names_one_of_the_given_names_is_that_persons() -> None:
    """``ada@`` given as Ada Lovelace and as Augusta Lovelace (her other given name)."""
    address = "ada@analytical.example.org"
    frame = features(
        person("ada", "lovelace", email=address), person("augusta", "lovelace", email=address)
    )
    assert address not in set(generic_values(frame, PERSON_RULES)["email"])
