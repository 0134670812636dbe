"""A complete purchased-list due-diligence manifest for tests whose lists declare opt-in."""

from __future__ import annotations

from datetime import date
from typing import Any

DILIGENT: dict[str, Any] = {
    "vendor": "Opt-In Data Ltd",
    "compile_date": date(2026, 1, 15),
    "consent_wording": "Yes, the organisations named below may email me offers.",
    "named_organisations": ("Opt-In Data Ltd", "Our Company"),
    "suppression_screened_at": date(2026, 1, 20),
}
"""Vendor, compile date, wording, named organisations and screening date: without all five, a
purchased list's opt-ins grant no email permission in opt-in jurisdictions."""
