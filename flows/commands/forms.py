"""``leadflow forms-drain``: import the staged web-form submissions now."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.commands.common import DbOption, command_store, console, settings

commands = typer.Typer()


@commands.command("forms-drain")
def forms_drain_cmd(
    db: DbOption = None,
    settle_seconds: Annotated[
        float, typer.Option(help="Leave submissions younger than this for the next drain.")
    ] = 0.0,
) -> None:
    """Import every staged web-form submission once, through the normal pipeline."""
    from flows.forms_drain import drain_forms

    with command_store(db) as engine:
        batches = drain_forms(engine, settings=settings(), settle_seconds=settle_seconds)
    for batch in batches:
        counts = ", ".join(f"{k}={v}" for k, v in batch.counts.items())
        console.print(f"run {batch.run_id}: {batch.submissions} submissions ({counts})")
    if not batches:
        console.print("forms: nothing staged")
