"""Deduplicating one frame of normalized records, phase by phase: configure, block, fit,
score, cluster.

Rows naming a person are people; rows naming only a company (directory listings, account and
assignee lists) are companies (``ingest.entities``, the same rule the import uses). Each kind
goes through the same engine with its own comparisons: a model configured from the rows (or
given), fitted to them, then guarded clustering of the linked pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
import pandas as pd

from ingest.entities import company_only
from ingest.records import CUSTOM_COLUMN
from matchers.attribute_fit import fit_beside, split_attributes, with_levels
from matchers.attributes import with_attributes
from matchers.blocking import BlockStats, candidate_pairs, keep_rules
from matchers.chains import apart_pairs, checked_clusters
from matchers.clustering import distinct_weight
from matchers.coded import Coded, encode
from matchers.configure import PlannedRule, configure
from matchers.decisions import Decisions, decide_pairs
from matchers.estimate import COLLEAGUE_RULE, fit_prior
from matchers.estimate import fit as fit_model
from matchers.features import record_features
from matchers.generic import COMPANY_RULES, PERSON_RULES, generic_values, without_generic
from matchers.homes import with_homes
from matchers.priors import MIN_FIT_RECORDS, with_priors
from matchers.scoring import compare
from matchers.settings import EntityModel, MatchModel


@dataclass(frozen=True, slots=True)
class EntityRun:
    """One entity kind's part of a dedupe: its rows (labels), features, codes, model, plan,
    blocking counts, decisions and cluster label per row (positions in the part)."""

    entity: str
    rows: pd.Index
    features: pd.DataFrame
    coded: Coded
    model: EntityModel
    plan: list[PlannedRule]
    stats: BlockStats
    decisions: Decisions
    labels: np.ndarray
    refused: np.ndarray


@dataclass(frozen=True, slots=True)
class Dedupe:
    """Cluster per input row (``clusters``, indexed like the input), the review pairs (input
    labels and probability), the model used and each entity kind's run."""

    clusters: pd.Series
    reviews: pd.DataFrame
    model: MatchModel
    runs: dict[str, EntityRun] = field(default_factory=dict)


def _model_for(
    given: MatchModel | None, entity: str, features: pd.DataFrame, cache: dict[str, np.ndarray]
) -> tuple[EntityModel, list[PlannedRule]]:
    """The given model's part for ``entity``, else one configured from the data. A given part
    with no blocking rules of its own (the shipped model's) gets the rules planned for the
    data: without any rule no pair would ever be compared."""
    part = given.entity(entity) if given is not None else None
    if part is None:
        return configure(features, entity, cache=cache)
    if part.blocking:
        return part, []
    configured, plan = configure(features, entity, cache=cache)
    return replace(part, blocking=configured.blocking), plan


def dedupe_entity(
    features: pd.DataFrame,
    entity: str,
    *,
    model: MatchModel | None = None,
    fit: bool = True,
    seed: int = 0,
) -> EntityRun:
    """Configure (unless ``model`` has this entity), block, fit (unless told not to and the
    model is fitted), score and cluster the records of one entity kind."""
    features = features.reset_index(drop=True)
    if entity == "people":
        features = with_homes(features)
    rules = PERSON_RULES if entity == "people" else COMPANY_RULES
    generic = generic_values(features, rules)
    blocking = without_generic(features, generic, rules)
    keys: dict[str, np.ndarray] = {}  # blocking keys of ``blocking``, made once for all phases
    # identical records, found once: rows alike but for a generic value stay apart in blocking
    distinct = distinct_weight(features, keys)
    entity_model, plan = _model_for(model, entity, blocking, keys)
    coded = encode(features, generic, distinct)
    left, right, stats = candidate_pairs(
        blocking, entity_model.blocking, max_block=entity_model.max_block, cache=keys
    )
    keep_rules(keys, [*(r.columns for r in entity_model.blocking), COLLEAGUE_RULE])
    # the candidate pairs compared once, for fitting and scoring alike (an int8 per pair and
    # comparison: ~100 MB for the 8.5M pairs of 1M leads; comparing them again in worker
    # processes cost more than it saved); the attributes only once fitted, as an attribute
    # that tells nothing is left out
    core, _ = split_attributes(entity_model)
    compared: np.ndarray | None = compare(core, coded, left, right)
    if fit or not entity_model.fitted:
        entity_model, compared = _fitted(
            entity_model, blocking, coded, left, right, distinct, compared, seed, keys
        )
    keys.clear()
    if compared is not None and compared.shape[1] < len(entity_model.comparisons):
        # a given fitted model's attributes
        compared = with_levels(entity_model, core, compared, coded, left, right)
    decisions = decide_pairs(entity_model, coded, left, right, levels=compared)
    linked = np.flatnonzero(decisions.link)
    result = checked_clusters(
        len(features),
        left[linked],
        right[linked],
        decisions.odds(linked),
        apart_left=left[decisions.apart],
        apart_right=right[decisions.apart],
        score=partial(apart_pairs, entity_model, coded),
        max_cluster=entity_model.max_cluster,
        weight=distinct,
    )
    return EntityRun(
        entity,
        pd.Index([]),
        features,
        coded,
        entity_model,
        plan,
        stats,
        decisions,
        result.labels,
        linked[result.refused],
    )


