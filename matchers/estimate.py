"""Fitting an entity model to the records in front of it, without labels.

The recipe is Splink's, which holds on data nobody here generated:

* **u** from random pairs of the input's distinct records (almost all non-matches; copies of
  one record are one record seen twice, never a pair of strangers), then once more with
  each random pair discounted by the chance the fitted model gives it of being a match (in a
  small file with many duplicates, random pairs are not all non-matches);
* **m** by expectation-maximisation over the candidate pairs of one blocking rule at a time,
  with u held, the comparisons that read the rule's own columns held (every pair of a rule on
  surnames agrees on the surname, matches or not, so that session cannot learn what a surname
  agreement is worth) and the comparisons learnt in earlier sessions held: each session
  learns only what no earlier one could, against evidence already calibrated (pairs sharing
  an office line are mostly colleagues; with email and name already learnt, EM cannot take
  "colleague" for "match"). A comparison no session could learn keeps its prior;
* **chance agreement from parts**: random pairs hold the file's matches too (in a file of
  inventors with hundreds of mentions each, most random pairs with one full name are one
  person), so u of agreeing on a whole name is at most the product of agreeing on its first
  and on its last name, which those few matches barely move; and a session's pairs that share
  a key are at least the share of matches that chance agreement on the key's parts leaves
  (pairs with one rare full name are nearly all one person, whatever EM makes of them);
* **monotone levels**: a closer agreement never weighs less than a looser one (adjacent
  violators pooled);
* **the prior**: the chance that two random records match, solved over the candidate pairs
  (pairs never blocked together count as non-matches).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from matchers.blocking import _pairs_in_blocks, first_of_each, identical_rows, rule_codes
from matchers.coded import Coded
from matchers.comparisons import MISSING
from matchers.pooling import pooled
from matchers.scoring import WITHIN_KIND, compare, probability, weights
from matchers.settings import WEIGHT_BITS, BlockingRule, ComparisonSettings, EntityModel

COLLEAGUE_RULE = ("employer_key",)
"""The key that makes colleagues: the company key, else the web domain."""
RANDOM_PAIRS = 400_000
SESSION_PAIRS = 300_000
PRIOR_PAIRS = 2_000_000
MAX_SESSIONS = 5
MIN_SESSION_PAIRS = 30
EM_ITERATIONS = 40
COLLEAGUE_BLOCK = 300
NAME_KIND = "person_name"
DIFFERENT_NAMES_FROM = 2
"""Name levels above this (somewhat alike, one name only, different) make two colleagues
two people for estimating u among colleagues."""
MIN_COLLEAGUE_PAIRS = 200
EMPLOYER_KIND = "employer"
JOB_CHANGES = 0.005
"""The least share of one person's pairs of records that show another employer (a job
change, a typo in a web domain): "different employer" weighs at most about -7.6 bits. Splink's
demo people (web domains with typos, no job changes) lost 5 % recall at the -20 bits EM
learnt; a floor for email, phone, title or town too cost dupehell's hard negatives."""
WORKPLACE_KINDS = frozenset({"email", "phone", "title", "work_city"})
"""Comparisons whose values colleagues share by working together (a mailbox, a switchboard,
a job title, the office's town): they get a u among colleagues. A birth date, a middle name,
a profile or a home address is a person's own, as likely alike between two colleagues as
between any two people: u from random pairs."""
HOME_KINDS = frozenset({"home_street"})
HOUSEHOLD_KINDS = frozenset({NAME_KIND})
"""Between the pairs of a session on a home address, these comparisons get a u of their own,
fitted by EM beside m (``em``'s ``local_u``): housemates are families, who share a surname far
more often than two random people do, and with the random pairs' u EM takes a household for
one person (spouses with one middle initial linked on tax forms). Only for that session's EM;
scoring keeps the random pairs' u."""
MAX_KEY_SHARE = 0.999
NAME_PARTS: dict[str, tuple[str, ...]] = {
    "fn": ("fn",),
    "ln": ("ln",),
    "fn_phon": ("fn_phon",),
    "ln_phon": ("ln_phon",),
    "name_sorted": ("fn", "ln"),
    "sound_sorted": ("fn_phon", "ln_phon"),
}
"""Blocking columns of names and the name parts they are made of. First names and surnames
are given independently of each other, so chance agreement on both is the product of
agreeing on each; employers, towns and addresses go together (colleagues share an office),
so rules on them get no least share."""
COLUMN_BASE: dict[str, tuple[str, ...]] = {
    "fn_initial": ("fn",),
    "ln_initial": ("ln",),
    "fn_nick_initial": ("fn",),
    "fn_phon": ("fn",),
    "ln_phon": ("ln",),
    "name_sorted": ("fn", "ln"),
    "sound_sorted": ("fn", "ln"),
    "number": ("phone", "mobile"),
    "phone_7": ("phone", "mobile"),
    "email_local": ("email",),
    "company_word": ("company",),
    "company_last_word": ("company",),
    "company_word_sound": ("company",),
    "company_acronym": ("company",),
    "street_word": ("street",),
    "street_number": ("street",),
    "dob_year": ("dob",),
    "dob_month_day": ("dob",),
}
READS: dict[str, tuple[str, ...]] = {
    "person_name": ("fn", "ln"),
    "email": ("email",),
    "phone": ("phone", "mobile"),
    "employer": ("company", "domain", "postal", "street", "phone", "mobile"),
    "title": ("title",),
    "middle_name": ("mn",),
    "birth_date": ("dob",),
    "linkedin": ("linkedin",),
    "home_street": ("street",),
    "home_postcode": ("postal",),
    "home_city": ("city",),
    "company_name": ("company",),
    "web_domain": ("domain",),
    "street": ("street",),
    "postcode": ("postal",),
    "city": ("city",),
    "work_city": ("city", "company", "domain"),
}
"""The feature columns each comparison's agreement depends on."""


