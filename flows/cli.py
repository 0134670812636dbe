"""The ``leadflow`` command line. Entry points hold no logic: they parse, call and render.

Start-up stays fast: this module and the command modules import only Typer and Rich at the top;
each command imports what it needs (pandas, SQLAlchemy, Alembic, Prefect, ...) when it runs, so
``leadflow --help`` and ``leadflow COMMAND --help`` load none of them and never touch the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.commands import register_all
from flows.commands.common import DbOption, console, read_settings, settings, user_errors
from flows.progress import row_progress

if TYPE_CHECKING:
    from ingest.records import SourceKind

app = typer.Typer(help="leadflow: clean, consented, de-duplicated leads in a CRM store.",
                  no_args_is_help=True, pretty_exceptions_enable=False,
                  callback=read_settings)  # fmt: skip
db_app = typer.Typer(help="Create and migrate the store.", no_args_is_help=True)
show_app = typer.Typer(help="Show records from the store.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(show_app, name="show")
suppressions_app = typer.Typer(help="Suppression lists (unsubscribes, bounces, do-not-call).",
                               no_args_is_help=True)  # fmt: skip
app.add_typer(suppressions_app, name="suppressions")


def _kind(value: str) -> SourceKind:
    from ingest.records import SourceKind
    from sources import ADAPTERS

    try:
        return SourceKind(value.replace("-", "_"))
    except ValueError:
        choices = ", ".join(k.value.replace("_", "-") for k in (*ADAPTERS, SourceKind.CENSUS))
        raise typer.BadParameter(
            f"unknown source kind {value!r}; choose one of: {choices}"
        ) from None


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the store's schema to the newest revision (creates a new SQLite file)."""
    from flows.store import resolve_url
    from ingest.store import migrate

    url = resolve_url(db, settings())
    with user_errors():
        migrate.upgrade(url)
        console.print(f"store at revision [bold]{migrate.current_revision(url)}[/]")


@app.command("sources")
def sources_cmd() -> None:
    """List the source kinds that can be imported."""
    from sources import ADAPTERS

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
        typer.Option(
            help="Run the stages as Prefect tasks (default: only when PREFECT_API_URL is set)."
        ),
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
    source_kind = _kind(kind)

    from flows import render
    from flows.census_import import import_census
    from flows.importing import import_file, orchestrated
    from flows.store import open_store, resolve_url
    from ingest.consent import DUE_DILIGENCE_INCOMPLETE
    from ingest.importer import consent_policy_for
    from ingest.profiles import SourceProfile
    from ingest.records import SourceKind

    if dry_run and source_kind is not SourceKind.CENSUS:
        _dry_run(source_kind, path, profile, db, json_out)
        return
    with user_errors():
        engine = open_store(resolve_url(db, settings()))
        if source_kind is SourceKind.CENSUS:
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
        use_prefect = orchestrated(True if runner is not None else prefect, settings())
        if use_prefect:
            console.print(render.prefect_line(settings().prefect_api_url))
        with row_progress(path.name, path, console=console) as advance:
            report = import_file(
                engine,
                source_kind,
                path,
                settings=settings(),
                profile=loaded,
                on_batch=advance,
                orchestrate=use_prefect,
                task_runner=runner,
            )
    console.print(render.mapping_table(report.mapping))
    console.print(render.report_table(report))
    if not report.already_imported:
        console.print(f"run {report.run_id}; timings (s): {report.timings}")


