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

from matchers.attributes import is_attribute
from matchers.company_names import acronym
from matchers.features import _map, phonetic, variants
from matchers.settings import BlockingRule

log = logging.getLogger(__name__)
DEFAULT_MAX_BLOCK = 400
IDENTICAL = "identical"
"""The cache entry of ``identical_rows``."""
OVERSIZE_PAIRS = 500_000
"""Blocks over ``max_block`` records are still compared, smallest first, while their pairs stay
within this many per rule: one real entity with hundreds of records (a company named on every
row of a patent list) is a block too, and in a small file its pairs are cheap."""


def join_keys(*parts: np.ndarray) -> np.ndarray:
    """Key from parts, ``""`` when any part is missing (one string join per record: half the
    time of concatenating object arrays part by part)."""
    out = np.empty(len(parts[0]), dtype=object)
    rows = zip(*(p.tolist() for p in parts), strict=True)
    out[:] = ["|".join(t) if all(t) else "" for t in rows]
    return out


DIRECTIONS = frozenset(
    {"n", "s", "e", "w", "north", "south", "east", "west", "ne", "nw", "se", "sw"}
)


def _sorted_name(f: pd.DataFrame) -> np.ndarray:
    """First and last name in alphabetical order: swapped name fields give the same key."""
    fn, ln = f["fn"].to_numpy(), f["ln"].to_numpy()
    return join_keys(np.where(fn < ln, fn, ln), np.where(fn < ln, ln, fn))


def _sorted_pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return join_keys(np.where(a < b, a, b), np.where(a < b, b, a))


def _nickname_initial(first: str) -> str:
    """The initial of a first name's alphabetically first nickname form: Bob and Robert both
    give "b", so a nickname does not split the block."""
    return min(variants(first))[:1] if first else ""


def _personal_number(f: pd.DataFrame) -> np.ndarray:
    """The mobile, else the phone."""
    mobile = f["mobile"].to_numpy()
    return np.where(mobile != "", mobile, f["phone"].to_numpy())


def _street_word(street: str) -> str:
    """The first word of a street line that is neither its number nor a direction."""
    for word in "".join(ch if ch.isalnum() else " " for ch in street).split():
        if not word.isdigit() and word not in DIRECTIONS and len(word) > 1:
            return word[:6]
    return ""


def _company_word(key: str) -> str:
    """The first word of a company key (three letters or more), else the key."""
    return next((w for w in key.split() if len(w) >= 3), key)


def _company_last_word(key: str) -> str:
    """The last word of a company key (three letters or more), else the key: "Unilever" and
    "Cia Holandesa Unilever", "Whirlpool" and "Euro Whirlpool" share it, not their first."""
    return next((w for w in reversed(key.split()) if len(w) >= 3), key)


def _company_word_sound(key: str) -> str:
    """The metaphone of a company key's first word: "Unilever", "Unilver" and "Unilivir",
    "Alcatel" and "Alkatel" share it."""
    return phonetic(_company_word(key))


def _company_acronym(key: str) -> str:
    """The initials of a name of three words or more ("international business machines" →
    ``ibm``), or a one-word name short enough to be initials itself: a block for an acronym
    and its spelled-out name."""
    words = key.split()
    if len(words) == 1 and 2 <= len(key) <= 5:
        return key
    return acronym(key)


PER_VALUE: dict[str, tuple[str, Callable[[str], str]]] = {
    "fn_initial": ("fn", lambda v: v[:1]),
    "ln_initial": ("ln", lambda v: v[:1]),
    "fn_nick_initial": ("fn", _nickname_initial),
    "company_word": ("company", _company_word),
    "company_last_word": ("company", _company_last_word),
    "company_word_sound": ("company", _company_word_sound),
    "company_acronym": ("company", _company_acronym),
    "street_word": ("street", _street_word),
    "dob_year": ("dob", lambda v: v[:4]),
    "dob_month_day": ("dob", lambda v: v[5:]),
}
"""Derived columns that are a function of one feature column's value: their codes come from
that column's codes and distinct values, with no string per record."""


