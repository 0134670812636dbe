"""Nickname equivalence from the nicknames package data."""

from __future__ import annotations

import pytest

from ingest.normalize.nicknames import is_given_name, name_variants


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("bob", "robert"),
        ("liz", "elizabeth"),
        ("bill", "william"),
        ("bob", "rob"),
        ("peggy", "margaret"),
        ("nick", "nicholas"),
    ],
)
def test_variants_are_symmetric(a: str, b: str) -> None:
    assert b in name_variants(a)
    assert a in name_variants(b)


@pytest.mark.parametrize("key", ["robert", "zzyzx", "BOB "])
def test_variants_contain_the_key_itself(key: str) -> None:
    assert key.strip().lower() in name_variants(key)


def test_unrelated_names_are_not_variants() -> None:
    assert "elizabeth" not in name_variants("robert")
    assert name_variants("") == frozenset()


def test_given_names_come_from_the_package_data() -> None:
    assert is_given_name("margaret")
    assert not is_given_name("kowalski")
    assert not is_given_name(None)
