"""Records as integer codes: every comparison on millions of pairs is then an integer compare,
and string work (similarity, nicknames) runs once per distinct value pair.

Columns sharing a vocabulary (first and last names; phone and mobile) get codes from one
vocabulary so they can be compared across columns (swapped names, a mobile given as phone).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.process import cpdist

from matchers.attributes import is_attribute
from matchers.features import isin

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "name": ("fn", "ln"),
    "phonetic": ("fn_phon", "ln_phon"),
    "uncertain": ("name_uncertain",),
    "phone": ("phone", "mobile"),
    "email": ("email",),
    "local": ("email_local",),
    "domain": ("email_domain",),
    "free": ("email_free",),
    "company": ("company",),
    "web": ("domain",),
    "postal": ("postal",),
    "street": ("street",),
    "street_key": ("street_key",),
    "street_name": ("street_name",),
    "street_form": ("street_form",),
    "number": ("street_number",),
    "city": ("city",),
    "title": ("title",),
    "middle": ("mn",),
    "dob": ("dob",),
    "linkedin": ("linkedin",),
    "private": ("private",),
}


@dataclass(frozen=True, slots=True)
class Coded:
    """Codes per column (``-1`` = missing), vocabularies, and data-wide facts: which codes of a
    vocabulary are generic values (``matchers.generic``), and per term-frequency key the value
    code and relative frequency of each record."""

    codes: dict[str, np.ndarray]
    vocab: dict[str, np.ndarray]
    generic: dict[str, np.ndarray]
    tf_codes: dict[str, np.ndarray]
    tf_count: dict[str, np.ndarray]
    derived: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    """Per-value facts computed on first use (``per_value``), kept for every later chunk."""

    def __len__(self) -> int:
        return len(self.codes["fn"])

    def per_value(
        self, vocabulary: str, name: str, function: Callable[[str], object], dtype: type
    ) -> np.ndarray:
        """``function`` of each value of a vocabulary (indexed by code), computed once: the
        comparisons run chunk by chunk, and a vocabulary can hold a million values."""
        key = f"{vocabulary}:{name}"
        if key not in self.derived:
            values = [function(v) for v in self.vocab[vocabulary]]
            self.derived[key] = np.asarray(values, dtype=dtype)
        return self.derived[key]

    def per_value_codes(
        self, vocabulary: str, name: str, function: Callable[[str], str]
    ) -> np.ndarray:
        """``per_value`` of a text-valued ``function`` as integer codes (equal text, equal
        code; -1 where it gives ``""``), so pairs compare integers, not strings."""
        key = f"{vocabulary}:{name}:codes"
        if key not in self.derived:
            values = self.per_value(vocabulary, name, function, object)
            (self.derived[key],), _ = _codes([values])
        return self.derived[key]

    def is_generic(self, vocabulary: str, codes: np.ndarray) -> np.ndarray:
        """Which of these codes are generic values (missing codes are not)."""
        flags = self.generic.get(vocabulary)
        if flags is None or len(flags) == 0:
            return np.zeros(len(codes), dtype=bool)
        return (codes >= 0) & flags[np.maximum(codes, 0)]


def _codes(values: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """Codes of several arrays over one vocabulary; ``""`` gets ``-1``."""
    joined = np.concatenate(values) if values else np.empty(0, dtype=object)
    codes, uniques = pd.factorize(joined)
    uniques = np.asarray(uniques, dtype=object)
    empty = np.flatnonzero(uniques == "")
    codes = codes.astype(np.int32)
    if len(empty):
        codes[codes == empty[0]] = -1
    out, start = [], 0
    for part in values:
        out.append(codes[start : start + len(part)])
        start += len(part)
    return out, uniques


def _counted(values: np.ndarray, weight: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``values`` and how many records carry each code (each counted by ``weight``)."""
    (codes,), _ = _codes([values])
    present = codes >= 0
    counted = None if weight is None else weight[present]
    return codes, np.bincount(codes[present], weights=counted).astype(float)


def tf_values(features: pd.DataFrame) -> dict[str, np.ndarray]:
    """The value each term-frequency key reads per record (``""`` = none)."""
    fn, ln = features["fn"].to_numpy(dtype=object), features["ln"].to_numpy(dtype=object)
    lo, hi = np.where(fn < ln, fn, ln), np.where(fn < ln, ln, fn)
    company = features["company"].to_numpy(dtype=object)
    return {
        "name": np.where((fn != "") & (ln != ""), lo + " " + hi, np.where(fn != "", fn, ln)),
        "first": fn,
        "last": ln,
        "employer": np.where(company != "", company, features["domain"].to_numpy(dtype=object)),
        "company": company,
        "title": features["title"].to_numpy(dtype=object),
        "middle": features["mn"].to_numpy(dtype=object),
        "postal": features["postal"].to_numpy(dtype=object),
        "city": features["city"].to_numpy(dtype=object),
        "dob": features["dob"].to_numpy(dtype=object),
        "street": features["street"].to_numpy(dtype=object),
        "domain": features["domain"].to_numpy(dtype=object),
    }


