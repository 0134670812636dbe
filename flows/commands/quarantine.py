"""``leadflow quarantine list|replay``: see what is held and re-run it after a fix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import DbOption, command_store, console, settings

commands = typer.Typer()
quarantine_app = typer.Typer(help="Quarantined rows: list them, replay them after a fix.",
                             no_args_is_help=True)  # fmt: skip
commands.add_typer(quarantine_app, name="quarantine")


@quarantine_app.command("list")
def list_cmd(
    run: Annotated[int | None, typer.Option(help="Only rows of this import run.")] = None,
    reason: Annotated[str | None, typer.Option(help="Only rows with this reason code.")] = None,
    db: DbOption = None,
) -> None:
    """Held rows by reason code, then each row's run, line and codes (no personal data)."""
    from rich.table import Table

    from ingest.reasons import describe
    from ingest.store.quarantine import held_rows, reason_counts

    with command_store(db) as engine:
        counts = reason_counts(engine, run_id=run)
        held = held_rows(engine, run_id=run, reason=reason)
    summary = Table(title="Quarantine by reason")
    for header in ("reason", "rows", "meaning"):
        summary.add_column(header)
    for code, count in counts.items():
        if reason is None or code == reason:
            summary.add_row(code, str(count), describe(code))
    console.print(summary)
    rows = Table(title="Held rows")
    for header in ("raw record", "run", "source", "line", "reasons", "replayable"):
        rows.add_column(header)
    for row in held:
        rows.add_row(str(row.raw_record_id), str(row.run_id), row.source_name,
                     str(row.row_number), ", ".join(row.reason_codes),
                     "yes" if row.replayable else "fix the file")  # fmt: skip
    console.print(rows)


@quarantine_app.command("replay")
def replay_cmd(
    run: Annotated[int, typer.Option(help="The import run whose held rows to replay.")],
    profile: Annotated[
        Path | None, typer.Option(help="Fixed source profile (default: the source's own).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Re-run a run's held rows through every stage; loaded rows leave quarantine once."""
    from flows.quarantine import replay_run
    from ingest.profiles import SourceProfile

    with command_store(db) as engine:
        loaded = SourceProfile.from_path(profile) if profile else None
        report = replay_run(engine, run, settings=settings(), profile=loaded)
    console.print(
        f"replayed {report.replayed} rows of run {report.run_id}: {report.released} released, "
        f"{report.still_held} still held ({report.not_replayable} need the file fixed)"
    )
    if report.import_report is not None and report.import_report.already_imported:
        console.print("this replay was done before with the same profile: nothing changed")
