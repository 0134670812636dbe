"""A dry run changes nothing, and the real import then gives exactly the previewed counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select, text
from typer.testing import CliRunner

from flows.cli import app
from flows.dry_run import dry_run
from flows.importing import import_file, profile_for
from ingest.config import Settings, sqlite_url
from ingest.records import SourceKind
from ingest.store.engine import make_engine
from ingest.store.runs import COUNT_FIELDS
from tests.conftest import REPO

SAMPLES = REPO / "sample_data"


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(select(func.count()).select_from(text(table))).scalar_one()
            for table in inspect(engine).get_table_names()
        }


def sample(name: str):
    path = SAMPLES / "purchased_lists" / name
    return path, profile_for(path, SAMPLES / "profiles")


@pytest.mark.slow  # two sample lists, imported and previewed
def test_dry_run_then_apply(engine: Engine, settings: Settings) -> None:
    acme, acme_profile = sample("acme_b2b_2026q3.csv")
    import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        acme,
        settings=settings,
        profile=acme_profile,
        orchestrate=False,
    )
    before = table_counts(engine)

    euro, euro_profile = sample("eurodata_contacts.csv")
    preview = dry_run(
        engine, SourceKind.PURCHASED_LIST, euro, settings=settings, profile=euro_profile
    )

    assert table_counts(engine) == before, "the dry run left something in the store"
    counts = preview.counts
    assert counts["rows_in"] == 250 and not counts["already_imported"]
    assert counts["rows_in"] == (
        counts["loaded_new"] + counts["merged"] + counts["suppressed"] + counts["quarantined"]
    )
    assert preview.new_people and preview.merges  # EuroData re-sells some of Acme's people
    assert all(m["into_person_id"] for m in preview.merges)

    applied = import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        euro,
        settings=settings,
        profile=euro_profile,
        orchestrate=False,
    )
    assert {k: v for k, v in counts.items() if k != "already_imported"} == applied.counts.as_dict()


def test_dry_run_of_an_imported_file_says_so(engine: Engine, settings: Settings) -> None:
    acme, profile = sample("acme_b2b_2026q3.csv")
    import_file(
        engine,
        SourceKind.PURCHASED_LIST,
        acme,
        settings=settings,
        profile=profile,
        orchestrate=False,
    )
    preview = dry_run(engine, SourceKind.PURCHASED_LIST, acme, settings=settings, profile=profile)
    assert preview.counts["already_imported"] == 1


@pytest.mark.slow  # two sample lists through the command line
def test_cli_dry_run_prints_and_writes_the_preview_and_keeps_nothing(tmp_path: Path) -> None:

    database, out = tmp_path / "store.db", tmp_path / "preview.json"
    acme, _ = sample("acme_b2b_2026q3.csv")
    euro, _ = sample("eurodata_contacts.csv")
    profiles = SAMPLES / "profiles"
    db = ["--db", sqlite_url(database), "--no-prefect"]
    runner = CliRunner()
    first = runner.invoke(app, ["import", "purchased-list", str(acme), "--profile",
                                str(profiles / "acme_b2b_2026q3.yaml"), *db])  # fmt: skip
    assert first.exit_code == 0, first.output
    before = table_counts(make_engine(sqlite_url(database)))

    euro_profile = ["--profile", str(profiles / "eurodata_contacts.yaml")]
    dry = runner.invoke(app, ["import", "purchased-list", str(euro), *euro_profile, *db,
                              "--dry-run", "--json", str(out)])  # fmt: skip
    assert dry.exit_code == 0, dry.output
    assert "nothing was written" in dry.output and "Merges" in dry.output
    assert table_counts(make_engine(sqlite_url(database))) == before
    preview = json.loads(out.read_text(encoding="utf-8"))
    assert preview["counts"]["rows_in"] == 250
    assert preview["merges"] and all(0.9 <= m["probability"] <= 1 for m in preview["merges"])
    assert set(preview) >= {"new_people", "new_companies", "field_updates", "review_items",
                            "suppressions", "quarantined", "field_update_counts"}  # fmt: skip

    applied = runner.invoke(app, ["import", "purchased-list", str(euro), *euro_profile, *db])
    assert applied.exit_code == 0, applied.output
    row = [line for line in applied.output.splitlines() if "│" in line][-1]
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells == [str(preview["counts"][k]) for k in COUNT_FIELDS]


def test_json_without_dry_run_is_refused(tmp_path: Path) -> None:

    acme, _ = sample("acme_b2b_2026q3.csv")
    result = CliRunner().invoke(app, ["import", "purchased-list", str(acme), "--json",
                                      str(tmp_path / "x.json")])  # fmt: skip
    assert result.exit_code == 2
