"""Text helpers shared by every field: cleaning, empty markers, formula detection, folding keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

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

INVISIBLE_CHARS = (
    "\u00ad"  # soft hyphen
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\ufeff"  # byte-order mark, zero-width no-break space
)
"""Characters that print as nothing (a regex character class body): removed from every cell."""
UNICODE_SPACES = "\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""Spaces other than " " (no-break, narrow no-break, en/em/thin, line separators): become " "."""
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_SPACES = re.compile(f"[{UNICODE_SPACES}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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


def strip_invisible(text: str) -> str:
    """``text`` without invisible characters and with every Unicode space a plain " "."""
    if text.isascii():
        return text
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


def strip_invisible_values(values: Sequence[object]) -> list[object]:
    """``strip_invisible`` on every string of ``values`` (other values unchanged), as two Arrow
    (RE2) replacements over the non-ASCII strings; for the distinct values of a column."""
    out = list(values)
    rows = [i for i, v in enumerate(out) if isinstance(v, str) and not v.isascii()]
    if not rows:
        return out
    texts = pc.replace_substring_regex(
        pa.array([out[i] for i in rows], type=pa.string()), f"[{INVISIBLE_CHARS}]", ""
    )
    texts = pc.replace_substring_regex(texts, f"[{UNICODE_SPACES}]", " ")
    for i, text in zip(rows, texts.to_pylist(), strict=True):
        out[i] = text
    return out


def clean_text(value: object) -> str | None:
    """Return ``value`` as NFKC text with controls and invisible characters removed and
    whitespace collapsed.

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
        text = unicodedata.normalize("NFKC", strip_invisible(text))
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    text = " ".join(text.split())[:MAX_VALUE_CHARS].rstrip()
    if text.lower() in EMPTY_MARKERS:
        return None
    return text


NAME_LIKE_MARKERS = frozenset({"na", "nan", "nil", "null"})
"""Empty markers that are also real names (Nan Li, Na Nguyen, Nil Patel, Jennifer Null)."""


def clean_name_text(value: object) -> str | None:
    """``clean_text`` for a name field: "Nan", "Na", "Nil" and "Null" written as a name (a capital
    then lower case) stay names; "NULL", "null", "NaN", "N/A" are still empty markers."""
    text = clean_text(value)
    if text is not None or not isinstance(value, str):
        return text
    word = " ".join(value.split())
    if word.lower() in NAME_LIKE_MARKERS and word[:1].isupper() and word[1:].islower():
        return word
    return None


def is_formula_like(text: str | None) -> bool:
    """True when ``text`` would be evaluated as a formula by a spreadsheet (=, +, -, @ lead)."""
    return text is not None and _FORMULA.match(text) is not None


def spreadsheet_safe(value: object) -> object:
    """A cell for a CSV a person may open in a spreadsheet: formula-like text (=, @, a tab or CR
    lead, or +/- starting a function or DDE call) gets a leading apostrophe, so it shows as text
    and is never evaluated. Other values pass through unchanged."""
    if isinstance(value, str) and (
        value.startswith(("=", "@", "\t", "\r")) or is_formula_like(value)
    ):
        return "'" + value
    return value


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
