"""Blocking: which record pairs are worth comparing, as the union of several key rules.

Each rule maps a record to zero or more keys; records sharing a key form a block and every pair
inside a block is a candidate. Blocks above ``max_block`` records are skipped with a warning that
names the rule and the size only (never the key: keys are personal data).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from matchers.features import _map, variants

log = logging.getLogger(__name__)
DEFAULT_MAX_BLOCK = 400


def join_keys(*parts: np.ndarray) -> np.ndarray:
    """Key from parts, ``""`` when any part is missing."""
    out = parts[0].astype(object)
    present = out != ""
    for part in parts[1:]:
        present &= part != ""
        out = out + "|" + part
    return np.where(present, out, "")


def _sorted_name(f: pd.DataFrame) -> np.ndarray:
    """First and last name in alphabetical order: swapped name fields give the same key."""
    fn, ln = f["fn"].to_numpy(), f["ln"].to_numpy()
    return join_keys(np.where(fn < ln, fn, ln), np.where(fn < ln, ln, fn))


def _initial(values: np.ndarray) -> np.ndarray:
    return np.asarray([v[:1] for v in values], dtype=object)


def _nickname_initial(first: np.ndarray) -> np.ndarray:
    """The initial of a first name's alphabetically first nickname form: Bob and Robert both
    give "b", so a nickname does not split the block."""
    return _map(lambda name: min(variants(name))[:1] if name else "", first)


def _personal_number(f: pd.DataFrame) -> np.ndarray:
    """The mobile, else the phone."""
    mobile = f["mobile"].to_numpy()
    return np.where(mobile != "", mobile, f["phone"].to_numpy())


def _private(rule: Callable[[pd.DataFrame], np.ndarray]) -> Callable[[pd.DataFrame], np.ndarray]:
    """The rule's keys for private records only (no company, no web domain); the keys of
    other records are never built."""

    def keys(f: pd.DataFrame) -> np.ndarray:
        private = f["private"].to_numpy() == "1"
        out = np.full(len(f), "", dtype=object)
        if private.any():
            out[private] = rule(f.loc[private])
        return out

    return keys


def _key(*columns: str) -> Callable[[pd.DataFrame], np.ndarray]:
    """A rule keyed on these feature columns (no key when any of them is missing)."""
    return lambda f: join_keys(*(f[c].to_numpy() for c in columns))


# rule name -> keys per record (one array, "" = no key)
SINGLE_RULES: dict[str, Callable[[pd.DataFrame], np.ndarray]] = {
    "email": lambda f: f["email"].to_numpy(),
    "mobile": lambda f: f["mobile"].to_numpy(),
    "phone+surname": _key("phone", "ln_phon"),
    # the personal number wherever it was written: a mobile given as "phone" in one record (or
    # stored under phone) and as "mobile" in the other
    "number+surname": lambda f: join_keys(_personal_number(f), f["ln_phon"].to_numpy()),
    # with the first name's (nickname-aware) initial: a postcode and a common surname sound
    # alone made blocks whose pairs grew quadratically (1.35M pairs at 100k rows, 20M at 400k)
    "surname_phonetic+postcode": lambda f: join_keys(
        f["ln_phon"].to_numpy(), f["postal"].to_numpy(), _nickname_initial(f["fn"].to_numpy())
    ),
    "surname+company": _key("ln", "company"),
    "first+company": _key("fn", "company"),
    "name+company": lambda f: join_keys(_sorted_name(f), f["company"].to_numpy()),
    "name+postcode": lambda f: join_keys(_sorted_name(f), f["postal"].to_numpy()),
    "email_local+surname": _key("email_local", "ln_phon"),
    # private records only (an office address or a shared name would pair up colleagues):
    # people known by name and home address, where any one field may carry a typo
    "home_street+surname_initial": _private(
        lambda f: join_keys(f["street"].to_numpy(), _initial(f["ln"].to_numpy()))
    ),
    "home:name": _private(_sorted_name),
    "home:first+postcode": _private(_key("fn", "postal")),
    "home:surname+postcode": _private(_key("ln", "postal")),
    "home:street+city": _private(_key("street", "city")),
    "home:street+postcode": _private(_key("street", "postal")),
    "home:surname+city": _private(_key("ln", "city")),
    "home:first+city": _private(_key("fn", "city")),
}
RULE_MAX_BLOCK = {"email_local+surname": 100}
"""Tighter caps for rules whose big blocks are namesakes across the whole file: more than 100
``jsmith@`` locals with one surname sound are every J. Smith of a large file, not one person's
old and new address (1M generated leads: 21.7M of 34.8M candidate pairs came from this rule)."""
# rules only used inside one run (the store indexes the compact ones above)
STORED_RULES = (
    "surname_phonetic+postcode",
    "surname+company",
    "name+company",
    "name+postcode",
    "email_local+surname",
)


def nickname_keys(f: pd.DataFrame) -> pd.DataFrame:
    """``nickname+surname`` keys: one per name variant (Bob and Robert Smith share a block)."""
    fn, ln = f["fn"].to_numpy(), f["ln"].to_numpy()
    rows, keys = [], []
    for i, (first, last) in enumerate(zip(fn, ln, strict=True)):
        if first and last:
            for variant in variants(first):
                rows.append(i)
                keys.append(f"{variant}|{last}")
    return pd.DataFrame({"row": np.asarray(rows, dtype=np.int64), "key": keys})


def block_keys(f: pd.DataFrame, rules: tuple[str, ...] = STORED_RULES) -> pd.DataFrame:
    """``rule``, ``key`` rows indexed by the record label (for the store's blocking_keys)."""
    parts = []
    for rule in rules:
        keys = SINGLE_RULES[rule](f)
        keep = keys != ""
        parts.append(pd.DataFrame({"rule": rule, "key": keys[keep]}, index=f.index[keep]))
    return pd.concat(parts) if parts else pd.DataFrame(columns=["rule", "key"])


@dataclass
class BlockStats:
    """Per rule: blocks, pairs produced and blocks skipped for size (counts only)."""

    pairs: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    largest: dict[str, int] = field(default_factory=dict)


def _pairs_in_blocks(rows: np.ndarray, codes: np.ndarray, max_block: int) -> tuple:
    """All (i, j) pairs of ``rows`` sharing a code, blocks over ``max_block`` skipped.

    Blocks come in code order, each as its upper triangle row by row (i before j in ``rows``'
    order); the pairs of all blocks of one size are written in one vectorized step.
    """
    order = np.argsort(codes, kind="stable")
    codes, rows = codes[order], rows[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, len(codes)])
    big = sizes > max_block
    largest = int(sizes.max(initial=0))
    usable = (sizes > 1) & ~big
    starts, sizes = starts[usable], sizes[usable]
    counts = sizes * (sizes - 1) // 2
    offsets = np.cumsum(counts) - counts
    left = np.empty(int(counts.sum()), dtype=rows.dtype)
    right = np.empty_like(left)
    for size in np.unique(sizes).tolist():
        i, j = np.triu_indices(size, 1)
        pick = sizes == size
        out = (offsets[pick][:, None] + np.arange(len(i))).ravel()
        base = starts[pick][:, None]
        left[out] = rows[(base + i).ravel()]
        right[out] = rows[(base + j).ravel()]
    return left, right, int(big.sum()), largest


