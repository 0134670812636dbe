"""Person names: split a one-field name, keep honorific and suffix apart, fix casing, build keys.

Casing is only changed for a part written in ONE case (ALL CAPS or all lower); a part that is
already mixed case ("McDonald", "deVries") is the person's own spelling and is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize.name_order import order_name, uncertain_order
from ingest.normalize.nicknames import is_given_name
from ingest.normalize.placeholder_names import is_placeholder_name
from ingest.normalize.surnames import COMMON_SURNAMES, PARTICLES, looks_like_surname
from ingest.normalize.text import clean_name_text, clean_text, letters_key

# Names that start with "Mac" but are not Mac + surname (so not "MacHado").
# fmt: off
MAC_EXCEPTIONS: frozenset[str] = frozenset(
    {
        "mack",
        "macy",
        "mace",
        "macey",
        "mackey",
        "mackie",
        "machado",
        "macias",
        "macedo",
        "macon",
        "maciel",
        "machin",
        "macchi",
        "macek",
        "macaluso",
        "macario",
        "macari",
        "macina",
        "machon",
        "macho",
        "macri",
        "macrae",
        "machinski",
        "macha",
        "macik",
        "mackow",
        "mackowski",
    }
)
# fmt: on
# fmt: off
HONORIFICS: dict[str, str] = {
    "mr": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "mx": "Mx",
    "dr": "Dr",
    "prof": "Prof",
    "professor": "Prof",
    "sir": "Sir",
    "dame": "Dame",
    "rev": "Rev",
    "herr": "Herr",
    "frau": "Frau",
    "mme": "Mme",
    "mlle": "Mlle",
    "m": "M.",
    "sr": "Sr.",
    "sra": "Sra.",
    "dott": "Dott.",
    "ing": "Ing.",
}
# fmt: on
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "mba", "cpa", "dds"}
_TOKEN_SPLIT = re.compile(r"([\s\-])")


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """A person name in display form, with accent-folded matching keys and any issue codes."""

    honorific: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    suffix: str | None = None
    full_name: str | None = None
    first_name_key: str | None = None
    last_name_key: str | None = None
    order_uncertain: bool | None = None
    """True when it is not established which part is the given name and which the surname (a
    one-field name whose evidence did not decide, or parts flagged ``name.maybe_swapped``);
    None when there is no name."""
    issues: tuple[str, ...] = ()


def _is_one_case(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and (text == text.upper() or text == text.lower())


def _is_shouted_surname(text: str) -> bool:
    """A surname in capitals after lowercase particles ("van der BERG"): one case but for them."""
    words = text.split()
    head = [w for w in words[:-1] if w.lower() in PARTICLES]
    rest = " ".join(words[len(head) :])
    return bool(head) and len(head) == len(words) - 1 and rest == rest.upper()


def case_word(word: str) -> str:
    """Capitalize one word, respecting Mc/Mac/O' prefixes ("mcdonald" → "McDonald")."""
    low = word.lower()
    if "'" in low or "’" in low:
        head, _, tail = low.replace("’", "'").partition("'")
        if len(head) <= 2 and tail:  # O'Brien, D'Angelo, L'Estrange
            return f"{head.capitalize()}'{tail.capitalize()}"
        return "'".join(part.capitalize() for part in low.split("'"))
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2:].capitalize()
    if low.startswith("mac") and len(low) > 5 and low not in MAC_EXCEPTIONS:
        return "Mac" + low[3:].capitalize()
    return low.capitalize()


@lru_cache(maxsize=200_000)
def case_name(text: str | None, *, surname: bool = False) -> str | None:
    """Fix the casing of a one-case name part; mixed-case parts are returned as given.

    With ``surname``, particles before the last word stay lowercase ("van der Berg"), and a
    surname in capitals after lowercase particles counts as one case ("van der BERG").
    """
    if not text or not (_is_one_case(text) or (surname and _is_shouted_surname(text))):
        return text
    tokens = _TOKEN_SPLIT.split(text)
    words = [i for i, tok in enumerate(tokens) if tok and tok not in (" ", "-")]
    out = list(tokens)
    for i in words:
        low = tokens[i].lower()
        if surname and i != words[-1] and low in PARTICLES:
            out[i] = low
        else:
            out[i] = case_word(tokens[i])
    return "".join(out)


@lru_cache(maxsize=10_000)
def normalize_honorific(text: str | None) -> str | None:
    """ "MR." → "Mr", "dr" → "Dr"; unknown titles are cased like names."""
    if not text:
        return None
    words = [HONORIFICS.get(w.strip(".").lower(), case_name(w)) for w in text.split()]
    return " ".join(w for w in words if w) or None


@lru_cache(maxsize=100_000)
def _surname_before_comma(text: str, title: str | None, last: str | None) -> bool:
    """Whether ``text`` is written "Surname, Given" (not "Given Surname, Suffix")."""
    if "," not in text or not last:
        return False
    titles = set(title.split()) if title else set()
    before = [word for word in text.split(",", 1)[0].split() if word not in titles]
    return " ".join(before).casefold() == last.casefold()


