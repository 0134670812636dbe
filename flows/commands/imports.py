"""``leadflow sources|import|crawl|demo``: what can be imported, and importing it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.commands.common import DbOption, command_store, console, settings, user_errors
from flows.progress import row_progress

if TYPE_CHECKING:
    from ingest.records import SourceKind

commands = typer.Typer()


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


@commands.command("sources")
def sources_cmd() -> None:
    """List the source kinds that can be imported."""
    from sources import ADAPTERS

    for kind, adapter in ADAPTERS.items():
        summary = (adapter.__doc__ or "").strip().splitlines()[0] if adapter.__doc__ else ""
        console.print(f"[bold]{kind.value.replace('_', '-')}[/]  {summary}")
    console.print("[bold]census[/]  ACS tables by ZIP code into the enrichment figures")


@commands.command("import")
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
    from ingest.consent import DUE_DILIGENCE_INCOMPLETE
    from ingest.importer import consent_policy_for
    from ingest.profiles import SourceProfile
    from ingest.records import SourceKind

    if dry_run and source_kind is not SourceKind.CENSUS:
        _dry_run(source_kind, path, profile, db, json_out)
        return
    with command_store(db) as engine:
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


@commands.command("crawl")
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


@commands.command("demo")
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
