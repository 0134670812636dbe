"""Scoring in chunks keeps exactly the decisions of scoring all pairs at once."""

from __future__ import annotations

import numpy as np
import pytest

from matchers import decisions, default_model
from matchers.blocking import candidate_pairs
from matchers.coded import encode
from matchers.features import record_features
from matchers.scoring import score_pairs
from tests.matchers.helpers import generated_rows


@pytest.mark.parametrize("workers", [1, 2])
def test_chunked_decisions_equal_scoring_all_pairs_at_once(workers: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(decisions, "PARALLEL_PAIRS", 0)  # workers even for a few pairs
    features = record_features(generated_rows(1500)).reset_index(drop=True)
    left, right, _ = candidate_pairs(features)
    coded = encode(features)
    model = default_model()
    whole = score_pairs(model, coded, left, right)
    chunked = decisions.decide_pairs(model, coded, left, right, chunk=97, workers=workers)
    assert whole.link.any() and whole.review.any() and whole.apart.any()
    for flag in ("link", "review", "apart"):
        assert np.array_equal(getattr(chunked, flag), getattr(whole, flag))
    kept = np.flatnonzero(whole.link | whole.review)
    assert np.array_equal(chunked.kept, kept)
    assert np.array_equal(chunked.probability(kept), whole.probability[kept])