def _usable_blocks(codes: np.ndarray, max_block: int) -> np.ndarray:
    """Per record (``codes``: one key code per record, -1 = no key) its block code if the block
    produced pairs (2..``max_block`` records), else -1."""
    sizes = np.bincount(codes[codes >= 0], minlength=1)
    usable = np.r_[(sizes > 1) & (sizes <= max_block), False]  # code -1 reads the last entry
    return np.where(usable[codes], codes, -1).astype(np.int32)


def _new_pairs(earlier: list[np.ndarray], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Which pairs no earlier rule produced: their records share none of its usable blocks."""
    new = np.ones(len(left), dtype=bool)
    for blocks in earlier:
        code = blocks[left]
        new &= (code != blocks[right]) | (code < 0)
    return new


def candidate_pairs(
    f: pd.DataFrame, *, max_block: int = DEFAULT_MAX_BLOCK, nicknames: bool = False
) -> tuple[np.ndarray, np.ndarray, BlockStats]:
    """Union of candidate pairs over all rules, as positional (left, right) ``int32`` arrays,
    left < right, each pair once, in the order the rules (then blocks) first produce it.

    A rule's pair is dropped when an earlier rule produced it, decided from that rule's block
    codes of the two records, so no set of all pairs is ever built.

    ``nicknames`` adds the ``nickname+surname`` rule (one key per name variant, no location):
    on large files with common names it is quadratic, and surname + company or postcode
    already brings Bob and Robert Smith of one office together, so it is off by default.
    """
    stats = BlockStats()
    rules = (
        (rule, keys_of(f), min(max_block, RULE_MAX_BLOCK.get(rule, max_block)))
        for rule, keys_of in SINGLE_RULES.items()
    )
    lefts, rights, earlier = _union(rules, stats)
    if nicknames:
        nick = nickname_keys(f)
        codes, _ = pd.factorize(nick["key"].to_numpy(object))
        rows = nick["row"].to_numpy().astype(np.int32)
        left, right = _rule_pairs("nickname+surname", rows, codes, max_block, stats)
        keep = np.flatnonzero((left != right) & _new_pairs(earlier, left, right))
        left, right = np.minimum(left, right)[keep], np.maximum(left, right)[keep]
        n = np.int64(max(len(f), 1))
        joined = pd.unique(left.astype(np.int64) * n + right)  # one pair per shared variant
        lefts.append((joined // n).astype(np.int32))
        rights.append((joined % n).astype(np.int32))
    return np.concatenate(lefts), np.concatenate(rights), stats


def pairs_of_keys(
    keyed: Iterable[tuple[str, np.ndarray]], *, max_block: int = DEFAULT_MAX_BLOCK
) -> tuple[np.ndarray, np.ndarray, BlockStats]:
    """The union of the pairs sharing a key under any of the named key arrays (``""`` = no
    key), each pair once, left < right, blocks over ``max_block`` skipped with a warning."""
    stats = BlockStats()
    lefts, rights, _ = _union(((name, keys, max_block) for name, keys in keyed), stats)
    return np.concatenate(lefts), np.concatenate(rights), stats


def _union(
    rules: Iterable[tuple[str, np.ndarray, int]], stats: BlockStats
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Per rule (name, keys, cap): its pairs that no earlier rule produced, and its usable block
    codes (which tell the later rules what it produced)."""
    lefts, rights, earlier = [], [], []
    for rule, keys, cap in rules:
        codes = pd.factorize(keys)[0].astype(np.int32)
        codes[keys == ""] = -1
        rows = np.flatnonzero(codes >= 0).astype(np.int32)
        left, right = _rule_pairs(rule, rows, codes[rows], cap, stats)
        new = _new_pairs(earlier, left, right)
        lefts.append(left[new])
        rights.append(right[new])
        earlier.append(_usable_blocks(codes, cap))
    return lefts, rights, earlier


def _rule_pairs(
    rule: str, rows: np.ndarray, codes: np.ndarray, max_block: int, stats: BlockStats
) -> tuple[np.ndarray, np.ndarray]:
    """One rule's pairs (``left`` < ``right`` when ``rows`` ascend), counted in ``stats``; a
    warning names the rule and the number of skipped blocks, never a key."""
    left, right, skipped, largest = _pairs_in_blocks(rows, codes, max_block)
    stats.pairs[rule], stats.skipped[rule], stats.largest[rule] = len(left), skipped, largest
    if skipped:
        log.warning(
            "blocking rule %s: %d block(s) over %d records skipped", rule, skipped, max_block
        )
    return left, right
