"""Whose address a file gives: its people's homes, or their employers' sites.

A lead list of people at companies usually gives the company's address: colleagues share it,
and it is company-level evidence (``comparisons.employer``). Other lists give where the person
lives beside where they work: donors and their employers, tax forms, event sign-ups with a
home address. There an address shared by records of different employers is a household or one
person with two jobs, and it is evidence about the person. The data tells which: among the
addresses that several records give with a company, a company's site holds that company (and
its misspellings), a home holds unlike employers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler

HOME_SHARE = 0.5
"""Addresses are homes when more than this share of the shared ones hold unlike employers."""
MIN_SHARED = 20
"""Fewer shared addresses than this tell nothing: they stay the employers' sites."""
SAMPLE = 5_000
"""Shared addresses looked at, at most (a random sample of them, seeded)."""
UNLIKE = 0.8
"""Two company keys are unlike below this Jaro-Winkler similarity (a misspelling is one)."""


def addresses_are_homes(features: pd.DataFrame) -> bool:
    """Whether most addresses that several records give with a company hold unlike companies
    (``matchers.features`` columns ``street``, ``postal``, ``company``)."""
    street = features["street"].to_numpy(dtype=object)
    company = features["company"].to_numpy(dtype=object)
    given = (street != "") & (company != "")
    if given.sum() < 2 * MIN_SHARED:
        return False
    postal = features["postal"].to_numpy(dtype=object)
    frame = pd.DataFrame(
        {"address": street[given] + "\x1f" + postal[given], "company": company[given]}
    )
    records = frame.groupby("address", sort=False).size()
    shared = records.index[records.to_numpy() >= 2]
    if len(shared) < MIN_SHARED:
        return False
    if len(shared) > SAMPLE:
        shared = shared[np.random.default_rng(0).choice(len(shared), SAMPLE, replace=False)]
    companies = frame[frame["address"].isin(shared)].drop_duplicates()
    held = companies.groupby("address", sort=False)["company"].agg(list)
    mixed = sum(_unlike(values) for values in held)
    return mixed > HOME_SHARE * len(shared)


def _unlike(companies: list[str]) -> bool:
    """Whether two of these company keys are unlike each other (the first ten looked at)."""
    few = companies[:10]
    return any(
        JaroWinkler.normalized_similarity(a, b) < UNLIKE
        for i, a in enumerate(few)
        for b in few[i + 1 :]
    )


def with_homes(features: pd.DataFrame, judged: pd.DataFrame | None = None) -> pd.DataFrame:
    """The features with every record's address taken as its home (``private``) when the
    addresses of ``judged`` (default: the features themselves; the import judges by its
    batch's rows, not the stored people it reads beside them) are homes
    (``addresses_are_homes``); else as they are."""
    if not addresses_are_homes(features if judged is None else judged):
        return features
    out = features.copy()
    out["private"] = "1"
    return out
