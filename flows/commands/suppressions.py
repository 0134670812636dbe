"""``leadflow suppressions import|apply``: suppression lists (unsubscribes, bounces,
do-not-call) stored as salted hashes, and applied to the people already stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import DbOption, PolicyOpt, command_store, console, settings

commands = typer.Typer()
suppressions_app = typer.Typer(help="Suppression lists (unsubscribes, bounces, do-not-call).",
                               no_args_is_help=True)  # fmt: skip
commands.add_typer(suppressions_app, name="suppressions")


@suppressions_app.command("import")
def suppressions_import(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    reason: Annotated[
        str, typer.Option(help="Reason when the file has no reason column.")
    ] = "unsubscribe",
    region: Annotated[
        str | None, typer.Option(help="Default region (ISO2) for phones without +country.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Import a suppression list (value[,kind,reason]); values are stored as salted hashes."""
    from flows import render
    from flows.suppressions import import_suppression_file

    with command_store(db) as engine:
        report = import_suppression_file(
            engine, path, settings=settings(), reason=reason, default_region=region
        )
    console.print(render.suppression_line(report))


@suppressions_app.command("apply")
def suppressions_apply(policy_file: PolicyOpt = None, db: DbOption = None) -> None:
    """Opt out stored people's channels that the suppression list covers (audited)."""
    from flows.suppressions import apply_suppression_list

    with command_store(db) as engine:
        result = apply_suppression_list(engine, settings=settings(), policy=policy_file)
    console.print(
        f"{result.contact_points_checked} contact points checked; {result.people} people hit; "
        f"{result.consents_opted_out} channel(s) opted out"
    )
