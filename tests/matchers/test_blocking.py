"""Blocking: pairs inside blocks equal the brute-force set; big blocks are skipped quietly."""

from __future__ import annotations

import itertools
import logging

import numpy as np
import pandas as pd
import pytest

from matchers.blocking import _pairs_in_blocks, block_keys, candidate_pairs
from matchers.features import record_features
from tests.matchers.helpers import rows


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


def test_block_keys_are_indexed_by_row_label() -> None:
    records = rows({"first_name_key": "ann", "last_name_key": "lee", "company_key": "acme"})
    records.index = pd.Index([41])
    keys = block_keys(record_features(records))
    assert set(keys.index) == {41}
    assert "surname+company" in set(keys["rule"])
