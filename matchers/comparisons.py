"""Comparison levels per field for aligned record pairs, vectorized with rapidfuzz.

Every function takes the feature frame and positional ``left``/``right`` arrays and returns one
``int8`` level per pair: 0 is the strongest agreement, higher is weaker, ``MISSING`` (-1) means a
side has no value (weight 0). Company-level evidence (employer, office address, a shared phone
line) is collapsed into the single ``employer`` comparison so it is counted once, not three times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matchers.coded import Coded, predicate, similarity
from matchers.features import variants

MISSING = -1


@dataclass(frozen=True, slots=True)
class Field:
    """One comparison: its level labels (best first) and which levels get term-frequency
    adjustment (value-specific u) and which are neutral (weight fixed at 0)."""

    name: str
    levels: tuple[str, ...]
    tf_levels: tuple[int, ...] = ()
    neutral_levels: tuple[int, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        ("exact", "nickname_or_initial", "close", "surname_only", "first_name_only", "different"),
        (0,),
    ),
    Field(
        "email",
        (
            "exact_personal",
            "exact",
            "same_local_other_domain",
            "close_local",
            "colleague_same_domain",
            "different",
        ),
    ),
    Field("phone", ("personal_exact", "shared_line", "different"), (), (1,)),
    Field("employer", ("company_and_site", "company", "site_only", "different"), (0, 1)),
    Field("title", ("exact", "close", "different"), (0,)),
    # a private address (neither side has a company or web domain) is the person's own;
    # business addresses are company evidence and stay in ``employer``
    Field("street", ("exact", "close", "somewhat", "different")),
    Field("postcode", ("exact", "different"), (0,)),
    Field("city", ("exact", "close", "different"), (0,)),
)
ADDRESS_FIELDS = ("street", "postcode", "city")
"""Compared only between private records; they select the ``private`` stratum."""
FIELD_NAMES = tuple(f.name for f in FIELDS)


def _missing(c: Coded, column: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    codes = c.codes[column]
    return (codes[left] < 0) | (codes[right] < 0)


def _equal(c: Coded, column: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    codes = c.codes[column]
    return (codes[left] == codes[right]) & (codes[left] >= 0)


def _nickname_or_initial(x: str, y: str) -> bool:
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return y in variants(x) or x in variants(y)


def _contained(x: str, y: str) -> bool:
    return len(x) > 2 and len(y) > 2 and (x in y or y in x)


def oriented_names(c: Coded, left: np.ndarray, right: np.ndarray) -> tuple:
    """Name codes (fl, ll, fr, lr) and similarities (first, last), with the right side swapped
    where its first and last name look swapped (crossed similarity clearly higher)."""
    names = c.vocab["name"]
    fn, ln = c.codes["fn"], c.codes["ln"]
    fl, ll, fr, lr = fn[left], ln[left], fn[right], ln[right]
    sf, sl = similarity(names, fl, fr), similarity(names, ll, lr)
    xf, xl = similarity(names, fl, lr), similarity(names, ll, fr)
    swap = (xf + xl) > (sf + sl) + 0.2
    return (
        fl,
        ll,
        np.where(swap, lr, fr),
        np.where(swap, fr, lr),
        np.where(swap, xf, sf),
        np.where(swap, xl, sl),
    )


def first_name_levels(names: np.ndarray, fl, fr, sim) -> np.ndarray:  # type: ignore[no-untyped-def]
    """exact / nickname or initial / close (JW ≥ 0.92) / somewhat (≥ 0.8) / different."""
    equivalent = predicate(names, names, fl, fr, _nickname_or_initial)
    level = np.select([fl == fr, equivalent, sim >= 0.92, sim >= 0.8], [0, 1, 2, 3], 4)
    return np.where((fl < 0) | (fr < 0), MISSING, level).astype(np.int8)


def last_name_levels(names: np.ndarray, ll, lr, sim) -> np.ndarray:  # type: ignore[no-untyped-def]
    """exact / close (JW ≥ 0.92 or one contains the other: double-barrelled) / somewhat /
    different."""
    contained = predicate(names, names, ll, lr, _contained)
    level = np.select([ll == lr, (sim >= 0.92) | contained, sim >= 0.8], [0, 1, 2], 3)
    return np.where((ll < 0) | (lr < 0), MISSING, level).astype(np.int8)


def name_levels(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """One joint name level from the first- and last-name levels: colleagues often share a
    first name or a surname, rarely both, so the two are not independent evidence."""
    f_ok, l_ok = first >= 0, last >= 0
    level = np.select(
        [
            (first == 0) & (last == 0),
            (first == 1) & (last == 0),
            f_ok & l_ok & (first <= 2) & (last <= 2),
            l_ok & (last <= 1),
            f_ok & (first <= 2),
        ],
        [0, 1, 2, 3, 4],
        5,
    )
    return np.where(~f_ok & ~l_ok, MISSING, level).astype(np.int8)


def _same_initial(x: str, y: str) -> bool:
    return x[:1] == y[:1]


def email_levels(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact, local part spelling the surname / exact / same local part at another domain
    (length ≥ 4) / close local part at the same domain (typo) / same company domain, other local
    part (a colleague; never for free-mail domains) / different. Two spellings of one person's
    address at one domain (``rsmith`` and ``robert.smith`` for two Smiths) are missing."""
    local, names = c.vocab["local"], c.vocab["name"]
    lc, ln = c.codes["email_local"], c.codes["ln"]
    ll, lr = lc[left], lc[right]
    spells = lambda loc, s: len(s) >= 3 and s in loc  # noqa: E731
    personal = predicate(local, names, ll, ln[left], spells)
    personal |= predicate(local, names, ll, ln[right], spells)
    long_local = np.fromiter((len(v) >= 4 for v in local), dtype=bool, count=len(local))
    same_domain = _equal(c, "email_domain", left, right)
    free = c.codes["email_free"]
    shared_employer = same_domain & (free[left] < 0)  # two gmail.com users are no colleagues
    exact = _equal(c, "email", left, right)
    level = np.select(
        [
            exact & personal,
            exact,
            (ll == lr) & (ll >= 0) & long_local[np.maximum(ll, 0)],
            same_domain & (similarity(local, ll, lr) >= 0.92),
            shared_employer,
        ],
        [0, 1, 2, 3, 4],
        5,
    )
    # rsmith@ and robert.smith@ at one company: two spellings of one person's address (both
    # spell the shared surname and start alike) say nothing either way, unlike a colleague's
    alias = np.zeros(len(left), dtype=bool)
    maybe = np.flatnonzero((level == 4) & (ln[left] == ln[right]) & (ln[left] >= 0))
    alias[maybe] = predicate(local, local, ll[maybe], lr[maybe], _same_initial)
    alias[maybe] &= personal[maybe] & predicate(local, names, lr[maybe], ln[left][maybe], spells)
    missing = _missing(c, "email", left, right) | alias
    return np.where(missing, MISSING, level).astype(np.int8)


