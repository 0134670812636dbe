"""Blocking: the candidate pairs are exactly the union of the rules' blocks (each pair once),
big blocks are compared while their pairs fit a budget and skipped quietly beyond it, and generic
values never form a block."""

from __future__ import annotations

import itertools
import logging
from typing import Any

import numpy as np
import pandas as pd
import pytest

import matchers.blocking
from matchers.blocking import (
    _pairs_in_blocks,
    block_keys,
    candidate_pairs,
    pairs_of_keys,
    rule_keys,
)
from matchers.configure import COMPANY_RULES, PERSON_RULES
from matchers.features import record_features
from matchers.generic import COMPANY_RULES as COMPANY_GENERIC
from matchers.generic import PERSON_RULES as PERSON_GENERIC
from matchers.generic import generic_values, without_generic
from matchers.settings import BlockingRule
from tests.matchers.helpers import features, generated_rows, rows

RULES = tuple(BlockingRule(columns) for columns in PERSON_RULES)


BUDGET = 250  # oversize pairs per rule in these tests: some big blocks fit, some do not


@pytest.fixture(autouse=True)
def _small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matchers.blocking, "OVERSIZE_PAIRS", BUDGET)


def _compared(sizes: dict[Any, int], max_block: int) -> set[Any]:
    """Blocks whose pairs are made: up to ``max_block`` records, then the bigger ones from the
    smallest up (``sizes`` in first-seen order) while their pairs add up to at most ``BUDGET``."""
    kept = {key for key, size in sizes.items() if 2 <= size <= max_block}
    spent = 0
    big = [(key, size) for key, size in sizes.items() if size > max_block]
    for key, size in sorted(big, key=lambda item: item[1]):  # ties: first seen first
        spent += size * (size - 1) // 2
        if spent > BUDGET:
            break
        kept.add(key)
    return kept


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pairs_in_blocks_equal_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 20, 300)
    rows_ = rng.permutation(300)
    left, right, skipped, largest = _pairs_in_blocks(rows_, codes.copy(), max_block=15)
    got = {tuple(sorted(p)) for p in zip(left.tolist(), right.tolist(), strict=True)}
    sizes = {int(c): int((codes == c).sum()) for c in np.unique(codes)}
    compared = _compared(sizes, 15)
    want = set()
    for code in compared:
        members = rows_[codes == code]
        want |= {tuple(sorted(p)) for p in itertools.combinations(members.tolist(), 2)}
    assert got == want
    assert len(got) == len(left)  # no pair twice
    assert any(size > 15 for code, size in sizes.items() if code in compared)  # budget used
    assert skipped == sum(1 for code, size in sizes.items() if size > 1 and code not in compared)
    assert largest == np.bincount(codes).max()


def test_a_big_block_is_compared_while_its_pairs_fit_the_budget() -> None:
    """One company on 20 rows of a small list (190 pairs, within the budget) is compared; a
    second with 30 different people (435 more) is not."""
    records = rows(*[{"company_key": "bigcorp"} for _ in range(20)],
                   *[{"company_key": "hugecorp", "first_name_key": f"p{i}"}
                     for i in range(30)])  # fmt: skip
    rule = BlockingRule(("company",))
    left, right, stats = candidate_pairs(record_features(records), (rule,), max_block=10)
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == set(
        itertools.combinations(range(20), 2)
    )
    assert stats.skipped["company"] == 1 and stats.largest["company"] == 30