def _per_value(base: str, function: Callable[[str], str]) -> Callable[[pd.DataFrame], np.ndarray]:
    return lambda f: _map(function, f[base].to_numpy())


DERIVED: dict[str, Callable[[pd.DataFrame], np.ndarray]] = {
    **{column: _per_value(base, function) for column, (base, function) in PER_VALUE.items()},
    "name_sorted": _sorted_name,
    "sound_sorted": lambda f: _sorted_pair(f["fn_phon"].to_numpy(), f["ln_phon"].to_numpy()),
    "number": _personal_number,
    "phone_7": lambda f: _map(lambda v: v[-7:] if len(v) >= 7 else "", _personal_number(f)),
    "employer_key": lambda f: np.where(
        f["company"].to_numpy(dtype=object) != "",
        f["company"].to_numpy(dtype=object),
        f["domain"].to_numpy(dtype=object),
    ),
}
"""Blocking columns computed from the feature columns."""


def column_keys(f: pd.DataFrame, column: str, cache: dict[str, np.ndarray]) -> np.ndarray:
    """A feature or derived column's values (``""`` = missing), computed once per frame; a
    custom field's attribute the frame lacks (a saved model's, another file) is all missing."""
    if column not in cache:
        if column in DERIVED:
            cache[column] = DERIVED[column](f)
        elif column not in f.columns and is_attribute(column):
            cache[column] = np.full(len(f), "", dtype=object)
        else:
            cache[column] = f[column].to_numpy(dtype=object)
    return cache[column]


def column_codes(f: pd.DataFrame, column: str, cache: dict[str, np.ndarray]) -> np.ndarray:
    """A column's keys as dense integer codes (-1 = missing), computed once per frame."""
    name = "codes:" + column
    if name not in cache:
        if column in PER_VALUE:
            base, function = PER_VALUE[column]
            codes, values = _factorized(f, base, cache)
            mapped = np.asarray([function(v) for v in values], dtype=object)
            mapped_codes = key_codes(mapped) if len(mapped) else np.empty(0, dtype=np.int32)
            cache[name] = np.where(codes >= 0, mapped_codes[np.maximum(codes, 0)], -1)
        else:
            cache[name] = key_codes(column_keys(f, column, cache))
    return cache[name]


