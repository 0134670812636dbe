"""Render the comparison library and the shipped match model as tables for docs/matching.md.

    .venv/bin/python docs/tools/model_tables.py          # rewrite both tables
    .venv/bin/python docs/tools/model_tables.py --check  # exit 1 if the page is stale

Two generated blocks: ``comparison-library`` (each comparison of ``matchers.comparisons.LIBRARY``
with its levels and the feature columns it reads) and ``shipped-model`` (the levels, m, u and
weights of ``matchers/default_model.json``, as the engine loads it). ``tests/docs/test_matching.py``
fails when the page differs from what this script renders; rebuild the model with
``benchmarks/default_model.py``, then run this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from docs.tools.generated import REPO, main
from matchers import default_model
from matchers.comparisons import LIBRARY
from matchers.settings import EntityModel

PAGE = REPO / "docs" / "matching.md"
LIBRARY_BLOCK = "comparison-library"
MODEL_BLOCK = "shipped-model"


def _code(values: tuple[str, ...] | list[str], sep: str = " / ") -> str:
    return sep.join(f"`{value}`" for value in values)


def library_table() -> str:
    """One row per library comparison: its levels (closest first) and the columns it reads."""
    lines = ["| kind | levels | reads | what |", "|---|---|---|---|"]
    for spec in LIBRARY.values():
        lines.append(
            f"| `{spec.kind}` | {_code(spec.levels)} | {_code(spec.columns, ', ')} "
            f"| {spec.description} |"
        )
    return "\n".join(lines) + "\n"


def entity_table(model: EntityModel) -> str:
    """The settings line and the level table of one entity model."""
    sets = ", ".join(model.trained_on.get("sets", ())) or "not recorded"
    head = (
        f"**{model.entity}**: prior {model.prior:.3g}, link at p ≥ {model.link_threshold}, "
        f"review at p ≥ {model.review_threshold}; fitted on {sets}."
    )
    lines = [
        head,
        "",
        "| comparison | level | m | u | weight (bits) | term frequencies |",
        "|---|---|---:|---:|---:|---|",
    ]
    for comparison in model.comparisons:
        weights = comparison.weights()
        for i, level in enumerate(comparison.levels):
            tf = comparison.term_frequency and i in comparison.spec.tf_levels
            lines.append(
                f"| {f'`{comparison.kind}`' if i == 0 else ''} | `{level.label}` "
                f"| {level.m:.5g} | {level.u:.5g} | {weights[i]:+.2f} | {'yes' if tf else ''} |"
            )
    return "\n".join(lines) + "\n"


def model_tables() -> str:
    """Both entity models of the shipped default, people first."""
    model = default_model()
    parts = [entity_table(part) for part in (model.people, model.companies) if part is not None]
    return "\n".join(parts)


BLOCKS = {LIBRARY_BLOCK: library_table, MODEL_BLOCK: model_tables}

if __name__ == "__main__":
    sys.exit(main(__file__, PAGE, BLOCKS))