def phone_levels(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """A number in common that is personal (direct line, mobile) / only a shared company line
    / none in common / missing. Phone and mobile are compared crosswise."""
    phone, mobile, shared = c.codes["phone"], c.codes["mobile"], c.shared_line
    pl, ml, pr, mr = phone[left], mobile[left], phone[right], mobile[right]
    personal, line = np.zeros(len(left), bool), np.zeros(len(left), bool)
    for a, b in ((pl, pr), (pl, mr), (ml, pr), (ml, mr)):
        hit = (a == b) & (a >= 0)
        is_line = hit & shared[np.maximum(a, 0)]
        personal |= hit & ~is_line
        line |= is_line
    nothing = ((pl < 0) & (ml < 0)) | ((pr < 0) & (mr < 0))
    level = np.select([personal, line], [0, 1], 2)
    return np.where(nothing, MISSING, level).astype(np.int8)


def employer_levels(c: Coded, left: np.ndarray, right: np.ndarray, phone: np.ndarray) -> np.ndarray:
    """Company-level evidence, counted once: same company (key or web domain) and site / same
    company (or a shared company line) / same site only / different."""
    same_company = _equal(c, "company", left, right) | _equal(c, "domain", left, right)
    street = c.codes["street"]
    same_site = _equal(c, "postal", left, right) & (
        (street[left] == street[right]) | (street[left] < 0) | (street[right] < 0)
    )
    level = np.select(
        [same_company & same_site, same_company | (phone == 1), same_site], [0, 1, 2], 3
    )
    nothing = (
        _missing(c, "company", left, right)
        & _missing(c, "domain", left, right)
        & _missing(c, "postal", left, right)
    )
    return np.where(nothing & (level == 3), MISSING, level).astype(np.int8)


def title_levels(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """exact / close (JW ≥ 0.9) / different."""
    tl, tr = c.codes["title"][left], c.codes["title"][right]
    level = np.select([tl == tr, similarity(c.vocab["title"], tl, tr) >= 0.9], [0, 1], 2)
    return np.where((tl < 0) | (tr < 0), MISSING, level).astype(np.int8)


def _private_pair(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Both records are private (no company, no web domain): their addresses are homes."""
    private = c.codes["private"]
    return (private[left] >= 0) & (private[right] >= 0)


def _private_levels(
    c: Coded,
    column: str,
    left: np.ndarray,
    right: np.ndarray,
    grade,  # type: ignore[no-untyped-def]
) -> np.ndarray:
    """Private-address level per pair: ``grade(vocab, a, b)`` on the pairs of private records
    where both sides have the value (only those are compared), missing elsewhere."""
    codes = c.codes[column]
    a, b = codes[left], codes[right]
    usable = np.flatnonzero((a >= 0) & (b >= 0) & _private_pair(c, left, right))
    out = np.full(len(left), MISSING, dtype=np.int8)
    if len(usable):
        vocab = c.vocab[column]  # the address columns are their own vocabularies
        out[usable] = grade(vocab, a[usable], b[usable])
    return out


def _graded(cuts: tuple[float, ...]):  # type: ignore[no-untyped-def]
    """A grade: exact / Jaro-Winkler at or above each cut / different."""

    def grade(vocab: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        sim = similarity(vocab, a, b)
        return np.select(
            [a == b, *(sim >= cut for cut in cuts)], range(len(cuts) + 1), len(cuts) + 1
        )

    return grade


def _exact_grade(vocab: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where(a == b, 0, 1)


def street_levels(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Private street: exact / close (JW ≥ 0.9) / somewhat (JW ≥ 0.8) / different."""
    return _private_levels(c, "street", left, right, _graded((0.9, 0.8)))


def postcode_levels(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Private postcode: exact / different. No "one typo" level: one digit off is more often
    the neighbouring area than a typo, so it went with the same town and EM took "neighbours"
    for matches (generated households at 100,000 rows: F1 0.42 with it, 0.91 without)."""
    return _private_levels(c, "postal", left, right, _exact_grade)


def city_levels(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Private city: exact / close (JW ≥ 0.92) / different."""
    return _private_levels(c, "city", left, right, _graded((0.92,)))


def household(c: Coded, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Private pairs with the same surname but clearly different first names (both given, no
    nickname or initial, Jaro-Winkler < 0.8): two people of one household, or one person with
    a mistyped first name; names and address cannot tell which."""
    names = c.vocab["name"]
    fl, ll, fr, lr, sf, sl = oriented_names(c, left, right)
    first = first_name_levels(names, fl, fr, sf)
    last = last_name_levels(names, ll, lr, sl)
    return _private_pair(c, left, right) & (first == 4) & (last >= 0) & (last <= 1)


def compare(c: Coded, left: np.ndarray, right: np.ndarray) -> pd.DataFrame:
    """All comparison levels for the pairs (one ``int8`` column per field in ``FIELDS``)."""
    names = c.vocab["name"]
    fl, ll, fr, lr, sf, sl = oriented_names(c, left, right)
    phone = phone_levels(c, left, right)
    return pd.DataFrame(
        {
            "name": name_levels(
                first_name_levels(names, fl, fr, sf), last_name_levels(names, ll, lr, sl)
            ),
            "email": email_levels(c, left, right),
            "phone": phone,
            "employer": employer_levels(c, left, right, phone),
            "title": title_levels(c, left, right),
            "street": street_levels(c, left, right),
            "postcode": postcode_levels(c, left, right),
            "city": city_levels(c, left, right),
        }
    )


TF_MIN_RECORDS = 1000
"""Below this many records value frequencies say nothing (a name seen twice in ten records is a
duplicate, not a common name), so no term-frequency adjustment is made."""


def tf_frequency(c: Coded, left: np.ndarray) -> dict[str, np.ndarray]:
    """Per term-frequency field, the relative frequency of the left record's value (NaN if
    missing or if there are too few records to tell): the chance agreement on that value."""
    if len(c) < TF_MIN_RECORDS:
        return {field: np.full(len(left), np.nan) for field in c.tf_codes}
    out = {}
    for field, codes in c.tf_codes.items():
        code = codes[left]
        freq = c.tf_freq[field]
        out[field] = np.where(code >= 0, freq[np.maximum(code, 0)] if len(freq) else 0.0, np.nan)
    return out
