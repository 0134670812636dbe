"""JSON-LD business nodes → listing fields."""

from __future__ import annotations

import json

import pytest

from sources.directory.structured import organization_fields


def block(data: object) -> str:
    return json.dumps(data)


CASES = [
    (
        {"@type": "LocalBusiness", "name": "A", "telephone": "1", "url": "https://a.example"},
        {"name": "A", "phone": "1", "website": "https://a.example"},
    ),
    (
        {"@type": "Organization", "name": "B", "address": "1 High St, Leeds"},
        {"name": "B", "street": "1 High St, Leeds"},
    ),
    (
        {"@type": ["Organization", "Store"], "name": "C", "telephone": ["2", "3"],
         "address": {"addressCountry": {"@type": "Country", "name": "DE"}, "postalCode": 10115}},
        {"name": "C", "phone": "2", "country": "DE", "postal_code": "10115"},
    ),
    ({"@type": "Person", "name": "Someone"}, {}),  # not a business
    ({"@type": "WebPage", "name": "Page"}, {}),
]  # fmt: skip


@pytest.mark.parametrize(("node", "expected"), CASES)
def test_organization_fields(node: dict, expected: dict) -> None:
    assert organization_fields([block({"@context": "https://schema.org", **node})]) == expected


def test_graph_lists_and_broken_blocks() -> None:
    graph = {"@graph": [{"@type": "WebSite"}, {"@type": "Corporation", "name": "D"}]}
    assert organization_fields(["{oops", block([1, graph])]) == {"name": "D"}


def test_no_blocks() -> None:
    assert organization_fields([]) == {}
