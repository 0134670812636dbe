"""Compliance commands: ``erase``, ``export-subject`` and ``consent show|reasons|policy``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import (
    DbOption,
    PolicyOpt,
    command_store,
    console,
    settings,
    user_errors,
)

EmailOpt = Annotated[str | None, typer.Option("--email", help="The person's email address.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="The person's phone number.")]
PersonOpt = Annotated[int | None, typer.Option("--person", help="The person's id.")]
RegionOpt = Annotated[
    str | None, typer.Option("--region", help="Region (ISO2) for a phone without +country.")
]
commands = typer.Typer()
consent_app = typer.Typer(help="Consent: current permissions, reasons, the policy.",
                          no_args_is_help=True)  # fmt: skip
commands.add_typer(consent_app, name="consent")


def _one(email: str | None, phone: str | None, person: int | None) -> None:
    if sum(v is not None for v in (email, phone, person)) != 1:
        raise typer.BadParameter("give exactly one of --email, --phone or --person")


@commands.command("erase")
def erase(
    email: EmailOpt = None, phone: PhoneOpt = None, person: PersonOpt = None,
    region: RegionOpt = None,
    scrub: Annotated[list[Path] | None, typer.Option(
        "--scrub", exists=True, dir_okay=False,
        help="A file kept outside the store (crawl feed or log) to remove their lines from.",
    )] = None,
    db: DbOption = None,
) -> None:  # fmt: skip
    """Erase a person everywhere (right to be forgotten); later imports of them are suppressed."""
    _one(email, phone, person)
    from flows.compliance import erase_subject
    from ingest.spool import remove_stale_spools, spool_base

    with command_store(db) as engine:
        report = erase_subject(
            engine, settings=settings(), email=email, phone=phone, person_id=person,
            region=region, files=scrub or [],
        )  # fmt: skip
        # raw rows a killed import left behind
        url = engine.url.render_as_string(hide_password=False)
        remove_stale_spools(spool_base(url, settings().spool_dir))
    console.print(
        f"erased {len(report.people)} person record(s); {report.raw_records} raw record(s) "
        f"tombstoned, {report.form_submissions} form submission(s), "
        f"{report.suppressions_added} suppression hash(es) added, "
        f"{report.file_lines_removed} line(s) removed from files"
    )
    if report.residue:
        console.print(report.residue)


@commands.command("export-subject")
def export_subject_cmd(
    email: EmailOpt = None, phone: PhoneOpt = None, person: PersonOpt = None,
    region: RegionOpt = None,
    out: Annotated[Path | None, typer.Option(help="Write the JSON here (default: stdout).")] = None,
    db: DbOption = None,
) -> None:  # fmt: skip
    """Write everything held about a person (subject access request) as JSON."""
    _one(email, phone, person)
    from flows.compliance import export_subject

    with command_store(db) as engine:
        text = export_subject(
            engine, email=email, phone=phone, person_id=person, region=region, out=out
        )
    if out is None:
        typer.echo(text)
    else:
        console.print(f"written to [bold]{out}[/]")


@consent_app.command("show")
def consent_show(person_id: int, db: DbOption = None) -> None:
    """The current consent of a person per channel (status, basis, expiry, permitted)."""
    from ingest.store.consents import consent_summary

    with command_store(db) as engine:
        states = consent_summary(engine, person_id)
    if not states:
        console.print(f"no consent recorded for person {person_id}")
    for s in states:
        mark = "[green]permitted[/]" if s["permitted"] else "[red]not permitted[/]"
        console.print(
            f"{s['channel']:<6} {s['status']:<8} {mark}  basis={s['lawful_basis']} "
            f"expires={s['expires_at']} reason={s['reason']} jurisdiction={s['jurisdiction']}"
        )


@consent_app.command("reasons")
def consent_reasons(run_id: int, db: DbOption = None) -> None:
    """Count the reason codes of one import run (channels not permitted, suppressed rows)."""
    from flows.compliance import run_consent_reasons

    with command_store(db) as engine:
        counts = run_consent_reasons(engine, run_id)
    for code, count in counts.items():
        console.print(f"{count:>8}  {code}")


@consent_app.command("policy")
def consent_policy(policy_file: PolicyOpt = None) -> None:
    """Print the consent policy in effect (TOML-like JSON)."""
    from flows.compliance import policy

    with user_errors():
        typer.echo(json.dumps(policy(settings(), policy_file).to_dict(), indent=2))
