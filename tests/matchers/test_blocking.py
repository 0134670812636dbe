"""Blocking: pairs inside blocks equal the brute-force set; big blocks are skipped quietly."""

from __future__ import annotations

import itertools
import logging

import numpy as np
import pandas as pd
import pytest

from matchers.blocking import (
    RULE_MAX_BLOCK,
    SINGLE_RULES,
    _pairs_in_blocks,
    block_keys,
    candidate_pairs,
    nickname_keys,
)
from matchers.features import record_features
from tests.matchers.helpers import generated_rows, rows


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pairs_in_blocks_equal_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 30, 300)
    rows_ = rng.permutation(300)
    left, right, skipped, _ = _pairs_in_blocks(rows_, codes.copy(), max_block=15)
    got = {tuple(sorted(p)) for p in zip(left.tolist(), right.tolist(), strict=True)}
    want = set()
    for code in np.unique(codes):
        members = rows_[codes == code]
        if len(members) <= 15:
            want |= {tuple(sorted(p)) for p in itertools.combinations(members.tolist(), 2)}
    assert got == want
    assert skipped == sum(1 for c in np.unique(codes) if (codes == c).sum() > 15)


def test_rules_bring_variants_of_one_person_together() -> None:
    records = rows(
        {"first_name_key": "robert", "last_name_key": "smith", "company_key": "acme",
         "postal_code": "02139"},
        {"first_name_key": "bob", "last_name_key": "smith", "company_key": "acme"},  # nickname
        {"first_name_key": "smith", "last_name_key": "robert", "company_key": "acme"},  # swap
        {"first_name_key": "robert", "last_name_key": "smyth", "postal_code": "02139"},  # typo
        {"first_name_key": "rob", "last_name_key": "smith", "mobile": "+15555550100"},
        {"first_name_key": "robert", "last_name_key": "smith", "mobile": "+15555550100",
         "company_key": "globex"},  # job changer, same mobile
    )  # fmt: skip
    left, right, _ = candidate_pairs(record_features(records))
    pairs = set(zip(left.tolist(), right.tolist(), strict=True))
    assert {(0, 1), (0, 2), (0, 3), (4, 5)} <= pairs


def test_oversized_blocks_are_skipped_with_a_warning_without_personal_data(caplog) -> None:  # type: ignore[no-untyped-def]
    records = rows(*[{"first_name_key": f"p{i}", "last_name_key": "zed",
                      "company_key": "bigcorp"} for i in range(30)])  # fmt: skip
    with caplog.at_level(logging.WARNING):
        _, _, stats = candidate_pairs(record_features(records), max_block=10)
    assert stats.skipped["surname+company"] == 1
    assert "surname+company" in caplog.text
    assert "zed" not in caplog.text and "bigcorp" not in caplog.text


def test_namesake_email_blocks_have_a_tighter_cap() -> None:
    """101 J. Smiths with ``jsmith@`` at as many companies are namesakes, not one person."""

    def smiths(n: int) -> pd.DataFrame:
        return rows(*[{"first_name_key": f"j{i}", "last_name_key": "smith",
                       "email_key": f"jsmith@firm{i}.com", "company_key": f"firm{i}"}
                      for i in range(n)])  # fmt: skip

    cap = RULE_MAX_BLOCK["email_local+surname"]
    _, _, stats = candidate_pairs(record_features(smiths(cap + 1)))
    assert stats.skipped["email_local+surname"] == 1
    assert stats.pairs["email_local+surname"] == 0
    _, _, stats = candidate_pairs(record_features(smiths(cap)))
    assert stats.pairs["email_local+surname"] == cap * (cap - 1) // 2


def test_a_mobile_written_as_phone_elsewhere_is_one_block() -> None:
    records = rows(
        {"first_name_key": "ada", "last_name_key": "lovelace", "mobile": "+447911123456",
         "company_key": "acme"},
        {"first_name_key": "ada", "last_name_key": "lovelace", "phone": "+447911123456",
         "company_key": "globex"},
    )  # fmt: skip
    left, right, stats = candidate_pairs(record_features(records))
    assert (left.tolist(), right.tolist()) == ([0], [1])
    assert stats.pairs["number+surname"] == 1


def test_block_keys_are_indexed_by_row_label() -> None:
    records = rows({"first_name_key": "ann", "last_name_key": "lee", "company_key": "acme"})
    records.index = pd.Index([41])
    keys = block_keys(record_features(records))
    assert set(keys.index) == {41}
    assert "surname+company" in set(keys["rule"])


def _reference_pairs(f: pd.DataFrame, max_block: int, nicknames: bool) -> list[tuple[int, int]]:
    """Every rule's blocks in first-seen key order, each block's pairs in row order, first
    occurrence kept: the order the candidate pairs have always had."""
    sources = [(rule, np.arange(len(f)), keys_of(f)) for rule, keys_of in SINGLE_RULES.items()]
    if nicknames:
        nick = nickname_keys(f)
        sources.append(("nickname+surname", nick["row"].to_numpy(), nick["key"].to_numpy()))
    found: dict[tuple[int, int], None] = {}
    for rule, rows_, keys in sources:
        cap = min(max_block, RULE_MAX_BLOCK.get(rule, max_block))
        blocks: dict[str, list[int]] = {}
        for row, key in zip(rows_.tolist(), keys.tolist(), strict=True):
            if key != "":
                blocks.setdefault(key, []).append(row)
        for members in blocks.values():
            if len(members) <= cap:
                for a, b in itertools.combinations(members, 2):
                    if a != b:
                        found.setdefault((min(a, b), max(a, b)), None)
    return list(found)


@pytest.mark.parametrize(("max_block", "nicknames"), [(400, False), (6, False), (6, True)])
def test_candidate_pairs_are_each_rules_new_pairs_in_order(max_block: int, nicknames: bool) -> None:
    f = record_features(generated_rows(1500)).reset_index(drop=True)
    left, right, stats = candidate_pairs(f, max_block=max_block, nicknames=nicknames)
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == _reference_pairs(
        f, max_block, nicknames
    )
    assert left.dtype == right.dtype == np.int32
    assert sum(stats.skipped.values()) > 0 or max_block == 400
