"""Each guide of docs/guides/, followed literally in a copy of the repository, works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from docs.tools.generated import REPO
from tests.docs.walkthrough import copy_repository, follow, steps

GUIDES = REPO / "docs" / "guides"
pytestmark = pytest.mark.slow  # each copies the repository and runs commands in subprocesses


def test_every_guide_has_steps_and_a_command() -> None:
    for guide in sorted(GUIDES.glob("*.md")):
        taken = steps(guide)
        assert any("file" in s.options for s in taken), guide.name
        assert any("run" in s.options for s in taken), guide.name


def test_add_a_source(tmp_path: Path) -> None:
    root = copy_repository(tmp_path / "repo")
    outputs = follow(GUIDES / "add-a-source.md", root)
    assert "passed" in outputs[0] and "failed" not in outputs[0]
    with sqlite3.connect(root / "vcards.db") as db:
        (kind,) = db.execute("SELECT kind FROM sources").fetchone()
        outcomes = dict(db.execute("SELECT outcome, outcome_reason FROM raw_records").fetchall())
        person = db.execute("SELECT first_name, last_name FROM people").fetchall()
    assert kind == "vcard"
    assert outcomes == {"loaded_new": None, "quarantined": "row.unfinished_card"}
    assert person == [("Grace", "Hopper")]
