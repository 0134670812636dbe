"""Write golden records for a target CRM: its import column names, formula-safe cells.

Profiles rename leadflow's fields to the names the CRM's importer recognises (HubSpot's contact
import, Salesforce's Data Import Wizard); ``generic`` keeps leadflow's names. Cells a
spreadsheet would evaluate (``=``, ``@``, a ``+``/``-`` that is not a plain number) get a
leading apostrophe, as OWASP recommends for CSV injection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from ingest.errors import LeadflowError
from ingest.records import Channel
from ingest.store.export import COMPANY_COLUMNS, PERSON_COLUMNS, company_rows, people_rows

PERSON_PROFILES: dict[str, dict[str, str]] = {
    "hubspot": {
        "first_name": "First Name", "last_name": "Last Name", "email": "Email",
        "phone": "Phone Number", "mobile": "Mobile Phone Number", "job_title": "Job Title",
        "company_name": "Company Name", "website": "Website URL", "street": "Street Address",
        "city": "City", "region": "State/Region", "postal_code": "Postal Code",
        "country": "Country/Region", "linkedin_url": "LinkedIn URL",
    },
    "salesforce": {
        "honorific": "Salutation", "first_name": "First Name", "last_name": "Last Name",
        "job_title": "Title", "company_name": "Company", "email": "Email", "phone": "Phone",
        "mobile": "Mobile", "website": "Website", "street": "Street", "city": "City",
        "region": "State/Province", "postal_code": "Zip/Postal Code", "country": "Country",
        "email_permitted": "Email Opt Out", "phone_permitted": "Do Not Call",
    },
}  # fmt: skip
"""Per CRM: leadflow field -> the CRM's import header (fields not listed are left out)."""
INVERTED = frozenset({"email_permitted", "phone_permitted"})
"""Salesforce asks the opposite question: "Email Opt Out" is true when email is not permitted."""
COMPANY_PROFILES: dict[str, dict[str, str]] = {
    "hubspot": {"name": "Company name", "domain": "Company Domain Name", "phone": "Phone Number",
                "industry": "Industry", "size": "Number of Employees", "street": "Street Address",
                "city": "City", "region": "State/Region", "postal_code": "Postal Code",
                "country": "Country/Region"},
    "salesforce": {"name": "Account Name", "website": "Website", "phone": "Phone",
                   "industry": "Industry", "size": "Employees", "street": "Billing Street",
                   "city": "Billing City", "region": "Billing State/Province",
                   "postal_code": "Billing Zip/Postal Code", "country": "Billing Country"},
}  # fmt: skip
FORMATS = ("csv", "xlsx", "parquet")
_NUMBER = re.compile(r"^[+-][\d\s().-]+$")
_FORMULA_START = ("=", "@", "+", "-", "\t", "\r")


class ExportError(LeadflowError):
    """The export cannot be written as asked (unknown profile or format)."""


def escape_cell(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made literal with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def export_records(
    engine: Engine,
    entity: str,
    out: Path,
    *,
    fmt: str = "csv",
    profile: str = "generic",
    consent: Channel | None = None,
) -> int:
    """Write people or companies to ``out``; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if entity == "people":
        rows: Iterable[dict[str, Any]] = people_rows(engine, consent=consent)
        columns, profiles = PERSON_COLUMNS, PERSON_PROFILES
    elif entity == "companies":
        if consent is not None:
            raise ExportError("--consent applies to people, not companies")
        rows, columns, profiles = company_rows(engine), COMPANY_COLUMNS, COMPANY_PROFILES
    else:
        raise ExportError(f"unknown entity {entity!r}; choose people or companies")
    if profile != "generic" and profile not in profiles:
        raise ExportError(f"unknown profile {profile!r}; choose generic, {', '.join(profiles)}")
    frame = pd.DataFrame(list(rows), columns=list(columns), dtype=object)
    if profile != "generic":
        names = profiles[profile]
        for field in INVERTED & set(names):
            frame[field] = ~frame[field].astype(bool)
        frame = frame[list(names)].rename(columns=names)
    if fmt != "parquet":
        frame = frame.map(escape_cell)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(out, index=False, encoding="utf-8")
    elif fmt == "xlsx":
        frame.to_excel(out, index=False, engine="openpyxl")
    else:
        frame.astype(str).where(frame.notna(), None).to_parquet(out, index=False)
    return len(frame)
