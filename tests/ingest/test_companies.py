"""Companies: display names, matching keys without legal forms, web domains."""

from __future__ import annotations

import random

import pytest
from cleanco import basename

from ingest.normalize.companies import normalize_company, strip_legal_form, website_domain
from ingest.normalize.errors import WebsiteError


@pytest.mark.parametrize(
    ("raw", "name", "key"),
    [
        ("ACME CORPORATION", "Acme Corporation", "acme"),
        ("acme inc.", "Acme Inc.", "acme"),
        ("Acme, Inc.", "Acme, Inc.", "acme"),
        ("IBM", "IBM", "ibm"),
        ("SIEMENS AG", "Siemens AG", "siemens"),
        ("HSBC BANK PLC", "HSBC Bank PLC", "hsbc bank"),
        ("AT&T INC.", "AT&T Inc.", "att"),
        ("Müller GmbH & Co. KG", "Müller GmbH & Co. KG", "muller"),
        ("Société Générale S.A.", "Société Générale S.A.", "societe generale"),
        ("The Widget Company, LLC", "The Widget Company, LLC", "widget"),
        ("Foo B.V.", "Foo B.V.", "foo"),
        ("Baz Holdings Limited", "Baz Holdings Limited", "baz"),
        ("deVries Consulting BV", "deVries Consulting BV", "devries consulting"),
        ("3M", "3M", "3m"),
        ("The Company", "The Company", "the company"),
    ],
)
def test_normalize_company(raw: str, name: str, key: str) -> None:
    found = normalize_company(raw)
    assert (found.name, found.key) == (name, key)


def test_company_keys_match_across_legal_form_variants() -> None:
    variants = ["Acme Corp.", "ACME CORPORATION", "Acme, Inc.", "acme llc", "Acme Ltd", "Acme"]
    assert {normalize_company(v).key for v in variants} == {"acme"}


def test_strip_legal_form_agrees_with_cleanco() -> None:
    rnd = random.Random(2)
    words = [
        "Acme",
        "Blue",
        "River",
        "Müller",
        "Société",
        "Holdings",
        "Group",
        "&",
        "Co.",
        "Inc.",
        "Inc",
        "Ltd",
        "Ltd.",
        "GmbH",
        "AG",
        "KG",
        "LLC",
        "S.A.",
        "B.V.",
        "Corp",
        "Corporation",
        "Limited",
        "plc",
        "S.p.A.",
        "de",
        "C.V.",
        "Pty",
        ",",
    ]
    names = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 6))) for _ in range(3000)]
    names += ["Acme Inc. Inc.", "X Ltd Ltd Ltd", "Co Co", "LLC", ""]
    for name in names:
        assert strip_legal_form(name) == basename(name), name


@pytest.mark.parametrize(
    ("raw", "domain"),
    [
        ("https://www.Acme.com/about?x=1", "acme.com"),
        ("acme.co.uk", "acme.co.uk"),
        ("WWW.ACME.COM", "acme.com"),
        ("http://bücher.de", "xn--bcher-kva.de"),
        ("www.example.org:8080/path", "example.org"),
        ("//cdn.acme.io/", "cdn.acme.io"),
        ("https://user:pw@acme.com", "acme.com"),
    ],
)
def test_website_domain(raw: str, domain: str) -> None:
    assert website_domain(raw) == domain


@pytest.mark.parametrize("raw", ["not a url", "http://1.2.3.4/", "localhost", "-acme.com", ""])
def test_bad_website_raises(raw: str) -> None:
    with pytest.raises(WebsiteError) as caught:
        website_domain(raw)
    assert caught.value.code == "website.invalid"
