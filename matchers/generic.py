"""Generic values, learned from the data: a value shared by many distinct entities.

A phone number used by records of many different people is a switchboard; an email address
many different people give is a role mailbox (``info@``); a web domain used by many different
companies is a placeholder or a shared host (``example.com``). Such a value says nothing about
which person a record is: the comparisons treat an agreement on it as missing (a phone or
email) or as company-level evidence at most. Senzing calls these *generic values*; here they
are found by counting, per value, the distinct identities (surname sounds for people, sites or
company keys for companies) of the records that carry it, never from a list tuned to one file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd
from rapidfuzz.distance import OSA, JaroWinkler

from ingest.normalize.nicknames import is_given_name, name_variants
from ingest.normalize.surnames import COMMON_SURNAMES
from matchers.blocking import first_of_each
from matchers.features import isin

GENERIC_IDENTITIES = 3
"""A value carried by records of this many distinct identities is generic."""
DISTINCT_IDENTITY = 0.8
"""Two identities are distinct when their Jaro-Winkler similarity is below this: a surname
with typos is still one person's."""
DOMAIN_COMPANIES = 10
"""Among company records, a web domain is generic from this many distinct sites or companies
on: a host or a placeholder. A domain a few companies share (a group's, a generator's small
pool) is weighed by its term frequency instead: the more companies give it, the less it says.
At 3, as for the other values, most of the 2,362 domains of dupehell's accounts (60 % of them
given by two to nine accounts) were ignored: F1 0.9705 there, 0.9809 at 10 (flat to 20)."""
ROLE_LOCALS = frozenset(
    {"info", "sales", "admin", "contact", "office", "hello", "support", "enquiries", "inquiries",
     "marketing", "team", "mail", "service", "billing", "hr", "jobs", "careers", "noreply",
     "no-reply", "webmaster", "reception", "accounts", "kontakt", "bureau"}
)  # fmt: skip
"""Local parts that name a function, not a person: generic whatever the counts say."""


@dataclass(frozen=True, slots=True)
class GenericRule:
    """Which vocabulary's values to test, from which feature columns, against which identity."""

    vocabulary: str
    columns: tuple[str, ...]
    identity: tuple[str, ...]
    blocks: bool = False
    """Whether blocking still keys on the rule's generic values. A company's web domain shared
    by sites at several addresses still names one company (a chain's sites, a group's
    subsidiaries, a parent's hosted pages): its block holds the sites, their addresses tell
    them apart. A switchboard shared by a street of sites, or a domain shared by people of
    many employers, would block together records nothing else relates."""
    identities: int = GENERIC_IDENTITIES
    """How many distinct identities make a value generic."""


PERSON_RULES = (
    GenericRule("phone", ("phone", "mobile"), ("ln", "fn")),
    GenericRule("email", ("email",), ("ln", "fn")),
    GenericRule("web", ("domain",), ("company",)),
    GenericRule("linkedin", ("linkedin",), ("ln", "fn")),
)
COMPANY_RULES = (
    GenericRule("phone", ("phone", "mobile"), ("street_number", "company")),
    GenericRule("email", ("email",), ("street_number", "company")),
    GenericRule(
        "web", ("domain",), ("street_number", "company"), blocks=True, identities=DOMAIN_COMPANIES
    ),
)


PART = "\x1f"
"""Separates the parts of a person's identity (surname, given name) in one string."""


