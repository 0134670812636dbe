"""Fitting without labels: u from random pairs, m by EM, monotone levels and the prior."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest

from matchers import Dedupe, dedupe_frame
from matchers.blocking import candidate_pairs
from matchers.configure import configure
from matchers.estimate import (
    JOB_CHANGES,
    MAX_KEY_SHARE,
    WEIGHT_BITS,
    _session,
    by_parts,
    chance_agreement,
    em,
    estimate_u,
    fit,
    key_share,
    level_patterns,
    monotone,
    plausible,
    random_pairs,
)
from matchers.features import record_features
from matchers.scoring import compare
from matchers.settings import ComparisonSettings, EntityModel
from tests.matchers.helpers import (
    best_rule_f1,
    coded,
    f1_score,
    features,
    generated_with_truth,
    precision_recall,
    rows,
)

TOLERANCE = 0.01
"""Bits: pooled levels are equal up to the rounding of stored m and u."""


def non_increasing(weights: np.ndarray) -> bool:
    return bool(np.all(np.diff(weights) <= TOLERANCE))


def bits(m: np.ndarray, u: np.ndarray) -> np.ndarray:
    return np.log2(m / u)


@pytest.mark.parametrize("seed", range(5))
def test_monotone_weights_never_rise_from_a_closer_level_to_a_looser_one(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(200):
        n = int(rng.integers(2, 8))
        m, u = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n))
        adjusted = monotone(m, u)
        assert adjusted.sum() == pytest.approx(1.0)
        assert (adjusted > 0).all()
        assert np.all(np.diff(bits(adjusted, u)) <= 1e-9)
        assert monotone(adjusted, u) == pytest.approx(adjusted)  # already monotone: kept


def test_monotone_pools_adjacent_violators_and_keeps_the_rest() -> None:
    u = np.asarray([0.01, 0.01, 0.01, 0.97])
    m = np.asarray([0.5, 0.1, 0.3, 0.1])  # "close" weighs more than the closer level before it
    adjusted = monotone(m, u)
    w = bits(adjusted, u)
    assert w[1] == pytest.approx(w[2])  # the violators now weigh the same
    assert w[0] > w[1] > w[3]
    # the closest level keeps its distance from the pooled ones (a constant shift at most)
    assert w[0] - w[3] == pytest.approx(bits(m, u)[0] - bits(m, u)[3])


def test_monotone_caps_what_one_level_can_weigh() -> None:
    m = np.asarray([0.999999, 1e-6])
    u = np.asarray([1e-9, 1 - 1e-9])
    w = bits(monotone(m, u), u)
    assert w.max() - w.min() <= WEIGHT_BITS[1] - WEIGHT_BITS[0] + 1e-6


def test_an_already_monotone_m_is_unchanged() -> None:
    m = np.asarray([0.7, 0.2, 0.1])
    u = np.asarray([0.01, 0.09, 0.9])
    assert monotone(m, u) == pytest.approx(m)


def tiny_parameters(seed: int) -> Iterator[tuple[ComparisonSettings, np.ndarray, np.ndarray]]:
    """Comparisons with random m and u, many of them tiny (Dirichlet draws of low shape)."""
    rng = np.random.default_rng(seed)
    for _ in range(200):
        comparison = ComparisonSettings.of(str(rng.choice(["person_name", "employer", "email"])))
        n = len(comparison.levels)
        yield comparison, rng.dirichlet(np.full(n, 0.2)), rng.dirichlet(np.full(n, 0.2))


@pytest.mark.parametrize("seed", range(3))
def test_stored_weights_stay_monotone_for_tiny_probabilities(seed: int) -> None:
    for comparison, m, u in tiny_parameters(seed):
        stored = comparison.with_parameters(monotone(m, u), u)
        assert non_increasing(stored.weights())


@pytest.mark.parametrize("seed", range(3))
def test_stored_parameters_keep_the_weights_monotone_gave(seed: int) -> None:
    """Not only the order: a tiny m and u keep their ratio when stored."""
    for comparison, m, u in tiny_parameters(seed):
        u = np.maximum(u, 1e-12) / np.maximum(u, 1e-12).sum()
        adjusted = monotone(m, u)
        stored = comparison.with_parameters(adjusted, u)
        expected = np.clip(bits(adjusted, u), *WEIGHT_BITS)  # renormalizing shifts them
        assert stored.weights() == pytest.approx(expected, abs=TOLERANCE)


def test_weights_of_a_hand_made_model_are_pooled_and_capped() -> None:
    phone = ComparisonSettings.of("phone")
    assert len(phone.levels) == 3
    w = phone.with_parameters(np.asarray([0.5, 0.1, 0.4]), np.asarray([0.01, 0.001, 0.989]))
    raw = bits(np.asarray([0.5, 0.1, 0.4]), np.asarray([0.01, 0.001, 0.989]))
    pooled = w.weights()
    assert pooled[0] == pytest.approx(pooled[1])  # "close" weighed more than "exact"
    assert raw[0] < pooled[0] < raw[1] and pooled[2] == pytest.approx(raw[2])
    certain = phone.with_parameters(np.asarray([1.0, 0.0, 0.0]), np.asarray([0.0, 0.0, 1.0]))
    assert certain.weights().tolist() == [WEIGHT_BITS[1], 0.0, WEIGHT_BITS[0]]  # 0/0: no news


TRUE_M = [np.asarray([0.80, 0.10, 0.05, 0.05]), np.asarray([0.7, 0.2, 0.1]),
          np.asarray([0.9, 0.1])]  # fmt: skip
TRUE_U = [np.asarray([0.01, 0.02, 0.07, 0.90]), np.asarray([0.05, 0.15, 0.80]),
          np.asarray([0.1, 0.9])]  # fmt: skip


def synthetic(n: int, share: float, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Level patterns of ``n`` pairs, a ``share`` of them matches, drawn from TRUE_M/TRUE_U."""
    rng = np.random.default_rng(seed)
    match = rng.random(n) < share
    columns = [
        np.where(match, rng.choice(len(m), n, p=m), rng.choice(len(u), n, p=u))
        for m, u in zip(TRUE_M, TRUE_U, strict=True)
    ]
    return np.stack(columns, axis=1).astype(np.int8), match


