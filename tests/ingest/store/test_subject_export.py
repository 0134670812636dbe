"""Subject access: everything held about a person, with consent evidence and provenance."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from flows.compliance import export_subject
from ingest.importer import run_import
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from matchers import ProbabilisticMatcher
from sources import ADAPTERS

HEADER = ["First Name", "Last Name", "Email", "Phone", "Country", "Email Opt-In",
          "Consent Text", "Consent Version", "Captured At", "Shoe Size"]  # fmt: skip
ANN = ["Ann", "Lee", "ann.lee@example.org", "+44 20 7946 0018", "GB", "yes",
       "Email me news", "v3", "2026-02-01", "38"]  # fmt: skip
BOB = ["Bob", "Ray", "bob@example.com", "", "GB", "", "", "", "", ""]


def import_rows(engine: Engine, path: Path, name: str, rows: list[list[str]]) -> int:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    profile = SourceProfile(
        name=name, kind=SourceKind.PURCHASED_LIST, declared_consent_basis="double_opt_in",
        vendor=f"{name} Ltd", compile_date=date(2026, 1, 10), consent_wording="Email me news",
        named_organisations=("Our Company",), suppression_screened_at=date(2026, 1, 12),
    )  # fmt: skip
    batches = ADAPTERS[SourceKind.PURCHASED_LIST](path, profile=profile, chunk_rows=1000)
    report = run_import(engine, batches, matcher=ProbabilisticMatcher(), profile=profile)
    assert report.run_id is not None
    return report.run_id


def test_export_holds_everything_with_evidence_and_provenance(
    engine: Engine, tmp_path: Path
) -> None:
    first = import_rows(engine, tmp_path / "a.csv", "vendor_a", [BOB, ANN])
    ann_later = [*ANN[:5], "no", "", "", "2026-06-01", ""]
    second = import_rows(engine, tmp_path / "b.csv", "vendor_b", [ann_later])
    out = tmp_path / "ann.json"

    export_subject(engine, email="Ann.Lee@example.org", out=out)

    data = json.loads(out.read_text(encoding="utf-8"))
    assert [p["first_name"] for p in data["people"]] == ["Ann"]
    assert {c["kind"] for c in data["contact_points"]} == {"email", "phone", "address"}
    history = [c for c in data["consents"]["history"] if c["channel"] == "email"]
    assert [(c["status"], c["origin"]["source"], c["origin"]["run_id"], c["origin"]["row"])
            for c in history] == [("opt_in", "vendor_a", first, 3),
                                  ("opt_out", "vendor_b", second, 2)]  # fmt: skip
    evidence = history[0]["evidence"]
    assert (evidence["consent_text"], evidence["consent_version"]) == ("Email me news", "v3")
    assert evidence["vendor_declaration"] == "double_opt_in"
    assert evidence["jurisdiction"] == "UK"
    current = {c["channel"]: c for c in data["consents"]["current"]}
    assert current["email"]["status"] == "opt_out" and not current["email"]["permitted"]
    assert {r["origin"]["source"] for r in data["raw_records"]} == {"vendor_a", "vendor_b"}
    assert all(r["payload"]["Email"] == "ann.lee@example.org" for r in data["raw_records"])
    assert {v["field"] for v in data["value_provenance"]} >= {"first_name", "last_name"}
    assert all(v["origin"]["source"] for v in data["value_provenance"])
    assert data["custom_values"][0]["field"] == "Shoe Size"
    assert "bob@example.com" not in out.read_text(encoding="utf-8")
    runs = {r["run_id"]: r for r in data["import_runs"]}
    assert set(runs) == {first, second}
    manifest = runs[first]["manifest"]
    assert (manifest["vendor"], manifest["compile_date"]) == ("vendor_a Ltd", "2026-01-10")
    assert manifest["named_organisations"] == ["Our Company"]
    assert manifest["suppression_screened_at"] == "2026-01-12"


def test_export_names_files_without_the_operators_folders_or_internal_keys(
    engine: Engine, tmp_path: Path
) -> None:
    import_rows(engine, tmp_path / "a.csv", "vendor_a", [ANN])
    text = export_subject(engine, email="ann.lee@example.org")
    data = json.loads(text)
    assert str(tmp_path) not in text
    assert {r["file"] for r in data["import_runs"]} == {"a.csv"}
    assert all(r["origin"]["file"] == "a.csv" for r in data["raw_records"])
    assert "first_name_key" not in text and "match_key" not in text