def _factorized(
    f: pd.DataFrame, column: str, cache: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """A feature column's codes (-1 = ``""``) and its distinct values, by code."""
    name = "codes:" + column
    if name not in cache or "values:" + column not in cache:
        cache[name], cache["values:" + column] = _coded_keys(column_keys(f, column, cache))
    return cache[name], cache["values:" + column]


def rule_codes(
    f: pd.DataFrame, columns: tuple[str, ...], cache: dict[str, np.ndarray]
) -> np.ndarray:
    """A rule's key per record as a dense integer code (-1 when any column is missing): the
    same blocks as ``rule_keys`` without building a string per record, for counting pairs."""
    name = "codes:" + "+".join(columns)
    if name not in cache:
        if len(columns) == 1:
            return column_codes(f, columns[0], cache)
        head = rule_codes(f, columns[:-1], cache)
        last = column_codes(f, columns[-1], cache)
        missing = (head < 0) | (last < 0)
        joined = head.astype(np.int64) * (int(last.max(initial=0)) + 1) + last
        codes, _ = pd.factorize(np.where(missing, -1, joined))
        cache[name] = np.where(missing, -1, codes).astype(np.int32)
    return cache[name]


def keep_rules(cache: dict[str, np.ndarray], rules: Iterable[tuple[str, ...]]) -> None:
    """Drop from ``cache`` all but the codes of these rules (the planner tries many more; at
    a million records each array held costs megabytes)."""
    wanted = {"codes:" + "+".join(columns) for columns in rules} | {IDENTICAL}
    for name in [name for name in cache if name not in wanted]:
        del cache[name]


def rule_keys(f: pd.DataFrame, rule: BlockingRule, cache: dict[str, np.ndarray]) -> np.ndarray:
    """A rule's key per record (``""`` when any of its columns is missing), computed once per
    frame (``cache`` holds it beside the columns)."""
    name = "rule:" + "+".join(rule.columns)
    if name not in cache:
        cache[name] = join_keys(*(column_keys(f, c, cache) for c in rule.columns))
    return cache[name]


def block_keys(f: pd.DataFrame, rules: tuple[BlockingRule, ...]) -> pd.DataFrame:
    """``rule``, ``key`` rows indexed by the record label (for the store's blocking_keys)."""
    parts = []
    cache: dict[str, np.ndarray] = {}
    for rule in rules:
        keys = rule_keys(f, rule, cache)
        keep = keys != ""
        parts.append(pd.DataFrame({"rule": rule.name, "key": keys[keep]}, index=f.index[keep]))
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
    usable = compared_blocks(sizes, max_block)
    big = (sizes > 1) & ~usable
    largest = int(sizes.max(initial=0))
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


def compared_blocks(sizes: np.ndarray, max_block: int) -> np.ndarray:
    """Which blocks (by size) produce pairs: 2..``max_block`` records, and the larger ones,
    smallest first, while their pairs fit ``OVERSIZE_PAIRS``."""
    kept = (sizes > 1) & (sizes <= max_block)
    over = np.flatnonzero(sizes > max_block)
    if len(over):
        over = over[np.argsort(sizes[over], kind="stable")]
        pairs = np.cumsum(sizes[over].astype(np.int64) * (sizes[over] - 1) // 2)
        kept[over[pairs <= OVERSIZE_PAIRS]] = True
    return kept


def _usable_blocks(codes: np.ndarray, max_block: int) -> np.ndarray:
    """Per record (``codes``: one key code per record, -1 = no key) its block code if the block
    produced pairs (2..``max_block`` records), else -1."""
    sizes = np.bincount(codes[codes >= 0], minlength=1)
    usable = np.r_[compared_blocks(sizes, max_block), False]  # code -1 reads the last entry
    return np.where(usable[codes], codes, -1).astype(np.int32)


def _new_pairs(earlier: list[np.ndarray], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Which pairs no earlier rule produced: their records share none of its usable blocks."""
    new = np.ones(len(left), dtype=bool)
    for blocks in earlier:
        code = blocks[left]
        new &= (code != blocks[right]) | (code < 0)
    return new


def candidate_pairs(
    f: pd.DataFrame,
    rules: tuple[BlockingRule, ...],
    *,
    max_block: int = DEFAULT_MAX_BLOCK,
    cache: dict[str, np.ndarray] | None = None,
    probes: int | None = None,
) -> tuple[np.ndarray, np.ndarray, BlockStats]:
    """Union of candidate pairs over the rules, as positional (left, right) ``int32`` arrays,
    left < right, each pair once, in the order the rules (then blocks) first produce it.

    A rule's pair is dropped when an earlier rule produced it, decided from that rule's block
    codes of the two records, so no set of all pairs is ever built. ``cache``: the keys already
    computed for this very frame (e.g. by ``plan_blocking``). ``probes``: only pairs with one of
    the first ``probes`` records (the others are only compared with those), blocks still
    counted whole for ``max_block``.
    """
    stats = BlockStats()
    cache = {} if cache is None else cache
    coded = ((rule.name, rule_codes(f, rule.columns, cache), max_block) for rule in rules)
    lefts, rights, _ = _union(coded, stats, probes, lambda: identical_rows(f, cache))
    if not lefts:
        return np.empty(0, np.int32), np.empty(0, np.int32), stats
    return np.concatenate(lefts), np.concatenate(rights), stats


def pairs_of_keys(
    keyed: Iterable[tuple[str, np.ndarray]], *, max_block: int = DEFAULT_MAX_BLOCK
) -> tuple[np.ndarray, np.ndarray, BlockStats]:
    """The union of the pairs sharing a key under any of the named key arrays (``""`` = no
    key), each pair once, left < right, blocks over ``max_block`` skipped with a warning."""
    stats = BlockStats()
    coded = ((name, key_codes(keys), max_block) for name, keys in keyed)
    lefts, rights, _ = _union(coded, stats)
    return np.concatenate(lefts), np.concatenate(rights), stats


def key_codes(keys: np.ndarray) -> np.ndarray:
    """String keys as dense integer codes, -1 where there is no key (``""``)."""
    return _coded_keys(keys)[0]


def _coded_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``key_codes`` and the distinct keys, by code."""
    codes, values = pd.factorize(keys)
    return np.where(keys != "", codes, -1).astype(np.int32), np.asarray(values, dtype=object)


def _union(
    rules: Iterable[tuple[str, np.ndarray, int]],
    stats: BlockStats,
    probes: int | None = None,
    identical: Callable[[], np.ndarray] | None = None,
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """Per rule (name, key codes with -1 = no key, cap): its pairs that no earlier rule
    produced, and its usable block codes (which tell the later rules what it produced); with
    ``probes``, only the pairs with one of the first ``probes`` records. With ``identical``
    (codes of groups of identical records, made on first need), a block too big for all its
    pairs is still joined through its distinct records (``_star_pairs``)."""
    lefts: list[np.ndarray] = []
    rights: list[np.ndarray] = []
    earlier: list[np.ndarray] = []
    starred = np.empty(0, dtype=np.int64)  # pairs made in big blocks: no block code tells them
    same: np.ndarray | None = None
    for rule, codes, cap in rules:
        blocks = _usable_blocks(codes, cap)
        rows = np.flatnonzero(codes >= 0).astype(np.int32)
        if probes is not None:  # the blocks the whole frame compares (the budget is theirs)
            rows = _probed(rows[blocks[rows] >= 0], codes, probes)
        left, right = _rule_pairs(rule, rows, codes[rows], cap, stats)
        if identical is not None and ((codes >= 0) & (blocks < 0)).any():
            same = identical() if same is None else same
            star_left, star_right = _star_pairs(codes, blocks, same)
            stats.pairs[rule] += len(star_left)
            left, right = np.r_[left, star_left], np.r_[right, star_right]
        if probes is not None:
            probing = left < probes
            left, right = left[probing], right[probing]
        new = _new_pairs(earlier, left, right)
        left, right = left[new], right[new]
        if same is not None:  # pairs an earlier rule made in a big block are made once
            key = left.astype(np.int64) * len(codes) + right
            fresh = ~np.isin(key, starred)
            left, right, key = left[fresh], right[fresh], key[fresh]
            starred = np.r_[starred, key[blocks[left] < 0]]
        lefts.append(left)
        rights.append(right)
        earlier.append(blocks)
    return lefts, rights, earlier


def identical_rows(f: pd.DataFrame, cache: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Per record, the code of its group of records identical in every column but the custom
    fields' attributes (computed once per frame when ``cache`` is given): a company's patents
    with other co-authors are one description of it seen many times."""
    if cache is not None and IDENTICAL in cache:
        return cache[IDENTICAL]
    if f.empty:
        codes = np.zeros(0, dtype=np.int64)
    else:
        f = f[[c for c in f.columns if not is_attribute(c)]]
        codes = pd.factorize(pd.util.hash_pandas_object(f, index=False).to_numpy())[0]
    if cache is not None:
        cache[IDENTICAL] = codes
    return codes


def first_of_each(values: np.ndarray) -> np.ndarray:
    """Per position, whether it is the first occurrence of its value (a hash, not a sort)."""
    return ~pd.Series(values).duplicated().to_numpy()


def distinct_in_blocks(codes: np.ndarray, same: np.ndarray, blocks: int) -> np.ndarray:
    """Per block code (``blocks`` of them), how many distinct records it holds: ``codes`` and
    ``same`` (``identical_rows``) of the keyed records."""
    copied = np.bincount(same)[same] > 1  # a record with no copy is distinct in its block
    alone = np.bincount(codes[~copied], minlength=blocks)
    width = int(same.max(initial=0)) + 1
    groups = pd.unique(codes[copied].astype(np.int64) * width + same[copied])  # a hash
    return alone + np.bincount(groups // width, minlength=blocks)


def joined_cost(sizes: np.ndarray, distinct: np.ndarray) -> np.ndarray:
    """Pairs that join a block through its distinct records: one per copy, plus every pair
    of distinct records."""
    sizes, distinct = sizes.astype(np.int64), distinct.astype(np.int64)
    return (sizes - distinct) + distinct * (distinct - 1) // 2


def _star_pairs(
    codes: np.ndarray, blocks: np.ndarray, same: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs for the blocks too big for all their pairs: each record with the first of its
    identical records in the block, and those first records with each other, for the blocks
    whose count of such pairs fits ``OVERSIZE_PAIRS`` (cheapest first). One person on a
    thousand rows of a patent list, most of them identical, is one block of a few dozen
    distinct records; clustering joins the rest through the first ones."""
    rows = np.flatnonzero((codes >= 0) & (blocks < 0))
    block = codes[rows]
    sizes = np.bincount(block)
    rows, block = rows[sizes[block] > 1], block[sizes[block] > 1]
    if len(rows) == 0:
        return np.empty(0, np.int32), np.empty(0, np.int32)
    group = pd.factorize(block.astype(np.int64) * (int(same.max()) + 1) + same[rows])[0]
    first = first_of_each(group)
    distinct = np.bincount(block[first], minlength=len(sizes))  # first records per block
    cost = joined_cost(sizes, distinct)
    open_ = np.flatnonzero(distinct > 0)
    open_ = open_[np.argsort(cost[open_], kind="stable")]
    chosen = np.zeros(len(sizes), dtype=bool)
    chosen[open_[np.cumsum(cost[open_]) <= OVERSIZE_PAIRS]] = True
    keep = chosen[block]
    rows, block, group, first = rows[keep], block[keep], group[keep], first[keep]
    rep_of_group = np.zeros(int(group.max(initial=-1)) + 1, dtype=np.int64)
    rep_of_group[group[first]] = rows[first]
    members = ~first
    star_a, star_b = rep_of_group[group[members]], rows[members]
    among_l, among_r, _, _ = _pairs_in_blocks(rows[first], block[first], len(rows) + 1)
    left = np.r_[np.minimum(star_a, star_b), among_l].astype(np.int32)
    right = np.r_[np.maximum(star_a, star_b), among_r].astype(np.int32)
    return left, right


def _probed(rows: np.ndarray, codes: np.ndarray, probes: int) -> np.ndarray:
    """The keyed ``rows`` in a block that holds one of the first ``probes`` records (whole
    blocks, so ``max_block`` still counts every record): no other block pairs with a probe."""
    wanted = np.zeros(int(codes.max(initial=-1)) + 1, dtype=bool)
    wanted[codes[rows[rows < probes]]] = True
    return rows[wanted[codes[rows]]]


def _rule_pairs(
    rule: str, rows: np.ndarray, codes: np.ndarray, max_block: int, stats: BlockStats
) -> tuple[np.ndarray, np.ndarray]:
    """One rule's pairs (``left`` < ``right`` when ``rows`` ascend), counted in ``stats``; a
    warning names the rule and the number of skipped blocks, never a key."""
    left, right, skipped, largest = _pairs_in_blocks(rows, codes, max_block)
    stats.pairs[rule], stats.skipped[rule], stats.largest[rule] = len(left), skipped, largest
    if skipped:
        log.info("blocking rule %s: %d block(s) over %d records skipped", rule, skipped, max_block)
    return left, right
