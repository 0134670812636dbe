"""What a normalized row is about: a person, or only a company.

One rule for every stage: the import's validation and load and ``leadflow dedupe`` all decide
company identity here. A row with a person name is a person (at a company, if it names one); a
row with no person name but a company name or a website is a company (a directory
listing, an account or assignee list); a row with neither has no name at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PERSON_NAME_COLUMNS = ("first_name_key", "last_name_key", "first_name", "last_name", "full_name")
COMPANY_COLUMNS = ("company_key", "company_name", "website")
"""A web domain taken from a work email address does not make a row a company: a nameless
row with an email is a person whose name is missing."""


def _present(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Rows with text in any of the columns (each column looked at only for the rows that
    the earlier ones left without)."""
    out = np.zeros(len(frame), dtype=bool)
    for column in columns:
        if column in frame:
            rest = np.flatnonzero(~out)
            values = frame[column].to_numpy(dtype=object)[rest]
            out[rest] = np.fromiter(
                (isinstance(v, str) and v.strip() != "" for v in values), bool, len(values)
            )
    return out


def has_person_name(frame: pd.DataFrame) -> np.ndarray:
    """Rows naming a person (any part of the name)."""
    return _present(frame, PERSON_NAME_COLUMNS)


def has_company(frame: pd.DataFrame) -> np.ndarray:
    """Rows naming a company (its name or its website)."""
    return _present(frame, COMPANY_COLUMNS)


def company_only(frame: pd.DataFrame) -> np.ndarray:
    """Rows about a company and no person: the company is the entity."""
    return ~has_person_name(frame) & has_company(frame)


def nameless(frame: pd.DataFrame) -> np.ndarray:
    """Rows naming neither a person nor a company."""
    return ~has_person_name(frame) & ~has_company(frame)


def with_company_identity(frame: pd.DataFrame) -> pd.DataFrame:
    """Company-only rows that give a web domain but no company name get one from it: the
    domain as display name, its first label as key ("acme-labs.com" → ``acme labs``), so the
    import stores them as companies the way ``leadflow dedupe`` clusters them."""
    if "company_domain" not in frame:
        return frame
    only = company_only(frame) & ~_present(frame, ("company_key",))
    domains = frame["company_domain"].to_numpy(dtype=object)
    only &= np.fromiter((isinstance(d, str) and d != "" for d in domains), bool, len(domains))
    if not only.any():
        return frame
    out = frame.copy()
    for column in ("company_key", "company_name"):
        if column not in out:
            out[column] = None
        out[column] = out[column].astype(object)
    rows = out.index[only]
    out.loc[rows, "company_key"] = [_domain_key(d) for d in domains[only]]
    names = out.loc[rows, "company_name"].to_numpy(dtype=object)
    out.loc[rows, "company_name"] = [
        n if isinstance(n, str) and n else d for n, d in zip(names, domains[only], strict=True)
    ]
    return out


def _domain_key(domain: str) -> str:
    label = domain.split(".")[0]
    return " ".join("".join(ch if ch.isalnum() else " " for ch in label).split()) or domain
