"""``leadflow model``: fit, show, import, list, activate and diff match models on a SQLite store."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flows.cli import app
from ingest.config import sqlite_url
from matchers.settings import MatchModel

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
FIRST = ["Anna", "Ben", "Carla", "David", "Elena", "Frank", "Greta", "Hugo", "Iris", "Jonas",
         "Karin", "Lukas", "Maria", "Nils"]  # fmt: skip
LAST = ["Schmidt", "Miller", "Novak", "Garcia", "Rossi", "Jensen", "Dubois", "Kowalski",
        "Nakamura", "Okafor", "Berg"]  # fmt: skip
COMPANIES = [("Acme Robotics", "acme-robotics.com"), ("Globex", "globex.com"),
             ("Initech", "initech.io"), ("Umbrella Labs", "umbrellalabs.org"),
             ("Hooli", "hooli.xyz"), ("Soylent Foods", "soylentfoods.com")]  # fmt: skip


def write_leads(path: Path, *, seed: int, people: int = 60, duplicates: int = 20) -> Path:
    """A lead file of distinct people plus re-typed duplicates (case, punctuation, suffix)."""
    rng = random.Random(seed)
    names = rng.sample([(f, ln) for f in FIRST for ln in LAST], people)
    base = []
    for i, (first, last) in enumerate(names):
        company, domain = rng.choice(COMPANIES)
        email = f"{first.lower()}.{last.lower()}@{domain}"
        base.append([first, last, email, f"+1 617 555 {1000 + 37 * i:04d}", company])
    rows = [list(person) for person in base]
    for _ in range(duplicates):
        first, last, email, phone, company = rng.choice(base)
        change = rng.randrange(3)
        if change == 0:
            first = first.upper()
        elif change == 1:
            phone = phone.replace(" ", "-")
        else:
            email, company = email.upper(), f"{company} Inc."
        rows.append([first, last, email, phone, company])
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Lead ID", "First Name", "Last Name", "Email", "Phone", "Company"])
        writer.writerows([f"L{k}", *row] for k, row in enumerate(rows, start=1))
    return path


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), env=WIDE)


def one_line(output: str) -> str:
    return " ".join(output.split())


def fit(source: Path, out: Path, *extra: str) -> Any:
    result = invoke("model", "fit", str(source), "--id-column", "Lead ID", "--out", str(out),
                    "--no-plan", *extra)  # fmt: skip
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two models fitted on two different lead files."""
    folder = tmp_path_factory.mktemp("models")
    fitted = []
    for name, seed in (("a", 1), ("b", 7)):
        source = write_leads(folder / f"{name}.csv", seed=seed)
        fit(source, folder / f"{name}.json")
        fitted.append(folder / f"{name}.json")
    return fitted[0], fitted[1]


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = sqlite_url(tmp_path / "store.db")
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.output
    return url


def test_fit_writes_a_fitted_model_that_show_prints(models: tuple[Path, Path]) -> None:
    model = MatchModel.load(models[0])
    assert model.fitted and model.people is not None and model.companies is None
    assert model.people.trained_on["records"] == 80
    result = invoke("model", "show", "--file", str(models[0]))
    assert result.exit_code == 0, result.output
    for name in ("person_name", "email", "phone", "employer", "weight (bits)", "blocking"):
        assert name in result.output


def test_a_saved_model_loaded_and_saved_again_is_byte_identical(
    models: tuple[Path, Path], tmp_path: Path
) -> None:
    again = tmp_path / "again.json"
    MatchModel.load(models[0]).save(again)
    assert again.read_bytes() == models[0].read_bytes()
    shown = invoke("model", "show", "--file", str(models[0]), "--json")
    assert shown.exit_code == 0, shown.output
    assert shown.output == models[0].read_text("utf-8")


def _change_m(data: dict[str, Any]) -> None:
    data["people"]["comparisons"][0]["levels"][0]["m"] += 0.0001


def _change_label(data: dict[str, Any]) -> None:
    data["people"]["comparisons"][0]["levels"][0]["label"] = "exakt"