def _fitted(
    model: EntityModel,
    features: pd.DataFrame,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    distinct: np.ndarray,
    core_levels: np.ndarray | None,
    seed: int,
    keys: dict[str, np.ndarray],
) -> tuple[EntityModel, np.ndarray | None]:
    """The model fitted to the candidate pairs and their levels under it (``core_levels``:
    their levels under the model's comparisons but the attributes): the library's
    comparisons by EM (the shipped priors with the match rate for a file too small or a
    single comparison), then the custom-field attributes beside them (``fit_beside``)."""
    core, attributes = split_attributes(model)
    if distinct.sum() >= MIN_FIT_RECORDS and len(core.comparisons) >= 2:
        core = fit_model(
            core, features, coded, left, right, seed=seed, cache=keys, compared=core_levels
        )
    else:  # too few distinct records, or one comparison: nothing to tell matches by
        core = fit_prior(with_priors(core), coded, left, right, core_levels)
    return fit_beside(
        core, attributes, features, coded, left, right, core_levels, seed=seed, cache=keys
    )


COMPANY_ONLY = "company_only"
"""The matching view's flag of rows about a company and no person."""


def matching_view(rows: pd.DataFrame) -> pd.DataFrame:
    """What clustering reads of normalized rows, row by row: their features, whether each is
    about a company only, and the custom fields (profiled on the whole file, by
    ``dedupe_view``). A file's chunks can be viewed one by one and the views put together:
    the rows themselves need not be held while matching."""
    view = record_features(rows)
    view[COMPANY_ONLY] = company_only(rows)
    if CUSTOM_COLUMN in rows:
        view[CUSTOM_COLUMN] = rows[CUSTOM_COLUMN].to_numpy(dtype=object)
    return view


def dedupe_frame(
    rows: pd.DataFrame, *, model: MatchModel | None = None, fit: bool = True, seed: int = 0
) -> Dedupe:
    """Cluster normalized rows: people and companies each by their own model, configured from
    the rows and fitted to them unless a fitted ``model`` is given with ``fit=False``."""
    return dedupe_view(matching_view(rows), model=model, fit=fit, seed=seed)


def dedupe_view(
    view: pd.DataFrame, *, model: MatchModel | None = None, fit: bool = True, seed: int = 0
) -> Dedupe:
    """``dedupe_frame`` of the rows whose ``matching_view`` this is (labels as theirs)."""
    companies = view[COMPANY_ONLY].to_numpy(dtype=bool)
    own = [c for c in view.columns if c not in (COMPANY_ONLY, CUSTOM_COLUMN)]
    features = with_attributes(view[own], view)
    rows = view.index
    clusters = np.empty(len(rows), dtype=object)
    runs: dict[str, EntityRun] = {}
    reviews = []
    for entity, mask, prefix in (("people", ~companies, "p"), ("companies", companies, "c")):
        if not mask.any():
            continue
        positions = np.flatnonzero(mask)
        part = features if len(positions) == len(features) else features.iloc[positions]
        run = dedupe_entity(part, entity, model=model, fit=fit, seed=seed)
        run = _with_rows(run, rows[positions])
        runs[entity] = run
        clusters[positions] = _labels(prefix, positions[run.labels])
        reviews.append(_reviews(run))
    fitted = MatchModel(
        runs["people"].model if "people" in runs else None,
        runs["companies"].model if "companies" in runs else None,
        source=model.source if model is not None and not fit else "fitted to the input",
    )
    review_frame = pd.concat(reviews, ignore_index=True) if reviews else _no_reviews()
    return Dedupe(pd.Series(clusters, index=rows), review_frame, fitted, runs)


def _with_rows(run: EntityRun, rows: pd.Index) -> EntityRun:
    return EntityRun(
        run.entity,
        rows,
        run.features,
        run.coded,
        run.model,
        run.plan,
        run.stats,
        run.decisions,
        run.labels,
        run.refused,
    )


def _reviews(run: EntityRun) -> pd.DataFrame:
    """Review pairs of one run that ended in different clusters (input labels)."""
    d = run.decisions
    review = d.review.copy()
    review[run.refused] = True
    pairs = np.flatnonzero(review)
    pairs = pairs[run.labels[d.left[pairs]] != run.labels[d.right[pairs]]]
    return pd.DataFrame(
        {
            "left": run.rows[d.left[pairs]],
            "right": run.rows[d.right[pairs]],
            "probability": d.probability(pairs),
        }
    )


def _labels(prefix: str, positions: np.ndarray) -> np.ndarray:
    """Cluster ids as strings, ``prefix`` + the root row's position (vectorized)."""
    return (prefix + pd.Series(positions, dtype=np.int64).astype(str)).to_numpy(dtype=object)


def _no_reviews() -> pd.DataFrame:
    return pd.DataFrame({"left": [], "right": [], "probability": []})
