"""Deduplicating one frame of normalized records: people by the model, companies by rules.

Rows naming a person go through blocking, scoring and guarded clustering. Company-only rows
(directory listings: a company but no person name) are one entity per company, linked on
company-level evidence (``matchers.companies``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matchers.blocking import BlockStats, candidate_pairs
from matchers.clustering import connected
from matchers.coded import Coded, encode
from matchers.companies import company_clusters, company_only
from matchers.decisions import Decisions, decide_pairs
from matchers.features import record_features
from matchers.incremental import default_model
from matchers.model import MatchModel
from matchers.scoring import train


@dataclass(frozen=True, slots=True)
class Dedupe:
    """Cluster per input row (``clusters``, indexed like the input), the decisions on the
    candidate pairs of the person rows (positions into ``person_rows``), the review pairs and the
    model used (``matchers.explain`` rescores one pair for its levels and weights)."""

    clusters: pd.Series
    person_rows: pd.Index
    decisions: Decisions | None
    reviews: pd.DataFrame
    model: MatchModel
    stats: BlockStats | None
    features: pd.DataFrame | None = None
    coded: Coded | None = None


def dedupe_frame(
    rows: pd.DataFrame, *, model: MatchModel | None = None, fit: bool = True, seed: int = 0
) -> Dedupe:
    """Cluster normalized rows. The model (default: the shipped one) is first refined by EM on
    the rows' own pairs (``scoring.train``), unless ``fit`` is false."""
    model = model or default_model()
    features = record_features(rows)
    companies = company_only(features)
    people = features.loc[~companies].reset_index(drop=True)
    comp = features.loc[companies].reset_index(drop=True)
    del features  # the two parts are copies
    person_index = rows.index[~companies]
    clusters = np.empty(len(rows), dtype=object)

    comp_labels = company_clusters(comp)
    comp_pos = np.flatnonzero(companies)
    clusters[comp_pos] = _labels("c", comp_pos[comp_labels])

    if len(people) == 0:
        return Dedupe(
            pd.Series(clusters, index=rows.index), person_index, None, _no_reviews(), model, None
        )
    left, right, stats = candidate_pairs(people, max_block=model.max_block)
    coded = encode(people)
    if fit:
        model = train(model, coded, left, right, seed=seed)
    decisions = decide_pairs(model, coded, left, right)
    linked = np.flatnonzero(decisions.link)
    result = connected(
        len(people),
        left[linked],
        right[linked],
        decisions.probability(linked),
        apart_left=left[decisions.apart],
        apart_right=right[decisions.apart],
        max_cluster=model.max_cluster,
    )
    person_pos = np.flatnonzero(~companies)
    clusters[person_pos] = _labels("p", person_pos[result.labels])
    review = decisions.review.copy()
    review[linked[result.refused]] = True
    labels = result.labels
    pairs = np.flatnonzero(review)
    pairs = pairs[labels[left[pairs]] != labels[right[pairs]]]
    reviews = pd.DataFrame(
        {
            "left": person_index[left[pairs]],
            "right": person_index[right[pairs]],
            "probability": decisions.probability(pairs),
        }
    )
    return Dedupe(
        pd.Series(clusters, index=rows.index),
        person_index,
        decisions,
        reviews,
        model,
        stats,
        people,
        coded,
    )


def _labels(prefix: str, positions: np.ndarray) -> np.ndarray:
    """Cluster ids as strings, ``prefix`` + the root row's position (vectorized)."""
    return (prefix + pd.Series(positions, dtype=np.int64).astype(str)).to_numpy(dtype=object)


def _no_reviews() -> pd.DataFrame:
    return pd.DataFrame({"left": [], "right": [], "probability": []})