@lru_cache(maxsize=100_000)
def split_full_name(
    text: str,
) -> tuple[str | None, str | None, str | None, str | None, str | None, bool]:
    """Split a one-field name into (honorific, first, middle, last, suffix, order uncertain).

    nameparser takes the honorific, the suffix and a "Surname, Given" comma apart; which end of
    the remaining words is the surname is decided by evidence (``name_order``).
    """
    from nameparser import HumanName  # loaded on first use: a fifth of a second at start-up
    from nameparser.config import CONSTANTS

    parsed = HumanName(text, constants=CONSTANTS)
    parts = (parsed.title, parsed.first, parsed.middle, parsed.last, parsed.suffix)
    hon, first, middle, last, suf = (p.strip(" ,") or None for p in parts)
    if _surname_before_comma(text, hon, last):
        return hon, first, middle, last, suf, False
    words = tuple(" ".join(p for p in (first, middle, last) if p).split())
    order = order_name(words)
    if order is None:
        return hon, first, middle, last, suf, uncertain_order(words)
    return hon, order.first, order.middle, order.last, suf, order.uncertain


def _pull_honorific(first: str | None) -> tuple[str | None, str | None]:
    """Move a leading title out of a first-name field ("Dr. Anna" → ("Dr.", "Anna"))."""
    if not first or " " not in first:
        return None, first
    head, rest = first.split(" ", 1)
    if head.strip(".").lower() in HONORIFICS:
        return head, rest
    return None, first


def _without_stand_ins(
    hon: str | None, first: str | None, last: str | None
) -> tuple[str | None, str | None, str | None, tuple[str, ...]]:
    """A first-name field that is only a title ("Mr") becomes the honorific; one that is a
    stand-in for an unknown name ("Resident", "Mom", "FNU"), and a surname field that is one
    ("Unknown", "LNU"), becomes no name, with ``name.placeholder`` (the raw row keeps it)."""
    title = first.strip(".").lower() if first else ""
    if len(title) > 1 and not hon and title in HONORIFICS and " " not in title:  # "M." is M.
        hon, first = first, None
    first_stands_in, last_stands_in = (
        is_placeholder_name(first),
        is_placeholder_name(last, surname=True),
    )
    first = None if first_stands_in else first
    last = None if last_stands_in else last
    return hon, first, last, ("name.placeholder",) if first_stands_in or last_stands_in else ()


def _pull_suffix(last: str | None) -> tuple[str | None, str | None]:
    """Move a trailing suffix out of a last-name field ("Smith Jr." → ("Smith", "Jr."))."""
    if not last or " " not in last:
        return last, None
    rest, tail = last.rsplit(" ", 1)
    if tail.strip(".,").lower() in _SUFFIXES:
        return rest.rstrip(","), tail
    return last, None


def _case_suffix(text: str | None) -> str | None:
    if not text:
        return None
    low = text.strip(".,").lower()
    if low in {"ii", "iii", "iv", "v"}:
        return low.upper()
    known = {"jr": "Jr.", "sr": "Sr.", "phd": "PhD", "md": "MD", "mba": "MBA", "cpa": "CPA"}
    return known.get(low, case_name(text))


def maybe_swapped(first_key: str | None, last_key: str | None) -> bool:
    """First looks like a surname and not a given name, last like a given name and not a
    frequent surname ("Garcia Maria"). Conservative: "Arjun Wilson" is not flagged."""
    if not first_key or not last_key:
        return False
    return (
        looks_like_surname(first_key)
        and not is_given_name(first_key)
        and is_given_name(last_key)
        and last_key not in COMMON_SURNAMES
    )


def normalize_name(
    *,
    full_name: object = None,
    honorific: object = None,
    first_name: object = None,
    middle_name: object = None,
    last_name: object = None,
    suffix: object = None,
) -> NormalizedName:
    """Normalize one person's name from whichever name fields the source gave."""
    full = clean_name_text(full_name)
    hon, suf = clean_text(honorific), clean_text(suffix)
    first, middle, last = (clean_name_text(v) for v in (first_name, middle_name, last_name))
    uncertain = False
    whole_stand_in = first is None and last is None and is_placeholder_name(full)
    if whole_stand_in:  # a one-field "Current Resident"
        full = None
    if first is None and last is None and full is not None:
        p_hon, first, p_middle, last, p_suf, uncertain = split_full_name(full)
        hon, middle, suf = hon or p_hon, middle or p_middle, suf or p_suf
    else:
        pulled, first = _pull_honorific(first)
        hon = hon or pulled
        last, pulled = _pull_suffix(last)
        suf = suf or pulled
    hon, first, last, stand_ins = _without_stand_ins(hon, first, last)
    stand_ins = ("name.placeholder",) if whole_stand_in else stand_ins
    first, middle = case_name(first), case_name(middle)
    last = case_name(last, surname=True)
    first_key, last_key = letters_key(first), letters_key(last)
    display = " ".join(p for p in (first, middle, last) if p) or None
    suf = _case_suffix(suf)
    if display and suf:
        display = f"{display} {suf}"
    swapped = maybe_swapped(first_key, last_key)
    issues = (*(("name.maybe_swapped",) if swapped else ()), *stand_ins)
    if first_key is None and last_key is None:
        order_uncertain = None
    else:
        order_uncertain = bool(first_key and last_key and (uncertain or swapped))
    return NormalizedName(
        honorific=normalize_honorific(hon),
        first_name=first,
        middle_name=middle,
        last_name=last,
        suffix=suf,
        full_name=display,
        first_name_key=first_key,
        last_name_key=last_key,
        order_uncertain=order_uncertain,
        issues=issues,
    )
