"""``leadflow model show|fit|list|activate|diff|import``: the match model and its stored versions.

The matcher and the store do the work (``flows.match_model`` composes them); this module parses
and prints. Heavy modules are imported inside the commands, so ``--help`` stays quick and never
opens the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from flows.commands.common import DbOption, command_store, console, fail
from ingest.errors import LeadflowError

if TYPE_CHECKING:
    from flows.model_diff import ModelDiff

commands = typer.Typer()
model_app = typer.Typer(
    help="The match model: show, fit, list, activate, diff and import versions.",
    no_args_is_help=True,
)
commands.add_typer(model_app, name="model")


@model_app.command("show")
def show_cmd(
    db: DbOption = None,
    version: Annotated[
        str | None,
        typer.Option("--version", help="A stored version (3 or v3), `active` or `default`."),
    ] = None,
    model_file: Annotated[
        Path | None, typer.Option("--file", help="A model file (JSON) instead of the store.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the model's JSON.")] = False,
) -> None:
    """Print the model in use (the store's active version, else the shipped default)."""
    from flows.commands.model_view import print_model
    from flows.match_model import ModelRef, ModelRefError, load_ref, model_json, parse_ref

    try:
        if version is not None and model_file is not None:
            raise ModelRefError("give --version or --file, not both")
        if model_file is not None:
            ref = ModelRef(str(model_file), path=model_file)
        else:
            ref = parse_ref(version or "active")
            if ref.path is not None:
                raise ModelRefError(f"--version {version!r}: give 3, v3, `active` or `default`")
        if ref.needs_store:
            with command_store(db) as engine:
                model = load_ref(ref, engine)
        else:
            model = load_ref(ref, None)
    except LeadflowError as error:
        fail(error)
    if as_json:
        typer.echo(model_json(model), nl=False)
    else:
        print_model(model)


@model_app.command("fit")
def fit_cmd(
    input_file: Annotated[Path, typer.Argument(help="Lead file (CSV/TSV/XLSX), any headers.")],
    id_column: Annotated[str, typer.Option("--id-column", help="Column with the row ids.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (JSON).")],
    profile: Annotated[
        Path | None, typer.Option(help="Source profile (column mapping, region, delimiter).")
    ] = None,
    db: DbOption = None,
    store: Annotated[
        bool, typer.Option("--store", help="Also save it in the store as a new inactive version.")
    ] = False,
    activate: Annotated[
        bool, typer.Option("--activate", help="Store it and make it the active version.")
    ] = False,
    show_plan: Annotated[
        bool, typer.Option("--plan/--no-plan", help="Print the blocking plan.")
    ] = True,
) -> None:
    """Configure and fit a model on a file's rows; write it, and store it if asked."""
    from flows.commands.model_view import print_plan
    from flows.match_model import fit_file, store_model
    from ingest.profiles import SourceProfile

    try:
        # check the store before the (longer) fit, so a wrong --db fails at once
        if store or activate:
            with command_store(db):
                pass
        loaded = SourceProfile.from_path(profile) if profile else None
        run = fit_file(input_file, id_column, profile=loaded)
        model = run.result.model
        model.save(out)
        version = None
        if store or activate:
            with command_store(db) as engine:
                origin = {"fitted_on": input_file.name}
                version = store_model(engine, model, origin=origin, activate=activate)
    except LeadflowError as error:
        fail(error)
    if show_plan:
        print_plan(run.result)
    console.print(f"model written to {out}")
    if version is not None:
        state = "active" if activate else "inactive: `leadflow model activate` uses it"
        console.print(f"stored as version v{version} ({state})")


@model_app.command("list")
def list_cmd(db: DbOption = None) -> None:
    """The stored versions: which is active, and what each was trained on."""
    from flows.match_model import summaries

    try:
        with command_store(db) as engine:
            rows = summaries(engine)
    except LeadflowError as error:
        fail(error)
    if not rows:
        console.print("no stored match model: the shipped default model is in use")
        return
    table = Table(title="Match models")
    for header in ("version", "active", "created", "records", "pairs", "refit from", "origin"):
        table.add_column(header, justify="right" if header in ("pairs", "version") else "left")
    for row in rows:
        records = ", ".join(f"{name} {count:,}" for name, count in row.records.items())
        table.add_row(
            f"v{row.version}",
            "yes" if row.active else "",
            row.created.strftime("%Y-%m-%d %H:%M"),
            records or "-",
            "-" if row.pairs is None else f"{row.pairs:,}",
            row.refit_from,
            row.origin,
        )
    console.print(table)
    if not any(row.active for row in rows):
        console.print("no version is active: the shipped default model is in use")


@model_app.command("activate")
def activate_cmd(
    version: Annotated[str, typer.Argument(help="A stored version (3 or v3), or `default`.")],
    db: DbOption = None,
) -> None:
    """Make a stored version the import's model; `default` goes back to the shipped one."""
    from flows.match_model import activate

    try:
        with command_store(db) as engine:
            activated = activate(engine, version)
    except LeadflowError as error:
        fail(error)
    if activated is None:
        console.print("no version is active: the shipped default model is in use")
    else:
        console.print(f"match model v{activated} is active")


@model_app.command("diff")
def diff_cmd(
    a: Annotated[str, typer.Argument(help="A model file, a version (3 or v3), active, default.")],
    b: Annotated[str, typer.Argument(help="The model to compare with A, named the same way.")],
    db: DbOption = None,
) -> None:
    """What changed from A to B: level weights, prior and thresholds, parts only one has."""
    from flows.match_model import load_ref, parse_ref
    from flows.model_diff import diff_models

    try:
        refs = (parse_ref(a), parse_ref(b))
        if any(ref.needs_store for ref in refs):
            with command_store(db) as engine:
                models = [load_ref(ref, engine) for ref in refs]
        else:
            models = [load_ref(ref, None) for ref in refs]
    except LeadflowError as error:
        fail(error)
    console.print(f"A: {models[0].source or refs[0].label}")
    console.print(f"B: {models[1].source or refs[1].label}")
    _print_diff(diff_models(*models))


def _bits(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def _print_diff(diff: ModelDiff) -> None:
    if diff.empty:
        console.print("no differences")
        return
    if diff.weights:
        table = Table(title="Level weights (bits) that differ")
        for header in ("entity", "comparison", "level", "A", "B", "change"):
            table.add_column(header, justify="right" if header in ("A", "B", "change") else "left")
        for w in diff.weights:
            table.add_row(w.entity, w.comparison, w.level, _bits(w.a), _bits(w.b), _bits(w.change))
        console.print(table)
    if diff.settings:
        table = Table(title="Settings that differ")
        for header in ("entity", "setting", "A", "B"):
            table.add_column(header)
        for s in diff.settings:
            table.add_row(s.entity, s.setting, s.a, s.b)
        console.print(table)
    if diff.only_in:
        table = Table(title="In one model only")
        for header in ("entity", "what", "name", "only in"):
            table.add_column(header)
        for o in diff.only_in:
            table.add_row(o.entity, o.what, o.name, o.side)
        console.print(table)


@model_app.command("import")
def import_cmd(
    model_file: Annotated[Path, typer.Argument(help="A match model file (JSON).")],
    db: DbOption = None,
    activate: Annotated[
        bool, typer.Option("--activate", help="Make it the active version.")
    ] = False,
) -> None:
    """Check a model file and store it as a new version (inactive unless --activate)."""
    from flows.match_model import store_model
    from matchers.settings import MatchModel

    try:
        model = MatchModel.load(model_file)
        with command_store(db) as engine:
            origin = {"imported_from": model_file.name}
            version = store_model(engine, model, origin=origin, activate=activate)
    except LeadflowError as error:
        fail(error)
    state = "active" if activate else "inactive: `leadflow model activate` uses it"
    console.print(f"{model_file.name} stored as version v{version} ({state})")
