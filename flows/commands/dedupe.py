"""``leadflow dedupe``: cluster the rows of a lead file without a store; explain one pair."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.commands.common import console, user_errors

if TYPE_CHECKING:  # the command imports the engine only when it runs
    from flows.dedupe import DedupeRun

commands = typer.Typer()


@commands.command("dedupe")
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
    model_file: Annotated[
        Path | None,
        typer.Option(
            "--model",
            help="A saved match model (JSON): its comparisons and blocking rules are used; "
            "its fitted parameters too with --no-fit.",
        ),
    ] = None,
    save_model: Annotated[
        Path | None, typer.Option("--save-model", help="Write the model used (JSON) here.")
    ] = None,
    fit: Annotated[
        bool, typer.Option("--fit/--no-fit", help="Fit m, u and the prior to this file.")
    ] = True,
    show_plan: Annotated[
        bool, typer.Option("--plan/--no-plan", help="Print the model and blocking plan.")
    ] = True,
) -> None:
    """Cluster the file's rows into people (or companies, for company-only rows)."""
    started = time.perf_counter()
    from flows.commands.model_view import print_plan
    from flows.dedupe import dedupe_file, write_clusters, write_reviews
    from flows.startup import after_imports
    from ingest.profiles import SourceProfile
    from matchers import MatchModel

    after_imports()  # no store to open: the imports are done here
    with user_errors():
        loaded = SourceProfile.from_path(profile) if profile else None
        model = MatchModel.load(model_file) if model_file else None
        run = dedupe_file(input_file, id_column, profile=loaded, model=model, fit=fit)
    if show_plan:
        print_plan(run.result)
    for part in run.result.runs.values():
        if not part.model.comparisons:
            console.print(
                f"[yellow]warning:[/] {part.entity}: no column of the file could be compared, "
                "so no rows were linked; give the columns known headers or map them with "
                "--profile"
            )
    if save_model is not None:
        run.result.model.save(save_model)
        console.print(f"model written to {save_model}")
    clusters = write_clusters(run, out, id_column)
    console.print(f"{len(run.ids)} rows → {clusters} clusters written to {out}")
    if review_out is not None:
        pairs = write_reviews(run, review_out, id_column)
        console.print(f"{pairs} pairs to review written to {review_out}")
    if explain is not None:
        _explain(run, *explain)
    console.print(f"done in {time.perf_counter() - started:.1f}s")


def _explain(run: DedupeRun, first: str, second: str) -> None:
    from rich.table import Table

    from flows.dedupe import label_of
    from ingest.records import row_dicts
    from matchers import explain_pair
    from matchers.explain import NotComparableError

    try:
        result = explain_pair(run.result, label_of(run, first), label_of(run, second))
    except KeyError as missing:
        console.print(f"[bold red]error:[/] no row with id {missing}")
        raise typer.Exit(2) from None
    except NotComparableError as error:
        console.print(f"[yellow]{error}[/]")
        return
    table = Table(title=f"{first} vs {second}")
    for header in ("field", first, second, "values", "level", "weight (bits)"):
        table.add_column(header, justify="right" if header.startswith("weight") else "left")
    for row in row_dicts(result.table):
        weight = float(row["weight"])
        colour = "green" if weight > 0.05 else "red" if weight < -0.05 else "white"
        table.add_row(row["field"], row["left"], row["right"],
                      values_state(row["left"], row["right"]), row["level"],
                      f"[{colour}]{weight:+.2f}[/]")  # fmt: skip
    table.add_row("total", "", "", "", "", f"{result.table['weight'].sum():+.2f}")
    console.print(table)
    console.print(f"match probability {result.probability:.4f}: {result.decision}")


def values_state(left: object, right: object) -> str:
    """ "missing" only when a side has no value; "same" or "differ" when both have one."""

    def blank(value: object) -> bool:
        return value is None or (isinstance(value, str) and not value.strip()) or value != value

    if blank(left) or blank(right):
        return "missing"
    return "same" if str(left).strip().casefold() == str(right).strip().casefold() else "differ"
