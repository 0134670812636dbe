"""Each comparison rule, table-driven: which level a pair of values gets."""

from __future__ import annotations

import numpy as np
import pytest

from matchers.coded import encode
from matchers.comparisons import (
    MISSING,
    city_levels,
    compare,
    email_levels,
    employer_levels,
    household,
    phone_levels,
    postcode_levels,
    street_levels,
    title_levels,
)
from matchers.features import record_features
from tests.matchers.helpers import pair_levels, rows

ANN = {"first_name_key": "ann", "last_name_key": "miller"}


def name_level(left: tuple[str | None, str | None], right: tuple[str | None, str | None]) -> int:
    records = [{"first_name_key": f, "last_name_key": last} for f, last in (left, right)]
    coded = encode(record_features(rows(*records)))
    return int(compare(coded, np.asarray([0]), np.asarray([1]))["name"].iat[0])


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        (("robert", "smith"), ("robert", "smith"), 0),  # exact
        (("robert", "smith"), ("smith", "robert"), 0),  # swapped first/last
        (("robert", "smith"), ("bob", "smith"), 1),  # nickname
        (("robert", "smith"), ("r", "smith"), 1),  # initial
        (("robert", "smith"), ("robret", "smith"), 2),  # typo in first name
        (("robert", "smith"), ("robert", "smiht"), 2),  # typo in surname
        (("robert", "harris"), ("robert", "harrismiller"), 2),  # double-barrelled surname
        (("robert", "smith"), ("alice", "smith"), 3),  # same surname only (colleague, family)
        (("robert", "smith"), ("robert", "jones"), 4),  # same first name only
        (("robert", "smith"), ("alice", "jones"), 5),  # different
        (("sarah", "cote"), ("samantha", "cote"), 3),  # similar-looking but other first name
        ((None, None), ("alice", "jones"), MISSING),
    ],
)
def test_name_levels(left, right, level) -> None:  # type: ignore[no-untyped-def]
    assert name_level(left, right) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("ann.miller@acme.com", "ann.miller@acme.com", 0),  # exact, spells the surname
        ("ann@acme.com", "ann@acme.com", 1),  # exact, but only a first name: colleagues share
        ("ann.miller@acme.com", "ann.miller@globex.com", 2),  # same local part, new employer
        ("ann.miller@acme.com", "ann.millr@acme.com", 3),  # typo in the local part
        ("ann.miller@acme.com", "bob.jones@acme.com", 4),  # a colleague's address
        ("amiller@acme.com", "ann.miller@acme.com", MISSING),  # two spellings of hers
        ("bmiller@acme.com", "ann.miller@acme.com", 4),  # another Miller at Acme
        ("ann.miller@acme.com", "annie77@gmail.com", 5),  # different
        ("ann.miller@acme.com", None, MISSING),
    ],
)
def test_email_levels(left, right, level) -> None:  # type: ignore[no-untyped-def]
    assert (
        pair_levels(email_levels, {**ANN, "email_key": left}, {**ANN, "email_key": right}) == level
    )


def test_phone_levels_tell_a_switchboard_from_a_personal_number() -> None:
    switchboard = "+15555550100"
    colleagues = [
        {"first_name_key": f, "last_name_key": s, "phone": switchboard}
        for f, s in (("ann", "miller"), ("bob", "jones"), ("carl", "young"), ("dana", "ross"))
    ]
    mobile = [
        {**ANN, "mobile": "+15555550199", "phone": "+15555550111"},
        {**ANN, "phone": "+15555550199"},  # the mobile given as phone elsewhere
        {**ANN},
    ]
    coded = encode(record_features(rows(*colleagues, *mobile)))
    left, right = np.asarray([0, 4, 4, 0]), np.asarray([1, 5, 6, 4])
    assert list(phone_levels(coded, left, right)) == [1, 0, MISSING, 2]


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ({"company_key": "acme", "postal_code": "02139", "street": "1 main st"},
         {"company_key": "acme", "postal_code": "02139", "street": "1 main st"}, 0),
        ({"company_key": "acme", "postal_code": "02139"}, {"company_key": "acme"}, 1),
        ({"company_domain": "acme.com"}, {"company_domain": "acme.com", "company_key": "acme"}, 1),
        ({"company_key": "acme", "postal_code": "02139"},
         {"company_key": "globex", "postal_code": "02139"}, 2),
        ({"company_key": "acme"}, {"company_key": "globex"}, 3),
        ({}, {"company_key": "globex"}, MISSING),
    ],
)  # fmt: skip
def test_employer_levels(left, right, level) -> None:  # type: ignore[no-untyped-def]
    def employer(coded, a, b):  # type: ignore[no-untyped-def]
        return employer_levels(coded, a, b, phone_levels(coded, a, b))

    assert pair_levels(employer, {**ANN, **left}, {**ANN, **right}) == level


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("vp of sales", "VP of Sales", 0),
        ("vp of sales", "vp of sale", 1),
        ("vp of sales", "software engineer", 2),
        (None, "cto", MISSING),
    ],
)
def test_title_levels(left, right, level) -> None:  # type: ignore[no-untyped-def]
    assert (
        pair_levels(title_levels, {**ANN, "job_title": left}, {**ANN, "job_title": right}) == level
    )


