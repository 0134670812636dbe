"""Render the shipped consent policy as a table for docs/consent.md.

    .venv/bin/python docs/tools/policy_table.py          # rewrite the table
    .venv/bin/python docs/tools/policy_table.py --check  # exit 1 if the page is stale

One row per jurisdiction of ``ingest/data/consent_policy.toml`` and a last row for records it
cannot place (``strictest``, computed the way the consent stage computes it).
``tests/docs/test_consent.py`` fails when the page differs from what this script renders.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from docs.tools.generated import REPO, main
from ingest.consent_policy import STRICTEST, ChannelRule, ConsentPolicy, default_policy
from ingest.records import Channel

PAGE = REPO / "docs" / "consent.md"
BLOCK = "consent-defaults"
MAX_LISTED = 8
"""A jurisdiction with more countries than this shows their number."""


def rule_text(rule: ChannelRule) -> str:
    """``opt-in, soft opt-in``, ``implied: purchase 24 months, inquiry 6 months``, ..."""
    text = rule.model.replace("_", "-")
    if rule.model == "implied":
        months = [
            f"{what} {n} months"
            for what, n in (
                ("purchase", rule.implied_purchase_months),
                ("inquiry", rule.implied_inquiry_months),
            )
            if n
        ]
        text = f"implied: {', '.join(months)}"
    if rule.soft_opt_in:
        text += ", soft opt-in"
    if rule.double_opt_in:
        text += ", double opt-in"
    return text


def where(codes: tuple[str, ...]) -> str:
    if len(codes) > MAX_LISTED:
        return f"{len(codes)} countries"
    return ", ".join(codes)


def policy_table(policy: ConsentPolicy | None = None) -> str:
    """The policy's version line and its table, channels in ``Channel`` order."""
    policy = policy or default_policy()
    channels = list(Channel)
    lines = [
        f"Shipped defaults (`ingest/data/consent_policy.toml`, version `{policy.version}`):",
        "",
        "| jurisdiction | law | where | " + " | ".join(c.value for c in channels) + " |",
        "|---|---|---|" + "---|" * len(channels),
    ]
    for key, jurisdiction in policy.jurisdictions.items():
        rules = " | ".join(rule_text(jurisdiction.channels[c]) for c in channels)
        codes = where(jurisdiction.countries + jurisdiction.regions)
        lines.append(f"| `{key}` | {jurisdiction.title} | {codes} | {rules} |")
    rules = " | ".join(rule_text(policy.rule(STRICTEST, c)) for c in channels)
    fallback = [
        text
        for text, setting in (
            ("no country", policy.unknown_jurisdiction),
            ("countries not listed", policy.unlisted_country),
        )
        if setting == STRICTEST
    ]
    codes = ", ".join(fallback) or "unused"
    lines.append(f"| `{STRICTEST}` | the strictest of all, per channel | {codes} | {rules} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(__file__, PAGE, {BLOCK: policy_table}))
