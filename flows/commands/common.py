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


PrefectOption = Annotated[
    bool | None,
    typer.Option(
        help="Run the steps as Prefect tasks (default: only when PREFECT_API_URL is set)."
    ),
]


@contextmanager
def orchestration(prefect: bool | None, what: str, *, force: bool = False) -> Iterator[bool]:
    """Whether ``what`` runs as a Prefect flow (asked with ``--prefect``, forced by a task
    runner, else the settings); when it does, say so and hold a Prefect API for the block (a
    temporary server that dies with the command when none is configured)."""
    from ingest.config import Settings

    use = force or (prefect if prefect is not None else Settings.from_env().use_prefect)
    if not use:
        yield False
        return
    from flows import render
    from flows.prefect_server import prefect_api

    console.print(render.prefect_line(what))
    with prefect_api():
        yield True


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
