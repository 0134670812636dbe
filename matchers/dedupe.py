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
from matchers.features import record_features
from matchers.incremental import default_model
from matchers.model import MatchModel
from matchers.scoring import Scored, score_pairs, train


@dataclass(frozen=True, slots=True)
class Dedupe:
    """Cluster per input row (``clusters``, indexed like the input), the scored pairs of the
    person rows (positions into ``person_rows``), the review pairs and the model used."""

    clusters: pd.Series
    person_rows: pd.Index
    scored: Scored | None
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
    person_index = rows.index[~companies]
    clusters = np.empty(len(rows), dtype=object)

    comp = features.loc[companies].reset_index(drop=True)
    comp_labels = company_clusters(comp)
    comp_pos = np.flatnonzero(companies)
    clusters[comp_pos] = [f"c{comp_pos[r]}" for r in comp_labels]

    if len(people) == 0:
        return Dedupe(
            pd.Series(clusters, index=rows.index), person_index, None, _no_reviews(), model, None
        )
    left, right, stats = candidate_pairs(people, max_block=model.max_block)
    coded = encode(people)
    if fit:
        model = train(model, coded, left, right, seed=seed)
    scored = score_pairs(model, coded, left, right)
    linked = np.flatnonzero(scored.link)
    result = connected(
        len(people),
        left[linked],
        right[linked],
        scored.probability[linked],
        apart_left=left[scored.apart],
        apart_right=right[scored.apart],
        max_cluster=model.max_cluster,
    )
    person_pos = np.flatnonzero(~companies)
    clusters[person_pos] = [f"p{person_pos[r]}" for r in result.labels]
    review = scored.review.copy()
    review[linked[result.refused]] = True
    labels = result.labels
    review &= labels[left] != labels[right]
    pairs = np.flatnonzero(review)
    reviews = pd.DataFrame(
        {
            "left": person_index[left[pairs]],
            "right": person_index[right[pairs]],
            "probability": scored.probability[pairs],
        }
    )
    return Dedupe(
        pd.Series(clusters, index=rows.index),
        person_index,
        scored,
        reviews,
        model,
        stats,
        people,
        coded,
    )


def _no_reviews() -> pd.DataFrame:
    return pd.DataFrame({"left": [], "right": [], "probability": []})
