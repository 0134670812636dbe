"""A fixed mapping plus replay loads quarantined rows, and each leaves quarantine exactly once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from flows.importing import import_file
from flows.quarantine import replay_run
from ingest.config import Settings, sqlite_url
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.models import Person, Quarantine
from ingest.store.quarantine import held_count, held_rows

HEADER = "First Name,Last Name,Zuständige Anschrift,Firma\n"
ROWS = [
    "Ada,Lovelace,ada@analytical-engines.co.uk,Analytical Engines\n",
    "Charles,Babbage,charles@analytical-engines.co.uk,Analytical Engines\n",
    "Grace,Hopper,not-an-email,Navy\n",
]


def write_list(path: Path) -> Path:
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    return path


def fixed_profile() -> SourceProfile:
    return SourceProfile.from_dict(
        {
            "name": "vendor_list",
            "kind": "purchased_list",
            "columns": {"Zuständige Anschrift": "email", "Firma": "company_name"},
        }
    )


def test_replay_after_a_mapping_fix_loads_the_rows_once(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    path = write_list(tmp_path / "vendor_list.csv")
    first = import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings)
    assert first.counts.quarantined == 3  # the email column was not recognised
    assert {c for r in held_rows(engine) for c in r.reason_codes} >= {"record.no_contact_point"}

    report = replay_run(engine, first.run_id, settings=settings, profile=fixed_profile())
    assert (report.replayed, report.released, report.still_held) == (3, 2, 1)
    assert report.import_report is not None and report.import_report.counts.adds_up
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 2
    assert held_count(engine) == 1  # Grace's address is still not an email

    again = replay_run(engine, first.run_id, settings=settings, profile=fixed_profile())
    assert (again.replayed, again.released, again.still_held) == (1, 0, 1)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 2
        released = session.scalar(
            select(func.count())
            .select_from(Quarantine)
            .where(Quarantine.run_id == first.run_id, Quarantine.released_at.is_not(None))
        )
        assert released == 2


def test_quarantine_cli_lists_and_replays(tmp_path: Path) -> None:
    path = write_list(tmp_path / "vendor_list.csv")
    url = sqlite_url(tmp_path / "store.db")
    runner = CliRunner()
    assert runner.invoke(app, ["import", "purchased-list", str(path), "--db", url]).exit_code == 0
    listed = runner.invoke(app, ["quarantine", "list", "--db", url], env={"COLUMNS": "200"})
    assert listed.exit_code == 0 and "record.no_contact_point" in listed.output
    assert "ada@" not in listed.output  # no personal data in the listing
    profile = tmp_path / "fixed.yaml"
    profile.write_text(fixed_profile().to_yaml(), encoding="utf-8")
    replayed = runner.invoke(
        app, ["quarantine", "replay", "--run", "1", "--profile", str(profile), "--db", url]
    )
    assert replayed.exit_code == 0, replayed.output
    assert "2 released" in replayed.output
