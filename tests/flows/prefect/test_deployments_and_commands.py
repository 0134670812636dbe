"""Deployments (built, never served) and the one-shot ``enrich`` / ``inbox`` commands."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.deployments import Schedules, build_deployments
from ingest.config import sqlite_url
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # starts a temporary Prefect server (conftest)

SAMPLES = REPO / "sample_data"
runner = CliRunner()


def test_build_deployments_names_schedules_and_parameters(tmp_path: Path) -> None:
    deployments = build_deployments(
        inbox=tmp_path / "inbox", schedules=Schedules(inbox="* * * * *")
    )
    found = {
        d.name: (d.parameters, [(s.schedule.cron, s.schedule.timezone) for s in d.schedules])
        for d in deployments
    }
    assert found == {
        "leadflow-enrich": ({"check_mx": False}, [("0 2 * * *", "UTC")]),
        "leadflow-inbox": ({"inbox": str((tmp_path / "inbox").resolve())}, [("* * * * *", "UTC")]),
        "leadflow-review-apply": ({"refit": True}, [("30 * * * *", "UTC")]),
        "leadflow-forms": ({"settle_seconds": 60.0}, [("*/5 * * * *", "UTC")]),
    }
    assert all("db_url" not in d.parameters for d in deployments)  # secrets stay in the env
    assert {d.entrypoint.split(":")[0] for d in deployments} == {
        "flows/enrichment.py",
        "flows/inbox.py",
        "flows/review_apply.py",
        "flows/forms_drain.py",
    }


def test_inbox_and_enrich_commands(tmp_path: Path) -> None:
    db = sqlite_url(tmp_path / "store.db")
    folder = tmp_path / "inbox" / "acme"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "profiles" / "acme_b2b_2026q3.yaml", folder / "profile.yaml")
    shutil.copy(SAMPLES / "purchased_lists" / "acme_b2b_2026q3.csv", folder / "list.csv")
    env = {"COLUMNS": "200"}

    first = runner.invoke(
        app, ["inbox", str(tmp_path / "inbox"), "--db", db, "--settle-seconds", "0"], env=env
    )
    assert first.exit_code == 0, first.output
    assert "acme/list.csv: imported run 1, 400 rows" in first.output
    second = runner.invoke(
        app, ["inbox", str(tmp_path / "inbox"), "--db", db, "--settle-seconds", "0"], env=env
    )
    assert "nothing to import" in second.output

    enriched = runner.invoke(app, ["enrich", "--db", db, "--step", "phone"], env=env)
    assert enriched.exit_code == 0, enriched.output
    assert "values written" in enriched.output
    bad = runner.invoke(app, ["enrich", "--db", db, "--step", "horoscope"], env=env)
    assert bad.exit_code == 2 and "unknown enrichment steps" in bad.output