def encode(
    features: pd.DataFrame,
    generic: dict[str, np.ndarray] | None = None,
    weight: np.ndarray | None = None,
) -> Coded:
    """Code the feature frame of ``matchers.features``; ``generic`` flags generic values per
    vocabulary (``matchers.generic.generic_values``). Term frequencies count each record by
    ``weight`` (``clustering.distinct_weight``: a group of identical records counts once, so
    one person on a thousand identical rows does not make their name a common one)."""
    codes: dict[str, np.ndarray] = {}
    vocab: dict[str, np.ndarray] = {}
    for name, columns in VOCABULARIES.items():
        parts, vocab[name] = _codes([features[c].to_numpy(dtype=object) for c in columns])
        codes.update(zip(columns, parts, strict=True))
    for column in (c for c in features.columns if is_attribute(c)):  # one vocabulary each
        (codes[column],), vocab[column] = _codes([features[column].to_numpy(dtype=object)])
    tf_codes, tf_count = {}, {}
    for key, values in tf_values(features).items():
        tf_codes[key], tf_count[key] = _counted(np.asarray(values, dtype=object), weight)
    flags = {}
    for name, values in (generic or {}).items():  # values: the generic strings
        flags[name] = isin(vocab[name], values) if len(values) else np.zeros(0, dtype=bool)
    return Coded(codes, vocab, flags, tf_codes, tf_count)


def distinct(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (a, b) code pairs and, per input pair, the index of its distinct pair."""
    width = np.int64(max(int(a.max(initial=0)), int(b.max(initial=0))) + 2)
    joint = (a.astype(np.int64) + 1) * width + (b.astype(np.int64) + 1)
    inverse, uniques = pd.factorize(joint)
    return uniques // width - 1, uniques % width - 1, inverse


def similarity(
    vocab: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    scorer: Callable[..., float] = JaroWinkler.normalized_similarity,
    scale: float = 1.0,
) -> np.ndarray:
    """Similarity (0..1; Jaro-Winkler unless ``scorer`` says otherwise, divided by ``scale``)
    of coded values, 0 where either is missing."""
    if len(a) == 0:
        return np.empty(0, dtype=np.float32)
    da, db, inverse = distinct(a, b)
    ok = (da >= 0) & (db >= 0)
    sims = np.zeros(len(da), dtype=np.float32)
    if ok.any():
        sims[ok] = (
            cpdist(
                list(vocab[da[ok]]),
                list(vocab[db[ok]]),
                scorer=scorer,
                workers=-1,
            )
            / scale
        )
    return sims[inverse]


MIN_TYPO_LENGTH = 4
CHARS_PER_TYPO = 7
"""Shorter values one edit apart are other values, not typos ("Uwe" and "Ute")."""


def one_typo(vocab: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Values at most one edit apart (a substitution, insertion, deletion or transposition of
    neighbours), both at least ``MIN_TYPO_LENGTH`` long; False where either is missing."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    da, db, inverse = distinct(a, b)
    ok = (da >= 0) & (db >= 0)
    long_enough = _lengths(vocab) >= MIN_TYPO_LENGTH
    ok[ok] = long_enough[da[ok]] & long_enough[db[ok]]
    flags = np.zeros(len(da), dtype=bool)
    if ok.any():
        distance = cpdist(
            list(vocab[da[ok]]), list(vocab[db[ok]]), scorer=DamerauLevenshtein.distance
        )
        flags[ok] = distance <= 1
    return flags[inverse]


def few_typos(compact: np.ndarray, digits: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Values a few typing slips apart: on ``compact`` (the values without spaces, by code) at
    most one edit per ``CHARS_PER_TYPO`` characters of the shorter one (none under that length),
    and the same ``digits`` (codes of the values' digits): "Unit 1" and "Unit 2" stay apart.
    False where either is missing."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    da, db, inverse = distinct(a, b)
    ok = (da >= 0) & (db >= 0)
    ok[ok] = digits[da[ok]] == digits[db[ok]]
    lengths = _lengths(compact)
    allowed = np.zeros(len(da), dtype=np.int64)
    allowed[ok] = np.minimum(lengths[da[ok]], lengths[db[ok]]) // CHARS_PER_TYPO
    ok &= allowed > 0
    flags = np.zeros(len(da), dtype=bool)
    if ok.any():
        distance = cpdist(
            list(compact[da[ok]]), list(compact[db[ok]]), scorer=DamerauLevenshtein.distance
        )
        flags[ok] = distance <= allowed[ok]
    return flags[inverse]


def _lengths(vocab: np.ndarray) -> np.ndarray:
    return np.fromiter((len(v) for v in vocab), dtype=np.int64, count=len(vocab))


def predicate(
    vocab_a: np.ndarray,
    vocab_b: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    function: Callable[[str, str], bool],
) -> np.ndarray:
    """A Python predicate on coded values, evaluated once per distinct pair (False if missing)."""
    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    da, db, inverse = distinct(a, b)
    flags = np.asarray(
        [
            x >= 0 and y >= 0 and function(vocab_a[x], vocab_b[y])
            for x, y in zip(da, db, strict=True)
        ],
        dtype=bool,
    )
    return flags[inverse]
