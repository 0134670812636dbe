"""Rebuild ``matchers/default_model.json``, the shipped prior, from fits to outside data.

    .venv/bin/python benchmarks/default_model.py

The shipped parameters are only a prior: for files too small to fit (``matchers.priors``), for
one-comparison files (a list of names only) and for the import until a model is fitted and
activated (``leadflow model fit`` / ``activate``). Each comparison takes its m and u from the
first set below whose fitted model has it (people: the dupehell CRM generator, then FEBRL's
person-address records, then RLdata10000 for birth dates; companies: the Chicago listings);
a comparison no set has keeps the library's prior m with a flat u. Title, employer, work email,
phone and town change over a career, which none of these sets shows (their duplicates never
change jobs or move): m of their "different" level is kept at least at the library's prior
(``CAREER``), or the shipped prior would call every job change a new person. Likewise an
agreement level that no duplicate of the source set reached keeps the library's prior m
(``_shipped``). Fitting uses the same ``leadflow dedupe`` defaults as the benchmarks; the data
files stay outside the repository.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import labelled

from flows.dedupe import dedupe_file
from matchers.configure import COMPANY_COMPARISONS, PERSON_COMPARISONS
from matchers.estimate import RANDOM_PAIRS, monotone
from matchers.settings import ComparisonSettings, EntityModel, MatchModel

SOURCES = {
    "people": ("dupehell-light", "febrl4", "rldata10000"),
    "companies": ("chicago",),
}
CAREER = ("title", "employer", "email", "phone", "city")
"""Comparisons whose values change when a person changes jobs."""
UNSEEN_M = 1e-3
UNSEEN_U = 1.0 / RANDOM_PAIRS
"""u of a level that fewer than one of the fit's random pairs reached (``estimate_u`` adds
half a pair to each level)."""
OUT = labelled.ROOT / "matchers" / "default_model.json"


def _fitted(name: str, entity: str) -> EntityModel | None:
    try:
        data = labelled.load(name)
    except labelled.Unavailable as missing:
        print(f"{name}: skipped ({missing})")
        return None
    path = Path(tempfile.mkdtemp()) / "input.csv"
    data.write_input(path)
    return dedupe_file(path, data.id_column).result.model.entity(entity)


def _flat(kind: str) -> ComparisonSettings:
    spec = ComparisonSettings.of(kind)
    m = np.asarray(spec.spec.prior_m, dtype=float)
    u = np.full(len(m), 0.02 / max(len(m) - 1, 1))
    u[-1] = 0.98
    return spec.with_parameters(m / m.sum(), u / u.sum())


def _shipped(found: ComparisonSettings, *, career: bool) -> ComparisonSettings:
    """A fitted comparison as a prior: an agreement level no match of the source set reached
    (m under ``UNSEEN_M``: nothing was learnt about it) takes the library's prior m; for a
    ``career`` comparison, m of "different" is at least the library's prior; then m is
    renormalized and made monotone against u alone (the shipped model has no colleagues' u)."""
    m = np.asarray([level.m for level in found.levels], dtype=float)
    u = np.asarray([level.u for level in found.levels], dtype=float)
    prior = np.asarray(found.spec.prior_m, dtype=float)
    unseen = np.r_[m[:-1] < UNSEEN_M, False]
    m[unseen] = prior[unseen]
    if career and m[-1] < prior[-1]:
        m[-1] = prior[-1]
        m[:-1] *= (1 - prior[-1]) / m[:-1].sum()
    return found.with_parameters(monotone(m / m.sum(), u), u)


def _with_unseen_weights(having: list[ComparisonSettings]) -> ComparisonSettings:
    """The first set's fit, where a level no random pair of that set reached (u at the
    smoothing floor: dupehell's names are never missing, so "surname, first name missing"
    would weigh +11 bits) takes its weight from the next set whose random pairs did reach it:
    u = m / 2**weight there, then u renormalized."""
    first = having[0]
    m = np.asarray([level.m for level in first.levels], dtype=float)
    fitted_u = np.asarray([level.u for level in first.levels], dtype=float)
    u = fitted_u.copy()
    for other in having[1:]:
        other_u = np.asarray([level.u for level in other.levels], dtype=float)
        other_m = np.asarray([level.m for level in other.levels], dtype=float)
        unseen = np.flatnonzero((u <= UNSEEN_U) & (other_u > UNSEEN_U))
        unseen = unseen[unseen > 0]  # the closest level is rare by nature
        u[unseen] = m[unseen] * other_u[unseen] / np.maximum(other_m[unseen], 1e-9)
    if np.array_equal(u, fitted_u):
        return first
    return first.with_parameters(m, u / u.sum())


def build(entity: str, kinds: tuple[str, ...]) -> EntityModel:
    fits = [m for m in (_fitted(name, entity) for name in SOURCES[entity]) if m is not None]
    comparisons = []
    for kind in kinds:
        having = [c for c in (f.comparison(kind) for f in fits) if c is not None]
        found = _with_unseen_weights(having) if having else None
        if found is not None:
            found = _shipped(found, career=kind in CAREER)
        comparisons.append(replace(found, levels=tuple(
            replace(level, u_within=None) for level in found.levels
        )) if found is not None else _flat(kind))  # fmt: skip
    prior = fits[0].prior if fits else 1e-4
    return EntityModel(entity, tuple(comparisons), (), prior=prior,
                       trained_on={"sets": list(SOURCES[entity])})  # fmt: skip


def main() -> None:
    model = MatchModel(build("people", PERSON_COMPARISONS), build("companies", COMPANY_COMPARISONS))
    model.save(OUT)
    print(f"written {OUT}")


if __name__ == "__main__":
    main()
