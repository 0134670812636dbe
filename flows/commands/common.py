"""What every command module shares: the console, the ``--db`` option, the settings, error exits
and the store a command works on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ingest.errors import LeadflowError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ingest.config import Settings

console = Console()
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: LEADFLOW_DATABASE_URL, else ./leadflow.db)."),
]
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", exists=True, dir_okay=False, help="Consent policy TOML.")
]


_SETTINGS: ContextVar[Settings] = ContextVar("leadflow_settings")


def read_settings() -> None:
    """Read the settings once per invocation, before the command runs (the app's callback);
    the command passes ``settings()`` down to every library call that needs them."""
    from ingest.config import Settings

    _SETTINGS.set(Settings.from_env())


def settings() -> Settings:
    """The settings this invocation read when it started."""
    return _SETTINGS.get()


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
    use = force or (prefect if prefect is not None else settings().use_prefect)
    if not use:
        yield False
        return
    from flows import render
    from flows.prefect_server import prefect_api

    console.print(render.prefect_line(settings().prefect_api_url, what))
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


@contextmanager
def command_store(db: str | None) -> Iterator[Engine]:
    """The store the command works on (``--db``, else the settings), opened inside
    ``user_errors`` and disposed when the block ends."""
    from flows.store import open_store, resolve_url

    with user_errors():
        engine = open_store(resolve_url(db, settings()))
        try:
            yield engine
        finally:
            engine.dispose()
