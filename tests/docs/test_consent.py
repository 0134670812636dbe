"""docs/consent.md's table of shipped rules is rendered from the policy file."""

from __future__ import annotations

from docs.tools.generated import read_block
from docs.tools.policy_table import BLOCK, PAGE, policy_table
from ingest.consent_policy import ConsentPolicy, default_policy


def test_the_table_is_the_shipped_policy() -> None:
    assert read_block(PAGE, BLOCK) == policy_table(), (
        "docs/consent.md is stale: run .venv/bin/python docs/tools/policy_table.py"
    )


def test_a_new_jurisdiction_gets_a_row_and_may_change_the_strictest() -> None:
    data = default_policy().to_dict()
    data["jurisdictions"]["XX"] = {
        "title": "Double opt-in land",
        "countries": ["XX"],
        "channels": {
            c: {"model": "opt_in", "double_opt_in": True} for c in ("email", "phone", "sms")
        }
        | {"post": {"model": "written"}},
    }
    table = policy_table(ConsentPolicy.from_dict(data))
    assert "| `XX` | Double opt-in land | XX | opt-in, double opt-in |" in table
    assert table.rstrip().endswith("| written |")  # post: the strictest is now written
