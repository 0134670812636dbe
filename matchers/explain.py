"""Why two records were (not) linked: per-field levels and match weights of one pair."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matchers.comparisons import FIELDS
from matchers.dedupe import Dedupe
from matchers.model import STRATA, stratum_of
from matchers.scoring import score_pairs

SHOWN = {
    "name": ("fn", "ln"),
    "email": ("email",),
    "phone": ("phone", "mobile"),
    "employer": ("company", "domain", "postal", "street"),
    "title": ("title",),
    "street": ("street",),
    "postcode": ("postal",),
    "city": ("city",),
}


class NotComparableError(ValueError):
    """One of the two rows has no person name (company-only rows are matched by keys)."""


@dataclass(frozen=True, slots=True)
class Explanation:
    """``table`` has one row per field (values, level, weight) plus the prior row."""

    table: pd.DataFrame
    probability: float
    decision: str


def explain_pair(result: Dedupe, left_label: object, right_label: object) -> Explanation:
    """Score the two rows (input labels) with the model and data of a finished dedupe."""
    if result.features is None or result.coded is None:
        raise NotComparableError("there are no person rows to compare")
    where = {label: i for i, label in enumerate(result.person_rows)}
    if left_label not in where or right_label not in where:
        raise NotComparableError("company-only rows are matched on company keys, not scored")
    i, j = sorted((where[left_label], where[right_label]))
    scored = score_pairs(result.model, result.coded, np.asarray([i]), np.asarray([j]))
    f = result.features
    rows = [
        {
            "field": "prior",
            "left": "",
            "right": "",
            "level": STRATA[int(stratum_of(scored.levels)[0])],
            "weight": float(scored.weights["prior"].iat[0]),
        }
    ]
    for spec in FIELDS:
        level = int(scored.levels[spec.name].iat[0])
        columns = SHOWN[spec.name]
        rows.append(
            {
                "field": spec.name,
                "left": " / ".join(str(f[c].iat[i]) for c in columns),
                "right": " / ".join(str(f[c].iat[j]) for c in columns),
                "level": spec.levels[level] if level >= 0 else "missing",
                "weight": float(scored.weights[spec.name].iat[0])
                if spec.name in scored.weights
                else 0.0,
            }
        )
    decision = "link" if scored.link[0] else "review" if scored.review[0] else "different"
    together = result.clusters.loc[left_label] == result.clusters.loc[right_label]
    if together and decision != "link":
        decision += " (same cluster through other links)"
    elif not together and decision == "link":
        decision = "link refused by the chaining guard (sent to review)"
    return Explanation(pd.DataFrame(rows), float(scored.probability[0]), decision)
