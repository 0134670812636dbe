"""What every command module shares: the console, the ``--db`` option and error exits."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from rich.console import Console

from ingest.errors import LeadflowError

console = Console()
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: LEADFLOW_DATABASE_URL, else ./leadflow.db)."),
]


def fail(error: LeadflowError) -> NoReturn:
    """Print a program error as one clear line and exit with status 2."""
    console.print(f"[bold red]error:[/] {error}")
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    """This module only shares helpers; it adds no command."""
