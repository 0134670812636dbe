"""Checks a column mapping must pass before rows are loaded with it.

- It must feed at least one name or contact field (``IDENTITY_FIELDS``): a file whose header
  was not found (a title row above it, a foreign language) would otherwise quarantine every row.
- No column the mapping keeps as an unexplained custom field may look like consent: a name such
  as "Email Opt Out", "Einwilligung", "Permission", or yes/no values under a channel word
  ("Marketing Email: yes"). Guessing what such a column means is a compliance risk either way,
  so a real import stops until the profile maps it (to a consent field or to ``custom``).
"""

from __future__ import annotations

import re

import pandas as pd

from ingest.errors import MappingCheckError
from ingest.mapping import ColumnMapping, normalize_header
from ingest.normalize.text import parse_consent

CONSENT_NAME = re.compile(
    r"opt(?:ed)?(?:in|out)|unsub|consent|einwillig|permission|newsletter|donot|dnc|bounce"
    r"|suppress|blacklist|blocklist|gdpr|dsgvo|rgpd|subscri|zustimm|toestemming|consentement"
    r"|consentimiento|abmeld|widerspruch|robinson|werbung|marketingemail|optin|optout"
)
"""Header words (after ``normalize_header``) that say a column is about consent."""

CHANNEL_WORD = re.compile(r"mail|phone|call|sms|text|post|contact|marketing|telefon|anruf|werb")
"""Header words naming a channel: with yes/no values such a column is a consent answer."""

SAMPLE_ROWS = 500


def consent_like_columns(mapping: ColumnMapping, rows: pd.DataFrame) -> list[str]:
    """Headers kept as unexplained custom fields whose name or yes/no values look like consent."""
    found = []
    for choice in mapping.columns:
        if choice.field is not None or choice.method != "custom":
            continue
        key = normalize_header(choice.header)
        named = CONSENT_NAME.search(key) is not None
        if named or (CHANNEL_WORD.search(key) and _yes_no(rows, choice.header)):
            found.append(choice.header)
    return found


def _yes_no(rows: pd.DataFrame, header: str) -> bool:
    if header not in rows.columns:
        return False
    values = [v for v in rows[header].head(SAMPLE_ROWS).tolist() if isinstance(v, str) and v]
    return bool(values) and all(parse_consent(v) is not None for v in values)


def check_mapping(mapping: ColumnMapping, rows: pd.DataFrame, *, strict: bool = True) -> None:
    """Raise MappingCheckError when the mapping is unusable (see the module doc).

    ``strict`` False (a dry run) lets consent-like columns pass, so the preview can show them.
    """
    if not mapping.identity_fields:
        raise MappingCheckError(
            "no column maps to a name or contact field, so every row would be quarantined",
            hint="Check that the header row was found, or map the columns in a source profile "
            "(columns: {'<header>': first_name, ...})",
            table=mapping.describe(),
        )
    risky = consent_like_columns(mapping, rows) if strict else []
    if risky:
        raise MappingCheckError(
            "columns that look like consent or opt-out answers are not recognised",
            headers=risky,
            hint="Say what they are in the source profile's columns (e.g. email_opt_in, "
            "email_opt_out, phone_opt_out, or 'custom' when they are not consent), then import "
            "again; `leadflow import --dry-run` shows the mapping",
            table=mapping.describe(),
        )
