"""``leadflow db upgrade``: create and migrate the store."""

from __future__ import annotations

import typer

from flows.commands.common import DbOption, console, settings, user_errors

commands = typer.Typer()
db_app = typer.Typer(help="Create and migrate the store.", no_args_is_help=True)
commands.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the store's schema to the newest revision (creates a new SQLite file)."""
    from flows.store import resolve_url
    from ingest.store import migrate

    url = resolve_url(db, settings())
    with user_errors():
        migrate.upgrade(url)
        console.print(f"store at revision [bold]{migrate.current_revision(url)}[/]")
