"""``leadflow schedule`` serves the scheduled flows; ``enrich``, ``inbox`` and ``review-apply``
run one of them once, now."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from flows.commands.common import DbOption, command_store, console, fail, settings
from ingest.errors import LeadflowError

if TYPE_CHECKING:
    from pydantic import SecretStr

commands = typer.Typer()
DaskAddress = Annotated[
    str | None, typer.Option(help="Run the chunk tasks on this Dask scheduler.")
]
DaskWorkers = Annotated[
    int, typer.Option(help="Run the chunk tasks on a local Dask cluster of N workers.")
]


def _store_url(db: str | None) -> SecretStr:
    from pydantic import SecretStr

    from flows.store import resolve_url

    url = resolve_url(db, settings())
    with command_store(url):  # creates or checks the schema before any flow starts
        pass
    return SecretStr(url)


def _runner(address: str | None, workers: int) -> Any:
    if not (address or workers):
        return None
    from flows.import_flow import dask_task_runner

    return dask_task_runner(address, workers=workers or 2)


@commands.command("schedule")
def schedule_cmd(
    inbox: Annotated[Path, typer.Option(help="Watched inbox folder.")] = Path("inbox"),
    check_mx: Annotated[bool, typer.Option(help="Nightly MX check of domains.")] = False,
) -> None:
    """Serve the enrichment, inbox and review-apply flows on their cron schedules."""
    from flows.deployments import serve_deployments

    console.print("serving leadflow-enrich, leadflow-inbox, leadflow-review-apply (Ctrl-C)")
    serve_deployments(inbox=inbox, check_mx=check_mx)


@commands.command("enrich")
def enrich_cmd(
    db: DbOption = None,
    step: Annotated[
        list[str] | None, typer.Option(help="census, company or phone (repeatable).")
    ] = None,
    check_mx: Annotated[
        bool, typer.Option(help="Also check email domains' MX records (network).")
    ] = False,
    dask_address: DaskAddress = None,
    dask_workers: DaskWorkers = 0,
) -> None:
    """Enrich the store's people once, now."""
    from flows.enrichment import enrichment_flow

    try:
        url = _store_url(db)
        runner = _runner(dask_address, dask_workers)
        run = (
            enrichment_flow if runner is None else enrichment_flow.with_options(task_runner=runner)
        )
        result = run(db_url=url, steps=step, check_mx=check_mx)
    except LeadflowError as error:
        fail(error)
        return
    console.print(
        f"{result['people']} people: {result['written']} values written, "
        f"{result['refreshed']} refreshed, {result['kept']} kept (user or source), "
        f"{result['companies_linked']} companies linked"
    )


@commands.command("inbox")
def inbox_cmd(
    folder: Annotated[Path, typer.Argument(file_okay=False, help="The inbox folder.")],
    db: DbOption = None,
    settle_seconds: Annotated[
        float, typer.Option(help="Leave files modified more recently than this.")
    ] = 5.0,
) -> None:
    """Import every file waiting in the inbox's folders once, now."""
    from flows.inbox import inbox_flow

    try:
        items = inbox_flow(str(folder), db_url=_store_url(db), settle_seconds=settle_seconds)
    except LeadflowError as error:
        fail(error)
        return
    for item in items:
        console.print(
            f"{item['folder']}/{item['file']}: [bold]{item['outcome']}[/]"
            + (f" run {item['run_id']}, {item['rows_in']} rows" if item["run_id"] else "")
            + (f" ({item['error']})" if item["error"] else "")
        )
    if not items:
        console.print("inbox: nothing to import")


@commands.command("review-apply")
def review_apply_cmd(
    db: DbOption = None,
    refit: Annotated[bool, typer.Option(help="Refit the match model afterwards.")] = True,
) -> None:
    """Apply steward decisions not yet applied (merge, unmerge), then refit."""
    from flows.review_apply import review_apply_flow

    try:
        result = review_apply_flow(db_url=_store_url(db), refit=refit)
    except LeadflowError as error:
        fail(error)
        return
    console.print(
        f"{result['merged']} merged, {result['unmerged']} unmerged, {result['conflicts']} conflicts"
    )
