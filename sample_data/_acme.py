"""The purchased-list (acme) shape shared by the demo file and the large benchmark files."""

from __future__ import annotations

import numpy as np
import pandas as pd

ACME_HEADERS = [
    "Lead ID",
    "First Name",
    "Last Name",
    "Title",
    "Company",
    "E-mail Address",
    "Phone #",
    "Mobile",
    "Address",
    "City",
    "State",
    "Zip",
    "Country",
    "Website",
    "Industry",
    "Employees",
    "Lead Score",
    "Opt-In Email",
]
_OPT_IN = np.asarray(["Y", "N", "yes", "no", "", "Y", "TRUE", "1", ""], dtype=object)


def acme_frame(
    records: pd.DataFrame,
    rng: np.random.Generator,
    *,
    prefix: str = "AC",
    ids: np.ndarray | None = None,
) -> pd.DataFrame:
    """Map rendered records onto the acme headers (plus nothing else)."""
    n = len(records)
    ids = rng.permutation(n) + 100_000 if ids is None else ids
    zips = records["postcode"].to_numpy(dtype=object).copy()
    us = (records["country_code"] == "US").to_numpy() & (rng.random(n) < 0.06)
    zips[us] = [z.lstrip("0") for z in zips[us]]  # spreadsheet ate the leading zero
    score = rng.integers(1, 101, n).astype(str).astype(object)
    score[rng.random(n) < 0.1] = ""
    hot = rng.random(n) < 0.05
    score[hot] = np.asarray(["Hot", "Warm", "Cold", "A1"], dtype=object)[
        rng.integers(0, 4, hot.sum())
    ]
    return pd.DataFrame(
        {
            "Lead ID": [f"{prefix}-{i:07d}" for i in ids],
            "First Name": records["first"],
            "Last Name": records["last"],
            "Title": records["title"],
            "Company": records["company"],
            "E-mail Address": records["email"],
            "Phone #": records["phone"],
            "Mobile": records["mobile"],
            "Address": records["street"],
            "City": records["city"],
            "State": records["region"],
            "Zip": zips,
            "Country": records["country"],
            "Website": records["website"],
            "Industry": records["industry"],
            "Employees": records["employees"],
            "Lead Score": score,
            "Opt-In Email": _OPT_IN[rng.integers(0, len(_OPT_IN), n)],
        }
    )
