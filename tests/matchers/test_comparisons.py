"""Each comparison rule, table-driven: which level a pair of values gets."""

from __future__ import annotations

import numpy as np
import pytest

from matchers.coded import encode
from matchers.comparisons import (
    MISSING,
    compare,
    email_levels,
    employer_levels,
    home_levels,
    phone_levels,
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


@pytest.mark.parametrize(
    ("left", "right", "level"),
    [
        ({"postal_code": "2615", "street": "8 stanley street"},
         {"postal_code": "2615", "street": "8 stanley st"}, 0),  # private address, close street
        ({"postal_code": "2615", "street": "8 stanley street"},
         {"postal_code": "2615", "street": "41 gould circuit"}, 1),  # same postcode only
        ({"postal_code": "2615", "street": "8 stanley street"},
         {"postal_code": "3000", "street": "1 collins street"}, 2),
        ({"postal_code": "2615", "street": "8 stanley street", "company_key": "acme"},
         {"postal_code": "2615", "street": "8 stanley street"}, MISSING),  # a business site
        ({"postal_code": "2615"}, {}, MISSING),
    ],
)  # fmt: skip
def test_home_levels_only_for_private_addresses(left, right, level) -> None:  # type: ignore[no-untyped-def]
    assert pair_levels(home_levels, {**ANN, **left}, {**ANN, **right}) == level
