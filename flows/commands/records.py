"""``leadflow runs|show person|find|pin``: look at what the store holds, pin a field."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.commands.common import DbOption, command_store, console

commands = typer.Typer()
show_app = typer.Typer(help="Show records from the store.", no_args_is_help=True)
commands.add_typer(show_app, name="show")


@commands.command("runs")
def runs_cmd(db: DbOption = None) -> None:
    """List import runs with their counts."""
    from flows import render
    from ingest.store.queries import list_runs

    with command_store(db) as engine:
        runs = list_runs(engine)
    console.print(render.runs_table(runs))


@show_app.command("person")
def show_person(person_id: int, db: DbOption = None) -> None:
    """Print a golden record with contact points, consents, activities and raw rows."""
    from flows import render
    from ingest.store.queries import person_detail

    with command_store(db) as engine:
        detail = person_detail(engine, person_id)
    if detail is None:
        console.print(f"[red]no person with id {person_id}[/]")
        raise typer.Exit(1)
    console.print(render.person_view(detail))


@commands.command("find")
def find_cmd(
    query: Annotated[str, typer.Argument(help="An email address, a phone number or a name.")],
    db: DbOption = None,
) -> None:
    """Find people by email, phone or name; then `leadflow show person ID`."""
    from rich.table import Table

    from ingest.store.search import find_people

    with command_store(db) as engine:
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


@commands.command("pin")
def pin_cmd(
    person_id: Annotated[int, typer.Argument(help="The person (see `leadflow find`).")],
    field: Annotated[str, typer.Argument(help="first_name, last_name, job_title, ...")],
    value: Annotated[str | None, typer.Argument(help="The value to keep.")] = None,
    unpin: Annotated[bool, typer.Option("--unpin", help="Let imports decide again.")] = False,
    actor: Annotated[str, typer.Option(help="Who decides (kept in the audit log).")] = "cli",
    db: DbOption = None,
) -> None:
    """Choose the surviving value of a person's field; later imports keep it."""
    from ingest.store.pins import pin_field, unpin_field

    with command_store(db) as engine:
        if unpin:
            unpin_field(engine, person_id, field, actor=actor)
        else:
            pin_field(engine, person_id, field, value, actor=actor)
    console.print(f"person {person_id}: {field} {'unpinned' if unpin else 'pinned'}")
