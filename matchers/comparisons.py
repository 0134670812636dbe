"""The comparison library: each comparison grades aligned record pairs into labelled levels.

A comparison reads coded records (``matchers.coded``) and positional ``left``/``right`` arrays
and returns one ``int8`` level per pair: 0 is the closest agreement, higher is looser, the last
level is "different", ``MISSING`` (-1) means a side has no value (weight 0). A model names its
comparisons by ``kind`` and stores their level labels; loading checks the labels against this
library, so weights can never land on the wrong level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from ingest.normalize.streets import same_form
from matchers.attributes import ITEM_SEPARATOR, LIST_KIND, VALUE_KIND
from matchers.coded import (
    Coded,
    distinct,
    few_typos,
    one_typo,
    predicate,
    similarity,
)
from matchers.company_names import acronym
from matchers.features import variants

MISSING = -1
TYPO_SIMILARITY = 0.92
"""Jaro-Winkler from which two email addresses or web domains with the same digits are one
with a typo."""
MAX_TYPO_LENGTH_CHANGE = 3
"""Two values whose lengths differ by more are never one with a few typing slips."""
TYPO_HEAD, TYPO_TAIL = 1, 6
"""Characters at the start and at the end of two values, one of which a slip or two leaves
equal (``_screened``)."""
Grade = Callable[[Coded, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One kind of comparison: level labels (closest first, "different" last), the feature
    columns it reads, its term-frequency key and levels, and the m it starts from (a prior used
    when a file is too small to fit)."""

    kind: str
    levels: tuple[str, ...]
    columns: tuple[str, ...]
    grade: Grade
    prior_m: tuple[float, ...]
    tf_key: str = ""
    tf_levels: tuple[int, ...] = ()
    description: str = ""
    tf_parts: tuple[str, ...] = ()
    """Term-frequency keys of the parts of a joint value (first and last name of a full name):
    how often its parts occur bounds how common the joint value can be (see
    ``scoring.tf_adjustment``) and how often strangers agree on it (``estimate.by_parts``)."""
    part_levels: tuple[tuple[int, str], ...] = ()
    """Levels that agree on one part only (surname only), each with that part's key: a
    common part weighs less there."""

    def compare(self, c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """The level of each pair (``int8``)."""
        if len(left) == 0:
            return np.empty(0, dtype=np.int8)
        return self.grade(c, left, right).astype(np.int8)


# --- helpers ------------------------------------------------------------------------------


def _either_missing(c: Coded, column: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    codes = c.codes[column]
    return (codes[left] < 0) | (codes[right] < 0)


def _equal(c: Coded, column: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    codes = c.codes[column]
    return (codes[left] == codes[right]) & (codes[left] >= 0)


def _where(
    needed: np.ndarray, default: float | bool, compute: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """``compute`` (given the positions) only for the pairs where it is ``needed``, ``default``
    elsewhere: the costlier similarities are read on the few pairs where they decide a level."""
    at = np.flatnonzero(needed)
    out = np.full(len(needed), default, dtype=bool if isinstance(default, bool) else np.float32)
    if len(at):
        out[at] = compute(at)
    return out


def _levels(conditions: list[np.ndarray], missing: np.ndarray) -> np.ndarray:
    level = np.select(conditions, list(range(len(conditions))), len(conditions))
    return np.where(missing, MISSING, level).astype(np.int8)


# --- person names -------------------------------------------------------------------------


def _variant_pairs(c: Coded) -> np.ndarray:
    """Sorted keys ``a * n + b`` of the name codes a, b of which one is a nickname or
    canonical form of the other (``variants``, both ways), for the file's names only."""
    key = "name:variant pairs"
    if key not in c.derived:
        names = c.vocab["name"]
        code = {name: i for i, name in enumerate(names)}
        a, b = [], []
        for i, name in enumerate(names):
            for other in variants(name)[1:]:
                if other in code:
                    a.append(i)
                    b.append(code[other])
        left, right = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        n = np.int64(len(names))
        c.derived[key] = np.unique(np.concatenate([left * n + right, right * n + left]))
    return c.derived[key]


def _nickname_or_initial(c: Coded, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether one first name is a nickname of the other (Bob / Robert), or an initial of it
    (R / Robert: then the first letter decides). False where either is missing."""
    initial = c.per_value("name", "is an initial", lambda v: len(v) == 1, bool)
    letter = c.per_value_codes("name", "first letter", lambda v: v[:1])
    known = (a >= 0) & (b >= 0)
    ia, ib = np.maximum(a, 0), np.maximum(b, 0)
    by_initial = (initial[ia] | initial[ib]) & (letter[ia] == letter[ib])
    n = np.int64(len(c.vocab["name"]))
    listed = np.isin(ia.astype(np.int64) * n + ib, _variant_pairs(c))
    return known & np.where(initial[ia] | initial[ib], by_initial, listed)


def _contained(x: str, y: str) -> bool:
    return len(x) > 2 and len(y) > 2 and (x in y or y in x)


def _one_contains_the_other(c: Coded, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``_contained`` for coded names, read only where one is a subsequence of the other (the
    longest common subsequence is the shorter name: fast in C, and true of every substring)."""
    names = c.vocab["name"]
    sizes = c.per_value("name", "length", len, np.int64)
    la, lb = sizes[np.maximum(a, 0)], sizes[np.maximum(b, 0)]
    maybe = (a >= 0) & (b >= 0) & (a != b) & (la > 2) & (lb > 2)
    common = _where(maybe, 0.0, lambda at: similarity(names, a[at], b[at], LCSseq.similarity))
    subsequence = maybe & (common == np.minimum(la, lb))
    return _where(subsequence, False, lambda at: predicate(names, names, a[at], b[at], _contained))


def oriented_names(c: Coded, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, ...]:
    """Name codes (fl, ll, fr, lr) and similarities (first, last), with the right side swapped
    where the crossed names agree better: clearly better, or at all when either record's name
    order was uncertain (a one-field name)."""
    names = c.vocab["name"]
    fn, ln = c.codes["fn"], c.codes["ln"]
    fl, ll, fr, lr = fn[left], ln[left], fn[right], ln[right]
    sf, sl = similarity(names, fl, fr), similarity(names, ll, lr)
    xf, xl = similarity(names, fl, lr), similarity(names, ll, fr)
    uncertain = c.codes["name_uncertain"]
    margin = np.where((uncertain[left] >= 0) | (uncertain[right] >= 0), 0.0, 0.2)
    swap = (xf + xl) > (sf + sl) + margin
    return (
        fl,
        ll,
        np.where(swap, lr, fr),
        np.where(swap, fr, lr),
        np.where(swap, xf, sf),
        np.where(swap, xl, sl),
    )


def _first_levels(c: Coded, fl: np.ndarray, fr: np.ndarray, sim: np.ndarray) -> np.ndarray:
    """exact / nickname or initial / close (JW ≥ 0.92 or one typo) / somewhat (≥ 0.8) /
    different."""
    names = c.vocab["name"]
    equivalent = _nickname_or_initial(c, fl, fr)
    close = (sim >= 0.92) | one_typo(names, fl, fr)
    level = np.select([fl == fr, equivalent, close, sim >= 0.8], [0, 1, 2, 3], 4)
    return np.where((fl < 0) | (fr < 0), MISSING, level)


def _last_levels(c: Coded, ll: np.ndarray, lr: np.ndarray, sim: np.ndarray) -> np.ndarray:
    """exact / close (JW ≥ 0.92, one typo, or one contains the other: double-barrelled) /
    somewhat / different."""
    close = (sim >= 0.92) | _one_contains_the_other(c, ll, lr) | one_typo(c.vocab["name"], ll, lr)
    level = np.select([ll == lr, close, sim >= 0.8], [0, 1, 2], 3)
    return np.where((ll < 0) | (lr < 0), MISSING, level)


def person_name(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """One joint level from first and last name: colleagues often share a first name or a
    surname, rarely both, so the two are not independent evidence. A surname with the first
    name missing on one side is a level of its own, apart from a surname with two unlike first
    names: the one is a record that left the name out, the other as often a spouse or a child
    at one home as one person's mistyped name."""
    fl, ll, fr, lr, sf, sl = oriented_names(c, left, right)
    first, last = _first_levels(c, fl, fr, sf), _last_levels(c, ll, lr, sl)
    f_ok, l_ok = first >= 0, last >= 0
    return _levels(
        [
            (first == 0) & (last == 0),
            (first == 1) & (last == 0),
            f_ok & l_ok & (first <= 2) & (last <= 1),
            f_ok & l_ok & (first <= 3) & (last <= 2),
            ~f_ok & l_ok & (last <= 1),
            l_ok & (last <= 1),
            f_ok & (first <= 2),
        ],
        ~f_ok & ~l_ok,
    )


# --- contact points -----------------------------------------------------------------------


def _spells_name(local: str, name: str) -> bool:
    return len(name) >= 3 and name in local


def _name_derived(c: Coded, rows: np.ndarray) -> np.ndarray:
    """Whether each record's email local part spells its first name or surname."""
    local, names = c.vocab["local"], c.vocab["name"]
    codes = c.codes["email_local"][rows]
    out = predicate(local, names, codes, c.codes["ln"][rows], _spells_name)
    return out | predicate(local, names, codes, c.codes["fn"][rows], _spells_name)


def email(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact / same local part (dots, dashes and tags ignored; at least 4 characters) / close
    local part (a typo) at the same domain, or, with the same digits, at a domain a typo away
    or in an address a typo away as a whole ("matthew78@ballard-mcdonald.net" / "matthea78@
    bwllar-mcdonald.net") / different. Missing: generic addresses (role
    mailboxes, shared ones), and name-built local parts that only echo the names: the same one
    at two domains (``zoe_thomas@`` at two companies is what any two Zoe Thomases would have)
    or two close ones (``matthiass@`` and ``matthiasw@`` differ exactly where the surnames
    do). One mailbox system never gives two people the same local part, so the same
    name-built local part at one domain does count. A masked address (``bgi***@example.com``,
    as privacy-masked exports give them) is ``masked`` where the other address fits its
    visible characters, else different; never exact."""
    local = c.vocab["local"]
    ll, lr = c.codes["email_local"][left], c.codes["email_local"][right]
    long_local = c.per_value("local", "4+ characters", lambda v: len(v) >= 4, bool)
    same_local = (ll == lr) & (ll >= 0) & long_local[np.maximum(ll, 0)]
    same_domain = _equal(c, "email_domain", left, right)
    near_local = similarity(local, ll, lr) >= 0.9
    close = same_domain & near_local
    elsewhere = np.flatnonzero(near_local & ~same_domain)
    if len(elsewhere):
        close[elsewhere] = _address_typo(c, left[elsewhere], right[elsewhere])
    codes = c.codes["email"]
    exact = _equal(c, "email", left, right)
    generic = c.is_generic("email", codes[left]) | c.is_generic("email", codes[right])
    elsewhere = np.flatnonzero(((same_local & ~same_domain) | (close & ~same_local)) & ~exact)
    echo = np.zeros(len(left), dtype=bool)
    if len(elsewhere):
        echo[elsewhere] = _name_derived(c, left[elsewhere])
    missing = _either_missing(c, "email", left, right) | generic | echo
    masked = _masked_pairs(c, left, right)
    fits = np.zeros(len(left), dtype=bool)
    if masked.any():
        pick = np.flatnonzero(masked)
        fits[pick] = predicate(c.vocab["email"], c.vocab["email"], codes[left[pick]],
                               codes[right[pick]], _fits_mask)  # fmt: skip
    plain = ~masked
    return _levels([exact & plain, same_local & plain, close & plain, fits], missing)


MASK = re.compile(r"\*+")
"""A run of asterisks: the characters a privacy-masked export hid."""


def _masked_pairs(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Pairs (both addresses known) of which either address is masked."""
    masked = c.per_value("email", "masked", _is_masked, bool)
    codes = c.codes["email"]
    a, b = codes[left], codes[right]
    known = (a >= 0) & (b >= 0)
    return known & (masked[np.maximum(a, 0)] | masked[np.maximum(b, 0)])


def _is_masked(address: str) -> bool:
    return MASK.search(address.partition("@")[0]) is not None


@cache
def _mask_pattern(address: str) -> re.Pattern[str]:
    """An address as a pattern: each run of asterisks in its local part stands for at least
    one hidden character."""
    local, _, domain = address.partition("@")
    return re.compile(".+".join(map(re.escape, MASK.split(local))) + "@" + re.escape(domain))


def _fits_mask(x: str, y: str) -> bool:
    """Whether one of two addresses, at least one masked, could be the other."""
    return bool(
        (_is_masked(x) and _mask_pattern(x).fullmatch(y))
        or (_is_masked(y) and _mask_pattern(y).fullmatch(x))
    )


def _address_typo(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Two addresses at different domains that are one with a typo: the whole addresses at
    least ``TYPO_SIMILARITY`` alike, or the domains a few slips apart; with the same digits (a
    slip keeps the numbers: ``jsmith12@a.com`` and ``jsmith21@b.com`` are two mailboxes)."""
    codes, addresses, domains = c.codes["email"], c.vocab["email"], c.codes["email_domain"]
    a, b = codes[left], codes[right]
    typo = similarity(addresses, a, b) >= TYPO_SIMILARITY
    typo |= _typos(c, "domain", domains, left, right)
    out = np.zeros(len(left), dtype=bool)
    pick = np.flatnonzero(typo)
    out[pick] = _same_digits(addresses, a[pick], b[pick])
    return out


def _same_digits(values: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pair of codes (both known), whether the two values hold the same digits."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    da, db, inverse = distinct(a, b)
    same = np.fromiter(
        (_digits(x) == _digits(y) for x, y in zip(values[da], values[db], strict=True)),
        dtype=bool,
        count=len(da),
    )
    return same[inverse]


def _digits(value: str) -> str:
    return "".join(filter(str.isdigit, value))


def _last_7(number: str) -> str:
    return number[-7:] if len(number) >= 7 else ""


def phone(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """A number in common (phone and mobile crosswise) / the same last 7 digits (a local form
    of the number) / none in common. Generic numbers (switchboards) are missing here and count
    as company-level evidence in ``employer``."""
    codes_p, codes_m = c.codes["phone"], c.codes["mobile"]
    tail = c.per_value_codes("phone", "last 7", _last_7)
    same, same_tail = np.zeros(len(left), bool), np.zeros(len(left), bool)
    lefts = [_usable_number(c, codes[left]) for codes in (codes_p, codes_m)]
    rights = [_usable_number(c, codes[right]) for codes in (codes_p, codes_m)]
    for a in lefts:
        for b in rights:
            ok = (a >= 0) & (b >= 0)
            same |= ok & (a == b)
            ta = tail[np.maximum(a, 0)]
            same_tail |= ok & (ta == tail[np.maximum(b, 0)]) & (ta >= 0)
    usable_l = (lefts[0] >= 0) | (lefts[1] >= 0)
    usable_r = (rights[0] >= 0) | (rights[1] >= 0)
    return _levels([same, same_tail], ~usable_l | ~usable_r)


def _usable_number(c: Coded, codes: np.ndarray) -> np.ndarray:
    """Phone codes with generic numbers (switchboards) as missing (-1)."""
    return np.where(c.is_generic("phone", codes), -1, codes)


def shared_line(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """A generic number (a switchboard) in common."""
    codes_p, codes_m = c.codes["phone"], c.codes["mobile"]
    out = np.zeros(len(left), dtype=bool)
    for a in (codes_p[left], codes_m[left]):
        for b in (codes_p[right], codes_m[right]):
            out |= (a == b) & c.is_generic("phone", a)
    return out


# --- companies ----------------------------------------------------------------------------


def _acronym_pairs(c: Coded, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One company value is the initials of the other ("ibm" / "international business
    machines"), on codes: each value's acronym is looked up in the vocabulary once, instead of
    being made again for every distinct pair."""
    key = "company:acronym_code"
    if key not in c.derived:
        vocab = c.vocab["company"].tolist()
        index = {value: code for code, value in enumerate(vocab)}
        c.derived[key] = np.fromiter(
            (index.get(acronym(v) or "\0", -1) for v in vocab), dtype=np.int64, count=len(vocab)
        )
    of = c.derived[key]  # per code: the code of its acronym (-1: none, or not a value here)
    known = (a >= 0) & (b >= 0)
    a0, b0 = np.maximum(a, 0), np.maximum(b, 0)
    return known & ((of[b0] == a) | (of[a0] == b))


def _token_set(c: Coded, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return similarity(c.vocab["company"], a, b, scorer=fuzz.token_set_ratio, scale=100.0)


def _same_web(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    codes = c.codes["domain"]
    a, b = codes[left], codes[right]
    return (a == b) & (a >= 0) & ~c.is_generic("web", a)


def company_name(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact key (legal forms folded) / same words in any order, or an acronym of the other /
    every word of one within the other ("Unilever" / "Rotterdam Unilever": a branch, a place
    or a department added, weighed apart from the same words) / a few typing slips
    (``few_typos``: spaces ignored, same digits) / close (Jaro-Winkler ≥ 0.92 or word-set
    ratio ≥ 0.85) / somewhat (≥ 0.8 / ≥ 0.7) / different."""
    codes = c.codes["company"]
    a, b = codes[left], codes[right]
    vocab = c.vocab["company"]
    token_set = _token_set(c, a, b)
    jw = similarity(vocab, a, b)
    acr = _acronym_pairs(c, a, b)
    compact = c.per_value("company", "compact", lambda v: v.replace(" ", ""), object)
    digits = c.per_value_codes("company", "digits", _digits)
    words = c.per_value_codes("company", "words", lambda v: " ".join(sorted(set(v.split()))))
    same_words = (words[np.maximum(a, 0)] == words[np.maximum(b, 0)]) & (a >= 0) & (b >= 0)
    near = jw >= 0.8  # a few slips in a long name keep Jaro-Winkler high
    typos = np.zeros(len(a), dtype=bool)
    typos[near] = few_typos(compact, digits, a[near], b[near])
    return _levels(
        [
            (a == b) & (a >= 0),
            same_words | acr,
            token_set >= 0.999,  # every word of one name is in the other
            typos,
            (jw >= 0.92) | (token_set >= 0.85),
            (jw >= 0.8) | (token_set >= 0.7),
        ],
        (a < 0) | (b < 0),
    )


def web_domain(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The same company web domain / different (generic domains are missing)."""
    codes = c.codes["domain"]
    a, b = codes[left], codes[right]
    missing = (a < 0) | (b < 0) | c.is_generic("web", a) | c.is_generic("web", b)
    return _levels([a == b], missing)


def _typos(
    c: Coded, vocabulary: str, codes: np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Two different values of a vocabulary a few typing slips apart (``few_typos``, or
    Jaro-Winkler at least ``TYPO_SIMILARITY``) with the same digits: "cole.net" / "cols.net",
    never "site12.com" / "site21.com". Among many pairs, most of them unrelated values, only
    the pairs ``_screened`` lets through are compared."""
    a, b = codes[left], codes[right]
    out = np.zeros(len(left), dtype=bool)
    pick = np.flatnonzero(_screened(c, vocabulary, a, b))
    if len(pick):
        values = c.vocab[vocabulary]
        a, b = a[pick], b[pick]
        any_digits = np.zeros(len(values), dtype=np.int64)  # digits are checked on their own
        typo = (similarity(values, a, b) >= TYPO_SIMILARITY) | few_typos(values, any_digits, a, b)
        hit = np.flatnonzero(typo)
        out[pick[hit]] = _same_digits(values, a[hit], b[hit])
    return out


def _screened(c: Coded, vocabulary: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs of different known values that may be one with a slip or two: about one length,
    and the same first ``TYPO_HEAD`` or last ``TYPO_TAIL`` characters (a slip or two leaves
    one end intact). Cheap, on per-value facts: most candidate pairs fail it."""
    lengths = c.per_value(vocabulary, "length", len, np.int64)
    starts = c.per_value_codes(vocabulary, "head", lambda v: v[:TYPO_HEAD])
    ends = c.per_value_codes(vocabulary, "tail", lambda v: v[-TYPO_TAIL:])
    a0, b0 = np.maximum(a, 0), np.maximum(b, 0)
    alike = (a >= 0) & (b >= 0) & (a != b)
    alike &= np.abs(lengths[a0] - lengths[b0]) <= MAX_TYPO_LENGTH_CHANGE
    return alike & ((starts[a0] == starts[b0]) | (ends[a0] == ends[b0]))


def _close_web(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Two company web domains a typo apart ("cole.net" / "cols.net"), neither generic."""
    codes = c.codes["domain"]
    generic = c.is_generic("web", codes[left]) | c.is_generic("web", codes[right])
    return _typos(c, "web", codes, left, right) & ~generic


def _same_site(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Same postcode and the same (or an unknown) street."""
    street = c.codes["street"]
    unknown = (street[left] < 0) | (street[right] < 0)
    return _equal(c, "postal", left, right) & ((street[left] == street[right]) | unknown)


def _same_employer(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The same company key or the same (non-generic) company web domain: colleagues."""
    return _equal(c, "company", left, right) | _same_web(c, left, right)


def employer(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Company-level evidence about two people, counted once: same company (key, close name or
    web domain) and site / same company / close company name / a shared line or the same site
    only / different. Colleagues agree here too, so it can never carry a pair alone."""
    codes = c.codes["company"]
    a, b = codes[left], codes[right]
    same_key = _same_employer(c, left, right)
    close = (a >= 0) & (b >= 0) & ~same_key
    if close.any():
        idx = np.flatnonzero(close)
        near = (similarity(c.vocab["company"], a[idx], b[idx]) >= 0.9) | (
            _token_set(c, a[idx], b[idx]) >= 0.9
        )
        close[idx] = near
    close |= ~same_key & _close_web(c, left, right)
    private = c.codes["private"]
    homes = (private[left] >= 0) & (private[right] >= 0)
    site = (_same_site(c, left, right) & ~homes) | shared_line(c, left, right)
    nothing = (
        (_either_missing(c, "company", left, right) & _either_missing(c, "domain", left, right))
        & _either_missing(c, "postal", left, right)
        & ~site
    )
    return _levels([same_key & site, same_key, close, site], nothing)


# --- personal identifiers -----------------------------------------------------------------


def _namespace(key: str) -> str:
    return str(key).partition("/")[0]


def _personal_id(column: str) -> Grade:
    """exact / different for an identifier one person has and nobody else, keyed
    ``namespace/value`` (a LinkedIn profile: ``in/<slug>`` or ``sales/<id>``). Two keys of
    different namespaces may name one person, so they are missing, as is a value many people
    give (a company page pasted for each of them: generic)."""

    def grade(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        codes = c.codes[column]
        a, b = codes[left], codes[right]
        space = c.per_value(column, "namespace", _namespace, object)
        other_space = space[np.maximum(a, 0)] != space[np.maximum(b, 0)]
        generic = c.is_generic(column, a) | c.is_generic(column, b)
        return _levels([a == b], (a < 0) | (b < 0) | other_space | generic)

    return grade


# --- other attributes ---------------------------------------------------------------------


def title(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact / close (JW ≥ 0.9) / different."""
    tl, tr = c.codes["title"][left], c.codes["title"][right]
    close = similarity(c.vocab["title"], tl, tr) >= 0.9
    return _levels([tl == tr, close], (tl < 0) | (tr < 0))


def middle_name(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact / initial of the other / close (JW ≥ 0.92 or one typo) / different; missing unless both
    records give a middle name."""
    ml, mr = c.codes["mn"][left], c.codes["mn"][right]
    vocab = c.vocab["middle"]
    initial = predicate(vocab, vocab, ml, mr, _is_initial)
    close = (similarity(vocab, ml, mr) >= 0.92) | one_typo(vocab, ml, mr)
    return _levels([ml == mr, initial, close], (ml < 0) | (mr < 0))


def _is_initial(x: str, y: str) -> bool:
    return (len(x) == 1 or len(y) == 1) and x[0] == y[0]


def _date_parts(c: Coded) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def part(i: int) -> Callable[[str], str]:
        return lambda v: [*str(v).split("-"), "", "", ""][i]

    year, month, day = (c.per_value("dob", f"date part {i}", part(i), object) for i in range(3))
    return year, month, day


def birth_date(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact / one typo (one digit changed, or two neighbours swapped) / one part differs, or
    day and month swapped / same year only / different."""
    a, b = c.codes["dob"][left], c.codes["dob"][right]
    year, month, day = _date_parts(c)
    ia, ib = np.maximum(a, 0), np.maximum(b, 0)
    same = [(p[ia] == p[ib]) for p in (year, month, day)]
    agree = same[0].astype(int) + same[1].astype(int) + same[2].astype(int)
    swapped = same[0] & (month[ia] == day[ib]) & (day[ia] == month[ib])
    typo = one_typo(c.vocab["dob"], a, b)
    return _levels([a == b, typo, (agree >= 2) | swapped, same[0]], (a < 0) | (b < 0))


NAME_ALIKE = 0.8
"""Street lines alike as a whole are one street only if the street's own names are this alike
(JW or word set): "12 High Street" and "12 Main Street" differ in nothing but the name."""


STREET_TYPOS = 0.88
"""Jaro-Winkler of two street lines from which they are one line with typing slips, unless
both give a house number and the numbers differ ("12 High St" and "13 High St" are two
addresses; "25c6 Bluf Cir", whose number is unreadable, is "2556 Bluff Cir" mistyped)."""


def _street_levels(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    a, b = c.codes["street"][left], c.codes["street"][right]
    number = c.codes["street_number"]
    na, nb = number[left], number[right]
    numbers_known = (na >= 0) & (nb >= 0)
    same_number = numbers_known & (na == nb)
    other_number = numbers_known & ~same_number
    sim = similarity(c.vocab["street"], a, b)
    ka, kb = c.codes["street_key"][left], c.codes["street_key"][right]
    same_key = (ka >= 0) & (ka == kb)
    lines, names, forms = (
        (c.vocab[v], c.codes[v][left], c.codes[v][right])
        for v in ("street", "street_name", "street_form")
    )

    def on(
        vocab: tuple[np.ndarray, ...], scorer: Callable[..., float] | None = None
    ) -> Callable[[np.ndarray], np.ndarray]:
        def compute(at: np.ndarray) -> np.ndarray:
            if scorer is None:
                return similarity(vocab[0], vocab[1][at], vocab[2][at])
            return similarity(vocab[0], vocab[1][at], vocab[2][at], scorer=scorer, scale=100.0)

        return compute

    # the costlier similarities only for the pairs where they can change the level: "close"
    # is read where the lines differ, the keys differ and the numbers do not disagree
    maybe_close = (a != b) & (a >= 0) & (b >= 0) & ~same_key & (same_number | ~numbers_known)
    words_needed = maybe_close & (sim < 0.9) | same_number & (sim < 0.7)
    words = _where(words_needed, 0.0, on(lines, fuzz.token_set_ratio))
    name = _where(maybe_close, 0.0, on(names))
    alike = (sim >= 0.9) | (words >= 0.9)
    name_words = _where(maybe_close & alike & (name < NAME_ALIKE), 0.0,
                        on(names, fuzz.token_set_ratio))  # fmt: skip
    alike_names = (name >= NAME_ALIKE) | (name_words >= NAME_ALIKE)
    named = maybe_close & ((name >= 0.9) | alike & alike_names)
    form = forms[0]
    same_forms = _where(
        named, False, lambda at: predicate(form, form, forms[1][at], forms[2][at], same_form)
    )
    close = same_key | named & same_forms
    return _levels(
        [
            a == b,
            close & (same_number | ~numbers_known),
            same_number & ((sim >= 0.7) | (words >= 0.6)),
            (sim >= STREET_TYPOS) & ~other_number,
        ],
        (a < 0) | (b < 0) | (other_number & (sim < 0.5)),
    )


def street(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact / close (same number; the same folded line, or the street's name alike in the
    same direction and type) / same number, similar street / typos (``STREET_TYPOS``) /
    different."""
    levels = _street_levels(c, left, right)
    a, b = c.codes["street"][left], c.codes["street"][right]
    return np.where((a >= 0) & (b >= 0) & (levels < 0), 4, levels).astype(np.int8)


def _private(grade: Grade) -> Grade:
    """The grade only between private records (no company, no web domain): their addresses
    are homes; a business address is company-level evidence, in ``employer``."""

    def private_grade(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        private = c.codes["private"]
        both = (private[left] >= 0) & (private[right] >= 0)
        return np.where(both, grade(c, left, right), MISSING)

    return private_grade


def postcode(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact / different."""
    return _levels([_equal(c, "postal", left, right)], _either_missing(c, "postal", left, right))


def work_city(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The town of a person at work, between different employers only: an inventor who changed
    employer but not town. Between two homes it is ``home_city``; between colleagues it is the
    company's town, counted in ``employer``. exact / close / different: towns alike but not
    close are, for a person who moved, two towns as often as one mistyped."""
    private = c.codes["private"]
    homes = (private[left] >= 0) & (private[right] >= 0)
    colleagues = _same_employer(c, left, right)
    levels = _town_levels(c, left, right, typos=False)
    return np.where(homes | colleagues, MISSING, levels).astype(np.int8)


TOWN_TYPOS = 0.8
"""Jaro-Winkler from which two town names with the same digits may be one with typing slips
("Daejeon" / "Dajeomn", "Tucson" / "Szucson"; not "Town 12" / "Town 13"): a level of its own,
below "close", whose weight the fit learns (in a file of like-named towns it weighs little)."""


def town(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact / close (JW ≥ 0.92) / typos (JW ≥ ``TOWN_TYPOS``, same digits) / different."""
    return _town_levels(c, left, right, typos=True)


def _town_levels(c: Coded, left: np.ndarray, right: np.ndarray, *, typos: bool) -> np.ndarray:
    a, b = c.codes["city"][left], c.codes["city"][right]
    sim = similarity(c.vocab["city"], a, b)
    known = (a >= 0) & (b >= 0)
    conditions = [a == b, sim >= 0.92]
    if typos:
        digits = c.per_value_codes("city", "digits", _digits)
        same_digits = digits[np.maximum(a, 0)] == digits[np.maximum(b, 0)]
        conditions.append((sim >= TOWN_TYPOS) & same_digits)
    return _levels(conditions, ~known)


# --- the library ---------------------------------------------------------------------------

LIBRARY: dict[str, Comparison] = {
    comparison.kind: comparison
    for comparison in (
        Comparison(
            "person_name",
            (
                "exact",
                "nickname_or_initial",
                "close",
                "somewhat",
                "surname_only",
                "surname_other_first",
                "first_name_only",
                "different",
            ),
            ("fn", "ln"),
            person_name,
            (0.80, 0.05, 0.08, 0.03, 0.015, 0.005, 0.01, 0.01),
            "name",
            (0,),
            "first and last name, order-insensitive where it was uncertain, nicknames",
            ("first", "last"),
            ((4, "last"), (5, "last"), (6, "first")),
        ),
        Comparison(
            "middle_name",
            ("exact", "initial", "close", "different"),
            ("mn",),
            middle_name,
            (0.80, 0.08, 0.07, 0.05),
            "middle",
            (0,),
            "first middle name (or its initial)",
        ),
        Comparison(
            "email",
            ("exact", "same_local", "close_local", "masked", "different"),
            ("email",),
            email,
            (0.79, 0.08, 0.04, 0.01, 0.08),
            description="email address; generic addresses (role mailboxes) are missing",
        ),
        Comparison(
            "phone",
            ("exact", "same_last_7", "different"),
            ("phone", "mobile"),
            phone,
            (0.75, 0.05, 0.20),
            description="phone and mobile crosswise; generic numbers (switchboards) missing",
        ),
        Comparison(
            "employer",
            (
                "same_company_and_site",
                "same_company",
                "close_company",
                "shared_line_or_site",
                "different",
            ),
            ("company", "domain"),
            employer,
            (0.55, 0.25, 0.05, 0.02, 0.13),
            "employer",
            (0, 1),
            "company-level evidence about a person, counted once",
        ),
        Comparison(
            "title",
            ("exact", "close", "different"),
            ("title",),
            title,
            (0.6, 0.1, 0.3),
            "title",
            (0,),
            "job title",
        ),
        Comparison(
            "birth_date",
            ("exact", "one_typo", "one_part_off", "same_year", "different"),
            ("dob",),
            birth_date,
            (0.85, 0.06, 0.04, 0.02, 0.03),
            "dob",
            (0,),
            "date of birth",
        ),
        Comparison(
            "linkedin",
            ("exact", "different"),
            ("linkedin",),
            _personal_id("linkedin"),
            (0.95, 0.05),
            description="LinkedIn profile, a personal identifier; generic (shared) ones missing",
        ),
        Comparison(
            "home_street",
            ("exact", "close", "same_number", "typos", "different"),
            ("street",),
            _private(street),
            (0.75, 0.12, 0.03, 0.03, 0.07),
            description="street of a private record (a home)",
        ),
        Comparison(
            "home_postcode",
            ("exact", "different"),
            ("postal",),
            _private(postcode),
            (0.9, 0.1),
            "postal",
            (0,),
            "postcode of a private record",
        ),
        Comparison(
            "home_city",
            ("exact", "close", "typos", "different"),
            ("city",),
            _private(town),
            (0.85, 0.05, 0.03, 0.07),
            "city",
            (0,),
            "city of a private record",
        ),
        Comparison(
            "company_name",
            (
                "exact",
                "same_words_or_acronym",
                "words_within",
                "typos",
                "close",
                "somewhat",
                "different",
            ),
            ("company",),
            company_name,
            (0.5, 0.15, 0.06, 0.1, 0.08, 0.06, 0.05),
            "company",
            (0,),
            "company name with legal forms folded, word order and acronyms",
        ),
        Comparison(
            "web_domain",
            ("exact", "different"),
            ("domain",),
            web_domain,
            (0.9, 0.1),
            "domain",
            (0,),
            description="company web domain; generic domains (placeholders, hosts) missing",
        ),
        Comparison(
            "street",
            ("exact", "close", "same_number", "typos", "different"),
            ("street",),
            street,
            (0.6, 0.25, 0.07, 0.03, 0.05),
            "street",
            (0,),
            "street line, house number first",
        ),
        Comparison(
            "postcode",
            ("exact", "different"),
            ("postal",),
            postcode,
            (0.9, 0.1),
            "postal",
            (0,),
            "postcode",
        ),
        Comparison(
            "city",
            ("exact", "close", "typos", "different"),
            ("city",),
            town,
            (0.85, 0.05, 0.03, 0.07),
            "city",
            (0,),
            "city",
        ),
        Comparison(
            "work_city",
            ("exact", "close", "different"),
            ("city",),
            work_city,
            (0.85, 0.05, 0.10),
            "city",
            (0,),
            "city of a person at work, between different employers",
        ),
    )
}


# --- custom fields (``matchers.attributes``) ---------------------------------------------


def _no_values(left: np.ndarray) -> np.ndarray:
    return np.full(len(left), MISSING, dtype=np.int8)


def _attribute_value(column: str) -> Grade:
    """exact / different; missing where the file (or this batch) lacks the field."""

    def grade(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        if column not in c.codes:
            return _no_values(left)
        a, b = c.codes[column][left], c.codes[column][right]
        return _levels([a == b], (a < 0) | (b < 0))

    return grade


def _shared_items(c: Coded, column: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many items two coded lists share, counted once per distinct pair of lists."""
    items = c.per_value(column, "items", lambda v: frozenset(v.split(ITEM_SEPARATOR)), object)
    da, db, inverse = distinct(a, b)
    shared = np.zeros(len(da), dtype=np.int64)
    ok = np.flatnonzero((da >= 0) & (db >= 0))
    shared[ok] = [len(items[x] & items[y]) for x, y in zip(da[ok], db[ok], strict=True)]
    return shared[inverse]


def _attribute_list(column: str) -> Grade:
    """same items / two or more shared / one shared / different."""

    def grade(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        if column not in c.codes:
            return _no_values(left)
        a, b = c.codes[column][left], c.codes[column][right]
        shared = _shared_items(c, column, a, b)
        return _levels([a == b, shared >= 2, shared >= 1], (a < 0) | (b < 0))

    return grade


@cache
def _attribute(kind: str) -> Comparison:
    shape, _, header = kind.partition(":")
    if shape == VALUE_KIND and header:
        return Comparison(
            kind, ("exact", "different"), (kind,), _attribute_value(kind), (0.7, 0.3),
            description=f"the file's column {header!r}, a single value",
        )  # fmt: skip
    if shape == LIST_KIND and header:
        return Comparison(
            kind,
            ("same", "two_shared", "one_shared", "different"),
            (kind,),
            _attribute_list(kind),
            (0.3, 0.3, 0.2, 0.2),
            description=f"the file's column {header!r}, a list of items",
        )
    raise KeyError(kind)


def comparison(kind: str) -> Comparison:
    """The comparison of a kind: one of the library's, or a custom field's attribute
    (``attribute:HEADER``, ``attribute_list:HEADER``). KeyError when there is none."""
    known = LIBRARY.get(kind)
    return known if known is not None else _attribute(kind)
