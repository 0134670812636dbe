"""``leadflow dedupe``: cluster the rows of a lead file without a store; explain one pair."""

from __future__ import annotations

import time
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.commands.common import console, fail
from flows.dedupe import dedupe_file, label_of, write_clusters, write_reviews
from ingest.errors import LeadflowError
from ingest.profiles import SourceProfile
from matchers import default_model, explain_pair
from matchers.explain import NotComparableError


class Household(StrEnum):
    """What ``--households`` does with household-looking pairs."""

    link = "link"
    review = "review"


def dedupe_cmd(
    input_file: Annotated[Path, typer.Argument(help="Lead file (CSV/TSV/XLSX), any headers.")],
    id_column: Annotated[str, typer.Option("--id-column", help="Column with the row ids.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write ID,cluster_id.")],
    review_out: Annotated[
        Path | None, typer.Option("--review-out", help="Where to write uncertain pairs.")
    ] = None,
    explain: Annotated[
        tuple[str, str] | None,
        typer.Option("--explain", help="Print the per-field weights of the pair ID1 ID2."),
    ] = None,
    profile: Annotated[
        Path | None, typer.Option(help="Source profile (column mapping, region, delimiter).")
    ] = None,
    households: Annotated[
        Household,
        typer.Option(
            help="Private records with one surname, one home and clearly different first "
            "names: link them when the model says so, or send them to review (two people "
            "of one household look exactly like a mistyped first name)."
        ),
    ] = Household.link,
) -> None:
    """Cluster the file's rows into people (or companies, for company-only rows)."""
    started = time.perf_counter()
    try:
        loaded = SourceProfile.from_path(profile) if profile else None
        model = replace(default_model(), household_review=households is Household.review)
        run = dedupe_file(input_file, id_column, profile=loaded, model=model)
    except LeadflowError as error:
        fail(error)
    clusters = write_clusters(run, out, id_column)
    console.print(f"{len(run.ids)} rows → {clusters} clusters written to {out}")
    if review_out is not None:
        pairs = write_reviews(run, review_out, id_column)
        console.print(f"{pairs} pairs to review written to {review_out}")
    if explain is not None:
        _explain(run, *explain)
    console.print(f"done in {time.perf_counter() - started:.1f}s")


def _explain(run, first: str, second: str) -> None:  # type: ignore[no-untyped-def]
    try:
        result = explain_pair(run.result, label_of(run, first), label_of(run, second))
    except KeyError as missing:
        console.print(f"[bold red]error:[/] no row with id {missing}")
        raise typer.Exit(2) from None
    except NotComparableError as error:
        console.print(f"[yellow]{error}[/]")
        return
    table = Table(title=f"{first} vs {second}")
    for header in ("field", first, second, "level", "weight (bits)"):
        table.add_column(header, justify="right" if header.startswith("weight") else "left")
    for row in result.table.itertuples(index=False):
        colour = "green" if row.weight > 0.05 else "red" if row.weight < -0.05 else "white"
        table.add_row(row.field, row.left, row.right, row.level, f"[{colour}]{row.weight:+.2f}[/]")
    table.add_row("total", "", "", "", f"{result.table['weight'].sum():+.2f}")
    console.print(table)
    console.print(f"match probability {result.probability:.4f}: {result.decision}")


def register(app: typer.Typer) -> None:
    app.command("dedupe")(dedupe_cmd)
