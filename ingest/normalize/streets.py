"""Street lines folded for comparison: one spelling per direction and street type.

"2141 S. Tan Ct" and "2141 South Tan Court" are one street: directions and street types are
folded to the USPS Publication 28 abbreviations (with the common British and Australian
types), flat and suite designators are set aside, and the line is split into the house
number, the street's own name, and its form (direction and type). No maintained library does
this for lines of any country without parsing whole addresses, so the table is small and ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize.text import fold

# fmt: off
DIRECTIONS: dict[str, str] = {
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
    "northwest": "nw", "southeast": "se", "southwest": "sw", "n": "n", "s": "s", "e": "e",
    "w": "w", "ne": "ne", "nw": "nw", "se": "se", "sw": "sw",
}
STREET_TYPES: dict[str, str] = {
    "street": "st", "st": "st", "str": "st", "avenue": "ave", "ave": "ave", "av": "ave",
    "avn": "ave", "road": "rd", "rd": "rd", "boulevard": "blvd", "blvd": "blvd", "boul": "blvd",
    "court": "ct", "ct": "ct", "crt": "ct", "drive": "dr", "dr": "dr", "drv": "dr",
    "lane": "ln", "ln": "ln", "place": "pl", "pl": "pl", "terrace": "ter", "ter": "ter",
    "terr": "ter", "tce": "ter", "circle": "cir", "cir": "cir", "crescent": "cres",
    "cres": "cres", "highway": "hwy", "hwy": "hwy", "parkway": "pkwy", "pkwy": "pkwy",
    "square": "sq", "sq": "sq", "trail": "trl", "trl": "trl", "circuit": "cct", "cct": "cct",
    "parade": "pde", "pde": "pde", "grove": "gr", "gr": "gr", "alley": "aly", "aly": "aly",
    "expressway": "expy", "expy": "expy", "freeway": "fwy", "fwy": "fwy", "plaza": "plz",
    "plz": "plz", "way": "way", "wy": "way", "close": "cl", "cl": "cl", "mews": "mews",
    "row": "row", "walk": "walk", "pike": "pike", "turnpike": "tpke", "tpke": "tpke",
}
UNITS = frozenset({"flat", "apt", "apartment", "unit", "suite", "ste", "floor", "fl", "room",
                   "rm", "building", "bldg"})
# fmt: on
_WORD = re.compile(r"[a-z0-9]+")
_HOUSE_NUMBER = re.compile(r"\d+[a-z]?")
"""12, 12a; not an ordinal street name (1st)."""
_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)")
_SUFFIXES = frozenset({"th", "nd"})
"""Split from their number ("24 th"); "st" and "rd" after a number are Street and Road."""


@dataclass(frozen=True, slots=True)
class StreetParts:
    """A folded street line: ``key`` (all of it, one spelling per word, without flat or
    suite), ``number`` (the house number), ``name`` (the street's own words, without its
    direction and type) and ``form`` (direction words and street type, ``"s|ct"``)."""

    key: str
    number: str
    name: str
    form: str


@lru_cache(maxsize=200_000)
def street_parts(line: str) -> StreetParts:
    """The parts of one street line ("2141 S. Tan Ct" → key "2141 s tan ct", number "2141",
    name "tan", form "s|ct"); a line that is only a type or a direction keeps it as its
    name ("1 North Street")."""
    kept = _words(line)
    if not kept:
        return StreetParts("", "", "", "")
    first = next((i for i, w in enumerate(kept) if _HOUSE_NUMBER.fullmatch(w)), None)
    number = "" if first is None else kept[first].rstrip("abcdefghijklmnopqrstuvwxyz")
    last_type = max((i for i, w in enumerate(kept) if w in STREET_TYPES), default=len(kept))
    rest = []
    for i, word in enumerate(kept):
        after_number = first is not None and i == first + 1
        if word.isdigit() and i != first and (after_number or i > last_type):
            continue  # the end of a range (3012-16), a postcode after the street
        if i != first:
            rest.append(_ordinal(word + "th") if word.isdigit() else word)  # E 113 St
    kind = _type_position(rest)
    canonical = [_canonical(w, i == kind) for i, w in enumerate(rest)]
    ends = {0, len(rest) - 1} if len(rest) > 1 else set()  # "N Main St", "Main St N"
    at = {i for i in ends if rest[i] in DIRECTIONS}  # inside a name, "hardma n" is a typo
    canonical = [DIRECTIONS[w] if i in at else w for i, w in enumerate(canonical)]
    key = " ".join([kept[first], *canonical] if first == 0 else [*canonical, number]).strip()
    directions = [DIRECTIONS[rest[i]] for i in sorted(at)]
    name = [w for i, w in enumerate(canonical) if i != kind and i not in at]
    if not name:  # "1 North Street", "12 Avenue": the only words are the name
        return StreetParts(key, number, " ".join(rest), "|")
    street_type = STREET_TYPES[rest[kind]] if kind is not None else ""
    return StreetParts(key, number, " ".join(name), " ".join(directions) + "|" + street_type)


def same_form(left: str, right: str) -> bool:
    """Two street forms of one street: the same directions, and the same type unless one line
    leaves it out ("14 Birch" is "14 Birch Lane", "2141 Tan Ct" is not "2141 S Tan Ct")."""
    left_directions, _, left_type = left.partition("|")
    right_directions, _, right_type = right.partition("|")
    if left_directions != right_directions:
        return False
    return left_type == right_type or not left_type or not right_type


def _type_position(words: list[str]) -> int | None:
    """Where the street type is: the last word, or the one before a trailing direction
    ("Main St N"); "St" anywhere else is Saint ("N St Louis Ave")."""
    for i in (len(words) - 1, len(words) - 2):
        if i > 0 and words[i] in STREET_TYPES:
            return i
        if i < 0 or words[i] not in DIRECTIONS:
            break
    return None


def _canonical(word: str, is_type: bool) -> str:
    if is_type:
        return STREET_TYPES[word]
    return "saint" if word == "st" else word


def _words(line: str) -> list[str]:
    """The words of a line without flat or suite designators and their numbers, ordinals
    written whole ("24 th" → "24th", "93th" → "93rd")."""
    words = _WORD.findall(fold(line).replace("ß", "ss"))
    kept: list[str] = []
    skip = False
    for word in words:
        if skip and any(ch.isdigit() for ch in word):
            skip = False
            continue
        skip = word in UNITS
        if skip:
            continue
        if word in _SUFFIXES and len(kept) > 1 and kept[-1].isdigit():
            kept[-1] = _ordinal(kept[-1] + word)
        else:
            kept.append(_ordinal(word))
    return kept


def _ordinal(word: str) -> str:
    """An ordinal with its proper suffix ("93th" → "93rd"), any other word as it is."""
    found = _ORDINAL.fullmatch(word)
    if not found:
        return word
    number = int(found.group(1))
    suffix = (
        "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"
