"""Why two records were (not) linked: the waterfall of per-comparison weights of one pair."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ingest.errors import LeadflowError
from matchers.attributes import ITEM_SEPARATOR
from matchers.dedupe import Dedupe, EntityRun
from matchers.scoring import prior_weight, score_pairs

SHOWN = {
    "person_name": ("fn", "ln"),
    "email": ("email",),
    "phone": ("phone", "mobile"),
    "employer": ("company", "domain", "postal", "street"),
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
    "work_city": ("city",),
}


class NotComparableError(LeadflowError, ValueError):
    """The two rows are of different kinds (a person and a company-only row)."""


@dataclass(frozen=True, slots=True)
class Explanation:
    """``table`` has one row per comparison (values, level, weight) after the prior row."""

    table: pd.DataFrame
    probability: float
    decision: str


def _run_of(result: Dedupe, label: object) -> tuple[EntityRun, int]:
    for run in result.runs.values():
        where = np.flatnonzero(run.rows == label)
        if len(where):
            return run, int(where[0])
    raise KeyError(label)


def _shown(values: list[str]) -> str:
    present = [v.replace(ITEM_SEPARATOR, "; ") for v in values if v]
    return " / ".join(present) if present else "(none)"


def explain_pair(result: Dedupe, left_label: object, right_label: object) -> Explanation:
    """Score the two rows (input labels) with the model and data of a finished dedupe."""
    run, i = _run_of(result, left_label)
    other, j = _run_of(result, right_label)
    if other is not run:
        raise NotComparableError(
            f"one row is a {run.entity[:-1] if run.entity == 'people' else 'company'} record "
            "and the other is not: people and company-only rows are never the same entity"
        )
    i, j = sorted((i, j))
    scored = score_pairs(run.model, run.coded, np.asarray([i]), np.asarray([j]))
    f = run.features
    rows = [
        {
            "field": "prior",
            "left": "",
            "right": "",
            "level": f"{run.entity} model",
            "weight": prior_weight(run.model),
        }
    ]
    for k, comparison in enumerate(run.model.comparisons):
        level = int(scored.levels[0, k])
        columns = SHOWN.get(comparison.kind, (comparison.kind,))
        rows.append(
            {
                "field": comparison.kind,
                "left": _shown([str(f[c].iat[i]) for c in columns if c in f]),
                "right": _shown([str(f[c].iat[j]) for c in columns if c in f]),
                "level": comparison.levels[level].label if level >= 0 else "not compared",
                "weight": float(scored.weights[0, k]),
            }
        )
    decision = "link" if scored.link[0] else "review" if scored.review[0] else "different"
    together = result.clusters.get(left_label) == result.clusters.get(right_label)
    if together and decision != "link":
        decision += " (same cluster through other links)"
    elif not together and decision == "link":
        d = run.decisions
        candidate = bool(((d.left == i) & (d.right == j)).any())
        decision = (
            "link refused by the chaining guard (sent to review)"
            if candidate
            else "would link, but no blocking rule brought the two together"
        )
    return Explanation(pd.DataFrame(rows), float(scored.probability[0]), decision)
