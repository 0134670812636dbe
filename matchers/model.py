"""The Fellegi–Sunter match model, company-then-person: one 2-class model per employer stratum.

Pairs are first split by employer evidence (``same_company``: same company key or domain;
``other``: different or unknown employer). Inside a stratum the non-matches are of one kind
(colleagues inside a company; namesakes and chance across companies), so a 2-class model with
conditional independence fits: m and the non-match distribution u are estimated by EM over the
candidate pairs of the stratum, no labels needed. u from random pairs scales term-frequency
adjustments (a rare surname agreeing is worth more than "smith"). Employer evidence never adds
weight on its own: it only selects the stratum. Steward decisions refine m and u (``refit``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from matchers.comparisons import ADDRESS_FIELDS, FIELDS, MISSING, Field

PERSON_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.name != "employer")
FIELD_BY_NAME = {f.name: f for f in FIELDS}
STRATA = ("same_company", "other", "private")
INTRINSIC = ("name", "title", "phone")
"""Fields that describe the person more than the job (name, title, the personal numbers they
carry along): the ``other`` stratum reuses their m learnt inside companies, where matches are
plentiful and cannot be confused with namesakes; only email's m is learnt across companies."""
JOB_CHANGE_LEVELS: dict[str, tuple[str, ...]] = {
    "title": ("close", "different"),
    "email": ("different",),
}
"""Across employers (the ``other`` stratum) these disagreements are what a job change looks
like, a new title and a new work address, so they weigh nothing there: they cannot tell a
person who moved from a namesake. Learnt m would say otherwise only because training pairs
rarely contain movers."""
PROBABILITY_FLOOR = 1e-3
"""No level is impossible: m and u stay above this, so one field weighs at most ~10 bits."""
TF_CLAMP = (1 / 16, 64.0)
"""A value's term-frequency u stays within these factors of its level's u."""


def stratum_of(levels: pd.DataFrame) -> np.ndarray:
    """0 (same_company) where the employer agrees (company key or domain), 2 (private) where
    two private records' addresses were compared, else 1 (other)."""
    employer = levels["employer"].to_numpy()
    private = np.zeros(len(levels), dtype=bool)
    for name in ADDRESS_FIELDS:
        private |= levels[name].to_numpy() >= 0
    return np.select([(employer == 0) | (employer == 1), private], [0, 2], 1).astype(np.int8)


def _start(spec: Field, best: float) -> list[float]:
    """A starting distribution: ``best`` on level 0, the rest spread decreasingly."""
    rest = np.asarray([0.5**i for i in range(1, len(spec.levels))])
    return [best, *list(rest / rest.sum() * (1 - best))]


def _start_u(spec: Field) -> list[float]:
    """A starting non-match distribution: mass on the worst level."""
    return list(reversed(_start(spec, 0.7)))


@dataclass
class Stratum:
    """m and u per level of each person field, and the share of matches among its pairs."""

    m: dict[str, list[float]] = field(
        default_factory=lambda: {f.name: _start(f, 0.7) for f in PERSON_FIELDS}
    )
    u: dict[str, list[float]] = field(
        default_factory=lambda: {f.name: _start_u(f) for f in PERSON_FIELDS}
    )
    prior: float = 0.2

    def level_weights(self, name: str) -> np.ndarray:
        """log2(m/u) per level; neutral levels weigh 0."""
        weights = np.log2(np.asarray(self.m[name]) / np.asarray(self.u[name]))
        weights[list(FIELD_BY_NAME[name].neutral_levels)] = 0.0
        return weights


