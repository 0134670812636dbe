"""Words written where a person's name was not known: stand-ins, not names.

Forms and registers fill a name field they must not leave empty with what they have: a role
("Resident", "Current Occupant", "Valued Customer"), a relation to someone else ("Mom",
"Wife", "Baby Girl", "Lady of the House"), or a refusal ("Unknown", "FNU", "Declined"). Two
records with "Resident" as first name are not one person, and a record whose first name is
"Mom" is not someone else than one giving her name. Only values that are the whole field
count, and only words that are nobody's given name or surname in any common use ("Baby",
"Son", "Sister" and "Child" are names or titles somewhere, so they stay names).
"""

from __future__ import annotations

import re

# fmt: off
_EITHER: frozenset[str] = frozenset({
    "resident", "current resident", "occupant", "current occupant", "householder",
    "homeowner", "home owner", "head of household", "head of house", "of the house",
    "lady of the house", "man of the house", "customer", "valued customer", "client",
    "respondent", "unknown", "unk", "unkn", "no name", "noname", "anonymous", "anon",
    "declined", "refused", "declined to state", "prefer not to say", "test", "test test",
})
PLACEHOLDER_GIVEN_NAMES: frozenset[str] = _EITHER | frozenset({
    "fnu", "nfn", "no first name", "first name", "firstname", "person", "adult", "adult male",
    "adult female", "male", "female", "male child", "female child", "baby boy", "baby girl",
    "infant", "mom", "mommy", "mother", "dad", "daddy", "father", "parent", "husband",
    "wife", "spouse", "daughter", "grandchild", "grandson", "granddaughter", "nephew",
    "niece",
})
"""A first-name field holding only one of these is no first name."""
PLACEHOLDER_SURNAMES: frozenset[str] = _EITHER | frozenset({
    "lnu", "nln", "no last name", "last name", "lastname", "surname", "household",
})
"""A last-name field holding only one of these is no surname."""
# fmt: on
_NOT_LETTERS = re.compile(r"[^a-z]+")


def _words(text: str) -> str:
    return _NOT_LETTERS.sub(" ", text.lower()).strip()


def is_placeholder_name(text: str | None, *, surname: bool = False) -> bool:
    """Whether the whole field is a stand-in for an unknown name (case and punctuation
    ignored): "Current Resident", "MOM", "F.N.U."."""
    if not text:
        return False
    words = _words(text)
    listed = PLACEHOLDER_SURNAMES if surname else PLACEHOLDER_GIVEN_NAMES
    return words in listed or words.replace(" ", "") in listed
