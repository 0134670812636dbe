"""What every command module shares: the console, the ``--db`` option and error exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ingest.errors import LeadflowError

console = Console()
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: LEADFLOW_DATABASE_URL, else ./leadflow.db)."),
]


def fail(error: LeadflowError) -> NoReturn:
    """Print a program error as one clear line and exit with status 2."""
    console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn program errors and user errors (bad ``--db``, missing database, unreadable file)
    into one line and exit status 2; anything else keeps its traceback (a bug)."""
    try:
        yield
    except LeadflowError as error:
        fail(error)
    except Exception as error:
        from flows.user_errors import describe

        message = describe(error)
        if message is None:
            raise
        console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """This module only shares helpers; it adds no command."""
