"""Printing a match model and a dedupe's blocking plan as tables (counts and labels only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from flows.commands.common import console

if TYPE_CHECKING:
    from matchers.dedupe import Dedupe
    from matchers.settings import EntityModel, MatchModel


def model_tables(model: EntityModel) -> list[Table]:
    """The comparisons (levels, m, u, weight) and blocking rules of one entity model."""
    prior = "unfitted" if model.prior is None else f"{model.prior:.3g}"
    levels = Table(
        title=f"{model.entity}: prior {prior}, link ≥ {model.link_threshold}, "
        f"review ≥ {model.review_threshold}"
    )
    for header in ("comparison", "level", "m", "u", "weight (bits)", "tf"):
        levels.add_column(
            header, justify="right" if header in ("m", "u", "weight (bits)") else "left"
        )
    for comparison in model.comparisons:
        weights = comparison.weights()
        for i, level in enumerate(comparison.levels):
            levels.add_row(
                comparison.kind if i == 0 else "",
                level.label,
                "-" if level.m is None else f"{level.m:.4f}",
                "-" if level.u is None else f"{level.u:.6f}",
                f"{weights[i]:+.2f}" if comparison.fitted else "-",
                "yes" if comparison.term_frequency and i in comparison.spec.tf_levels else "",
            )
    rules = Table(title=f"{model.entity}: blocking rules")
    rules.add_column("rule")
    for rule in model.blocking:
        rules.add_row(rule.name)
    return [levels, rules]


def print_model(model: MatchModel) -> None:
    if model.source:
        console.print(f"match model: {model.source}")
    for part in (model.people, model.companies):
        if part is not None:
            for table in model_tables(part):
                console.print(table)


def print_plan(result: Dedupe) -> None:
    """Per entity kind: the blocking plan (rules kept, tightened, dropped, with pair counts)
    and the comparisons used."""
    for run in result.runs.values():
        table = Table(title=f"{run.entity}: {len(run.rows)} records, blocking plan")
        for header in ("rule asked", "rule used", "pairs", "note"):
            table.add_column(header, justify="right" if header == "pairs" else "left")
        for planned in run.plan:
            used = planned.rule.name if planned.rule is not None else "-"
            table.add_row("+".join(planned.asked), used, f"{planned.pairs:,}", planned.note)
        if run.plan:
            console.print(table)
        kinds = ", ".join(c.kind for c in run.model.comparisons)
        pairs = sum(run.stats.pairs.values())
        console.print(
            f"{run.entity}: comparisons {kinds}; {pairs:,} candidate pairs; "
            f"prior {run.model.prior:.3g}"
        )
