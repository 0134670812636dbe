"""Personal identifiers (a LinkedIn profile): compared only where a file gives them, learnt from
the file, generic when many people give one, and evidence both ways."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine

from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from matchers import dedupe_frame
from matchers.configure import PERSON_COMPARISONS, applicable, configure
from matchers.dedupe import dedupe_entity
from matchers.generic import PERSON_RULES, generic_values, without_generic
from tests.matchers.helpers import (
    coded,
    f1_score,
    features,
    generated_with_truth,
    level_labels,
    precision_recall,
)
from tests.matchers.test_incremental_import import people_of


def people(n: int, **columns: str) -> list[dict[str, str]]:
    return [{"fn": f"f{i}", "ln": f"l{i}", **columns} for i in range(n)]


def test_the_comparison_and_its_blocking_rule_need_the_column_filled() -> None:
    without = features(*people(50, email="x@y.com"))
    assert "linkedin" not in applicable(without, PERSON_COMPARISONS)
    model, plan = configure(without, "people")
    assert model.comparison("linkedin") is None
    assert all("linkedin" not in rule.columns for rule in model.blocking)
    assert any(p.asked == ("linkedin",) and p.rule is None for p in plan)

    filled = features(*people(40), *[{"fn": "ann", "ln": "lee", "linkedin": "in/ann-lee"}] * 10)
    assert "linkedin" in applicable(filled, PERSON_COMPARISONS)
    model, _ = configure(filled, "people")
    assert model.comparison("linkedin") is not None
    assert ("linkedin",) in [rule.columns for rule in model.blocking]


def test_a_profile_many_people_give_is_generic() -> None:
    """A company page pasted as every employee's profile tells none of them apart."""
    shared = "in/acme-corp"
    frame = features(
        {"fn": "ann", "ln": "lee", "linkedin": shared},
        {"fn": "bob", "ln": "chen", "linkedin": shared},
        {"fn": "eve", "ln": "diaz", "linkedin": shared},
        {"fn": "ann", "ln": "lee", "linkedin": "in/ann-lee"},
        {"fn": "ann", "ln": "lee", "linkedin": "in/ann-lee"},
    )
    generic = generic_values(frame)
    assert list(generic["linkedin"]) == [shared]
    assert level_labels("linkedin", coded(frame), [(0, 1), (0, 3), (3, 4)]) == [
        "missing",  # the shared page: no evidence either way
        "missing",
        "exact",
    ]
    blocking = without_generic(frame, generic, PERSON_RULES)
    assert list(blocking["linkedin"]) == ["", "", "", "in/ann-lee", "in/ann-lee"]


def test_a_column_holding_only_a_generic_profile_is_not_compared() -> None:
    """Present but not discriminating: one page given by everyone says nothing about anyone."""
    frame = features(*people(60, email="", linkedin="in/acme-corp"))
    frame["email"] = [f"p{i}@acme.com" for i in range(60)]
    run = dedupe_entity(frame, "people")
    assert run.model.comparison("linkedin") is None
    assert all("linkedin" not in rule.columns for rule in run.model.blocking)


@pytest.fixture(scope="module")
def with_profiles() -> tuple[pd.DataFrame, pd.Series]:
    """Generated leads where two rows in three carry their person's profile key."""
    rows, truth = generated_with_truth(1500, seed=3)
    rows = rows.copy()
    keep = np.arange(len(rows)) % 3 != 0
    rows["linkedin_key"] = np.where(keep, "in/p-" + truth.astype(str).to_numpy(), None)
    return rows, truth


def test_a_fitted_profile_comparison_is_evidence_both_ways(with_profiles) -> None:
    rows, truth = with_profiles
    result = dedupe_frame(rows)
    people = result.model.people
    assert people is not None
    linkedin = people.comparison("linkedin")
    assert linkedin is not None and linkedin.fitted
    for table in (linkedin.weights(), linkedin.weights(within=True)):
        assert table[0] > 5 > 0 > table[1]  # exact, then different: monotone
    assert "linkedin" in people.trained_on["m_learnt"]
    without = dedupe_frame(rows.drop(columns=["linkedin_key"]))
    assert without.model.people is not None
    assert without.model.people.comparison("linkedin") is None
    assert f1_score(*precision_recall(result.clusters, truth)) >= f1_score(
        *precision_recall(without.clusters, truth)
    )


PROFILE_HEADERS = ["Lead ID", "First Name", "Last Name", "Company", "Email", "LinkedIn"]


def test_the_import_links_a_job_changer_by_the_stored_profile(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    """A returning person with a new employer and a new email: the name alone does not link
    them (the namesake below stays apart), the stored LinkedIn profile does."""

    def run(name: str, rows: list[list[str]]) -> dict[str, int]:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([PROFILE_HEADERS, *rows])
        report = import_file(
            engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=False
        )
        return people_of(engine, report.run_id)

    profile = "https://www.linkedin.com/in/agnieszka-wrobel-7b2"
    first = run("a.csv", [
        ["A1", "Agnieszka", "Wróbel", "Acme Robotics", "agnieszka.wrobel@acme-robotics.com",
         profile],
    ])  # fmt: skip
    second = run("b.csv", [
        ["B1", "Agnieszka", "Wrobel", "Globex", "a.wrobel@globex.com", profile + "/?trk=x"],
        ["B2", "Agnieszka", "Wrobel", "Initech", "agnieszka@initech.com",
         "https://www.linkedin.com/in/agnieszka-wrobel-initech"],
    ])  # fmt: skip
    assert second["B1"] == first["A1"]
    assert second["B2"] != first["A1"]