def _dry_run(
    source_kind: SourceKind, path: Path, profile: Path | None, db: str | None, json_out: Path | None
) -> None:
    """``import --dry-run``: the mapping and the preview; a store that does not exist yet is
    not created (the preview runs against an empty throwaway one)."""
    import json

    from flows import render
    from flows.dry_run import dry_run as preview_import
    from flows.store import preview_store, resolve_url
    from ingest.consent import DUE_DILIGENCE_INCOMPLETE
    from ingest.importer import consent_policy_for
    from ingest.profiles import SourceProfile

    with user_errors():
        loaded = SourceProfile.from_path(profile) if profile else None
        if (
            loaded is not None
            and consent_policy_for(loaded).untrusted_reason == DUE_DILIGENCE_INCOMPLETE
        ):
            console.print(render.due_diligence_warning(loaded.due_diligence_gaps()))
        with preview_store(resolve_url(db, settings())) as (engine, throwaway):
            preview = preview_import(engine, source_kind, path, settings=settings(), profile=loaded)
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
    from flows import render
    from flows.store import open_store, resolve_url
    from flows.suppressions import import_suppression_file

    with user_errors():
        engine = open_store(resolve_url(db, settings()))
        report = import_suppression_file(
            engine, path, settings=settings(), reason=reason, default_region=region
        )
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
    from flows.crawl import crawl_directory

    with user_errors():
        summary = crawl_directory(profile, out=out, cache_dir=cache_dir)
    console.print(f"{summary.item_count} listings written to [bold]{summary.feed}[/]")


@app.command("serve")
def serve_cmd(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app: web-form intake (POST /forms/{form_id}) and the steward pages."""
    from flows.store import open_store, resolve_url
    from flows.web.serve import serve

    url = resolve_url(db, settings())
    with user_errors():
        open_store(url).dispose()
    serve(url, host=host, port=port, settings=settings())


@app.command("runs")
def runs_cmd(db: DbOption = None) -> None:
    """List import runs with their counts."""
    from flows import render
    from flows.store import open_store, resolve_url
    from ingest.store.queries import list_runs

    with user_errors():
        engine = open_store(resolve_url(db, settings()))
    console.print(render.runs_table(list_runs(engine)))


@show_app.command("person")
def show_person(person_id: int, db: DbOption = None) -> None:
    """Print a golden record with contact points, consents, activities and raw rows."""
    from flows import render
    from flows.store import open_store, resolve_url
    from ingest.store.queries import person_detail

    with user_errors():
        engine = open_store(resolve_url(db, settings()))
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

    from flows.store import open_store, resolve_url
    from ingest.store.search import find_people

    with user_errors():
        engine = open_store(resolve_url(db, settings()))
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
    from flows.store import open_store, resolve_url
    from ingest.store.pins import pin_field, unpin_field

    with user_errors():
        engine = open_store(resolve_url(db, settings()))
        try:
            if unpin:
                unpin_field(engine, person_id, field, actor=actor)
            else:
                pin_field(engine, person_id, field, value, actor=actor)
        finally:
            engine.dispose()
    console.print(f"person {person_id}: {field} {'unpinned' if unpin else 'pinned'}")


@app.command("demo")
def demo_cmd(
    database: Annotated[Path, typer.Option(help="SQLite file to (re)create.")] = Path(
        "leadflow-demo.db"
    ),
    sample_dir: Annotated[Path | None, typer.Option(help="Folder of sample files.")] = None,
    prefect: Annotated[
        bool | None,
        typer.Option(
            help="Run the stages as Prefect tasks (default: only when PREFECT_API_URL is set)."
        ),
    ] = None,
) -> None:
    """Build a fresh SQLite store and import every file in sample_data/."""
    from flows import render
    from flows.demo import default_sample_dir, run_demo
    from flows.importing import orchestrated

    folder = sample_dir or default_sample_dir()
    if orchestrated(prefect, settings()):
        console.print(render.prefect_line(settings().prefect_api_url))
    with user_errors():
        result = run_demo(
            database,
            folder,
            settings=settings(),
            on_file=lambda p: console.print(f"importing [cyan]{p.name}[/]"),
            orchestrate=prefect,
        )
    for suppression in result.suppressions:
        console.print(render.suppression_line(suppression))
    for report in result.reports:
        console.print(render.report_table(report))
    for census in result.census:
        console.print(render.census_line(census))
    console.print(render.totals_line(result.reports))
    console.print(f"database: [bold]{result.database}[/]")
    console.print(f"try: {render.leadflow_command()} runs --db sqlite:///{result.database}")


register_all(app)
