"""The compliance commands end to end: export-subject, consent show/reasons/policy,
suppressions apply, erase."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from ingest.importer import run_import
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.models import Person
from matchers import ProbabilisticMatcher
from sources import ADAPTERS
from tests.manifests import DILIGENT

runner = CliRunner()
HEADER = ["First Name", "Last Name", "Email", "Phone", "Country", "Email Opt-In"]
ROWS = [["Ann", "Lee", "ann.lee@example.org", "+1 412 555 0100", "US", "yes"],
        ["Bob", "Ray", "bob@example.com", "+1 412 555 0111", "US", "yes"]]  # fmt: skip


def load(engine: Engine, tmp_path: Path) -> int:
    path = tmp_path / "leads.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    profile = SourceProfile(name="leads", declared_consent_basis="opt_in", **DILIGENT)
    batches = ADAPTERS[SourceKind.PURCHASED_LIST](path, profile=profile, chunk_rows=100)
    report = run_import(engine, batches, matcher=ProbabilisticMatcher(), profile=profile)
    return report.run_id or 0


def invoke(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_compliance_commands(engine: Engine, db_url: str, tmp_path: Path) -> None:
    run_id = load(engine, tmp_path)
    with Session(engine) as session:
        ann = session.scalars(select(Person.id).order_by(Person.id)).first()

    out = tmp_path / "ann.json"
    invoke("export-subject", "--email", "ann.lee@example.org", "--out", str(out), "--db", db_url)
    assert json.loads(out.read_text(encoding="utf-8"))["people"][0]["id"] == ann

    shown = invoke("consent", "show", str(ann), "--db", db_url)
    assert "email" in shown and "permitted" in shown
    assert "consent.written_consent_required" in invoke("consent", "reasons", str(run_id),
                                                        "--db", db_url)  # fmt: skip
    assert json.loads(invoke("consent", "policy"))["jurisdictions"]["US"]

    suppressions = tmp_path / "unsub.csv"
    suppressions.write_text("email\nbob@example.com\n", encoding="utf-8")
    invoke("suppressions", "import", str(suppressions), "--db", db_url)
    assert "1 channel(s) opted out" in invoke("suppressions", "apply", "--db", db_url)

    log = tmp_path / "crawl.jsonl"
    log.write_text('{"email": "Ann.Lee@example.org"}\n{"tel": "(412) 555-0100"}\n{"ok": 1}\n')
    erased = invoke("erase", "--email", "ann.lee@example.org", "--scrub", str(log), "--db", db_url)
    assert "erased 1 person record(s)" in erased and "2 line(s) removed" in erased
    assert log.read_text() == '{"ok": 1}\n'
    missing = runner.invoke(app, ["export-subject", "--email", "ann.lee@example.org",
                                  "--db", db_url])  # fmt: skip
    assert missing.exit_code == 2
    both = runner.invoke(app, ["erase", "--email", "x@example.org", "--person", "1"])
    assert both.exit_code != 0
