"""What a normalized row is about: a person, or only a company.

One rule for every stage: the import's validation and load and ``leadflow dedupe`` all decide
company identity here. A row with a person name is a person (at a company, if it names one); a
row with no person name but a company name or a company web domain is a company (a directory
listing, an account or assignee list); a row with neither has no name at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PERSON_NAME_COLUMNS = ("first_name_key", "last_name_key", "first_name", "last_name", "full_name")
COMPANY_COLUMNS = ("company_key", "company_name", "company_domain", "website")


def _present(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    out = np.zeros(len(frame), dtype=bool)
    for column in columns:
        if column in frame:
            values = frame[column].to_numpy(dtype=object)
            out |= np.fromiter(
                (isinstance(v, str) and v.strip() != "" for v in values), bool, len(values)
            )
    return out


def has_person_name(frame: pd.DataFrame) -> np.ndarray:
    """Rows naming a person (any part of the name)."""
    return _present(frame, PERSON_NAME_COLUMNS)


def has_company(frame: pd.DataFrame) -> np.ndarray:
    """Rows naming a company (its name or its web domain)."""
    return _present(frame, COMPANY_COLUMNS)


def company_only(frame: pd.DataFrame) -> np.ndarray:
    """Rows about a company and no person: the company is the entity."""
    return ~has_person_name(frame) & has_company(frame)


def nameless(frame: pd.DataFrame) -> np.ndarray:
    """Rows naming neither a person nor a company."""
    return ~has_person_name(frame) & ~has_company(frame)
