"""Every comparison of the library, table-driven: which labelled level a pair of records gets.

Rows are normalized-looking records turned into features the way the engine does
(``record_features``, then ``encode`` with the generic values found in the pair); the name and
company cases that need a feature the normalizer decides (an uncertain name order, a folded
company key) are given as feature frames directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import product

import numpy as np
import pytest

from ingest.normalize.companies import normalize_company
from matchers.company_names import company_match_key
from matchers.comparisons import (
    LIBRARY,
    _contained,
    _nickname_or_initial,
    _one_contains_the_other,
)
from matchers.features import variants
from tests.matchers.helpers import coded, features, label_of_features, label_of_rows

ANN = {"first_name_key": "ann", "last_name_key": "miller"}
KELLY = {"first_name_key": "kelly", "last_name_key": "williams"}
AT_WORK = {"company_key": "acme robotics"}
AT_GLOBEX = {"company_key": "globex media"}
HOME = {"postal_code": "2615", "street": "8 stanley street", "city": "kaleen"}
OFFICE = {"company_key": "acme", "postal_code": "02139", "street": "1 main st"}


def name(first: str | None, last: str | None) -> dict[str, object]:
    return {"first_name_key": first, "last_name_key": last}


def mail(address: str | None) -> dict[str, object]:
    return {**KELLY, "email_key": address}


def on(base: Mapping[str, object], **values: object) -> dict[str, object]:
    return {**ANN, **base, **values}


CASES: dict[str, list[tuple[Mapping[str, object], Mapping[str, object], str]]] = {
    "person_name": [
        (name("robert", "smith"), name("robert", "smith"), "exact"),
        (name("robert", "smith"), name("smith", "robert"), "exact"),  # swapped fields
        (name("robert", "smith"), name("bob", "smith"), "nickname_or_initial"),
        (name("robert", "smith"), name("r", "smith"), "nickname_or_initial"),
        (name("robert", "smith"), name("robret", "smith"), "close"),  # typo in first name
        (name("robert", "smith"), name("robert", "smiht"), "close"),  # typo in surname
        (name("robert", "harris"), name("robert", "harrismiller"), "close"),  # double-barrelled
        (name("holger", "koch"), name("holger", "kocn"), "close"),  # one typo in a short name
        (name("sarah", "cote"), name("samantha", "cote"), "somewhat"),
        (name("uwe", "koch"), name("ute", "koch"), "somewhat"),  # too short to be a typo
        (name("robert", "smith"), name("alice", "smith"), "surname_other_first"),  # family
        (name(None, "smith"), name("alice", "smith"), "surname_only"),  # first name left out
        (name("robert", "smith"), name("robert", "jones"), "first_name_only"),
        (name("robert", "smith"), name("alice", "jones"), "different"),
        (name(None, None), name("alice", "jones"), "missing"),
    ],
    "email": [
        (mail("kelly.williams@moran.net"), mail("kelly.williams@moran.net"), "exact"),
        (mail("kellywilliams@moran.net"), mail("kelly.williams@moran.net"), "same_local"),
        (mail("kelly.williams@moran.net"), mail("kelly.williams+news@moran.net"), "same_local"),
        (mail("kw1975@moran.net"), mail("kw1975@gmail.com"), "same_local"),  # not name-built
        (mail("kw1975@moran.net"), mail("kw1957@moran.net"), "close_local"),  # a typo
        # a typo in the domain, or anywhere in the address, with the same digits
        (mail("matthew78@ballard-mcdonald.net"), mail("matthea78@bwllar-mcdonald.net"),
         "close_local"),
        (mail("avazquez@banks.com"), mail("avazquec@bnks.zom"), "close_local"),
        (mail("jsmith12@acme.com"), mail("jsmith21@acne.com"), "different"),  # other numbers
        (mail("eva.bakker@bluepeak.nl"), mail("thijs.bakker@bluepeak.nl"), "different"),
        (mail("kelly.williams@moran.net"), mail("john.doe@moran.net"), "different"),
        # a privacy-masked address fits the other's visible characters, or it does not
        (mail("bgilbert249527@example.com"), mail("bgi***@example.com"), "masked"),
        (mail("k***.w***s@moran.net"), mail("kelly.williams@moran.net"), "masked"),
        (mail("bgi***@example.com"), mail("bgi***@example.com"), "masked"),  # never exact
        (mail("bgilbert249527@example.com"), mail("bga***@example.com"), "different"),
        (mail("bgilbert249527@example.com"), mail("bgi***@example.org"), "different"),
        (mail("kel@moran.net"), mail("kel@gmail.com"), "different"),  # too short to count
        # a name-built local part at two domains is what any two Kelly Williamses would have:
        # it would only repeat the name comparison
        (mail("kelly.williams@moran.net"), mail("kelly.williams@gmail.com"), "missing"),
        (mail("info@moran.net"), mail("info@moran.net"), "missing"),  # a role mailbox
        (mail("kelly.williams@moran.net"), mail(None), "missing"),
    ],
    "phone": [
        ({"phone": "+16175550100"}, {"phone": "+16175550100"}, "exact"),
        ({"phone": "617-555-0100"}, {"phone": "(617) 555-0100"}, "exact"),
        ({"mobile": "+447911123456"}, {"phone": "+447911123456"}, "exact"),  # crosswise
        ({"phone": "5550100"}, {"phone": "+16175550100"}, "same_last_7"),  # a local form
        ({"phone": "555 0100"}, {"phone": "617 555 0100"}, "same_last_7"),
        ({"phone": "+16175550100"}, {"phone": "+16175550199"}, "different"),
        ({"phone": "+16175550100"}, {}, "missing"),
    ],
    "employer": [
        (on(OFFICE), on(OFFICE), "same_company_and_site"),
        (on(OFFICE), on({}, company_key="acme"), "same_company"),
        (on(OFFICE), on(OFFICE, postal_code="10001", street="9 broad st"), "same_company"),
        (on({}, company_domain="acme.com"), on({}, company_domain="acme.com",
                                              company_key="globex"), "same_company"),
        (on({}, email_key="ann@acme.com"), on({}, email_key="ann.m@acme.com"), "same_company"),
        (on({}, company_key="acme robotics"), on({}, company_key="acme robotic"),
         "close_company"),
        (on(OFFICE), on({}, company_key="globex", postal_code="02139"), "shared_line_or_site"),
        (on({}, company_key="acme"), on({}, company_key="globex"), "different"),
        (on({}, company_domain="ballard-mcdonald.net"),
         on({}, company_domain="bwllar-mcdonald.net"), "close_company"),  # a typo
        (on({}, email_key="ann@cole.net"), on({}, email_key="ann@cols.net"), "close_company"),
        (on({}, company_domain="acme.com"), on({}, company_domain="globex.com"), "different"),
        (on({}), on({}, company_key="globex"), "missing"),
    ],
    "title": [
        (on({}, job_title="vp of sales"), on({}, job_title="VP of Sales"), "exact"),
        (on({}, job_title="CTO"), on({}, job_title="Chief Technology Officer"), "exact"),
        (on({}, job_title="VP of Sales"), on({}, job_title="VP Sales"), "exact"),
        (on({}, job_title="Sr. Data Analyst"), on({}, job_title="Senior Data Analyst"), "exact"),
        (on({}, job_title="vp of sales"), on({}, job_title="vp of sale"), "close"),
        (on({}, job_title="CEO"), on({}, job_title="CFO"), "different"),
        (on({}, job_title="vp of sales"), on({}, job_title="software engineer"), "different"),
        (on({}), on({}, job_title="cto"), "missing"),
    ],
    "middle_name": [
        (on({}, middle_name="Anne"), on({}, middle_name="anne"), "exact"),
        (on({}, middle_name="Anne Marie"), on({}, middle_name="Anne"), "exact"),  # first one
        (on({}, middle_name="Anne"), on({}, middle_name="A."), "initial"),
        (on({}, middle_name="Ruth"), on({}, middle_name="Tuth"), "close"),  # one typo
        (on({}, middle_name="Hans"), on({}, middle_name="Helmut"), "different"),
        (on({}, middle_name="Hans"), on({}), "missing"),  # most records give none
    ],
    "birth_date": [
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1980-04-12"), "exact"),
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1980-04-13"), "one_typo"),
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1989-04-12"), "one_typo"),
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1980-04-21"), "one_typo"),
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1980-04-29"), "one_part_off"),
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1944-04-12"), "one_part_off"),
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1980-12-04"), "one_part_off"),
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1980-09-30"), "same_year"),
        (on({}, birth_date="1980-04-12"), on({}, birth_date="1975-01-02"), "different"),
        (on({}, birth_date="1980-04-12"), on({}), "missing"),
        # a date dropped by the normalizer as implausible is still compared as written
        (on({}, birth_date="1928-03-29"), on({}, birth_date_key="1028-03-29"), "one_typo"),
        (on({}, birth_date_key="1980-02-31"), on({}, birth_date_key="1980-02-31"), "exact"),
    ],
    "home_street": [
        (on(HOME), on(HOME), "exact"),
        (on(HOME), on(HOME, street="8 stanley st"), "close"),
        (on(HOME), on(HOME, street="8 stanely street"), "close"),  # a typo
        (on(HOME, street="2141 South Tan Court"), on(HOME, street="2141 Tan Ct"),
         "same_number"),
        (on(HOME, street="2556 Bluff Cir"), on(HOME, street="25c6 Bluf Cir"), "typos"),
        (on(HOME), on(HOME, street="18 stanley street"), "different"),  # the neighbours
        (on(HOME), on(HOME, street="41 gould circuit"), "different"),
        (on(HOME), on({}, postal_code="2615"), "missing"),
        # a business address is company evidence (employer), never a home
        (on(HOME, company_key="acme"), on(HOME), "missing"),
    ],
    "home_postcode": [
        (on(HOME), on(HOME), "exact"),
        (on(HOME), on(HOME, postal_code="2616"), "different"),
        (on(HOME), on(HOME, company_domain="acme.com"), "missing"),
        (on(HOME), on({}, street="8 stanley street"), "missing"),
    ],
    "home_city": [
        (on(HOME), on(HOME), "exact"),
        (on(HOME), on(HOME, email_key="ann@gmail.com", email_is_free=True), "exact"),
        (on(HOME), on(HOME, city="kaleem"), "close"),
        (on(HOME), on(HOME, city="kxaleem"), "typos"),
        (on(HOME), on(HOME, city="belconnen"), "different"),
        (on(HOME), on(HOME, email_key="ann@acme.com"), "missing"),  # a work address
    ],
    "company_name": [
        ({"company_key": "acme robotics"}, {"company_key": "acme robotics"}, "exact"),
        ({"company_key": "acme robotics"}, {"company_key": "robotics acme"},
         "same_words_or_acronym"),
        ({"company_key": "unilever"}, {"company_key": "cia holandesa unilever"}, "words_within"),
        ({"company_key": "acme robotics europe"}, {"company_key": "acme robotics"},
         "words_within"),
        ({"company_key": "acme robotics"}, {"company_key": "acme robotic"}, "typos"),
        ({"company_key": "koninklijke philips electronics"},
         {"company_key": "konin klijke phillips electronics"}, "typos"),  # a space, a letter
        ({"company_key": "acme robotics"}, {"company_key": "acmy robatics"}, "close"),  # 2 in 12
        ({"company_key": "acme unit 1"}, {"company_key": "acme unit 2"}, "close"),  # digits
        ({"company_key": "acme robotics"}, {"company_key": "acme robots"}, "close"),
        ({"company_key": "acme robotics"}, {"company_key": "acme automation"}, "somewhat"),
        ({"company_key": "acme robotics"}, {"company_key": "globex media"}, "different"),
        ({"company_key": "acme robotics"}, {}, "missing"),
    ],
    "web_domain": [
        ({"company_domain": "acme.com"}, {"company_domain": "acme.com"}, "exact"),
        ({"company_domain": "acme.com"}, {"email_key": "sales.lead@acme.com"}, "exact"),
        ({"company_domain": "acme.com"}, {"company_domain": "globex.com"}, "different"),
        ({"company_domain": "acme.com"}, {"email_key": "a.b@gmail.com", "email_is_free": True},
         "missing"),
        ({"company_domain": "acme.com"}, {}, "missing"),
    ],
    "street": [
        (OFFICE, OFFICE, "exact"),
        ({"street": "2141 south tan court"}, {"street": "2141 south tan crt"}, "close"),
        ({"street": "14 Birch Lane"}, {"street": "14 Birch Ln"}, "close"),
        ({"street": "Flat 2, 14 Birch Lane"}, {"street": "14 Birch Lane"}, "close"),
        ({"street": "2141 South Tan Court"}, {"street": "2141 Tan Ct"}, "same_number"),
        # a house number mistyped past reading ("25c6"): the line with typos
        ({"street": "2556 Bluff Cir"}, {"street": "25c6 Bluf Cir"}, "typos"),
        ({"street": "3859 Stone Rd"}, {"street": "3859wtone Rd"}, "typos"),
        # two readable numbers that differ are two addresses, however alike the lines
        ({"street": "2141 south tan court"}, {"street": "2143 south tan court"}, "different"),
        ({"street": "12 High St"}, {"street": "13 High St"}, "different"),
        ({"street": "2141 south tan court"}, {"street": "77 elm road"}, "different"),
        ({"street": "2141 south tan court"}, {}, "missing"),
    ],
    "postcode": [
        ({"postal_code": "02139"}, {"postal_code": "02139"}, "exact"),
        ({"postal_code": "SW1A 1AA"}, {"postal_code": "SW1A1AA"}, "exact"),
        ({"postal_code": "02139"}, {"postal_code": "02138"}, "different"),
        ({"postal_code": "02139"}, {}, "missing"),
    ],
    "linkedin": [
        ({"linkedin_key": "in/ann-miller"}, {"linkedin_key": "in/ann-miller"}, "exact"),
        ({"linkedin_key": "in/ann-miller"}, {"linkedin_key": "in/ann-miller-2"}, "different"),
        ({"linkedin_key": "sales/ACwAAB1"}, {"linkedin_key": "sales/ACwAAB2"}, "different"),
        # a public profile and a Sales Navigator lead may be one person: no evidence
        ({"linkedin_key": "in/ann-miller"}, {"linkedin_key": "sales/ACwAAB1"}, "missing"),
        ({"linkedin_key": "in/ann-miller"}, {}, "missing"),
    ],
    "city": [
        ({"city": "cambridge"}, {"city": "Cambridge"}, "exact"),
        ({"city": "cambridge"}, {"city": "cambrige"}, "close"),
        ({"city": "Daejeon"}, {"city": "Dajeomn"}, "typos"),
        ({"city": "Tucson"}, {"city": "Szucson"}, "typos"),
        ({"city": "cambridge"}, {"city": "boston"}, "different"),
        ({}, {"city": "boston"}, "missing"),
    ],
    "work_city": [
        (AT_WORK | {"city": "cambridge"}, AT_GLOBEX | {"city": "Cambridge"}, "exact"),
        (AT_WORK | {"city": "cambridge"}, AT_GLOBEX | {"city": "cambrige"}, "close"),
        (AT_WORK | {"city": "cambridge"}, AT_GLOBEX | {"city": "boston"}, "different"),
        (AT_WORK | {"city": "cambridge"}, {"city": "Cambridge"}, "exact"),  # one at home
        (AT_WORK, AT_GLOBEX | {"city": "boston"}, "missing"),
        (AT_WORK | {"city": "cambridge"}, AT_WORK | {"city": "boston"}, "missing"),  # colleagues
        ({"city": "cambridge"}, {"city": "cambridge"}, "missing"),  # two homes: home_city
    ],
}  # fmt: skip


def test_every_comparison_of_the_library_has_a_table_reaching_each_level() -> None:
    assert set(CASES) == set(LIBRARY)
    for kind, cases in CASES.items():
        reached = {label for _, _, label in cases}
        assert reached >= set(LIBRARY[kind].levels) | {"missing"}, kind


@pytest.mark.parametrize(
    ("kind", "left", "right", "label"),
    [(kind, left, right, label) for kind, cases in CASES.items() for left, right, label in cases],
    ids=[f"{kind}-{label}-{i}" for kind, cases in CASES.items()
         for i, (_, _, label) in enumerate(cases)],
)  # fmt: skip
def test_levels(kind: str, left: dict[str, object], right: dict[str, object], label: str) -> None:
    assert label_of_rows(kind, left, right) == label
    assert label_of_rows(kind, right, left) == label  # a comparison has no direction


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("2141 South Tan Court", "2141 S. Tan Ct"),
        ("2141 S Tan Ct", "2141 South Tan Court"),
        ("12 High Street", "12 High St."),
        ("1241 West 58th St", "1241 W. 58th Street"),
        ("124 E 113th St", "124 E. 113 St."),
        ("5500 N. St. Louis", "5500 North Saint Louis Avenue"),
        ("Suite 200, 1 Main Street", "1 Main St"),
    ],
)
def test_abbreviated_street_words_are_a_close_street(left: str, right: str) -> None:
    assert label_of_rows("street", {"street": left}, {"street": right}) == "close"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("12 High Street", "12 Main Street"),
        ("12 High Street", "12 High Road"),
        ("1241 W. 19th St.", "1241 W. 58th St"),
        ("400 N Lake Shore Drive", "400 S Lake Shore Drive"),
    ],
)
def test_another_street_with_the_same_number_is_not_a_close_street(left: str, right: str) -> None:
    level = label_of_rows("street", {"street": left}, {"street": right})
    assert level in ("same_number", "different")


def test_a_one_field_name_of_uncertain_order_is_compared_either_way() -> None:
    """A lone "Grant" may be a surname: against Grace Grant it agrees once read as one, but a
    name whose order is certain is compared field by field (Grant vs Grace)."""
    certain = label_of_features("person_name", {"fn": "grant"}, {"fn": "grace", "ln": "grant"})
    uncertain = label_of_features(
        "person_name", {"fn": "grant", "name_uncertain": "1"}, {"fn": "grace", "ln": "grant"}
    )
    assert certain == "different"
    assert uncertain == "first_name_only"
    either = label_of_features(
        "person_name", {"fn": "grace", "ln": "grant"}, {"fn": "grant", "name_uncertain": "1"}
    )
    assert either == "surname_only"  # the same agreement, read from the other record


def test_swapped_two_field_names_need_no_uncertainty_flag() -> None:
    assert (
        label_of_features("person_name", {"fn": "wei", "ln": "chen"}, {"fn": "chen", "ln": "wei"})
        == "exact"
    )


def company(raw: str) -> dict[str, str]:
    """The company feature of a raw company name, as the import and dedupe build it."""
    return {"company": company_match_key(normalize_company(raw).key or "")}


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        ("AGILENT TECHNOLOGIES, INC.", "Agilent Technologies Inc", "exact"),
        ("Canon Kabushiki Kaisha", "CANON KK", "exact"),
        ("Siemens AG", "Siemens Aktiengesellschaft", "exact"),
        ("Toyota Motor Corporation", "TOYOTA MOTOR CORP.", "exact"),
        ("International Business Machines", "IBM", "same_words_or_acronym"),
        ("IBM", "International Business Machines", "same_words_or_acronym"),
        ("Acme Robotics", "Robotics Acme", "same_words_or_acronym"),
        ("Acme Robotics", "Robotics Acme Acme", "same_words_or_acronym"),
        ("Unilever N.V.", "Rotterdam Unilever NV", "words_within"),
        ("Acme Robotics", "Globex Media", "different"),
        ("IB", "International Business Machines", "different"),
    ],
)
def test_company_names_from_raw_names(left: str, right: str, label: str) -> None:
    assert label_of_features("company_name", company(left), company(right)) == label


NAME_SAMPLE = [
    "robert",
    "bob",
    "rob",
    "r",
    "roberta",
    "william",
    "bill",
    "b",
    "harris",
    "harrismiller",
    "millerharris",
    "ann",
    "anne",
    "anna",
    "joanna",
    "jo",
    "smith",
    "smithe",
    "li",
    "lim",
    "lee",
    "kate",
    "katherine",
    "k",
    "marie",
    "annemarie",
]


def test_vectorized_name_predicates_agree_with_their_definitions() -> None:
    """The nickname/initial and containment tests read on all pairs at once (a table of the
    file's variant pairs; a subsequence prefilter) give what the per-pair rules give."""
    c = coded(features(*({"fn": name, "ln": name} for name in NAME_SAMPLE)))
    names = list(c.vocab["name"])
    pairs = [(i, j) for i, j in product(range(len(names)), repeat=2) if i != j]  # i = j: exact
    a, b = (np.asarray(side) for side in zip(*pairs, strict=True))

    def nickname(x: str, y: str) -> bool:
        if len(x) == 1 or len(y) == 1:
            return x[0] == y[0]
        return y in variants(x) or x in variants(y)

    expected = [nickname(names[i], names[j]) for i, j in zip(a, b, strict=True)]
    assert _nickname_or_initial(c, a, b).tolist() == expected
    assert any(expected) and not all(expected)
    contained = [_contained(names[i], names[j]) for i, j in zip(a, b, strict=True)]
    assert _one_contains_the_other(c, a, b).tolist() == contained
    assert any(contained)
