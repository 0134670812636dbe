"""Dedupe quality on labelled data nobody on the team generated (``../shared/er-corpus/``).

The files are not in the repository; without them these tests skip and say where they are
expected. Each set runs the way a user runs it (``leadflow dedupe FILE --id-column ID``, its
original headers, the truth column left out) and is scored with pairwise F1 over the true
clusters. The floors sit a little under what ``benchmarks/quality.py`` measured on 2026-12-06
(chicago 0.949, rldata10000 0.962), so a change that loses quality on real data fails here,
while the generators' own numbers set no threshold anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import REPO
from tests.matchers.helpers import f1_score, precision_recall

CORPUS = REPO.parent / "shared" / "er-corpus"
SETS = {  # file: (id column, truth column, F1 floor)
    "chicago.csv": ("rec_id", "true_id", 0.93),
    "rldata10000.csv": ("rec_id", "true_id", 0.94),
}
pytestmark = pytest.mark.slow  # thousands of records, normalized in worker processes


@pytest.mark.parametrize("name", sorted(SETS))
def test_dedupe_quality_on_outside_data(name: str, tmp_path: Path) -> None:
    source = CORPUS / name
    if not source.exists():
        pytest.skip(f"{source} not found: the shared er-corpus sits beside the repository")
    id_column, truth_column, floor = SETS[name]
    data = pd.read_csv(source, dtype=str, keep_default_na=False)
    given = tmp_path / name
    data.drop(columns=[truth_column]).to_csv(given, index=False)
    out = tmp_path / "clusters.csv"
    done = CliRunner().invoke(
        app, ["dedupe", str(given), "--id-column", id_column, "--out", str(out), "--no-plan"]
    )
    assert done.exit_code == 0, done.output
    clusters = pd.read_csv(out, dtype=str).set_index(id_column)["cluster_id"]
    truth = data.set_index(id_column)[truth_column]
    assert list(clusters.index) == list(truth.index)  # every row, in input order
    assert f1_score(*precision_recall(clusters, truth)) >= floor