def test_em_recovers_known_m_and_the_share_of_matches() -> None:
    levels, match = synthetic(100_000, share=0.25)
    start = [np.linspace(2, 1, len(m)) / np.linspace(2, 1, len(m)).sum() for m in TRUE_M]
    m, share, matches = em(levels, start, TRUE_U, np.ones(len(TRUE_M), dtype=bool))
    assert share == pytest.approx(0.25, abs=0.01)
    assert matches == pytest.approx(match.sum(), rel=0.05)
    for fitted, true in zip(m, TRUE_M, strict=True):
        assert fitted == pytest.approx(true, abs=0.02)


def test_em_holds_the_comparisons_it_is_told_to_hold() -> None:
    levels, _ = synthetic(20_000, share=0.3, seed=2)
    start = [np.full(len(m), 1 / len(m)) for m in TRUE_M]
    free = np.asarray([True, False, True])
    m, _, _ = em(levels, start, TRUE_U, free)
    assert m[1] == pytest.approx(start[1])
    assert m[0] == pytest.approx(TRUE_M[0], abs=0.03)


def households(seed: int = 4) -> np.ndarray:
    """Pairs of one home address: 1,000 of one person (the name exact, or a surname with
    another first name 5 % of the time; the middle initial alike 97 %) and 5,000 of a family
    (one surname and two first names 90 % of the time; a middle initial alike 8 %). Levels:
    name (exact / surname with another first name / different), middle (exact / different)."""
    rng = np.random.default_rng(seed)
    person = np.stack([rng.choice(3, 1000, p=[0.95, 0.05, 0.0]),
                       rng.choice(2, 1000, p=[0.97, 0.03])], axis=1)  # fmt: skip
    family = np.stack([rng.choice(3, 5000, p=[0.0, 0.9, 0.1]),
                       rng.choice(2, 5000, p=[0.08, 0.92])], axis=1)  # fmt: skip
    return np.concatenate([person, family]).astype(np.int8)


def test_em_with_a_local_u_does_not_take_a_household_for_one_person() -> None:
    """Random pairs rarely share a surname, housemates mostly do: with the random pairs' u,
    EM explains the families' shared surname with the match class; fitting the name's u
    among these pairs leaves m of "another first name" at what one person shows."""
    levels = households()
    u = [np.asarray([1e-5, 0.002, 0.998]), np.asarray([0.08, 0.92])]
    start = [np.asarray([0.6, 0.2, 0.2]), np.asarray([0.97, 0.03])]
    free = np.asarray([True, False])
    fooled, _, _ = em(levels, start, u, free)
    local, share, _ = em(levels, start, u, free, local_u=free)
    assert fooled[0][1] > 0.5  # families counted as one person
    assert local[0][1] == pytest.approx(0.05, abs=0.02)
    assert share == pytest.approx(1000 / 6000, abs=0.02)