def _change_version(data: dict[str, Any]) -> None:
    data["format_version"] = 1


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_change_m, "was changed after it was fitted (checksum mismatch)"),
        (_change_label, "has levels ['exakt',"),
        (_change_version, "match model format version 1 is not 2"),
    ],
)
def test_a_tampered_model_is_refused_with_one_clear_line(
    models: tuple[Path, Path],
    tmp_path: Path,
    db: str,
    tamper: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    data = json.loads(models[0].read_text("utf-8"))
    tamper(data)
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data, indent=2), "utf-8")
    for args in (("import", str(tampered), "--db", db), ("show", "--file", str(tampered))):
        result = runner.invoke(app, ["model", *args])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert one_line(result.output).startswith("error: ")
        assert message in one_line(result.output)
        assert "Traceback" not in result.output
    listed = invoke("model", "list", "--db", db)
    assert "no stored match model" in listed.output


def test_import_list_activate_and_show_follow_the_active_version(
    models: tuple[Path, Path], db: str
) -> None:
    first, second = models
    shown = invoke("model", "show", "--db", db)
    assert shown.exit_code == 0 and "the shipped default model" in shown.output

    imported = invoke("model", "import", str(first), "--db", db)
    assert imported.exit_code == 0, imported.output
    assert "stored as version v1 (inactive" in imported.output
    assert "the shipped default model" in invoke("model", "show", "--db", db).output

    imported = invoke("model", "import", str(second), "--db", db, "--activate")
    assert "stored as version v2 (active)" in imported.output
    assert "stored model v2 (active)" in invoke("model", "show", "--db", db).output

    listed = invoke("model", "list", "--db", db)
    assert listed.exit_code == 0, listed.output
    lines = {line.split("│")[1].strip(): line for line in listed.output.splitlines() if "│" in line}
    assert set(lines) == {"v1", "v2"}
    assert "yes" in lines["v2"] and "yes" not in lines["v1"]
    assert "people 80" in lines["v1"] and "imported from a.json" in lines["v1"]

    activated = invoke("model", "activate", "v1", "--db", db)
    assert activated.exit_code == 0 and "v1 is active" in activated.output
    assert "stored model v1 (active)" in invoke("model", "show", "--db", db).output
    as_json = invoke("model", "show", "--db", db, "--version", "2", "--json")
    assert as_json.output == second.read_text("utf-8")

    back = invoke("model", "activate", "default", "--db", db)
    assert back.exit_code == 0 and "shipped default model is in use" in back.output
    assert "the shipped default model" in invoke("model", "show", "--db", db).output

    missing = invoke("model", "activate", "9", "--db", db)
    assert missing.exit_code == 2
    assert "no match model version 9" in one_line(missing.output)


def test_fit_can_store_the_model_as_a_new_version(tmp_path: Path, db: str) -> None:
    source = write_leads(tmp_path / "leads.csv", seed=3)
    result = fit(source, tmp_path / "m.json", "--db", db, "--store")
    assert "stored as version v1 (inactive" in result.output
    result = fit(source, tmp_path / "m2.json", "--db", db, "--activate")
    assert "stored as version v2 (active)" in result.output
    listed = invoke("model", "list", "--db", db)
    assert "fitted on leads.csv" in listed.output


def test_diff_lists_the_changed_weights(models: tuple[Path, Path], db: str) -> None:
    first, second = map(str, models)
    result = invoke("model", "diff", first, second)
    assert result.exit_code == 0, result.output
    assert "Level weights (bits) that differ" in result.output
    rows = [line for line in result.output.splitlines() if "│ people" in line]
    assert rows and any("person_name" in row for row in rows)
    assert "prior" in result.output

    same = invoke("model", "diff", first, first)
    assert same.exit_code == 0 and "no differences" in same.output

    invoke("model", "import", second, "--db", db, "--activate")
    stored = invoke("model", "diff", "default", "active", "--db", db)
    assert stored.exit_code == 0, stored.output
    assert "In one model only" in stored.output and "companies" in stored.output
    assert "no differences" in invoke("model", "diff", "v1", second, "--db", db).output


def test_help_never_opens_the_store(tmp_path: Path) -> None:
    store = tmp_path / "never.db"
    for command in ("show", "fit", "list", "activate", "diff", "import"):
        result = runner.invoke(app, ["model", command, "--help", "--db", sqlite_url(store)])
        assert result.exit_code == 0, result.output
    assert not store.exists()
