"""A dry run changes nothing, and the real import then gives exactly the previewed counts."""

from __future__ import annotations

from sqlalchemy import Engine, func, inspect, select, text

from flows.dry_run import dry_run
from flows.importing import import_file, profile_for
from ingest.records import SourceKind
from tests.conftest import REPO

SAMPLES = REPO / "sample_data"


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(select(func.count()).select_from(text(table))).scalar_one()
            for table in inspect(engine).get_table_names()
        }


def sample(name: str):  # type: ignore[no-untyped-def]
    path = SAMPLES / "purchased_lists" / name
    return path, profile_for(path, SAMPLES / "profiles")


def test_dry_run_then_apply(engine: Engine) -> None:
    acme, acme_profile = sample("acme_b2b_2026q3.csv")
    import_file(engine, SourceKind.PURCHASED_LIST, acme, profile=acme_profile, orchestrate=False)
    before = table_counts(engine)

    euro, euro_profile = sample("eurodata_contacts.csv")
    preview = dry_run(engine, SourceKind.PURCHASED_LIST, euro, profile=euro_profile)

    assert table_counts(engine) == before, "the dry run left something in the store"
    counts = preview.counts
    assert counts["rows_in"] == 250 and not counts["already_imported"]
    assert counts["rows_in"] == (
        counts["loaded_new"] + counts["merged"] + counts["suppressed"] + counts["quarantined"]
    )
    assert preview.new_people and preview.merges  # EuroData re-sells some of Acme's people
    assert all(m["into_person_id"] for m in preview.merges)

    applied = import_file(
        engine, SourceKind.PURCHASED_LIST, euro, profile=euro_profile, orchestrate=False
    )
    assert {k: v for k, v in counts.items() if k != "already_imported"} == applied.counts.as_dict()


def test_dry_run_of_an_imported_file_says_so(engine: Engine) -> None:
    acme, profile = sample("acme_b2b_2026q3.csv")
    import_file(engine, SourceKind.PURCHASED_LIST, acme, profile=profile, orchestrate=False)
    preview = dry_run(engine, SourceKind.PURCHASED_LIST, acme, profile=profile)
    assert preview.counts["already_imported"] == 1
