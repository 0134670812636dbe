"""The import's matcher: a batch against itself and against candidate people from the store.

Stored people arrive as ``existing`` (found through the indexed blocking keys this matcher
names, so the store is never rescored). Pairs among stored people are not compared; two stored
people are never merged by a batch (the pair goes to review instead).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from ingest.contracts import REVIEW_COLUMNS, MatchResult
from matchers.attribute_fit import fit_beside
from matchers.attributes import is_attribute, with_attributes
from matchers.blocking import block_keys, candidate_pairs
from matchers.chains import apart_pairs, checked_clusters
from matchers.clustering import distinct_weight
from matchers.coded import encode
from matchers.configure import candidate_rules, plan_blocking
from matchers.dedupe import dedupe_entity
from matchers.estimate import fit, fit_prior
from matchers.features import FeatureCache, existing_features, record_features
from matchers.generic import PERSON_RULES as GENERIC_RULES
from matchers.generic import generic_values, without_generic
from matchers.homes import with_homes
from matchers.priors import MIN_FIT_RECORDS, SHIPPED, default_model, with_priors
from matchers.scoring import Scored, compare, score_pairs
from matchers.settings import BlockingRule, ComparisonSettings, EntityModel, MatchModel

STORED_RULES: tuple[BlockingRule, ...] = tuple(
    BlockingRule(columns)
    for columns in (
        ("ln_phon", "fn_nick_initial", "postal"),
        ("ln", "company"),
        ("name_sorted",),
        ("email_local", "fn_initial"),
        ("dob", "ln_initial"),
        ("street", "postal"),
        ("sound_sorted",),
        ("postal", "fn_initial"),
    )
)
"""Keys kept per stored person (``blocking_keys``); emails and phones are found through the
contact points."""


MAX_CACHED = 200_000
"""Stored records whose features one matcher keeps (up to a kilobyte each)."""


MIN_KEPT_MATCHES = 50
"""Matching pairs a batch's fit must have found (prior × all pairs) to be kept for the rest
of an import: a first batch of only distinct people (a file sorted originals first, then
their duplicates) teaches EM nothing true about matches."""


def _learnt_from_matches(model: EntityModel, records: int) -> bool:
    """Whether a fit learnt m (an EM session found a match class) from enough matches."""
    expected = (model.prior or 0.0) * records * (records - 1) / 2
    return bool(model.trained_on.get("em_sessions")) and expected >= MIN_KEPT_MATCHES


class ProbabilisticMatcher:
    """Fellegi–Sunter matching of people with guarded clustering (a KeyedMatcher), and of
    company-only rows by the companies model (a ListingMatcher)."""

    def __init__(self, model: MatchModel | None = None, *, name: str = "model") -> None:
        self.model = model or default_model()
        self.name = name
        people = self.model.people or default_model().people
        assert people is not None, "the shipped model has a people part"
        self.people: EntityModel = people if people.fitted else with_priors(people)
        self.fit_to_batches = self.model.source == SHIPPED
        """The shipped parameters are priors, not a model of anyone's data: the first batch
        of ``MIN_FIT_RECORDS`` distinct rows or more gets them fitted to its rows and their
        stored candidates, as ``leadflow dedupe`` fits them to a file, and the later batches
        use its m and u with their own match rate (an activated model is used as it is)."""
        self._stored: FeatureCache = {}  # stored people recur in every chunk of an import
        self._fitted: EntityModel | None = None
        """The people model fitted to this import's first batch (``fitted`` / ``use_fitted``)."""
        self._last: tuple[pd.DataFrame, pd.DataFrame] | None = None
        """The last batch whose features were computed, and those features (``_features``)."""

    def cluster_listings(self, listings: pd.DataFrame) -> np.ndarray:
        """Company-only rows clustered by the companies model, as ``dedupe_frame`` clusters
        them: the active model's fitted companies part when it has one, else configured from
        and fitted to the rows (the shipped parameters for a few)."""
        if len(listings) < 2:
            return np.zeros(len(listings), dtype=np.int64)
        part = self.model.companies if self.model.source != SHIPPED else None
        given = self.model if part is not None else None
        fit = part is None or not part.fitted
        features = with_attributes(record_features(listings), listings)
        run = dedupe_entity(features, "companies", model=given, fit=fit)
        return np.asarray(run.labels)

    def fitted(self) -> dict[str, Any] | None:
        """The people model this import fitted (JSON), None while it has fitted none."""
        return None if self._fitted is None else MatchModel(self._fitted).to_dict()

    def use_fitted(self, state: dict[str, Any] | None) -> None:
        """Match the coming batches with the model an earlier batch of the import fitted (a
        resumed import gets it back from the store); None: nothing fitted yet, fit the next
        batch that is big enough."""
        if state is None:
            self._fitted = None
        elif self._fitted is None or self.fitted() != state:
            self._fitted = MatchModel.from_dict(state, source="the import's fitted model").people

    def blocking_keys(self, rows: pd.DataFrame) -> pd.DataFrame:
        """The stored blocking keys of each row (``rule``, ``key``), indexed by row label."""
        return block_keys(self._features(rows), STORED_RULES)

    def _features(self, rows: pd.DataFrame) -> pd.DataFrame:
        """``record_features`` of ``rows``, computed once when the load asks for a batch's keys
        and then matches the same (unchanged) frame."""
        if self._last is not None and self._last[0] is rows:
            return self._last[1]
        features = record_features(rows)
        self._last = (rows, features)
        return features

    def _rules(
        self, features: pd.DataFrame, cache: dict[str, np.ndarray]
    ) -> tuple[BlockingRule, ...]:
        if self.people.blocking:
            return self.people.blocking
        candidates = candidate_rules(features, "people")
        plan = plan_blocking(features, candidates, max_block=self.people.max_block, cache=cache)
        return tuple(p.rule for p in plan if p.rule is not None)

    def match(self, batch: pd.DataFrame, existing: pd.DataFrame) -> MatchResult:
        rows = with_attributes(self._features(batch), batch).reset_index(drop=True)
        if len(self._stored) > MAX_CACHED:
            self._stored.clear()
        stored = existing_features(existing, self._stored)
        features = pd.concat([rows, stored], ignore_index=True) if len(stored) else rows
        features = with_homes(features, rows)  # the batch's homes: its matches' too
        attributes = [c for c in rows.columns if is_attribute(c)]
        if attributes:  # stored people keep no custom fields: missing on their side
            features[attributes] = features[attributes].fillna("")
        n_rows = len(rows)
        model = self.people if self._fitted is None else self._fitted
        generic = generic_values(features, GENERIC_RULES)
        blocking = without_generic(features, generic, GENERIC_RULES)
        keys: dict[str, np.ndarray] = {}  # blocking keys of this frame: planned, then paired
        rules = self._rules(blocking, keys)
        left, right, _ = candidate_pairs(
            blocking,
            rules,
            max_block=model.max_block,
            cache=keys,
            probes=n_rows,  # pairs among stored people are never rescored
        )
        distinct = distinct_weight(features)
        coded = encode(features, generic, distinct)
        enough = distinct[:n_rows].sum() >= MIN_FIT_RECORDS  # copies of a record count once
        compared = compare(model, coded, left, right)  # once, for the match rate and scores
        if self._fitted is not None:  # m and u from an earlier batch; the match rate is this one's
            model = fit_prior(self._fitted, coded, left, right, compared)
        elif self.fit_to_batches and enough and len(model.comparisons) >= 2:
            core = replace(model, blocking=rules)
            core = fit(core, blocking, coded, left, right, cache=keys, compared=compared)
            fields = tuple(ComparisonSettings.of(c) for c in attributes)  # the file's own
            model, levels = fit_beside(
                core, fields, blocking, coded, left, right, compared, cache=keys
            )
            compared = compared if levels is None else levels
            if _learnt_from_matches(model, len(coded)):  # kept for the rest of the import
                self.use_fitted(MatchModel(model).to_dict())
        scored = score_pairs(model, coded, left, right, compared)
        # nodes: batch rows 0..n_rows-1, then one node per stored person
        person_ids = pd.unique(stored["entity"]) if len(stored) else np.empty(0, dtype=object)
        person_node = {pid: n_rows + i for i, pid in enumerate(person_ids)}
        node_of = np.arange(len(features))
        if len(stored):
            node_of[n_rows:] = [person_node[e] for e in stored["entity"]]
        n_nodes = n_rows + len(person_ids)
        a, b = node_of[scored.left], node_of[scored.right]
        linked = np.flatnonzero(scored.link)
        exclusive = np.zeros(n_nodes, dtype=bool)
        exclusive[n_rows:] = True
        clusters = checked_clusters(  # batch rows are nodes 0..n_rows-1: those are scored
            n_nodes,
            a[linked],
            b[linked],
            scored.odds[linked],
            apart_left=a[scored.apart],
            apart_right=b[scored.apart],
            score=partial(apart_pairs, model, coded),
            scorable=np.arange(n_nodes) < n_rows,
            exclusive=exclusive,
            max_cluster=model.max_cluster,
            weight=np.concatenate([distinct[:n_rows], np.ones(len(person_ids))]),
        )
        labels = clusters.labels
        person_of_root = {int(labels[n]): int(pid) for pid, n in person_node.items()}
        best = np.full(n_nodes, np.nan)
        for nodes in (a[linked], b[linked]):
            np.fmax.at(best, nodes, scored.probability[linked])
        assignments = pd.DataFrame(
            {
                "cluster": [f"n{labels[i]}" for i in range(n_rows)],
                "person_id": pd.array(
                    [person_of_root.get(int(labels[i]), pd.NA) for i in range(n_rows)],
                    dtype="Int64",
                ),
                "probability": best[:n_rows],
                "decided_by": [
                    self.name if not np.isnan(best[i]) else "new" for i in range(n_rows)
                ],
            },
            index=batch.index,
        )
        review = scored.review.copy()
        review[linked[clusters.refused]] = True
        review &= labels[a] != labels[b]
        return MatchResult(
            assignments, self._reviews(batch, scored, review, a, b, n_rows, person_ids)
        )

    @staticmethod
    def _reviews(
        batch: pd.DataFrame,
        scored: Scored,
        review: np.ndarray,
        a: np.ndarray,
        b: np.ndarray,
        n_rows: int,
        person_ids: np.ndarray | ExtensionArray,
    ) -> pd.DataFrame:
        """One review row per (batch row, other row or person), the strongest pair kept."""
        found: dict[tuple[int, str, int], tuple[float, int]] = {}
        for k in np.flatnonzero(review).tolist():
            row, other = int(a[k]), int(b[k])
            target = (
                ("row", other) if other < n_rows else ("person", int(person_ids[other - n_rows]))
            )
            key = (row, *target)
            if key not in found or scored.probability[k] > found[key][0]:
                found[key] = (float(scored.probability[k]), k)
        labels = batch.index
        records = [
            {
                "row": int(labels[row]),
                "other_row": int(labels[target]) if kind == "row" else pd.NA,
                "person_id": target if kind == "person" else pd.NA,
                "probability": probability,
                "detail": scored.detail(k),
            }
            for (row, kind, target), (probability, k) in found.items()
        ]
        return pd.DataFrame(records, columns=list(REVIEW_COLUMNS))
