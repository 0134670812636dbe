"""The ``leadflow`` command line. Entry points hold no logic: they parse, call and render."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from flows import render
from flows.census_import import import_census
from flows.commands import register_all
from flows.commands.common import DbOption, console, fail
from flows.crawl import crawl_directory
from flows.demo import default_sample_dir, run_demo
from flows.dry_run import dry_run as preview_import
from flows.importing import import_file
from flows.store import open_store, resolve_url
from flows.suppressions import import_suppression_file
from ingest.consent import DUE_DILIGENCE_INCOMPLETE
from ingest.errors import LeadflowError
from ingest.importer import consent_policy_for
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store import migrate
from ingest.store.queries import list_runs, person_detail
from sources import ADAPTERS

app = typer.Typer(help="leadflow: clean, consented, de-duplicated leads in a CRM store.",
                  no_args_is_help=True, pretty_exceptions_enable=False)  # fmt: skip
db_app = typer.Typer(help="Create and migrate the store.", no_args_is_help=True)
show_app = typer.Typer(help="Show records from the store.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(show_app, name="show")
suppressions_app = typer.Typer(help="Suppression lists (unsubscribes, bounces, do-not-call).",
                               no_args_is_help=True)  # fmt: skip
app.add_typer(suppressions_app, name="suppressions")


def _kind(value: str) -> SourceKind:
    try:
        return SourceKind(value.replace("-", "_"))
    except ValueError:
        choices = ", ".join(k.value.replace("_", "-") for k in (*ADAPTERS, SourceKind.CENSUS))
        raise typer.BadParameter(
            f"unknown source kind {value!r}; choose one of: {choices}"
        ) from None


def _estimated_rows(path: Path) -> int | None:
    """Line count of a text file (a cheap upper bound of its rows); None for other files."""
    if path.suffix.lower() not in {".csv", ".tsv", ".txt", ".jsonl"}:
        return None
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
    return max(lines - 1, 1)


@contextmanager
def import_progress(path: Path) -> Iterator[Callable[[int], None]]:
    """A Rich progress bar over the file's bytes, advanced by rows as chunks are loaded."""
    columns = (
        TextColumn("[cyan]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task_id = progress.add_task(path.name, total=_estimated_rows(path), rows=0)

        def advance(rows: int) -> None:
            done = progress.tasks[0].fields["rows"] + rows
            progress.update(task_id, advance=rows, rows=done)

        yield advance


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the store's schema to the newest revision (creates a new SQLite file)."""
    url = resolve_url(db)
    migrate.upgrade(url)
    console.print(f"store at revision [bold]{migrate.current_revision(url)}[/]")


@app.command("sources")
def sources_cmd() -> None:
    """List the source kinds that can be imported."""
    for kind, adapter in ADAPTERS.items():
        summary = (adapter.__doc__ or "").strip().splitlines()[0] if adapter.__doc__ else ""
        console.print(f"[bold]{kind.value.replace('_', '-')}[/]  {summary}")
    console.print("[bold]census[/]  ACS tables by ZIP code into the enrichment figures")


@app.command("import")
def import_cmd(
    kind: Annotated[str, typer.Argument(help="Source kind, e.g. purchased-list.")],
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    profile: Annotated[
        Path | None, typer.Option(help="Source profile (YAML or TOML): mapping and vendor facts.")
    ] = None,
    db: DbOption = None,
    prefect: Annotated[
        bool | None,
        typer.Option(help="Run through the Prefect import flow (default: LEADFLOW_ORCHESTRATOR)."),
    ] = None,
    dask_address: Annotated[
        str | None, typer.Option(help="Run the chunk tasks on this Dask scheduler.")
    ] = None,
    dask_workers: Annotated[
        int, typer.Option(help="Run the chunk tasks on a local Dask cluster of N workers.")
    ] = 0,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Run every stage, print what would change, keep nothing."),
    ] = False,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="With --dry-run: also write the preview as JSON here."),
    ] = None,
) -> None:
    """Import one file: normalize, validate, consent-filter, match and load it.

    ``census`` loads an ACS table into the enrichment figures instead of leads.
    """
    if json_out is not None and not dry_run:
        raise typer.BadParameter("--json goes with --dry-run", param_hint="--json")
    if dry_run and _kind(kind) is not SourceKind.CENSUS:
        _dry_run(kind, path, profile, db, json_out)
        return
    try:
        engine = open_store(resolve_url(db))
        if _kind(kind) is SourceKind.CENSUS:
            if dry_run:
                raise typer.BadParameter("census tables have no dry run", param_hint="--dry-run")
            console.print(render.census_line(import_census(engine, path)))
            return
        loaded = SourceProfile.from_path(profile) if profile else None
        if (
            loaded is not None
            and consent_policy_for(loaded).untrusted_reason == DUE_DILIGENCE_INCOMPLETE
        ):
            console.print(render.due_diligence_warning(loaded.due_diligence_gaps()))
        runner = None
        if dask_address or dask_workers:
            from flows.import_flow import dask_task_runner

            runner = dask_task_runner(dask_address, workers=dask_workers or 2)
        with import_progress(path) as advance:
            report = import_file(
                engine,
                _kind(kind),
                path,
                profile=loaded,
                on_batch=advance,
                orchestrate=True if runner is not None else prefect,
                task_runner=runner,
            )
    except LeadflowError as error:
        fail(error)
        return
    console.print(render.mapping_table(report.mapping))
    console.print(render.report_table(report))
    if not report.already_imported:
        console.print(f"run {report.run_id}; timings (s): {report.timings}")


