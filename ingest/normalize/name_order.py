"""One-field names in either order: which end of "DE VRIES Joost" / "Joost de Vries" is the
surname, decided by evidence, and whether the evidence decided at all.

Evidence, strongest first:

1. capitalisation: a run of ALL-CAPS words (3 letters or more, particles included) at one end
   of a name whose other words are not all caps is the surname ("DE VRIES Joost", "Jan BERG");
2. given-name and surname lists: a word the nickname table knows as a given name, or an initial,
   leans towards "given"; a frequent surname, a typical surname ending (-son, -ski, -ez) or a
   leading particle ("van der Berg Jan") leans towards "surname". The head of the name is
   compared with its tail; the one that is more given-like comes first.

When capitalisation and the lists disagree, capitalisation wins and the order is uncertain; when
neither decides, the name is read given-name first and the order is uncertain too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.normalize.nicknames import is_given_name
from ingest.normalize.surnames import PARTICLES
from ingest.normalize.surnames import looks_like_surname as _looks_like_surname
from ingest.normalize.text import letters_key

Tokens = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NameOrder:
    """A name body split into given name, middle names and surname (None when absent).

    ``reversed`` says the surname was written first; ``uncertain`` that the evidence could not
    tell the order (or contradicted itself), so matching should compare both orders.
    """

    first: str | None
    middle: str | None
    last: str | None
    reversed: bool
    uncertain: bool


def _letters(token: str) -> str:
    return "".join(ch for ch in token if ch.isalpha())


def _is_initial(token: str) -> bool:
    """ "J", "J.", "J.R." (one letter per dot-separated part)."""
    parts = [p for p in token.split(".") if p]
    return bool(parts) and all(len(p) == 1 and p.isalpha() for p in parts)


def _is_particle(token: str) -> bool:
    low = token.lower()
    return len(low) >= 2 and low in PARTICLES


def _is_caps(token: str) -> bool:
    """An all-caps word long enough not to be initials ("JP", "AJ"), or an all-caps particle."""
    letters = _letters(token)
    return letters.isupper() and (len(letters) >= 3 or _is_particle(token))


def _unit_score(unit: Tokens) -> int:
    """+1 given-like, -1 surname-like, 0 no evidence, for the word(s) at one end of a name."""
    if len(unit) > 1:  # particles and the word they belong to: a surname
        return -1
    token = unit[0]
    if _is_initial(token):
        return 1
    parts = [key for key in (letters_key(p) for p in token.split("-")) if key]
    if not parts:
        return 0
    given = any(is_given_name(p) for p in parts)
    surname = any(_looks_like_surname(p) for p in parts)
    return int(given) - int(surname)


def _head(tokens: Tokens) -> Tokens:
    """The first word, with the word it carries when it is a particle ("van der Berg")."""
    count = 0
    while count < len(tokens) and _is_particle(tokens[count]):
        count += 1
    return tokens[: count + 1] if 0 < count < len(tokens) - 1 else tokens[:1]


def _tail(tokens: Tokens) -> Tokens:
    """The last word, with the particles before it ("Jan van der Berg")."""
    start = len(tokens) - 1
    while start > 1 and _is_particle(tokens[start - 1]):
        start -= 1
    return tokens[start:]


def _caps_surname(tokens: Tokens) -> tuple[int, int] | None:
    """(start, end) of an all-caps run at one end of the name that is its surname, or None."""
    caps = [i for i, token in enumerate(tokens) if _is_caps(token)]
    if not caps or any(not _is_caps(t) for t in tokens[caps[0] : caps[-1] + 1]):
        return None
    start, end = caps[0], caps[-1] + 1
    while start > 0 and _is_particle(tokens[start - 1]):
        start -= 1
    if start == 0 and end < len(tokens):
        return start, end
    if end == len(tokens) and start > 0:
        return start, end
    return None


def _join(tokens: Tokens) -> str | None:
    return " ".join(tokens) or None


def _split(tokens: Tokens, surname: tuple[int, int], uncertain: bool) -> NameOrder:
    start, end = surname
    last = _join(tokens[start:end])
    if start == 0:
        given = tokens[end:]
        return NameOrder(given[0], _join(given[1:]), last, True, uncertain)
    return NameOrder(tokens[0], _join(tokens[1:start]), last, False, uncertain)


def order_name(tokens: Tokens) -> NameOrder | None:
    """Split the words of a one-field name (title and suffix already removed) by evidence.

    Returns None when the name reads given-name first by the lists' evidence or by default: the
    caller keeps its own parser's split then, and ``uncertain_order`` says how sure that is.
    """
    if len(tokens) < 2:
        return None
    head, tail = _head(tokens), _tail(tokens)
    lean = _unit_score(head) - _unit_score(tail)  # > 0: head is the given name
    caps = _caps_surname(tokens)
    if caps is not None:
        reverse = caps[0] == 0
        return _split(tokens, caps, uncertain=lean > 0 if reverse else lean < 0)
    if lean < 0:
        return _split(tokens, (0, len(head)), uncertain=False)
    return None


def uncertain_order(tokens: Tokens) -> bool:
    """For a name ``order_name`` left given-name first: whether nothing supported that order.

    Only a name of two parts (no middle names) is uncertain; "Given Middle Surname" is the
    overwhelmingly common shape of three words or more without capitalisation evidence.
    """
    if len(tokens) < 2:
        return False
    head, tail = _head(tokens), _tail(tokens)
    if len(head) + len(tail) != len(tokens):
        return False
    return _unit_score(head) - _unit_score(tail) == 0
