"""Text cleaning, empty markers, formula detection, consent answers, folding keys."""

from __future__ import annotations

import math

import pytest

from ingest.normalize.text import (
    MAX_VALUE_CHARS,
    clean_text,
    fold,
    is_formula_like,
    letters_key,
    parse_consent,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Jane   Doe ", "Jane Doe"),
        ("Jane\tDoe\r\n", "Jane Doe"),
        ("Ｊａｎｅ", "Jane"),  # full-width letters, NFKC
        ("ﬁnance", "finance"),  # ligature
        ("Jane\x00Doe", "JaneDoe"),  # NUL byte removed
        ("\ufeffJane", "Jane"),  # BOM
        ("Jane\u00a0Doe", "Jane Doe"),  # no-break space
        ("", None),
        ("   ", None),
        ("n/a", None),
        ("N/A", None),
        ("null", None),
        ("None", None),
        ("-", None),
        ("undefined", None),
        ("#N/A", None),
        (None, None),
        (math.nan, None),
        (42, "42"),
    ],
)
def test_clean_text(raw: object, expected: str | None) -> None:
    assert clean_text(raw) == expected


def test_clean_text_bounds_very_long_values() -> None:
    assert len(clean_text("x" * 1_000_000) or "") == MAX_VALUE_CHARS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", True),
        ('=HYPERLINK("http://x","y")', True),
        ("+SUM(A1:A9)", True),
        ("-2+3", True),
        ("@SUM(1+1)", True),
        ("+cmd|' /C calc'!A0", True),
        ("+44 20 7946 0958", False),
        ("+1 (415) 555-2671", False),
        ("-", False),
        ("@acme", False),
        ("Smith-Jones", False),
        ("", False),
        (None, False),
    ],
)
def test_is_formula_like(text: str | None, expected: bool) -> None:
    assert is_formula_like(text) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        *[(a, True) for a in ("Y", "yes", "TRUE", "1", "x", "checked", "opt-in", "ja", "oui")],
        *[(a, False) for a in ("N", "no", "false", "0", "opt-out", "nein", "non")],
        ("maybe", None),
        ("", None),
        (None, None),
        (True, True),
        (False, False),
    ],
)
def test_parse_consent(answer: object, expected: bool | None) -> None:
    assert parse_consent(answer) is expected


@pytest.mark.parametrize(
    ("text", "folded", "key"),
    [
        ("Müller-Lüdenscheidt", "muller-ludenscheidt", "mullerludenscheidt"),
        ("O'Brien", "o'brien", "obrien"),
        ("Straße", "strasse", "strasse"),
        ("Øster", "oster", "oster"),
        ("José María", "jose maria", "josemaria"),
        ("van der Berg", "van der berg", "vanderberg"),
        ("123", "123", None),
    ],
)
def test_fold_and_letters_key(text: str, folded: str, key: str | None) -> None:
    assert fold(text) == folded
    assert letters_key(text) == key
