"""The ``leadflow`` command line. Entry points hold no logic: they parse, call and render.

The app reads the settings once per invocation (its callback) and adds the command areas of
``flows.commands``, listed here by name, in the order ``--help`` shows them. :func:`main` is the
``leadflow`` program: it also lets SIGTERM end a command through its cleanup.

Start-up stays fast: this module and the command modules import only Typer and Rich at the top;
each command imports what it needs (pandas, SQLAlchemy, Alembic, Prefect, ...) when it runs, so
``leadflow --help`` and ``leadflow COMMAND --help`` load none of them and never touch the store;
``flows.plain_params`` keeps Typer from loading pydantic for values that need no conversion.
"""

from __future__ import annotations

import typer

from flows.commands import (
    compliance,
    db,
    dedupe,
    export,
    forms,
    imports,
    model,
    quarantine,
    records,
    report,
    review,
    schedule,
    serve,
    suppressions,
)
from flows.commands.common import read_settings
from flows.plain_params import install as plain_params

plain_params()

AREAS = (imports, records, db, suppressions, serve, compliance, dedupe, export, forms, model,
         quarantine, report, review, schedule)  # fmt: skip

app = typer.Typer(help="leadflow: clean, consented, de-duplicated leads in a CRM store.",
                  no_args_is_help=True, pretty_exceptions_enable=False,
                  callback=read_settings)  # fmt: skip
for area in AREAS:
    app.add_typer(area.commands)


def main() -> None:
    """The ``leadflow`` program: ``app`` with the collector tuned for a command's start-up, and
    SIGTERM raising ``SystemExit`` so a killed command runs its cleanup (runs end ``failed``)."""
    from flows.prefect_server import exit_on_sigterm
    from flows.startup import during_start_up

    during_start_up()
    exit_on_sigterm()
    app(prog_name="leadflow")
