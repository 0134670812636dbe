"""The source quality report's numbers equal counts taken directly from the store."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from flows.cli import app
from flows.importing import import_file, profile_for
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.reports import by_source, run_quality
from tests.conftest import REPO

SAMPLES = REPO / "sample_data"
LISTS = ("acme_b2b_2026q3.csv", "eurodata_contacts.csv")


def direct(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


@pytest.mark.slow  # every sample list imported
def test_report_matches_the_store(engine: Engine, settings: Settings) -> None:
    for name in LISTS:
        path = SAMPLES / "purchased_lists" / name
        import_file(engine, SourceKind.PURCHASED_LIST, path,
                    settings=settings, profile=profile_for(path, SAMPLES / "profiles"))  # fmt: skip
    runs = run_quality(engine)
    assert [r.source_name for r in runs] == ["acme_b2b_2026q3", "eurodata_contacts"]
    for run in runs:
        rid = run.run_id
        assert run.rows_in == direct(
            engine, "SELECT count(*) FROM raw_records WHERE run_id=:r", r=rid
        )
        assert run.loaded_new == direct(
            engine,
            "SELECT count(*) FROM raw_records WHERE run_id=:r AND outcome='loaded_new'",
            r=rid,
        )
        within = direct(
            engine,
            "SELECT count(*) FROM raw_records m WHERE m.run_id=:r AND m.outcome='merged' AND "
            "m.person_id IN (SELECT person_id FROM raw_records WHERE run_id=:r "
            "AND outcome='loaded_new')",
            r=rid,
        )
        assert run.duplicates_within_file == within
        merged_people = direct(
            engine,
            "SELECT count(*) FROM raw_records WHERE run_id=:r AND outcome='merged' "
            "AND person_id IS NOT NULL",
            r=rid,
        )
        assert run.duplicates_against_store == merged_people - within
        assert run.consent_opt_in["email"] == direct(
            engine,
            "SELECT count(DISTINCT c.raw_record_id) FROM consents c JOIN raw_records r "
            "ON r.id=c.raw_record_id WHERE r.run_id=:r AND c.channel='email' "
            "AND c.status='opt_in'",
            r=rid,
        )
    acme, euro = runs
    assert acme.cost_per_new_lead == (Decimal("1200.00") / acme.loaded_new).quantize(
        Decimal("0.01")
    )
    assert euro.duplicates_against_store > 0  # EuroData repeats people Acme already sold us
    assert [s.source_name for s in by_source(runs)] == ["acme_b2b_2026q3", "eurodata_contacts"]


def test_report_cli_json(engine: Engine, db_url: str, settings: Settings) -> None:
    path = SAMPLES / "purchased_lists" / LISTS[0]
    import_file(engine, SourceKind.PURCHASED_LIST, path,
                settings=settings, profile=profile_for(path, SAMPLES / "profiles"))  # fmt: skip
    result = CliRunner().invoke(app, ["report", "sources", "--json", "--db", db_url])
    assert result.exit_code == 0, result.output
    (run,) = json.loads(result.output)
    assert run["source"] == "acme_b2b_2026q3"
    assert run["cost"] == "1200.00" and run["currency"] == "USD"
    assert 0 < run["duplicate_rate_within_file"] < 1


def test_report_of_a_store_without_finished_runs_says_so(db_url: str) -> None:
    result = CliRunner().invoke(app, ["report", "sources", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "no finished import runs" in result.output
    as_json = CliRunner().invoke(app, ["report", "sources", "--json", "--db", db_url])
    assert json.loads(as_json.output) == []
