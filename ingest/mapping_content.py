"""What a column holds, read from its values: the mapping's last resort for headers it does not
know ("Assignee", "Firm", "Contact", "E-Post") and its check on the ambiguous "Name".

Each detector looks at a sample of the column's non-empty values and gives the share that have
the shape of one field: an email address, a web address, a formatted phone number, an
organisation name (a legal form such as Inc, GmbH, K.K. at the end, by cleanco's term list), a
person's name (two to four words, the first a given name the nickname table knows). A column
is taken for a field only when most of its values agree; ids, codes, dates and free text agree
with none of them and stay custom fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from ingest.normalize.companies import strip_legal_form
from ingest.normalize.nicknames import given_names

SAMPLE_VALUES = 500
"""Non-empty values read per column (the first ones): enough for a share, cheap on any file."""

_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]{2,}$")
_WEB = re.compile(
    r"^(?:https?://)?(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}"
    r"(?::\d+)?(?:/\S*)?$",
    re.IGNORECASE,
)
_PHONE = re.compile(
    r"^(?P<number>\+?[\d\s().\-/]{7,})(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?$", re.I
)
_PHONE_SEPARATOR = re.compile(r"[\s().\-/+]")
_NOT_PHONE = re.compile(r"^(?:[-+]?\d+(?:[.,]\d+)?|10\.\d{4,9}/\S+)$")
"""A plain number (an amount, a decimal) or a DOI: digits with separators that are no phone."""
_DATE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:[ T].*)?$"
)
_WORDS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _is_email(value: str) -> bool:
    return _EMAIL.match(value) is not None


def _is_web(value: str) -> bool:
    return "@" not in value and " " not in value and _WEB.match(value) is not None


def _is_phone(value: str) -> bool:
    """A phone written as one: 7 to 15 digits with a separator or a leading '+' (a bare run of
    digits is as likely an id or an account number; dates, amounts and DOIs have separators
    too)."""
    found = _PHONE.match(value)
    if found is None or _PHONE_SEPARATOR.search(value) is None:
        return False
    if _DATE.match(value) is not None or _NOT_PHONE.match(value) is not None:
        return False
    return 7 <= sum(ch.isdigit() for ch in found["number"]) <= 15


def _is_organisation(value: str) -> bool:
    return strip_legal_form(value).strip(" ,.") != value.strip(" ,.")


def _is_person(value: str) -> bool:
    if any(ch.isdigit() for ch in value) or "@" in value:
        return False
    words = _WORDS.findall(value.replace(",", " "))
    if not 2 <= len(words) <= 4:
        return False
    known = given_names()
    first, last = words[0].casefold(), words[-1].casefold()
    # "Given Surname" or "Surname, Given" / "SURNAME Given"
    return first in known or (("," in value or words[0].isupper()) and last in known)


DETECTORS: tuple[tuple[str, Callable[[str], bool], float], ...] = (
    ("email", _is_email, 0.8),
    ("website", _is_web, 0.8),
    ("phone", _is_phone, 0.8),
    ("company_name", _is_organisation, 0.25),
    ("full_name", _is_person, 0.5),
)
"""(field, test of one value, share of the sample needed), tried in this order."""


def sample_values(column: pd.Series) -> list[str]:
    """Up to ``SAMPLE_VALUES`` non-empty values of the column, stripped."""
    values = column.dropna().astype(str).str.strip()
    return values[values != ""].head(SAMPLE_VALUES).tolist()


def shares(values: list[str]) -> dict[str, float]:
    """Per field, the share of ``values`` that have its shape (empty: no evidence)."""
    if not values:
        return {}
    return {field: sum(map(test, values)) / len(values) for field, test, _ in DETECTORS}


def field_by_content(column: pd.Series, allowed: frozenset[str]) -> tuple[str, float] | None:
    """The field (among ``allowed``) the column's values show, with the share that showed it;
    None when no detector is convinced. A person's name needs more given names than legal
    forms, an organisation the reverse."""
    found = shares(sample_values(column))
    for field, _, needed in DETECTORS:
        share = found.get(field, 0.0)
        if field not in allowed or share < needed:
            continue
        if field == "company_name" and found["full_name"] >= share:
            continue
        if field == "full_name" and found["company_name"] >= share:
            continue
        return field, share
    return None


PERSON_SHARE_OF_ORGANISATIONS = 0.2
"""At most this share of an organisation column reads as "Given Surname" (a founder's name:
"BOSCH ROBERT"); a column of people, even with names the nickname table lacks, is mostly
two words or more."""
ONE_WORD_SHARE_OF_ORGANISATIONS = 0.15
"""At least this share of an organisation column is a single word that is no given name
("DSM", "NUTRICIA", "BAYER"); a person's full name is hardly ever one word."""


def _one_word_not_given_name(value: str) -> bool:
    words = _WORDS.findall(value)
    return len(words) == 1 and words[0].casefold() not in given_names()


def names_organisations(column: pd.Series) -> bool:
    """Whether a column given as person names holds organisations instead ("Name" in an
    account list): legal forms in a quarter of the values and more often than given names;
    or, in a list whose legal forms were cleaned off ("AKZO NOBEL", "DSM", "ASML NETHERLANDS"),
    few person-shaped values and many single words that are no given name."""
    values = sample_values(column)
    found = shares(values)
    if not found:
        return False
    if found["company_name"] >= 0.25 and found["company_name"] > found["full_name"]:
        return True
    one_word = sum(map(_one_word_not_given_name, values)) / len(values)
    return (
        found["full_name"] < PERSON_SHARE_OF_ORGANISATIONS
        and one_word >= ONE_WORD_SHARE_OF_ORGANISATIONS
    )