def test_a_big_block_of_few_distinct_records_is_joined_through_them() -> None:
    """One inventor on 200 rows of a patent list, nearly all identical (three spellings): far
    over the budget as all pairs (19,900), joined by 197 + 3 pairs instead, each pair once,
    so that clustering can make them one person."""
    spellings = [{"first_name_key": "junyi", "last_name_key": "li", "company_key": "qualcomm",
                  "city": city} for city in ("chester", "bedminster", "chester nj")]  # fmt: skip
    records = rows(*[spellings[0 if i % 10 else (i // 10) % 3] for i in range(200)])
    rule = BlockingRule(("ln", "company"))
    f = record_features(records)
    left, right, stats = candidate_pairs(f, (rule,), max_block=10)
    pairs = list(zip(left.tolist(), right.tolist(), strict=True))
    assert len(pairs) == len(set(pairs)) == 197 + 3 and (left < right).all()
    assert stats.pairs["ln+company"] == len(pairs)
    joined = pd.Series(range(200))
    for a, b in sorted(pairs, reverse=True):  # union-find lite: every record reaches record 0
        joined[joined == joined[b]] = joined[a]
    assert joined.nunique() == 1
    probed, _, _ = candidate_pairs(f, (rule,), max_block=10, probes=5)
    assert (probed < 5).all() and len(probed) > 0


def _star(members: list[int], identity: list[tuple[object, ...]]) -> list[tuple[int, int]]:
    """A big block's pairs through its distinct records: each record with the first record
    identical to it, and those first records with each other."""
    first: dict[tuple[object, ...], int] = {}
    pairs = []
    for row in members:
        rep = first.setdefault(identity[row], row)
        if rep != row:
            pairs.append((rep, row))
    pairs += list(itertools.combinations(first.values(), 2))
    return pairs


def _reference_pairs(f: pd.DataFrame, max_block: int) -> list[tuple[int, int]]:
    """Every rule's blocks (first-seen key order, rows in order), each pair kept the first
    time any rule produces it; the blocks not compared in full are joined through their
    distinct records, the cheapest first, within ``BUDGET``."""
    identity = [tuple(row) for row in f.itertuples(index=False, name=None)]
    found: dict[tuple[int, int], None] = {}
    for rule in RULES:
        blocks: dict[str, list[int]] = {}
        for row, key in enumerate(rule_keys(f, rule, {}).tolist()):
            if key != "":
                blocks.setdefault(key, []).append(row)
        compared = _compared({key: len(members) for key, members in blocks.items()}, max_block)
        for key, members in blocks.items():
            if key in compared:
                for pair in itertools.combinations(members, 2):
                    found.setdefault(pair, None)
        stars = [_star(m, identity) for k, m in blocks.items() if k not in compared and len(m) > 1]
        spent = 0
        for pairs in sorted(stars, key=len):  # ties: first seen first
            spent += len(pairs)
            if spent > BUDGET:
                break
            for pair in pairs:
                found.setdefault(pair, None)
    return list(found)


@pytest.mark.parametrize("max_block", [400, 6])
def test_candidate_pairs_are_the_union_of_the_rules_blocks(max_block: int) -> None:
    f = record_features(generated_rows(1500)).reset_index(drop=True)
    left, right, stats = candidate_pairs(f, RULES, max_block=max_block)
    got = list(zip(left.tolist(), right.tolist(), strict=True))
    want = _reference_pairs(f, max_block)
    assert set(got) == set(want)
    assert len(got) == len(set(got))  # each pair once
    assert (left < right).all()
    assert left.dtype == right.dtype == np.int32
    assert sum(stats.pairs.values()) >= len(got)  # a rule counts the pairs it produced
    assert (sum(stats.skipped.values()) > 0) == (max_block == 6)


@pytest.mark.parametrize(("probes", "max_block"), [(300, 400), (300, 6), (0, 400), (1500, 400)])
def test_probed_pairs_are_the_pairs_with_a_probe(probes: int, max_block: int) -> None:
    """``probes``: the pairs of the whole frame that hold one of the first records, blocks
    still counted whole against ``max_block``."""
    f = record_features(generated_rows(1500)).reset_index(drop=True)
    left, right, _ = candidate_pairs(f, RULES, max_block=max_block, probes=probes)
    got = list(zip(left.tolist(), right.tolist(), strict=True))
    want = [pair for pair in _reference_pairs(f, max_block) if pair[0] < probes]
    assert set(got) == set(want)
    assert len(got) == len(set(got))
    assert (left < probes).all() and (left < right).all()


def test_the_rules_bring_variants_of_one_person_together() -> None:
    records = rows(
        {"first_name_key": "robert", "last_name_key": "smith", "company_key": "acme",
         "postal_code": "02139"},
        {"first_name_key": "bob", "last_name_key": "smith", "company_key": "acme"},  # nickname
        {"first_name_key": "smith", "last_name_key": "robert", "company_key": "acme"},  # swap
        {"first_name_key": "robert", "last_name_key": "smyth", "postal_code": "02139"},  # typo
        {"first_name_key": "rob", "last_name_key": "smith", "mobile": "+15555550100"},
        {"first_name_key": "robert", "last_name_key": "smith", "mobile": "+15555550100",
         "company_key": "globex"},  # job changer, same mobile
        {"first_name_key": "ann", "last_name_key": "lee", "email_key": "ann.lee@acme.com"},
        {"first_name_key": "anne", "last_name_key": "li", "email_key": "ann.lee@globex.com"},
    )  # fmt: skip
    left, right, _ = candidate_pairs(record_features(records), RULES)
    pairs = set(zip(left.tolist(), right.tolist(), strict=True))
    assert {(0, 1), (0, 2), (0, 3), (4, 5), (6, 7)} <= pairs
    assert not any(6 in pair and 7 not in pair for pair in pairs)  # Ann Lee meets only Anne Li


def test_oversized_blocks_are_skipped_and_logged_without_personal_data(caplog) -> None:
    records = rows(*[{"first_name_key": f"p{i}", "last_name_key": "zed",
                      "company_key": "bigcorp"} for i in range(30)])  # fmt: skip
    # 30 records: 435 pairs, over the budget
    rule = BlockingRule(("ln", "company"))
    with caplog.at_level(logging.INFO, logger="matchers.blocking"):
        left, _, stats = candidate_pairs(record_features(records), (rule,), max_block=10)
    assert len(left) == 0
    assert stats.skipped["ln+company"] == 1 and stats.largest["ln+company"] == 30
    assert "ln+company" in caplog.text
    assert "zed" not in caplog.text and "bigcorp" not in caplog.text


def test_a_mobile_written_as_phone_elsewhere_is_one_block() -> None:
    records = rows(
        {"first_name_key": "ada", "last_name_key": "lovelace", "mobile": "+447911123456",
         "company_key": "acme"},
        {"first_name_key": "ada", "last_name_key": "lovelace", "phone": "+447911123456",
         "company_key": "globex"},
    )  # fmt: skip
    rule = BlockingRule(("number", "ln_phon"))
    left, right, stats = candidate_pairs(record_features(records), (rule,))
    assert (left.tolist(), right.tolist()) == ([0], [1])
    assert stats.pairs["number+ln_phon"] == 1


def test_block_keys_are_indexed_by_row_label() -> None:
    records = rows({"first_name_key": "ann", "last_name_key": "lee", "company_key": "acme"})
    records.index = pd.Index([41])
    keys = block_keys(record_features(records), RULES)
    assert set(keys.index) == {41}
    assert "ln+company" in set(keys["rule"])
    assert "" not in set(keys["key"])
    assert "email" not in set(keys["rule"])  # no email, no key


def test_pairs_of_named_key_arrays() -> None:
    keyed = [("a", np.asarray(["x", "x", "", "y"], dtype=object)),
             ("b", np.asarray(["", "k", "k", "k"], dtype=object))]  # fmt: skip
    left, right, stats = pairs_of_keys(keyed)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(0, 1), (1, 2), (1, 3),
                                                                     (2, 3)]  # fmt: skip
    assert stats.pairs == {"a": 1, "b": 3}


def test_generic_values_never_form_a_block() -> None:
    switchboard = "6175550100"
    frame = features(
        *[{"fn": f, "ln": s, "ln_phon": s.upper(), "phone": switchboard}
          for f, s in (("ann", "lee"), ("bob", "ray"), ("cy", "oto"), ("dee", "park"))],
        {"fn": "eve", "ln": "stone", "mobile": "6175550177"},
        {"fn": "eve", "ln": "stone", "phone": "6175550177"},
    )  # fmt: skip
    blocking = without_generic(frame, generic_values(frame), PERSON_GENERIC)
    assert list(blocking["phone"]) == ["", "", "", "", "", "6175550177"]
    assert list(blocking["fn"]) == list(frame["fn"])  # other columns untouched
    left, right, _ = candidate_pairs(blocking, (BlockingRule(("number",)),))
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(4, 5)]


def test_a_company_domain_shared_by_sites_still_blocks_them_together() -> None:
    """Ten sites of one chain give its domain and one switchboard: the domain is generic
    evidence (not compared) but still a block, so the sites' addresses can tell a mistyped
    copy of one site from the others; the switchboard forms no block."""
    sites = [(str(12 + 7 * k), "acme") for k in range(9)] + [("7", "acme east"), ("12", "acme")]
    frame = features(
        *({"street_number": n, "company": c, "domain": "acme.test", "phone": "6175550100"}
          for n, c in sites)
    )  # fmt: skip
    generic = generic_values(frame, COMPANY_GENERIC)
    assert list(generic["web"]) == ["acme.test"]
    assert list(generic["phone"]) == ["6175550100"]
    blocking = without_generic(frame, generic, COMPANY_GENERIC)
    assert list(blocking["domain"]) == ["acme.test"] * len(sites)
    assert list(blocking["phone"]) == [""] * len(sites)
    people = without_generic(frame, generic, PERSON_GENERIC)
    assert list(people["domain"]) == [""] * len(sites)


def test_the_company_rules_bring_variants_of_one_company_together() -> None:
    """Company names that share no first word still meet: one within the other ("Unilever" /
    "Cia Holandesa Unilever", "Euro Whirlpool"), and a first word misspelled by ear."""
    names = ["unilever", "cia holandesa unilever", "unilver", "euro whirlpool", "whirlpool",
             "alcatel", "alkatel", "globex media"]  # fmt: skip
    records = rows(*({"company_key": name} for name in names))
    rules = tuple(BlockingRule(columns) for columns in COMPANY_RULES)
    left, right, _ = candidate_pairs(record_features(records), rules)
    pairs = set(zip(left.tolist(), right.tolist(), strict=True))
    assert {(0, 1), (0, 2), (3, 4), (5, 6)} <= pairs
    assert not any(7 in pair for pair in pairs)  # Globex Media meets nobody
