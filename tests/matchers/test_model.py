"""EM recovers known m/u, the model round-trips through JSON, steward labels refine it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matchers.model import (
    PERSON_FIELDS,
    MatchModel,
    Stratum,
    field_weights,
    person_evidence,
    probabilities,
    refit,
    train_em,
)

TRUE_M = {
    "name": [0.70, 0.15, 0.10, 0.03, 0.01, 0.01],
    "email": [0.50, 0.10, 0.10, 0.05, 0.05, 0.20],
    "phone": [0.60, 0.10, 0.30],
    "title": [0.90, 0.05, 0.05],
    "street": [0.60, 0.25, 0.10, 0.05],
    "postcode": [0.90, 0.10],
    "city": [0.80, 0.10, 0.10],
}
TRUE_U = {
    "name": [0.01, 0.01, 0.02, 0.30, 0.30, 0.36],
    "email": [0.005, 0.005, 0.01, 0.01, 0.40, 0.57],
    "phone": [0.02, 0.10, 0.88],
    "title": [0.05, 0.05, 0.90],
    "street": [0.002, 0.01, 0.05, 0.938],
    "postcode": [0.02, 0.98],
    "city": [0.02, 0.03, 0.95],
}


def synthetic(n: int, prior: float, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    match = rng.random(n) < prior
    columns = {}
    for spec in PERSON_FIELDS:
        m, u = TRUE_M[spec.name], TRUE_U[spec.name]
        columns[spec.name] = np.where(
            match, rng.choice(len(m), n, p=m), rng.choice(len(u), n, p=u)
        ).astype(np.int8)
    columns["employer"] = np.zeros(n, dtype=np.int8)
    return pd.DataFrame(columns), match


def test_em_recovers_known_m_u_and_prior() -> None:
    levels, _ = synthetic(200_000, prior=0.25)
    fitted = train_em(Stratum(), levels)
    assert fitted.prior == pytest.approx(0.25, abs=0.01)
    for spec in PERSON_FIELDS:
        # the neutral shared-line level carries no evidence and is not estimated
        usable = [i for i in range(len(spec.levels)) if i not in spec.neutral_levels]
        m = np.asarray(TRUE_M[spec.name])[usable]
        u = np.asarray(TRUE_U[spec.name])[usable]
        assert np.asarray(fitted.m[spec.name])[usable] == pytest.approx(m / m.sum(), abs=0.02)
        assert np.asarray(fitted.u[spec.name])[usable] == pytest.approx(u / u.sum(), abs=0.02)


def test_em_probabilities_separate_the_classes() -> None:
    levels, match = synthetic(50_000, prior=0.2, seed=3)
    model = MatchModel()
    model.strata["same_company"] = train_em(Stratum(), levels)
    p = probabilities(field_weights(model, levels))
    assert ((p > 0.5) == match).mean() > 0.95


def test_model_round_trips_through_json() -> None:
    levels, _ = synthetic(20_000, prior=0.3)
    model = MatchModel()
    model.strata["same_company"] = train_em(Stratum(), levels)
    again = MatchModel.from_dict(model.to_dict())
    assert again.to_dict() == model.to_dict()


def test_refit_moves_m_towards_accepted_pairs_and_u_towards_rejected() -> None:
    model = MatchModel()
    labelled = pd.DataFrame(
        {"name": [2] * 50 + [5] * 50, "email": [5] * 100, "phone": [2] * 100,
         "employer": [0] * 100, "title": [0] * 100, "street": [-1] * 100,
         "postcode": [-1] * 100, "city": [-1] * 100}
    )  # fmt: skip
    accepted = np.r_[np.ones(50, bool), np.zeros(50, bool)]
    refined = refit(model, labelled, accepted, strength=50)
    before, after = model.strata["same_company"], refined.strata["same_company"]
    assert after.m["name"][2] > before.m["name"][2]
    assert after.u["name"][5] > before.u["name"][5]
    assert refined.strata["other"].m == model.strata["other"].m  # no labels there


@pytest.mark.parametrize(
    ("name", "email", "phone", "employer", "street", "allowed"),
    [
        (0, -1, -1, 3, -1, True),  # full name agrees
        (3, 4, 1, 1, -1, False),  # same surname, colleague's email, switchboard: company only
        (5, 0, 1, 1, -1, False),  # a shared address with a different name
        (3, 0, -1, 1, -1, True),  # same personal email, same surname
        (4, -1, 0, 3, -1, True),  # same first name and the same personal number
        (5, -1, 0, 3, -1, False),  # a number in common but nothing about the name
        (3, -1, -1, 2, 0, True),  # private records: the surname and the home address
        (3, -1, -1, 0, -1, False),  # the surname and the office: colleagues
        (5, -1, -1, 2, 0, False),  # private records: the address but no name in common
    ],
)
def test_person_evidence_is_required_for_a_link(
    name, email, phone, employer, street, allowed
) -> None:  # type: ignore[no-untyped-def]
    levels = pd.DataFrame(
        {"name": [name], "email": [email], "phone": [phone], "employer": [employer],
         "street": [street], "postcode": [-1], "city": [-1]}
    )  # fmt: skip
    assert bool(person_evidence(levels)[0]) is allowed


def test_a_model_saved_before_the_private_stratum_scores_those_pairs_as_before() -> None:
    data = MatchModel().to_dict()
    del data["strata"]["private"]
    for stratum in data["strata"].values():
        for table in ("m", "u"):
            stratum[table]["home"] = [0.8, 0.1, 0.1]  # a field since removed
    old = MatchModel.from_dict(data)
    assert old.strata["private"].m == old.strata["other"].m
    assert "home" not in old.strata["other"].m
