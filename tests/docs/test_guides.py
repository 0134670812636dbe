"""Each guide of docs/guides/, followed literally in a copy of the repository, works."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from docs.tools.generated import REPO
from tests.docs.walkthrough import copy_repository, follow, steps

GUIDES = REPO / "docs" / "guides"
pytestmark = pytest.mark.slow  # each copies the repository and runs commands in subprocesses
# A command that fails (a test run included) stops ``follow`` with its output.


def test_every_guide_has_steps_and_a_command() -> None:
    for guide in sorted(GUIDES.glob("*.md")):
        taken = steps(guide)
        assert any("file" in s.options for s in taken), guide.name
        assert any("run" in s.options for s in taken), guide.name


def test_add_a_source(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    tested, tried = follow(GUIDES / "add-a-source.md", root)
    assert "passed" in tested
    assert "vcard" in tried and "row.unfinished_card" in tried
    with sqlite3.connect(root / "vcards.db") as db:
        (kind,) = db.execute("SELECT kind FROM sources").fetchone()
        outcomes = dict(db.execute("SELECT outcome, outcome_reason FROM raw_records").fetchall())
        person = db.execute("SELECT first_name, last_name FROM people").fetchall()
    assert kind == "vcard"
    assert outcomes == {"loaded_new": None, "quarantined": "row.unfinished_card"}
    assert person == [("Grace", "Hopper")]


def test_add_a_jurisdiction(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    tested, tried = follow(GUIDES / "add-a-jurisdiction.md", root)
    assert "passed" in tested
    assert "| `AU` | Spam Act 2003" in (root / "docs" / "consent.md").read_text(encoding="utf-8")
    with sqlite3.connect(root / "au.db") as db:
        rows = db.execute("SELECT channel, lawful_basis, evidence FROM consents").fetchall()
    decided = {channel: (basis, json.loads(evidence)) for channel, basis, evidence in rows}
    assert {e["jurisdiction"] for _, e in decided.values()} == {"AU"}
    assert {e["policy_version"] for _, e in decided.values()} == {"2026.2"}
    assert decided["phone"][0] == "legitimate_interest"
    assert decided["email"][0] is None
    assert decided["email"][1]["reason"] == "consent.no_declared_opt_in"
    assert "phone" in tried


def test_add_a_comparison(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    tested, explained = follow(GUIDES / "add-a-comparison.md", root)
    assert "passed" in tested
    table = (root / "docs" / "matching.md").read_text(encoding="utf-8")
    assert "| `postcode_area` | `exact` / `same_area` / `different` | `postal` |" in table
    assert "same_area" in explained and "link" in explained
    clusters = dict(
        line.split(",") for line in (root / "clusters.csv").read_text().splitlines()[1:]
    )
    assert clusters["L1"] == clusters["L2"] != clusters["L3"]