@dataclass
class MatchModel:
    """Everything a match decision needs, serializable to JSON (``to_dict``/``from_dict``)."""

    strata: dict[str, Stratum] = field(default_factory=lambda: {s: Stratum() for s in STRATA})
    u_random: dict[str, list[float]] = field(default_factory=dict)
    link_threshold: float = 0.9
    review_threshold: float = 0.4
    max_block: int = 400
    max_cluster: int = 60
    household_review: bool = False
    """Private pairs with one surname and clearly different first names (``household``) go to
    review instead of linking, unless they share an email or a personal phone."""
    trained_on: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "fellegi_sunter_by_employer",
            "levels": {f.name: list(f.levels) for f in FIELDS},
            "strata": {
                name: {"m": s.m, "u": s.u, "prior": s.prior} for name, s in self.strata.items()
            },
            "u_random": self.u_random,
            "thresholds": {"link": self.link_threshold, "review": self.review_threshold},
            "max_block": self.max_block,
            "max_cluster": self.max_cluster,
            "household_review": self.household_review,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchModel:
        fresh = Stratum()  # fields added since the model was saved start from neutral priors
        known = {f.name for f in PERSON_FIELDS}  # fields since removed are dropped
        strata = {
            name: Stratum(
                m={**fresh.m, **{k: list(v) for k, v in s["m"].items() if k in known}},
                u={**fresh.u, **{k: list(v) for k, v in s["u"].items() if k in known}},
                prior=float(s["prior"]),
            )
            for name, s in data["strata"].items()
        }
        for name in STRATA:  # a model saved before a stratum existed scored its pairs in "other"
            strata.setdefault(name, replace(strata["other"]))
        return cls(
            strata=strata,
            u_random={k: list(v) for k, v in (data.get("u_random") or {}).items()},
            link_threshold=float(data["thresholds"]["link"]),
            review_threshold=float(data["thresholds"]["review"]),
            max_block=int(data.get("max_block", 400)),
            max_cluster=int(data.get("max_cluster", 60)),
            household_review=bool(data.get("household_review", False)),
            trained_on=dict(data.get("trained_on") or {}),
        )


def _counts(levels: np.ndarray, n_levels: int, weights: np.ndarray | None = None) -> np.ndarray:
    usable = levels >= 0
    return np.bincount(
        levels[usable].astype(np.int64),
        weights=None if weights is None else weights[usable],
        minlength=n_levels,
    )[:n_levels].astype(float)


def _usable(spec: Field, levels: np.ndarray) -> np.ndarray:
    """Levels with neutral ones treated as missing (they carry no evidence either way)."""
    return np.where(np.isin(levels, spec.neutral_levels), MISSING, levels)


def u_from_random(
    random_levels: pd.DataFrame, freq: dict[str, np.ndarray] | None = None
) -> dict[str, list[float]]:
    """u per level from comparisons of random record pairs (add-half smoothing); for levels
    with term-frequency adjustment, the exact chance of agreement (sum of squared value
    frequencies) when ``freq`` is given, since rare agreements are few in a sample."""
    u = {}
    for spec in FIELDS:
        counts = _counts(random_levels[spec.name].to_numpy(), len(spec.levels)) + 0.5
        probs = counts / counts.sum()
        if freq is not None and spec.name in freq and len(spec.tf_levels) == 1:
            level = spec.tf_levels[0]
            exact = max(float((freq[spec.name] ** 2).sum()), 1e-9)
            probs[level] = exact
            others = [i for i in range(len(probs)) if i != level]
            probs[others] *= (1 - exact) / probs[others].sum()
        u[spec.name] = list(probs)
    return u


def estimate_u_random(
    model: MatchModel, random_levels: pd.DataFrame, freq: dict[str, np.ndarray] | None = None
) -> MatchModel:
    """The model with ``u_random`` from random record pairs (see ``u_from_random``)."""
    return replace(model, u_random=u_from_random(random_levels, freq))


def train_em(
    stratum: Stratum,
    levels: pd.DataFrame,
    *,
    fixed_m: tuple[str, ...] = (),
    fixed_u: bool = False,
    iterations: int = 100,
    tolerance: float = 1e-6,
) -> Stratum:
    """m, u and the prior of one stratum by expectation-maximisation over its candidate pairs.

    Runs over the distinct comparison patterns with their counts, so its cost does not grow
    with the number of pairs. ``fixed_m`` fields keep their m (see ``INTRINSIC``); with
    ``fixed_u`` every u stays as given (u from random pairs, the ``private`` stratum).
    """
    names = [f.name for f in PERSON_FIELDS]
    if levels.empty:
        return stratum
    patterns = levels[names].value_counts().reset_index()
    counts = patterns.pop("count").to_numpy(float)
    gamma = {f.name: _usable(f, patterns[f.name].to_numpy()) for f in PERSON_FIELDS}
    m = {k: np.asarray(v, float) for k, v in stratum.m.items()}
    u = {k: np.asarray(v, float) for k, v in stratum.u.items()}
    prior = stratum.prior
    for _ in range(iterations):
        log_ratio = np.full(len(counts), np.log(prior / (1 - prior)))
        for spec in PERSON_FIELDS:
            g = gamma[spec.name]
            ok = g >= 0
            log_ratio[ok] += np.log(m[spec.name][g[ok]]) - np.log(u[spec.name][g[ok]])
        p = 1 / (1 + np.exp(-np.clip(log_ratio, -50, 50)))
        shift = 0.0
        for spec in PERSON_FIELDS:
            for target, weight in ((m, counts * p), (u, counts * (1 - p))):
                if (target is m and spec.name in fixed_m) or (target is u and fixed_u):
                    continue
                c = _counts(gamma[spec.name], len(spec.levels), weight) + 1e-2
                new = np.maximum(c / c.sum(), PROBABILITY_FLOOR)
                new /= new.sum()
                shift = max(shift, float(np.abs(new - target[spec.name]).max()))
                target[spec.name] = new
        new_prior = float(np.clip((counts * p).sum() / counts.sum(), 1e-6, 1 - 1e-6))
        shift, prior = max(shift, abs(new_prior - prior)), new_prior
        if shift < tolerance:
            break
    return Stratum({k: list(v) for k, v in m.items()}, {k: list(v) for k, v in u.items()}, prior)