def random_pairs(rng: np.random.Generator, n: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """All pairs when there are at most ``size``, else about ``size`` random distinct ones."""
    if n * (n - 1) // 2 <= size:
        left, right = np.triu_indices(n, 1)
        return left.astype(np.int32), right.astype(np.int32)
    left = rng.integers(0, n, size).astype(np.int32)
    right = rng.integers(0, n, size).astype(np.int32)
    keep = left != right
    return left[keep], right[keep]


def level_counts(levels: np.ndarray, n_levels: int, weight: np.ndarray | None) -> np.ndarray:
    """How many pairs reached each level (missing ones not counted), each counted by
    ``weight`` (1 when None)."""
    ok = levels >= 0
    w = None if weight is None else weight[ok]
    return np.bincount(levels[ok].astype(np.int64), weights=w, minlength=n_levels)[:n_levels]


def estimate_u(
    model: EntityModel, levels: np.ndarray, non_match: np.ndarray | None = None
) -> list[np.ndarray]:
    """u per comparison from random-pair levels, each pair counted by its chance of being a
    non-match (all 1 when ``non_match`` is None); half a pair of smoothing per level."""
    out = []
    for k, comparison in enumerate(model.comparisons):
        counts = level_counts(levels[:, k], len(comparison.levels), non_match) + 0.5
        out.append(counts / counts.sum())
    return out


def distinct_random_pairs(
    features: pd.DataFrame,
    rng: np.random.Generator,
    size: int,
    cache: dict[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """About ``size`` random pairs of distinct records: records identical in every column are
    one record seen twice, not a pair of strangers (a file of copies has no non-matches)."""
    distinct = np.flatnonzero(first_of_each(identical_rows(features, cache)))
    left, right = random_pairs(rng, len(distinct), size)
    return distinct[left], distinct[right]


def agreeing(a: np.ndarray, b: np.ndarray, among: np.ndarray) -> float:
    """The share of the pairs ``among`` whose codes ``a`` and ``b`` agree."""
    return float((among & (a == b)).sum()) / max(int(among.sum()), 1)


def by_parts(
    model: EntityModel, coded: Coded, left: np.ndarray, right: np.ndarray, u: list[np.ndarray]
) -> list[np.ndarray]:
    """u with the closest level of each joint comparison (``tf_parts``: a full name) at most
    the chance of agreeing on every part among the random pairs ``left``, ``right``: the
    matches among random pairs agree on the whole value far more often than strangers do,
    and on each part hardly more often than strangers do."""
    out = list(u)
    for k, comparison in enumerate(model.comparisons):
        parts = comparison.spec.tf_parts
        if not parts:
            continue
        codes = [coded.tf_codes[part] for part in parts]
        both = np.logical_and.reduce([(c[left] >= 0) & (c[right] >= 0) for c in codes])
        chance = float(np.prod([agreeing(c[left], c[right], both) for c in codes]))
        uk = out[k].copy()
        uk[0] = min(uk[0], max(chance, 0.5 / max(len(left), 1)))  # half a pair, as estimate_u
        out[k] = uk / uk.sum()
    return out


def _prior_m(comparison: ComparisonSettings) -> np.ndarray:
    if comparison.fitted:
        return np.asarray([level.m for level in comparison.levels], dtype=float)
    return np.asarray(comparison.spec.prior_m, dtype=float)


def level_patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``levels`` (pairs × comparisons) and how many pairs show each:
    each row packed into one integer, 4 bits a level, and hashed (sorting rows is slow)."""
    n, width = levels.shape
    if width > 15 or (n and int(levels.max(initial=0)) > 14):
        patterns, counts = np.unique(levels, axis=0, return_counts=True)
        return patterns, counts.astype(float)
    key = np.zeros(n, dtype=np.int64)
    for k in range(width):
        key = key * 16 + (levels[:, k].astype(np.int64) + 1)  # MISSING (-1) packs as 0
    codes, keys = pd.factorize(key)
    counts = np.bincount(codes, minlength=len(keys)).astype(float)
    patterns = np.empty((len(keys), width), dtype=levels.dtype)
    rest = np.asarray(keys, dtype=np.int64)
    for k in range(width - 1, -1, -1):
        patterns[:, k] = rest % 16 - 1
        rest = rest // 16
    return patterns, counts


def em(
    levels: np.ndarray,
    m: list[np.ndarray],
    u: list[np.ndarray],
    free: np.ndarray,
    prior: float = 0.3,
    *,
    u_within: list[np.ndarray | None] | None = None,
    within: int = -1,
    anchor: np.ndarray | None = None,
    held_share: float | None = None,
    local_u: np.ndarray | None = None,
) -> tuple[list[np.ndarray], float, float]:
    """m of the ``free`` comparisons and the share of matches among the pairs by EM with u
    held; returns m, that share and the expected number of matches. Runs over the distinct
    level patterns with their counts, so its cost does not grow with the number of pairs.

    ``anchor`` (per comparison, NaN = none) holds m of the last level, "different", of a free
    comparison: where the free comparisons alone cannot tell the share of matches from m,
    this fixes it (the match class is where full disagreement is as rare as the anchor).
    ``held_share``: the share of matches, held instead of fitted. ``local_u`` (per comparison,
    bool): comparisons whose u is fitted too, as the non-matches among these very pairs show
    it (names among housemates), for telling matches apart here; the u returned is not it."""
    patterns, counts = level_patterns(levels)
    m = [x.copy() for x in m]
    matches = 0.0
    inside = np.zeros(len(patterns), dtype=bool)
    if within >= 0:
        inside = (patterns[:, within] >= 0) & (patterns[:, within] <= 1)
    log_u = []
    for k in range(levels.shape[1]):
        g = np.maximum(patterns[:, k], 0)
        row = np.log(u[k][g])
        alt = None if u_within is None or k == within else u_within[k]
        log_u.append(np.where(inside, np.log(alt[g]), row) if alt is not None else row)
    if held_share is not None:
        prior = held_share
    local = np.flatnonzero(local_u).tolist() if local_u is not None else []
    for _ in range(EM_ITERATIONS):
        log_odds = np.full(len(patterns), np.log(prior / (1 - prior)))
        for k in range(levels.shape[1]):
            g = patterns[:, k]
            ok = g >= 0
            log_odds[ok] += np.log(m[k][g[ok]]) - log_u[k][ok]
        p = 1 / (1 + np.exp(-np.clip(log_odds, -50, 50)))
        weight = counts * p
        matches = float(weight.sum())
        for k in local:  # u among these pairs: the non-matches' levels
            seen = level_counts(patterns[:, k], len(m[k]), counts - weight) + 0.5
            log_u[k] = np.log((seen / seen.sum())[np.maximum(patterns[:, k], 0)])
        for k in np.flatnonzero(free).tolist():
            dist = level_counts(patterns[:, k], len(m[k]), weight) + 1e-3
            m[k] = dist / dist.sum()
            if anchor is not None and not np.isnan(anchor[k]):
                rest = m[k][:-1] / max(m[k][:-1].sum(), 1e-12)
                m[k] = np.append(rest * (1 - anchor[k]), anchor[k])
        if held_share is None:
            prior = float(np.clip(matches / counts.sum(), 1e-6, 1 - 1e-6))
    return m, prior, matches


def plausible(
    m: np.ndarray, u: np.ndarray, seen: np.ndarray | None = None, *, measured: bool = False
) -> bool:
    """Whether a learnt m describes matches: the closest agreement the pairs show (``seen``:
    per level, whether any pair reached it; all when None) counts for a match, and full
    disagreement is at most half as common among matches as among non-matches (else EM took
    another structure of the pairs, or all of them, for the match class). ``measured``: m
    was learnt with the share of matches held (``key_share``), not chosen by EM, so only the
    first two hold (inventors change employer and town: "different" is common among them)."""
    w = np.log2(np.maximum(m, 1e-9) / np.maximum(u, 1e-9))
    shown = np.flatnonzero(seen[:-1]) if seen is not None else np.arange(len(m) - 1)
    closest = w[shown[0]] if len(shown) else w[0]
    return bool(closest > 0 and w[-1] < 0 and (measured or m[-1] <= u[-1] / 2))


def monotone(m: np.ndarray, u: np.ndarray) -> np.ndarray:
    """m adjusted so that log2(m/u) never rises from a closer level to a looser one: adjacent
    violators are pooled (weighted by m), then m is renormalized (a constant shift)."""
    w = np.log2(np.maximum(m, 1e-9) / np.maximum(u, 1e-9))
    flat = pooled(w, np.maximum(m, 1e-9))
    flat = np.clip(flat, *WEIGHT_BITS)
    adjusted = u * np.exp2(flat)
    return adjusted / adjusted.sum()


def _touched(rule: BlockingRule, model: EntityModel) -> np.ndarray:
    """Which comparisons read a column the rule blocks on."""
    columns = {base for c in rule.columns for base in COLUMN_BASE.get(c, (c,))}
    return np.asarray(
        [bool(columns & set(READS.get(c.kind, (c.kind,)))) for c in model.comparisons]
    )


def _sampled_pairs(
    codes: np.ndarray, max_block: int, rng: np.random.Generator, size: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """At most ``size`` of the pairs sharing a key code (-1 = none), blocks over ``max_block``
    skipped, and how many such pairs there are."""
    rows = np.flatnonzero(codes >= 0).astype(np.int32)
    left, right, _, _ = _pairs_in_blocks(rows, codes[rows], max_block)
    total = len(left)
    if len(left) > size:
        pick = rng.choice(len(left), size, replace=False)
        left, right = left[pick], right[pick]
    return left, right, total


def chance_agreement(
    features: pd.DataFrame,
    columns: tuple[str, ...],
    cache: dict[str, np.ndarray],
    left: np.ndarray,
    right: np.ndarray,
) -> float | None:
    """How often two strangers agree on a name key (``columns``, all in ``NAME_PARTS``): the
    product of each name part's agreement rate among the random pairs ``left``, ``right``
    (pairs missing a part do not count for it). None for a key that is not only names."""
    if not all(column in NAME_PARTS for column in columns):
        return None
    chance = 1.0
    for column in columns:
        for part in NAME_PARTS[column]:
            codes = rule_codes(features, (part,), cache)
            a, b = codes[left], codes[right]
            chance *= agreeing(a, b, (a >= 0) & (b >= 0))
    return chance


def key_share(chance: float | None, keyed: int, pairs: int) -> float:
    """The least share of matches among the ``pairs`` that share a key held by ``keyed``
    records: the non-matches among them are at most the pairs chance agreement makes (0 when
    the chance is not known)."""
    if chance is None:
        return 0.0
    strangers = chance * keyed * (keyed - 1) / 2
    return float(np.clip(1 - strangers / max(pairs, 1), 0.0, MAX_KEY_SHARE))


def _with(
    model: EntityModel,
    m: list[np.ndarray],
    u: list[np.ndarray],
    u_within: list[np.ndarray | None] | None = None,
) -> EntityModel:
    within = u_within or [None] * len(m)
    comparisons = tuple(
        c.with_parameters(mk, uk, wk)
        for c, mk, uk, wk in zip(model.comparisons, m, u, within, strict=True)
    )
    return replace(model, comparisons=comparisons)


def colleague_pairs(
    features: pd.DataFrame,
    rng: np.random.Generator,
    size: int = RANDOM_PAIRS,
    cache: dict[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs of records of one employer (company key, else web domain), at most
    ``size``; blocks of one employer are capped at ``COLLEAGUE_BLOCK`` records."""
    codes = rule_codes(features, COLLEAGUE_RULE, {} if cache is None else cache)
    return _sampled_pairs(codes, COLLEAGUE_BLOCK, rng, size)[:2]


def _with_job_changes(model: EntityModel, m: list[np.ndarray]) -> list[np.ndarray]:
    """m with the "different" level of ``employer`` at least ``JOB_CHANGES``: a file whose
    duplicates never change employer teaches EM that another employer is proof of another
    person (-20 bits), and a job change or a mistyped web domain is then never linked."""
    out = []
    for comparison, mk in zip(model.comparisons, m, strict=True):
        if comparison.kind == EMPLOYER_KIND and mk[-1] < JOB_CHANGES:
            closer = mk[:-1] / max(mk[:-1].sum(), 1e-12)
            mk = np.append(closer * (1 - JOB_CHANGES), JOB_CHANGES)
        out.append(mk)
    return out


def _monotone_all(
    m: list[np.ndarray], u: list[np.ndarray], u_within: list[np.ndarray | None]
) -> list[np.ndarray]:
    """m made monotone against u, then against the colleagues' u where there is one."""
    out = []
    for mk, uk, wk in zip(m, u, u_within, strict=True):
        adjusted = monotone(mk, uk)
        out.append(monotone(adjusted, wk) if wk is not None else adjusted)
    return out


@dataclass(frozen=True, slots=True)
class RateSample:
    """The candidate pairs the match rate is solved over (a sample of at most
    ``PRIOR_PAIRS``, each standing for ``scale`` pairs) and their levels, compared once: the
    levels do not change while m and u are refitted."""

    left: np.ndarray
    levels: np.ndarray
    scale: float


def rate_sample(
    model: EntityModel,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    levels: np.ndarray | None = None,
) -> RateSample:
    """The candidate pairs (a sample of ``PRIOR_PAIRS`` of them when there are more) and their
    levels (taken from ``levels`` when the pairs were compared already)."""
    scale = 1.0
    if len(left) > PRIOR_PAIRS:
        scale = len(left) / PRIOR_PAIRS
        pick = np.random.default_rng(0).choice(len(left), PRIOR_PAIRS, replace=False)
        left, right = left[pick], right[pick]
        levels = None if levels is None else levels[pick]
    if levels is None:
        levels = compare(model, coded, left, right)
    return RateSample(left, levels, scale)


def match_rate(model: EntityModel, coded: Coded, sample: RateSample, all_pairs: float) -> float:
    """λ = Σ P(match | pair, λ) / all pairs over the candidate pairs (a sample stands for all
    of them), solved by fixed-point iteration."""
    bits = weights(model, coded, sample.left, sample.levels).sum(axis=1, dtype=np.float64)
    ratio = np.exp2(np.clip(bits, -60, 60))
    scale, pairs = sample.scale, len(sample.left)
    # from above (every candidate a match) down to the largest fixed point; 0 is always one
    rate = float(np.clip(scale * pairs / max(all_pairs, 1.0), 1e-12, 0.5))
    for _ in range(200):
        odds = ratio * (rate / (1 - rate))
        new = float(np.clip(scale * (odds / (1 + odds)).sum() / max(all_pairs, 1.0), 1e-12, 0.5))
        if abs(new - rate) <= 1e-4 * rate:
            return new
        rate = new
    return rate


def _colleague_u(model: EntityModel, levels: np.ndarray) -> list[np.ndarray | None]:
    """u among colleagues, from pairs of one employer whose names clearly differ (two people,
    whatever else they share). Names themselves do not depend on the employer: the name
    comparison keeps u from random pairs."""
    kinds = [c.kind for c in model.comparisons]
    if NAME_KIND not in kinds:
        return [None] * len(kinds)
    name = levels[:, kinds.index(NAME_KIND)]
    apart = levels[name > DIFFERENT_NAMES_FROM]
    if len(apart) < MIN_COLLEAGUE_PAIRS:
        return [None] * len(kinds)
    u = estimate_u(model, apart)
    return [u[k] if kind in WORKPLACE_KINDS else None for k, kind in enumerate(kinds)]


def _non_match(
    model: EntityModel, coded: Coded, left: np.ndarray, levels: np.ndarray
) -> np.ndarray:
    return 1 - probability(model, weights(model, coded, left, levels))


def _seen(levels: np.ndarray, k: int, n_levels: int) -> np.ndarray:
    column = levels[:, k]
    return np.bincount(column[column >= 0].astype(np.int64), minlength=n_levels)[:n_levels] > 0


def _session(
    levels: np.ndarray,
    m: list[np.ndarray],
    u: list[np.ndarray],
    free: np.ndarray,
    anchors: np.ndarray,
    u_within: list[np.ndarray | None],
    within: int,
    least_share: float = 0.0,
    local_u: np.ndarray | None = None,
) -> tuple[list[np.ndarray], np.ndarray] | None:
    """EM over one session's pairs; returns m and which comparisons it learnt (None when no
    match class is found). When a free comparison's m does not describe matches, EM runs again
    with that one set aside, so one misleading comparison does not bend the others;
    a comparison alone (any share of matches fits it) gets "different" anchored at its prior.
    A share of matches below ``least_share`` (``key_share``) is raised to it and m refitted:
    EM took some matches for strangers (an inventor who changed employer and town)."""

    def run(
        train: np.ndarray, anchor: np.ndarray | None
    ) -> tuple[list[np.ndarray], np.ndarray] | None:
        shown = levels.copy()
        shown[:, free & ~train] = MISSING  # set aside: no evidence either way
        trained, share, matches = em(
            shown, m, u, train, u_within=u_within, within=within, anchor=anchor, local_u=local_u
        )
        held = share < least_share
        if held:
            trained, share, matches = em(
                shown, m, u, train, u_within=u_within, within=within, anchor=anchor,
                held_share=least_share, local_u=local_u,
            )  # fmt: skip
        if matches < 5 or share < 1e-5:
            return None
        good = np.zeros(len(m), dtype=bool)
        for k in np.flatnonzero(train).tolist():
            good[k] = plausible(trained[k], u[k], _seen(levels, k, len(m[k])), measured=held)
        return trained, good

    train = free.copy()
    while train.sum() > 1:
        result = run(train, None)
        if result is None:
            return None
        if result[1][train].all():
            return result
        train &= result[1]
    if not train.any():
        train = free.copy()
    return run(train, np.where(train, anchors, np.nan))


def fit_prior(
    model: EntityModel,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    levels: np.ndarray | None = None,
) -> EntityModel:
    """The model's m and u as they are (shipped priors, or fitted to an earlier batch), with
    the prior fitted to these candidate pairs (``levels``: compared already)."""
    n = len(coded)
    if n < 2 or len(left) == 0:
        return model
    sample = rate_sample(model, coded, left, right, levels)
    return replace(model, prior=match_rate(model, coded, sample, n * (n - 1) / 2))


def fit(
    model: EntityModel,
    features: pd.DataFrame,
    coded: Coded,
    left: np.ndarray,
    right: np.ndarray,
    *,
    seed: int = 0,
    cache: dict[str, np.ndarray] | None = None,
    compared: np.ndarray | None = None,
) -> EntityModel:
    """The model with u, m and the prior fitted to these records and candidate pairs
    (``cache``: blocking keys of this very frame, shared with ``candidate_pairs``;
    ``compared``: the candidate pairs' levels, when compared already)."""
    rng = np.random.default_rng(seed)
    cache = {} if cache is None else cache
    n = len(coded)
    if n < 2 or not model.comparisons:
        return replace(model, prior=model.prior or 1e-4)
    rl, rr = distinct_random_pairs(features, rng, RANDOM_PAIRS, cache)
    random_levels = compare(model, coded, rl, rr)
    u = by_parts(model, coded, rl, rr, estimate_u(model, random_levels))
    kinds = [c.kind for c in model.comparisons]
    within = kinds.index(WITHIN_KIND) if WITHIN_KIND in kinds else -1
    cl, cr = colleague_pairs(features, rng, cache=cache) if within >= 0 else (rl[:0], rr[:0])
    u_within = _colleague_u(model, compare(model, coded, cl, cr))
    m = [_prior_m(c) for c in model.comparisons]
    learnt = np.zeros(len(m), dtype=bool)
    homes = np.asarray([c.kind in HOME_KINDS for c in model.comparisons])
    housemates_u = np.asarray([c.kind in HOUSEHOLD_KINDS for c in model.comparisons])
    sessions = 0
    anchors = np.asarray([c.spec.prior_m[-1] for c in model.comparisons], dtype=float)
    # first the rules that leave two or more comparisons free (or one beside learnt ones),
    # then, for what is still unlearnt, the rules that leave it alone free: pairs that agree
    # on everything else are mostly matches and namesakes, and u of the namesakes is known
    for alone in (False, True):
        for rule in model.blocking:
            touched = _touched(rule, model)
            free = ~touched & ~learnt
            housemates = housemates_u if (touched & homes).any() else np.zeros_like(free)
            if sessions >= MAX_SESSIONS or learnt.all():
                break
            if not free.any() or (not alone and free.sum() < 2 and not (learnt & ~touched).any()):
                continue
            codes = rule_codes(features, rule.columns, cache)
            pl, pr, pairs = _sampled_pairs(codes, model.max_block, rng, SESSION_PAIRS)
            if len(pl) < MIN_SESSION_PAIRS:
                continue
            levels = compare(model, coded, pl, pr)
            levels[:, touched] = MISSING  # agreeing by construction: no evidence here
            chance = chance_agreement(features, rule.columns, cache, rl, rr)
            least = key_share(chance, int((codes >= 0).sum()), pairs)
            result = _session(
                levels, m, u, free, anchors, u_within, within, least, housemates & free
            )
            if result is None:
                continue  # EM found no match class in these pairs
            sessions += 1
            for k in np.flatnonzero(result[1]):
                m[k] = result[0][k]
                learnt[k] = True
    if not learnt.all() and len(left) >= MIN_SESSION_PAIRS and len(m) >= 2:
        # what no rule could teach alone: one EM over all candidate pairs, the rest held
        chosen = None
        if len(left) > SESSION_PAIRS:
            chosen = rng.choice(len(left), SESSION_PAIRS, replace=False)
        if compared is not None:
            levels = compared if chosen is None else compared[chosen]
        else:
            pick = (left, right) if chosen is None else (left[chosen], right[chosen])
            levels = compare(model, coded, *pick)
        free = ~learnt
        result = _session(levels, m, u, free, anchors, u_within, within)
        if result is not None:
            sessions += 1
            for k in np.flatnonzero(result[1]):
                m[k] = result[0][k]
                learnt[k] = True
    m = _with_job_changes(model, m)
    fitted = _with(model, _monotone_all(m, u, u_within), u, u_within)
    all_pairs = n * (n - 1) / 2
    sample = rate_sample(fitted, coded, left, right, compared)
    fitted = replace(fitted, prior=match_rate(fitted, coded, sample, all_pairs))
    # u once more, random pairs counted by their chance of being non-matches
    u = estimate_u(fitted, random_levels, _non_match(fitted, coded, rl, random_levels))
    u = by_parts(model, coded, rl, rr, u)
    fitted = _with(fitted, _monotone_all(m, u, u_within), u, u_within)
    fitted = replace(fitted, prior=match_rate(fitted, coded, sample, all_pairs))
    return replace(
        fitted,
        trained_on={
            "records": int(n),
            "candidate_pairs": len(left),
            "random_pairs": len(rl),
            "colleague_pairs": len(cl),
            "em_sessions": sessions,
            "m_learnt": [c.kind for c, k in zip(model.comparisons, learnt, strict=True) if k],
        },
    )


__all__ = ["MISSING", "WEIGHT_BITS", "fit"]
