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
    strip_invisible,
    strip_invisible_values,
)

INVISIBLE = [
    ("Jo\u200bhn", "John"),  # zero-width space
    ("Jo\u200chn", "John"),  # zero-width non-joiner
    ("Jo\u200dhn", "John"),  # zero-width joiner
    ("Jo\u2060hn", "John"),  # word joiner
    ("\ufeffJohn", "John"),  # byte-order mark
    ("Jo\u00adhn", "John"),  # soft hyphen
    ("\u200eJohn\u200f", "John"),  # left-to-right and right-to-left marks
    ("\u202a+1 415 555 2671\u202c", "+1 415 555 2671"),  # embedding and pop
    ("\u202bJohn\u202e", "John"),  # embedding and override
    ("\u2066John\u2069", "John"),  # isolates
    ("\u2067\u2068John", "John"),
    ("Jane\u00a0Doe", "Jane Doe"),  # no-break space
    ("Jane\u202fDoe", "Jane Doe"),  # narrow no-break space
    ("Jane\u2009Doe", "Jane Doe"),  # thin space
    ("Jane\u3000Doe", "Jane Doe"),  # ideographic space
    ("Jane\u2028Doe", "Jane Doe"),  # line separator
    ("Zoë Ångström", "Zoë Ångström"),  # visible non-ASCII is untouched
    ("plain ascii", "plain ascii"),
    ("\u200b", ""),
]


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


@pytest.mark.parametrize(("raw", "expected"), INVISIBLE)
def test_strip_invisible(raw: str, expected: str) -> None:
    assert strip_invisible(raw) == expected


def test_strip_invisible_values_agrees_with_strip_invisible() -> None:
    values: list[object] = [raw for raw, _ in INVISIBLE] + [None, 42, 3.5, True, ""]
    expected = [strip_invisible(v) if isinstance(v, str) else v for v in values]
    got = strip_invisible_values(values)
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jo\u200bhn", "John"),
        ("\u00adJohn\u00ad ", "John"),
        ("\u2066\u200b\u2069", None),  # nothing visible: empty
        ("n\u200b/a", None),  # an empty marker once the invisible character is gone
        ("Jane \u202f Doe", "Jane Doe"),
    ],
)
def test_clean_text_removes_invisible_characters(raw: str, expected: str | None) -> None:
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
