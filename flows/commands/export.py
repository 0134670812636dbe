"""``leadflow export people|companies``: golden records out, for a CRM import or a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import DbOption, command_store, console

commands = typer.Typer()


@commands.command("export")
def export_cmd(
    entity: Annotated[str, typer.Argument(help="people or companies")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or parquet.")] = "csv",
    profile: Annotated[
        str, typer.Option(help="Column names of: hubspot, salesforce or generic (leadflow's).")
    ] = "generic",
    consent: Annotated[
        str | None, typer.Option(help="Only people permitted on this channel (email, phone, ...).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write golden records with consent per channel, company and source ids."""
    from flows.export import export_records
    from ingest.records import Channel

    try:
        channel = Channel(consent) if consent else None
    except ValueError:
        raise typer.BadParameter(
            f"unknown channel {consent!r}; choose one of: {', '.join(c.value for c in Channel)}",
            param_hint="--consent",
        ) from None
    with command_store(db) as engine:
        count = export_records(engine, entity, out, fmt=fmt, profile=profile, consent=channel)
    console.print(f"{count} {entity} written to [bold]{out}[/]")