def _identity(features: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Per record, its identity (``""`` when none): a person's name parts joined by ``PART``
    (``("ln", "fn")``), else the first non-empty identity column."""
    if columns == ("ln", "fn"):
        ln, fn = features["ln"].to_numpy(dtype=object), features["fn"].to_numpy(dtype=object)
        joined = pd.Series(ln, dtype=object) + PART + pd.Series(fn, dtype=object)
        return np.where((ln != "") | (fn != ""), joined.to_numpy(dtype=object), "")
    out = np.full(len(features), "", dtype=object)
    for column in reversed(columns):
        values = features[column].to_numpy(dtype=object)
        out = np.where(values != "", values, out)
    return out


def _alike(a: str, b: str) -> bool:
    """Two identities that may be one. Companies: alike values (Jaro-Winkler). People
    (``surname PART given``): any part of one like any part of the other, so a swapped,
    garbled, cut or half-missing name ("Noah Watson" / "Watson Noah", "Iy" / "Ivy Kay",
    "Ibrahi Wvi" / "Ibrahim White") is still one person's. A mailbox many people share has
    people of unlike names on it too."""
    if PART not in a:  # a site or a company key: "12" and "13" are two sites
        return JaroWinkler.normalized_similarity(a, b) >= DISTINCT_IDENTITY
    return any(_like(x, y) for x in a.split(PART) for y in b.split(PART))


def _like(x: str, y: str) -> bool:
    """Jaro-Winkler at least ``DISTINCT_IDENTITY``, or one slip apart (short names have a low
    Jaro-Winkler for one slip); never two empty values."""
    if not x or not y:
        return False
    return JaroWinkler.normalized_similarity(x, y) >= DISTINCT_IDENTITY or OSA.distance(x, y) <= 1


def _distinct(identities: list[str], enough: int = GENERIC_IDENTITIES) -> int:
    """How many of these identities are unlike each other (greedy, by Jaro-Winkler)."""
    kept: list[str] = []
    for identity in identities:
        if not any(_alike(identity, k) for k in kept):
            kept.append(identity)
            if len(kept) >= enough:
                break
    return len(kept)


def _unlike(a: str, b: str) -> bool:
    return JaroWinkler.normalized_similarity(a, b) < DISTINCT_IDENTITY


def _two_people(address: str, names: list[tuple[str, str]]) -> bool:
    """Whether two of these (first, last) names given with one ``address`` are of different
    people: two known given names unlike and not nicknames of each other, or two frequent
    surnames unlike each other, that the address does not name, in either order (a
    swapped, misspelt, shortened or garbled name may still be one person's; a married name
    beside the maiden-name address, or ``ada@`` given as Ada and as Augusta, is one person)."""
    local = address.partition("@")[0]
    for i, (fa, la) in enumerate(names):
        for fb, lb in names[i + 1 :]:
            if (
                _unlike(fa, lb)
                and _unlike(la, fb)
                and (
                    (_other_given_name(fa, fb) and fa not in local and fb not in local)
                    or (_other_surname(la, lb) and la not in local and lb not in local)
                )
            ):
                return True
    return False


def _other_given_name(a: str, b: str) -> bool:
    return is_given_name(a) and is_given_name(b) and b not in name_variants(a) and _unlike(a, b)


def _other_surname(a: str, b: str) -> bool:
    return a in COMMON_SURNAMES and b in COMMON_SURNAMES and _unlike(a, b)


def shared_mailboxes(features: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Email addresses given for two people with different given names (an order's attendees
    registered under the buyer's address, a family or team mailbox): the address tells none
    of them apart, so it counts for none of them."""
    first = features["fn"].to_numpy(dtype=object)
    last = features["ln"].to_numpy(dtype=object)
    frames = []
    for column in columns:
        values = features[column].to_numpy(dtype=object)
        keep = (values != "") & (first != "") & (last != "")
        frames.append(
            pd.DataFrame(
                {"value": values[keep], "fn": first[keep], "ln": last[keep]}, dtype=object
            )  # objects: the arrow strings pandas would infer cost a conversion each way
        )
    names = pd.concat(frames).drop_duplicates()
    several = names[names["value"].duplicated(keep=False)].sort_values("value", kind="stable")
    values = several["value"].to_numpy(dtype=object)
    fn, ln = several["fn"].tolist(), several["ln"].tolist()
    found = [  # one address at a time over plain lists: a million groups at 1M records
        values[start]
        for start, end in _runs(values)
        if _two_people(
            str(values[start]), list(zip(fn[start:end], ln[start:end], strict=True))[:20]
        )
    ]
    return np.asarray(found, dtype=str)


def _runs(ordered: np.ndarray) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of equal values in a sorted array."""
    if len(ordered) == 0:
        return iter(())
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]).tolist()
    return pairwise([*starts, len(ordered)])


def _shared_by_many(
    value_codes: np.ndarray, distinct_values: np.ndarray, who: np.ndarray, enough: int
) -> np.ndarray:
    """The values whose records carry ``enough`` or more distinct identities,
    each value's identities judged in the order the records first give them. Counted on
    integer codes: one sort of the (value, identity) pairs, not a frame per value."""
    who_codes, identities = pd.factorize(who)
    width = np.int64(max(len(identities), 1))
    pairs = value_codes.astype(np.int64) * width + who_codes
    first = np.flatnonzero(first_of_each(pairs))
    joint = pairs[first]
    value_of, who_of = joint // width, joint % width
    suspect = np.bincount(value_of, minlength=len(distinct_values))[value_of] >= enough
    order = np.lexsort((first[suspect], value_of[suspect]))
    value_of, who_of = value_of[suspect][order], who_of[suspect][order]
    names = np.asarray(identities, dtype=object)
    found = [
        distinct_values[value_of[start]]
        for start, end in _runs(value_of)
        if _distinct(names[who_of[start:end]].tolist(), enough) >= enough
    ]
    return np.asarray(found, dtype=object)


def generic_values(
    features: pd.DataFrame, rules: tuple[GenericRule, ...] = PERSON_RULES
) -> dict[str, np.ndarray]:
    """Per vocabulary, the values carried by the rule's ``identities`` or more distinct
    identities (plus role mailboxes for ``email``)."""
    found: dict[str, np.ndarray] = {}
    for rule in rules:
        identity = _identity(features, rule.identity)
        values = np.concatenate([features[c].to_numpy(dtype=object) for c in rule.columns])
        who = np.concatenate([identity] * len(rule.columns))
        keep = (values != "") & (who != "")
        value_codes, distinct_values = pd.factorize(values[keep])
        generic = _shared_by_many(value_codes, distinct_values, who[keep], rule.identities)
        if rule.vocabulary == "email":
            roles = [e for e in distinct_values if str(e).partition("@")[0] in ROLE_LOCALS]
            generic = np.union1d(generic.astype(str), np.asarray(roles, dtype=str))
            if {"fn", "ln"} <= set(rule.identity):
                generic = np.union1d(generic, shared_mailboxes(features, rule.columns))
        found[rule.vocabulary] = np.asarray(generic, dtype=object)
    return found


GENERIC_COLUMNS = {
    "phone": ("phone", "mobile"),
    "email": ("email",),
    "web": ("domain",),
    "linkedin": ("linkedin",),
}


def without_generic(
    features: pd.DataFrame, generic: dict[str, np.ndarray], rules: tuple[GenericRule, ...]
) -> pd.DataFrame:
    """The features with generic values blanked, for blocking: a block of every record that
    gives one switchboard number is a block of colleagues, not of one person. The values of
    ``rules`` that still block (``GenericRule.blocks``) are kept."""
    out = features.copy(deep=False)  # columns are replaced, never written into
    blocking = {r.vocabulary for r in rules if r.blocks}
    for vocabulary, columns in GENERIC_COLUMNS.items():
        values = None if vocabulary in blocking else generic.get(vocabulary)
        if values is None or len(values) == 0:
            continue
        for column in columns:
            column_values = out[column].to_numpy(dtype=object)
            out[column] = np.where(isin(column_values, values), "", column_values)
    return out
