"""``leadflow report sources``: which source is worth its price, per source and import run."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer

from flows.commands.common import DbOption, command_store, console

if TYPE_CHECKING:
    from ingest.store.reports import RunQuality

commands = typer.Typer()
report_app = typer.Typer(help="Reports on sources and imports.", no_args_is_help=True)
commands.add_typer(report_app, name="report")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _money(value: Decimal | None, currency: str | None) -> str:
    return "–" if value is None else f"{value} {currency or ''}".strip()


def run_as_dict(run: RunQuality) -> dict[str, object]:
    """Plain data of one run's figures (what ``--json`` writes)."""
    return {
        "run_id": run.run_id,
        "source": run.source_name,
        "kind": run.source_kind,
        "started_at": run.started_at.isoformat(),
        "rows_in": run.rows_in,
        "loaded_new": run.loaded_new,
        "merged": run.merged,
        "suppressed": run.suppressed,
        "quarantined": run.quarantined,
        "invalid_email_rate": run.rate(run.invalid_email_rows),
        "invalid_phone_rate": run.rate(run.invalid_phone_rows),
        "duplicate_rate_within_file": run.rate(run.duplicates_within_file),
        "duplicate_rate_against_store": run.rate(run.duplicates_against_store),
        "consent_coverage": {c: run.rate(n) for c, n in run.consent_opt_in.items()},
        "cost": None if run.cost is None else str(run.cost),
        "currency": run.currency,
        "cost_per_new_lead": None if run.cost_per_new_lead is None else str(run.cost_per_new_lead),
    }


@report_app.command("sources")
def sources_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON instead of tables.")] = False,
    db: DbOption = None,
) -> None:
    """Rows, invalid rates, duplicates, consent coverage, net-new people and cost per new lead."""
    from rich.table import Table

    from ingest.records import Channel
    from ingest.store.reports import by_source, run_quality

    with command_store(db) as engine:
        runs = run_quality(engine)
    if as_json:
        typer.echo(json.dumps([run_as_dict(r) for r in runs], indent=2))
        return
    if not runs:
        console.print("no finished import runs in this store yet")
        return
    for source in by_source(runs):
        table = Table(title=f"{source.source_name}: cost per net-new lead "
                      f"{_money(source.cost_per_new_lead, source.runs[0].currency)}",
                      title_justify="left")  # fmt: skip
        for header in (
            "run",
            "rows",
            "bad email",
            "bad phone",
            "dup in file",
            "dup vs store",
            *(f"opt-in {c.value}" for c in Channel),
            "net new",
            "cost/new",
        ):
            table.add_column(header, justify="right")  # fmt: skip
        for run in source.runs:
            table.add_row(
                str(run.run_id), str(run.rows_in),
                _pct(run.invalid_email_rows, run.rows_in),
                _pct(run.invalid_phone_rows, run.rows_in),
                _pct(run.duplicates_within_file, run.rows_in),
                _pct(run.duplicates_against_store, run.rows_in),
                *(_pct(run.consent_opt_in.get(c.value, 0), run.rows_in) for c in Channel),
                str(run.loaded_new), _money(run.cost_per_new_lead, run.currency),
            )  # fmt: skip
        console.print(table)
