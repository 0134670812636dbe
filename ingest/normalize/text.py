"""Text helpers shared by every field: cleaning, empty markers, formula detection, folding keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_VALUE_CHARS = 1000
"""Longer values are cut: no legitimate lead field is that long, and it bounds the work per cell."""

# fmt: off
EMPTY_MARKERS: frozenset[str] = frozenset(
    {
        "",
        "n/a",
        "na",
        "n.a.",
        "null",
        "nil",
        "none",
        "-",
        "--",
        "---",
        "undefined",
        "#n/a",
        "nan",
        "?",
        "unknown",
        "not available",
        "not provided",
        "(blank)",
        "blank",
    }
)
# fmt: on

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\ufeff]")
# A value that a spreadsheet would evaluate: =SUM(...), +cmd|..., -2+3, @SUM(...).
_FORMULA = re.compile(
    r"^="  # anything starting with = is evaluated
    r"|^[+\-@]\s*[A-Za-z_][\w.]*\s*\("  # +SUM(, -HYPERLINK(, @SUM(
    r"|^[+\-@].*\|"  # DDE: +cmd|' /C calc'!A0
    r"|^[+\-]\s*\d[\d.]*\s*[+\-*/^]\s*\d"  # arithmetic: -2+3
)

# fmt: off
TRUE_ANSWERS: frozenset[str] = frozenset(
    {
        "y",
        "yes",
        "true",
        "t",
        "1",
        "x",
        "checked",
        "on",
        "opt-in",
        "opt in",
        "optin",
        "opted in",
        "subscribed",
        "ja",
        "j",
        "oui",
        "si",
        "sí",
    }
)
# fmt: on
# fmt: off
FALSE_ANSWERS: frozenset[str] = frozenset(
    {
        "n",
        "no",
        "false",
        "f",
        "0",
        "off",
        "unchecked",
        "opt-out",
        "opt out",
        "optout",
        "opted out",
        "unsubscribed",
        "nein",
        "non",
    }
)
# fmt: on


def clean_text(value: object) -> str | None:
    """Return ``value`` as NFKC text with controls removed and whitespace collapsed.

    None, NaN and empty markers ("n/a", "null", "-", ...) become None.
    """
    if not isinstance(value, str):
        if value is None or value != value:  # None or NaN/NA
            return None
        value = str(value)
    elif (
        len(value) <= MAX_VALUE_CHARS
        and value.isascii()
        and value.isprintable()
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
    ):  # already clean: in printable ASCII the only whitespace is " "
        return None if value.lower() in EMPTY_MARKERS else value
    text = value[: MAX_VALUE_CHARS * 2]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    text = " ".join(text.split())[:MAX_VALUE_CHARS].rstrip()
    if text.lower() in EMPTY_MARKERS:
        return None
    return text


def is_formula_like(text: str | None) -> bool:
    """True when ``text`` would be evaluated as a formula by a spreadsheet (=, +, -, @ lead)."""
    return bool(text) and bool(_FORMULA.match(text))  # type: ignore[arg-type]


def fold(text: str) -> str:
    """Accent-folded lowercase: "Müller-Lüdenscheidt" → "muller-ludenscheidt"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return folded.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("œ", "oe")


@lru_cache(maxsize=200_000)
def letters_key(text: str | None) -> str | None:
    """Matching key: accent-folded lowercase letters only ("O'Brien" → "obrien"); None if empty."""
    if not text:
        return None
    key = "".join(ch for ch in fold(text) if ch.isalpha())
    return key or None


def parse_consent(value: object) -> bool | None:
    """Map a consent answer to True ("yes", "x", "ja", ...), False ("no", "nein", ...) or None."""
    text = clean_text(value) if not isinstance(value, bool) else value
    if isinstance(text, bool):
        return text
    if text is None:
        return None
    answer = text.lower().strip(" .!")
    if answer in TRUE_ANSWERS:
        return True
    if answer in FALSE_ANSWERS:
        return False
    return None