def test_free_mail_domain_is_not_an_employer() -> None:
    records = rows(
        {**ANN, "email_key": "ann1@gmail.com", "email_is_free": True},
        {"first_name_key": "bob", "last_name_key": "jones", "email_key": "bob@gmail.com",
         "email_is_free": True},
    )  # fmt: skip
    features = record_features(records)
    assert list(features["domain"]) == ["", ""]


def test_two_free_mail_addresses_are_not_colleagues() -> None:
    free = {"email_is_free": True}
    level = pair_levels(
        email_levels,
        {**ANN, **free, "email_key": "ann.miller@gmail.com"},
        {**ANN, **free, "email_key": "annie77@gmail.com"},
    )
    assert level == 5  # different, not "colleague_same_domain"
    typo = pair_levels(
        email_levels,
        {**ANN, **free, "email_key": "ann.miller@gmail.com"},
        {**ANN, **free, "email_key": "ann.millr@gmail.com"},
    )
    assert typo == 3  # a typo in a gmail address is still a typo


HOME = {"postal_code": "2615", "street": "8 stanley street", "city": "kaleen"}


@pytest.mark.parametrize(
    ("field", "left", "right", "level"),
    [
        (street_levels, HOME, HOME, 0),
        (street_levels, HOME, {**HOME, "street": "8 stanley st"}, 1),  # JW >= 0.9
        (street_levels, HOME, {**HOME, "street": "18 stanly street"}, 2),  # JW >= 0.8
        (street_levels, HOME, {**HOME, "street": "41 gould circuit"}, 3),
        (postcode_levels, HOME, HOME, 0),
        (postcode_levels, HOME, {**HOME, "postal_code": "2616"}, 1),  # a neighbour, or a typo
        (postcode_levels, HOME, {**HOME, "postal_code": "3000"}, 1),
        (city_levels, HOME, HOME, 0),
        (city_levels, HOME, {**HOME, "city": "kaleem"}, 1),
        (city_levels, HOME, {**HOME, "city": "belconnen"}, 2),
        # a business site is company evidence (employer), never a home address
        (street_levels, {**HOME, "company_key": "acme"}, HOME, MISSING),
        (postcode_levels, HOME, {**HOME, "company_domain": "acme.com"}, MISSING),
        (city_levels, HOME, {**HOME, "email_key": "ann@acme.com"}, MISSING),  # work email
        (city_levels, HOME, {**HOME, "email_key": "ann@gmail.com", "email_is_free": True}, 0),
        (street_levels, HOME, {"postal_code": "2615"}, MISSING),
    ],
)  # fmt: skip
def test_private_address_levels(field, left, right, level) -> None:  # type: ignore[no-untyped-def]
    assert pair_levels(field, {**ANN, **left}, {**ANN, **right}) == level


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (("ann", "miller"), ("mark", "miller"), True),  # one household, or a substituted name
        (("ann", "miller"), ("anne", "miller"), False),  # a typo
        (("ann", "miller"), ("a", "miller"), False),  # an initial
        (("ann", "miller"), (None, "miller"), False),  # a missing first name
        (("ann", "miller"), ("miller", "ann"), False),  # swapped fields
        (("ann", "miller"), ("mark", "jones"), False),  # not one surname
    ],
)
def test_household_pairs(left, right, expected) -> None:  # type: ignore[no-untyped-def]
    records = [
        {**HOME, "first_name_key": first, "last_name_key": last} for first, last in (left, right)
    ]
    assert pair_levels(household, *records) == expected
    at_work = [{**record, "company_key": "acme"} for record in records]
    assert not pair_levels(household, *at_work)  # colleagues are not a household


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ("CTO", "Chief Technology Officer", 0),  # abbreviations spelt out
        ("VP of Sales", "VP Sales", 0),  # filler words dropped
        ("Sr. Data Analyst", "Senior Data Analyst", 0),
        ("CEO", "CFO", 2),
    ],
)
def test_title_levels_read_abbreviations(left: str, right: str, level: int) -> None:
    assert (
        pair_levels(title_levels, {**ANN, "job_title": left}, {**ANN, "job_title": right}) == level
    )