def test_u_counts_random_pairs_by_their_chance_of_being_non_matches() -> None:
    model = EntityModel("people", (ComparisonSettings.of("postcode"),), ())
    levels = np.asarray([[0], [0], [1], [1], [-1]], dtype=np.int8)
    (u,) = estimate_u(model, levels)
    assert u == pytest.approx([2.5 / 5, 2.5 / 5])  # the missing pair does not count
    (u,) = estimate_u(model, levels, non_match=np.asarray([0.0, 0.0, 1.0, 1.0, 1.0]))
    assert u == pytest.approx([0.5 / 3, 2.5 / 3])  # two likely matches hardly count


def test_random_pairs_are_all_pairs_of_a_small_input_and_distinct_records_otherwise() -> None:
    rng = np.random.default_rng(0)
    left, right = random_pairs(rng, 5, 100)
    assert sorted(zip(left.tolist(), right.tolist(), strict=True)) == [
        (i, j) for i in range(5) for j in range(i + 1, 5)
    ]
    left, right = random_pairs(rng, 10_000, 1000)
    assert 900 < len(left) <= 1000 and not (left == right).any()


@pytest.fixture(scope="module")
def generated() -> tuple[pd.DataFrame, pd.Series]:
    return generated_with_truth(1500, seed=3)


@pytest.fixture(scope="module")
def fitted_run(generated: tuple[pd.DataFrame, pd.Series]) -> tuple[Dedupe, pd.Series]:
    rows, truth = generated
    return dedupe_frame(rows), truth


def test_every_fitted_comparison_weighs_closer_levels_at_least_as_much(fitted_run) -> None:
    result, _ = fitted_run
    bad = {}
    for part in (result.model.people, result.model.companies):
        for comparison in part.comparisons if part is not None else ():
            tables = [comparison.weights()]
            if getattr(comparison, "has_within", False):
                tables.append(comparison.weights(within=True))
            for table in tables:
                if not non_increasing(table):
                    bad[comparison.kind] = np.round(table, 2).tolist()
    assert not bad