def _dry_run(
    kind: str, path: Path, profile: Path | None, db: str | None, json_out: Path | None
) -> None:
    """``import --dry-run``: the mapping and the preview; a store that does not exist yet is
    not created (the preview runs against an empty throwaway one)."""
    from flows.store import preview_store

    try:
        loaded = SourceProfile.from_path(profile) if profile else None
        if (
            loaded is not None
            and consent_policy_for(loaded).untrusted_reason == DUE_DILIGENCE_INCOMPLETE
        ):
            console.print(render.due_diligence_warning(loaded.due_diligence_gaps()))
        with preview_store(resolve_url(db)) as (engine, throwaway):
            preview = preview_import(engine, _kind(kind), path, profile=loaded)
    except LeadflowError as error:
        fail(error)
        return
    console.print(render.mapping_table(preview.mapping))
    if throwaway:
        console.print("the store does not exist yet: previewed against an empty store")
    console.print(render.preview_view(preview, path.name))
    if json_out is not None:
        json_out.write_text(
            json.dumps(preview.as_dict(), indent=2, ensure_ascii=False, default=str),
            encoding="utf-8",
        )
        console.print(f"preview written to {json_out}")


@suppressions_app.command("import")
def suppressions_import(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    reason: Annotated[
        str, typer.Option(help="Reason when the file has no reason column.")
    ] = "unsubscribe",
    region: Annotated[
        str | None, typer.Option(help="Default region (ISO2) for phones without +country.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Import a suppression list (value[,kind,reason]); values are stored as salted hashes."""
    try:
        engine = open_store(resolve_url(db))
        report = import_suppression_file(engine, path, reason=reason, default_region=region)
    except LeadflowError as error:
        fail(error)
        return
    console.print(render.suppression_line(report))


@app.command("crawl")
def crawl_cmd(
    profile: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Directory profile.")
    ],
    out: Annotated[Path, typer.Option(help="JSON Lines feed to write.")],
    cache_dir: Annotated[Path | None, typer.Option(help="HTTP cache folder.")] = None,
) -> None:
    """Crawl a business directory into a feed; then `leadflow import directory FEED`."""
    try:
        summary = crawl_directory(profile, out=out, cache_dir=cache_dir)
    except LeadflowError as error:
        fail(error)
        return
    console.print(f"{summary.item_count} listings written to [bold]{summary.feed}[/]")


@app.command("serve")
def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app: web-form intake (POST /forms/{form_id}) and the steward pages."""
    from flows.web.serve import serve

    url = resolve_url(db)
    try:
        open_store(url).dispose()
    except LeadflowError as error:
        fail(error)
        return
    serve(url, host=host, port=port)


@app.command("runs")
def runs_cmd(db: DbOption = None) -> None:
    """List import runs with their counts."""
    try:
        engine = open_store(resolve_url(db))
    except LeadflowError as error:
        fail(error)
        return
    console.print(render.runs_table(list_runs(engine)))


@show_app.command("person")
def show_person(person_id: int, db: DbOption = None) -> None:
    """Print a golden record with contact points, consents, activities and raw rows."""
    try:
        engine = open_store(resolve_url(db))
    except LeadflowError as error:
        fail(error)
        return
    detail = person_detail(engine, person_id)
    if detail is None:
        console.print(f"[red]no person with id {person_id}[/]")
        raise typer.Exit(1)
    console.print(render.person_view(detail))


@app.command("find")
def find_cmd(
    query: Annotated[str, typer.Argument(help="An email address, a phone number or a name.")],
    db: DbOption = None,
) -> None:
    """Find people by email, phone or name; then `leadflow show person ID`."""
    from rich.table import Table

    from ingest.store.search import find_people

    try:
        engine = open_store(resolve_url(db))
    except LeadflowError as error:
        fail(error)
        return
    found = find_people(engine, query)
    if not found:
        console.print("no person found")
        raise typer.Exit(1)
    table = Table(title=f"{len(found)} found (matched on {found[0].matched_on})",
                  title_justify="left")  # fmt: skip
    for column in ("id", "name", "email", "company"):
        table.add_column(column)
    for f in found:
        table.add_row(str(f.person_id), f.name, f.email or "", f.company or "")
    console.print(table)


@app.command("pin")
def pin_cmd(
    person_id: Annotated[int, typer.Argument(help="The person (see `leadflow find`).")],
    field: Annotated[str, typer.Argument(help="first_name, last_name, job_title, ...")],
    value: Annotated[str | None, typer.Argument(help="The value to keep.")] = None,
    unpin: Annotated[bool, typer.Option("--unpin", help="Let imports decide again.")] = False,
    actor: Annotated[str, typer.Option(help="Who decides (kept in the audit log).")] = "cli",
    db: DbOption = None,
) -> None:
    """Choose the surviving value of a person's field; later imports keep it."""
    from sqlalchemy.orm import Session

    from ingest.store.pins import pin_field, unpin_field

    try:
        engine = open_store(resolve_url(db))
        with Session(engine) as session, session.begin():
            if unpin:
                unpin_field(session, person_id, field, actor=actor)
            else:
                pin_field(session, person_id, field, value, actor=actor)
    except LeadflowError as error:
        fail(error)
        return
    console.print(f"person {person_id}: {field} {'unpinned' if unpin else 'pinned'}")


@app.command("demo")
def demo_cmd(
    database: Annotated[Path, typer.Option(help="SQLite file to (re)create.")] = Path(
        "leadflow-demo.db"
    ),
    sample_dir: Annotated[Path | None, typer.Option(help="Folder of sample files.")] = None,
    prefect: Annotated[
        bool | None,
        typer.Option(help="Run through the Prefect import flow (default: LEADFLOW_ORCHESTRATOR)."),
    ] = None,
) -> None:
    """Build a fresh SQLite store and import every file in sample_data/ (via the import flow)."""
    folder = sample_dir or default_sample_dir()
    try:
        result = run_demo(
            database,
            folder,
            on_file=lambda p: console.print(f"importing [cyan]{p.name}[/]"),
            orchestrate=prefect,
        )
    except LeadflowError as error:
        fail(error)
        return
    for suppression in result.suppressions:
        console.print(render.suppression_line(suppression))
    for report in result.reports:
        console.print(render.report_table(report))
    for census in result.census:
        console.print(render.census_line(census))
    console.print(render.totals_line(result.reports))
    console.print(f"database: [bold]{result.database}[/]")
    console.print(f"try: leadflow runs --db sqlite:///{result.database}")


register_all(app)
