"""Scoring in chunks keeps exactly the decisions of scoring all pairs at once."""

from __future__ import annotations

import numpy as np
import pytest

from matchers import decisions, default_model
from matchers.blocking import candidate_pairs
from matchers.configure import configure
from matchers.features import record_features
from matchers.priors import with_priors
from matchers.scoring import compare, score_pairs
from tests.matchers.helpers import coded, generated_rows


@pytest.mark.parametrize(
    ("workers", "compared"),
    [(1, False), (1, True), pytest.param(2, False, marks=pytest.mark.slow)],  # 2: processes
)
def test_chunked_decisions_equal_scoring_all_pairs_at_once(
    workers: int, compared: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunked, on worker processes, or from levels compared once beforehand (as dedupe and
    the import pass them from fitting to scoring): the same decisions."""
    monkeypatch.setattr(decisions, "PARALLEL_PAIRS", 0)  # workers even for a few pairs
    features = record_features(generated_rows(1500)).reset_index(drop=True)
    configured, _ = configure(features, "people")
    model = with_priors(configured)  # the shipped parameters for this file's comparisons
    assert model.fitted
    left, right, _ = candidate_pairs(features, model.blocking)
    records = coded(features)
    whole = score_pairs(model, records, left, right)
    levels = compare(model, records, left, right) if compared else None
    chunked = decisions.decide_pairs(
        model, records, left, right, chunk=97, workers=workers, levels=levels
    )
    assert whole.link.any() and whole.review.any() and whole.apart.any()
    for flag in ("link", "review", "apart"):
        assert np.array_equal(getattr(chunked, flag), getattr(whole, flag))
    kept = np.flatnonzero(whole.link | whole.review)
    assert np.array_equal(chunked.kept, kept)
    assert np.array_equal(chunked.probability(kept), whole.probability[kept])


def test_the_shipped_model_scores_with_every_comparison_of_the_library() -> None:
    people = default_model().people
    assert people is not None and people.fitted
    features = record_features(generated_rows(300))
    left, right, _ = candidate_pairs(features, configure(features, "people")[0].blocking)
    scored = score_pairs(people, coded(features), left, right)
    assert scored.levels.shape == (len(left), len(people.comparisons))
    assert ((scored.probability >= 0) & (scored.probability <= 1)).all()
    assert not (scored.link & scored.review).any()
    assert (scored.link == (scored.probability >= people.link_threshold)).all()
