"""docs/matching.md's comparison and model tables are rendered from the code and the shipped
model, never copied by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from docs.tools.generated import read_block
from docs.tools.model_tables import BLOCKS, PAGE, entity_table
from matchers import default_model


def test_the_tables_match_the_library_and_the_shipped_model() -> None:
    stale = [name for name, render in BLOCKS.items() if read_block(PAGE, name) != render()]
    assert stale == [], "docs/matching.md is stale: run .venv/bin/python docs/tools/model_tables.py"


def test_a_changed_weight_changes_the_table() -> None:
    people = default_model().people
    assert people is not None
    name = people.comparisons[0]
    m = [level.m or 0.0 for level in name.levels]
    u = [level.u or 0.0 for level in name.levels]
    m[0], m[-1] = m[-1], m[0]  # "exact" now as rare among matches as "different" was
    changed = replace(
        people,
        comparisons=(name.with_parameters(np.asarray(m), np.asarray(u)), *people.comparisons[1:]),
    )
    assert entity_table(changed) != entity_table(people)
    assert f"| `{name.kind}` | `{name.levels[0].label}` | {m[0]:.5g} |" in entity_table(changed)