def test_fitting_learns_what_agreement_is_worth_and_the_prior(fitted_run) -> None:
    result, truth = fitted_run
    people = result.model.people
    assert people is not None and people.fitted
    name = people.comparison("person_name")
    assert name is not None
    weights = dict(zip([level.label for level in name.levels], name.weights(), strict=True))
    assert weights["exact"] > 5 > 0 > weights["different"]
    assert weights["exact"] > weights["surname_only"]
    email = people.comparison("email")
    assert email is not None and email.weights()[0] > 5
    # the prior is the chance that two random records match, not two candidates
    sizes = truth.value_counts()
    true_rate = (sizes * (sizes - 1) // 2).sum() / (len(truth) * (len(truth) - 1) / 2)
    assert true_rate / 2 < people.prior < true_rate * 2
    assert people.trained_on["records"] == len(truth)
    assert {"person_name", "email"} <= set(people.trained_on["m_learnt"])


def test_a_fitted_dedupe_beats_every_exact_key_rule(
    fitted_run: tuple[Dedupe, pd.Series], generated: tuple[pd.DataFrame, pd.Series]
) -> None:
    """No threshold tuned to the generator: the fitted model must do better on these records
    than grouping them by the same name and email, the same name, or the same email.
    (Quality on outside data: ``test_outside_data.py``.)"""
    result, truth = fitted_run
    rows = generated[0]
    rules = [("first_name_key", "last_name_key", "email_key"),
             ("first_name_key", "last_name_key"), ("email_key",)]  # fmt: skip
    assert f1_score(*precision_recall(result.clusters, truth)) > best_rule_f1(rows, truth, rules)


def test_a_level_no_pair_reached_does_not_make_a_learnt_m_implausible() -> None:
    # duplicates without a web site never reach "same company and site": m 0 there is right
    m = np.asarray([0.0, 0.9, 0.1 * 1e-3, 0.1 - 1e-4])
    u = np.asarray([1e-6, 0.002, 0.001, 0.997])
    assert plausible(m, u, np.asarray([False, True, True, True]))
    assert not plausible(m, u)  # judged on the closest level, which nobody reached


def test_one_misleading_comparison_does_not_bend_what_the_others_learn() -> None:
    rng = np.random.default_rng(0)
    matches, others = 1_000, 5_000
    match = np.r_[np.ones(matches, bool), np.zeros(others, bool)]

    def informative(agree_match: float, agree_other: float) -> np.ndarray:
        p = np.where(match, agree_match, agree_other)
        return np.where(rng.random(len(match)) < p, 0, 1)

    a = informative(0.9, 0.01)
    b = informative(0.85, 0.02)
    misleading = informative(0.0, 0.5)  # shared by half the non-matches, by no match
    levels = np.stack([a, b, misleading], axis=1)
    u = [np.asarray([0.01, 0.99]), np.asarray([0.02, 0.98]), np.asarray([0.3, 0.7])]
    prior_m = [np.asarray([0.8, 0.2]), np.asarray([0.8, 0.2]), np.asarray([0.8, 0.2])]
    anchors = np.asarray([0.3, 0.3, 0.3])
    free = np.ones(3, dtype=bool)
    result = _session(levels, prior_m, u, free, anchors, [None] * 3, -1)
    assert result is not None
    learnt_m, learnt = result
    assert learnt.tolist() == [True, True, False]
    # what the two informative comparisons learnt is their truth, not the anchor
    assert learnt_m[0][1] == pytest.approx(0.1, abs=0.03)
    assert learnt_m[1][1] == pytest.approx(0.15, abs=0.03)


def test_fitting_from_levels_compared_beforehand_gives_the_same_model(generated) -> None:
    """dedupe and the import compare the candidate pairs once and hand the levels to the fit
    (match rate, last EM session) and to scoring: the fit is the one it makes on its own."""
    rows, _ = generated
    features = record_features(rows).reset_index(drop=True)
    model, _ = configure(features, "people")
    left, right, _ = candidate_pairs(features, model.blocking)
    records = coded(features)
    own = fit(model, features, records, left, right)
    handed = fit(
        model, features, records, left, right, compared=compare(model, records, left, right)
    )
    assert own.fitted and own.prior is not None
    assert handed == own


# --- chance agreement from a name's parts -------------------------------------------------


def test_level_patterns_are_the_distinct_rows_and_their_counts() -> None:
    rng = np.random.default_rng(4)
    levels = rng.integers(-1, 7, size=(5_000, 6)).astype(np.int8)
    levels[:2500] = levels[2500:]  # every row at least twice
    patterns, counts = level_patterns(levels)
    expected, expected_counts = np.unique(levels, axis=0, return_counts=True)
    order = np.lexsort(patterns.T[::-1])
    assert patterns[order].tolist() == expected.tolist()
    assert counts[order].tolist() == expected_counts.tolist()


def test_em_with_the_share_held_learns_m_at_that_share() -> None:
    levels, _ = synthetic(100_000, share=0.25, seed=5)
    start = [np.full(len(m), 1 / len(m)) for m in TRUE_M]
    m, share, _ = em(levels, start, TRUE_U, np.ones(3, dtype=bool), held_share=0.25)
    assert share == 0.25
    for fitted, true in zip(m, TRUE_M, strict=True):
        assert fitted == pytest.approx(true, abs=0.02)


def test_a_measured_m_may_disagree_often_where_an_em_guess_may_not() -> None:
    # inventors change town: "different" in half the matches, and still evidence
    m, u = np.asarray([0.45, 0.55]), np.asarray([0.01, 0.99])
    assert not plausible(m, u)
    assert plausible(m, u, measured=True)
    assert not plausible(np.asarray([0.001, 0.999]), u, measured=True)  # no evidence at all


def test_the_least_share_of_matches_a_key_leaves_to_strangers() -> None:
    # 1,000 records with the key: 499,500 pairs, of which a chance of 1e-5 makes ~5 strangers
    assert key_share(1e-5, 1_000, 100) == pytest.approx(1 - 4.995 / 100)
    assert key_share(1e-2, 1_000, 100) == 0.0  # chance explains every pair
    assert key_share(0.0, 1_000, 100) == MAX_KEY_SHARE
    assert key_share(None, 1_000, 100) == 0.0  # not a name key: EM decides alone


def inventors(mentions: int = 40, strangers: int = 460) -> pd.DataFrame:
    """One inventor on ``mentions`` records (each another patent: another town spelling),
    then strangers named from 20 first names and 200 surnames."""
    rng = np.random.default_rng(8)
    firsts = [f"first{i}" for i in range(20)]
    lasts = [f"last{i}" for i in range(200)]
    records = [{"fn": "ada", "ln": "lovelace", "city": f"town{i}"} for i in range(mentions)]
    records += [
        {"fn": str(rng.choice(firsts)), "ln": str(rng.choice(lasts)), "city": f"place{i}"}
        for i in range(strangers)
    ]
    return features(*records)


def test_chance_agreement_on_a_name_key_is_the_product_of_its_parts() -> None:
    frame = inventors()
    left, right = random_pairs(np.random.default_rng(0), len(frame), 10**6)  # all pairs
    cache: dict[str, np.ndarray] = {}
    fn, ln = (frame[c].to_numpy() for c in ("fn", "ln"))
    first = (fn[left] == fn[right]).mean()
    last = (ln[left] == ln[right]).mean()
    chance = chance_agreement(frame, ("name_sorted",), cache, left, right)
    assert chance == pytest.approx(first * last)
    # the one inventor's 780 pairs make the whole name agree far more often than that
    whole = ((fn[left] == fn[right]) & (ln[left] == ln[right])).mean()
    assert whole > 5 * chance
    assert chance_agreement(frame, ("city",), cache, left, right) is None


def test_u_of_an_exact_name_is_bounded_by_chance_agreement_on_its_parts() -> None:
    """Random pairs of a file where one person has 40 records: 780 of its 124,750 pairs are
    that person, and they would make an exact name look 10x more common among strangers
    than it is."""
    frame = inventors()
    model = EntityModel("people", (ComparisonSettings.of("person_name"),), ())
    records = coded(frame)
    left, right = random_pairs(np.random.default_rng(0), len(frame), 10**6)
    (raw,) = estimate_u(model, compare(model, records, left, right))
    (bounded,) = by_parts(model, records, left, right, [raw])
    fn, ln = (frame[c].to_numpy() for c in ("fn", "ln"))
    chance = (fn[left] == fn[right]).mean() * (ln[left] == ln[right]).mean()
    assert bounded[0] == pytest.approx(chance, rel=0.05)
    assert bounded[0] < raw[0] / 5
    assert bounded.sum() == pytest.approx(1.0)
    assert bounded[1:] / bounded[1:].sum() == pytest.approx(raw[1:] / raw[1:].sum())


FIRST_NAMES = ("noah", "ivy", "ryan", "millie", "logan", "sienna", "arthur", "jessica", "caleb")
SURNAMES = ("watson", "kay", "king", "harris", "nicholson", "davies", "bolton", "carr", "khan")


def test_a_domain_of_ones_own_makes_no_colleagues_weigh_a_birth_date() -> None:
    """Another generator's people: each gives an email at a domain of their own, and their
    duplicates swap or cut the name. The domain makes one person's records "colleagues", whose
    names differ; u among colleagues is kept for what colleagues share at work (a mailbox, a
    switchboard, a title, a town), never for a birth date, which stays weighed against random
    pairs."""
    rng = np.random.default_rng(5)
    records = []
    for i in range(400):
        first, last = str(rng.choice(FIRST_NAMES)), str(rng.choice(SURNAMES))
        born = f"19{rng.integers(40, 99)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        for name in ((first, last), (last, first), (first[:-1], None)):
            records.append(
                {"first_name_key": name[0], "last_name_key": name[1],
                 "email_key": f"p{i}x@site{i}.com", "birth_date": born}
            )  # fmt: skip
    people = dedupe_frame(rows(*records)).model.people
    birth = people.comparison("birth_date") if people is not None else None
    assert birth is not None and not birth.has_within
    assert birth.weights()[0] > 5


def _never_moved(people: int = 300, seed: int = 5) -> tuple[pd.DataFrame, pd.Series]:
    """Each person twice at one employer (work email, birth date), never a job change; one
    person's second record gives no email and the firm's web domain mistyped past a typo."""
    rng = np.random.default_rng(seed)
    records, truth = [], []
    for person in range(people):
        first, last, mailbox = (f"{x}{rng.integers(10**6)}" for x in "flm")
        firm = f"firm{person % 97}-{'abcdefgh'[person % 8]}holdings.com"
        born = f"19{rng.integers(50, 99)}-0{rng.integers(1, 9)}-1{rng.integers(0, 9)}"
        for copy in range(2):
            if person == 1 and copy == 1:  # no email, the web domain mistyped
                contact = {"company_domain": "frm1-bhldngs.co"}
            else:
                contact = {"email_key": f"{mailbox}@{firm}"}
            records.append({"first_name_key": first, "last_name_key": last, "birth_date": born,
                            **contact})  # fmt: skip
            truth.append(person)
    return rows(*records), pd.Series(truth)


def test_another_employer_is_never_proof_of_another_person() -> None:
    """Duplicates that never change employer teach EM that another employer means another
    person; its weight stays about log2(JOB_CHANGES) at least, so the same name and birth
    date at a badly mistyped web domain still link."""
    frame, _ = _never_moved()
    result = dedupe_frame(frame)
    people = result.model.people
    assert people is not None
    employer = people.comparison("employer")
    assert employer is not None
    assert employer.weights()[-1] >= np.log2(JOB_CHANGES) - 2  # about: m is renormalized
    clusters = result.clusters.to_numpy()
    assert clusters[2] == clusters[3]  # firm1-bholdings.com / frm1-bhldngs.co