def refit(
    model: MatchModel, levels: pd.DataFrame, accepted: np.ndarray, *, strength: float = 200.0
) -> MatchModel:
    """Fold steward decisions in: accepted pairs pull m, rejected pairs pull u of their stratum
    towards their level frequencies (the current model counts as ``strength`` pairs)."""
    accepted = np.asarray(accepted, dtype=bool)
    strata = stratum_of(levels)
    new = {}
    for index, name in enumerate(STRATA):
        old = model.strata[name]
        inside = strata == index
        m, u = dict(old.m), dict(old.u)
        for spec in PERSON_FIELDS:
            g = _usable(spec, levels[spec.name].to_numpy())
            for target, mask in ((m, accepted & inside), (u, ~accepted & inside)):
                counts = _counts(g[mask], len(spec.levels))
                blended = np.asarray(target[spec.name]) * strength + counts
                target[spec.name] = list(blended / blended.sum())
        new[name] = Stratum(m, u, old.prior)
    return replace(model, strata=new)


def field_weights(
    model: MatchModel, levels: pd.DataFrame, tf: dict[str, np.ndarray] | None = None
) -> pd.DataFrame:
    """Per pair: the stratum's prior weight and each person field's match weight (log2 Bayes
    factor); exact levels are term-frequency adjusted by ``tf`` (the agreeing value's relative
    frequency per field): agreeing on a rare surname weighs more than on "smith"."""
    strata = stratum_of(levels)
    out: dict[str, np.ndarray] = {}
    priors = np.asarray([model.strata[s].prior for s in STRATA])
    out["prior"] = np.log2(priors / (1 - priors))[strata]
    for spec in PERSON_FIELDS:
        g = levels[spec.name].to_numpy()
        table = np.stack([model.strata[s].level_weights(spec.name) for s in STRATA])
        for level in JOB_CHANGE_LEVELS.get(spec.name, ()):
            table[STRATA.index("other"), spec.levels.index(level)] = 0.0
        w = np.where(g >= 0, table[strata, np.maximum(g, 0)], 0.0)
        if tf is not None and spec.tf_levels and spec.name in tf and model.u_random:
            u_random = np.asarray(model.u_random[spec.name])
            value_freq = tf[spec.name]
            for level in spec.tf_levels:
                hit = (g == level) & ~np.isnan(value_freq)
                factor = np.clip(value_freq[hit] / u_random[level], *TF_CLAMP)
                w[hit] -= np.log2(factor)
        out[spec.name] = w
    return pd.DataFrame(out, index=levels.index)


def probabilities(weights: pd.DataFrame) -> np.ndarray:
    """Match probability from the summed weights (prior included)."""
    return 1 / (1 + np.exp2(-np.clip(weights.sum(axis=1).to_numpy(), -60, 60)))


def contact_evidence(levels: pd.DataFrame) -> np.ndarray:
    """The same email address, or a personal phone number in common."""
    email = levels["email"].to_numpy()
    return ((email >= 0) & (email <= 1)) | (levels["phone"].to_numpy() == 0)


def person_evidence(levels: pd.DataFrame) -> np.ndarray:
    """Pairs with evidence about the person, not only the company: similar first and last
    names; or the same email or a personal phone with a similar surname or first name; or,
    between private records (where no colleague can share the address), a similar surname or
    first name. Only such pairs may be linked automatically."""
    name = levels["name"].to_numpy()
    names = (name >= 0) & (name <= 2)
    some_name = (name >= 0) & (name <= 4)
    private = stratum_of(levels) == STRATA.index("private")
    return names | (some_name & (contact_evidence(levels) | private))
