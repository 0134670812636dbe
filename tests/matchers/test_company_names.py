"""Company matching keys: legal forms folded in many languages, wherever they stand."""

from __future__ import annotations

import pytest

from matchers.company_names import acronym, company_match_key


@pytest.mark.parametrize(
    ("key", "folded"),
    [
        ("canon kabushiki kaisha", "canon"),  # spelled out
        ("canon k k", "canon"),  # dotted initials "K.K." after the normalizer
        ("kk toshiba", "toshiba"),  # a form in front
        ("siemens aktiengesellschaft", "siemens"),
        ("volvo aktiebolag", "volvo"),
        ("ab volvo", "volvo"),
        ("acme co ltd", "acme"),
        ("deutsche bank ag", "deutsche bank"),
        ("societe generale sa", "societe generale"),
        ("i b m", "ibm"),  # one-letter runs join into one token
        ("co", "co"),  # never the whole name
        ("", ""),
    ],
)
def test_company_match_key(key: str, folded: str) -> None:
    assert company_match_key(key) == folded


@pytest.mark.parametrize(
    ("key", "initials"),
    [
        ("international business machines", "ibm"),
        ("general electric company", "gec"),
        ("acme robotics", ""),  # two words make no acronym
        ("", ""),
    ],
)
def test_acronym(key: str, initials: str) -> None:
    assert acronym(key) == initials
