"""``leadflow dedupe`` end to end on generated leads with ground truth, and on a directory list."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.cli import app
from matchers import MatchModel, default_model
from sample_data.generate import generate_b2b_leads

runner = CliRunner()


@pytest.mark.slow  # 600 generated leads through the command line, fitted
def test_dedupe_writes_every_row_and_a_resent_lead_joins_its_original(tmp_path: Path) -> None:
    """The command's contract; its quality on outside data is ``tests/matchers/test_outside_data``
    (no threshold here is tuned to the generator's numbers)."""
    leads = generate_b2b_leads(600, seed=11).drop(columns=["true_person_id"])
    resent = leads.head(20).assign(**{"Lead ID": lambda f: "RESENT-" + f["Lead ID"]})
    given = pd.concat([leads, resent], ignore_index=True)
    source = tmp_path / "leads.csv"
    given.to_csv(source, index=False)
    out, review = tmp_path / "clusters.csv", tmp_path / "pairs.csv"
    result = runner.invoke(
        app,
        ["dedupe", str(source), "--id-column", "Lead ID", "--out", str(out),
         "--review-out", str(review)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    clusters = pd.read_csv(out, dtype=str)
    assert list(clusters.columns) == ["Lead ID", "cluster_id"]
    assert list(clusters["Lead ID"]) == list(given["Lead ID"])  # every row, input order
    cluster_of = clusters.set_index("Lead ID")["cluster_id"]
    for original in leads.head(20)["Lead ID"]:  # the same lead sent again is the same person
        assert cluster_of[original] == cluster_of[f"RESENT-{original}"], original
    reviewed = pd.read_csv(review)
    assert list(reviewed.columns) == ["Lead ID_1", "Lead ID_2", "probability"]
    assert reviewed["probability"].between(0, 1).all()


@pytest.mark.slow  # 600 generated leads through the command line, fitted
def test_explain_prints_the_weights_of_one_pair(tmp_path: Path) -> None:
    leads = generate_b2b_leads(600, seed=5)
    source = tmp_path / "leads.csv"
    leads.to_csv(source, index=False)
    dupes = leads[leads["true_person_id"].duplicated(keep=False)].sort_values("true_person_id")
    first, second = dupes["Lead ID"].iloc[0], dupes["Lead ID"].iloc[1]
    result = runner.invoke(
        app,
        ["dedupe", str(source), "--id-column", "Lead ID", "--out", str(tmp_path / "c.csv"),
         "--explain", first, second],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for field in ("prior", "person_name", "email", "phone", "employer", "title", "total"):
        assert field in result.output
    assert "match probability" in result.output


def test_company_only_lists_cluster_companies(tmp_path: Path) -> None:
    source = tmp_path / "directory.csv"
    rows = [
        ["L1", "Acme Robotics Inc.", "https://acme-robotics.com", "1 Main St", "02139", "US"],
        ["L2", "ACME ROBOTICS", "www.acme-robotics.com", "1 Main Street", "02139", "US"],
        ["L3", "Globex LLC", "globex.com", "9 Broad St", "10004", "US"],
    ]
    with source.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Listing", "Company", "Website", "Street", "Zip", "Country"])
        writer.writerows(rows)
    out = tmp_path / "c.csv"
    result = runner.invoke(
        app, ["dedupe", str(source), "--id-column", "Listing", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    clusters = pd.read_csv(out, dtype=str).set_index("Listing")["cluster_id"]
    assert clusters["L1"] == clusters["L2"] != clusters["L3"]


def test_a_missing_id_column_is_a_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "leads.csv"
    source.write_text("First Name,Last Name\nAnn,Lee\n", encoding="utf-8")
    result = runner.invoke(
        app, ["dedupe", str(source), "--id-column", "ID", "--out", str(tmp_path / "c.csv")]
    )
    assert result.exit_code == 2
    assert "ID" in result.output


@pytest.mark.slow  # 600 generated leads through the command line, fitted
def test_a_saved_model_reapplied_without_fitting_gives_the_same_clusters(tmp_path: Path) -> None:
    leads = generate_b2b_leads(600, seed=9).drop(columns=["true_person_id"])
    source = tmp_path / "leads.csv"
    leads.to_csv(source, index=False)
    model, first, again = tmp_path / "model.json", tmp_path / "a.csv", tmp_path / "b.csv"
    result = runner.invoke(
        app,
        ["dedupe", str(source), "--id-column", "Lead ID", "--out", str(first),
         "--save-model", str(model)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "blocking plan" in result.output and "candidate pairs" in result.output
    saved = MatchModel.load(model)
    assert saved.fitted and saved.people is not None
    result = runner.invoke(
        app,
        ["dedupe", str(source), "--id-column", "Lead ID", "--out", str(again),
         "--model", str(model), "--no-fit", "--no-plan"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "blocking plan" not in result.output
    pd.testing.assert_frame_equal(pd.read_csv(first, dtype=str), pd.read_csv(again, dtype=str))


def test_an_edited_model_file_is_refused_with_advice(tmp_path: Path) -> None:
    source = tmp_path / "leads.csv"
    generate_b2b_leads(60, seed=1).to_csv(source, index=False)
    data = default_model().to_dict()
    data["people"]["prior"] = 0.5
    model = tmp_path / "model.json"
    model.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(
        app,
        ["dedupe", str(source), "--id-column", "Lead ID", "--out", str(tmp_path / "c.csv"),
         "--model", str(model), "--no-fit"],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert result.exit_code != 0
    assert "checksum" in result.output and "leadflow model fit" in result.output
    assert not (tmp_path / "c.csv").exists()


@pytest.mark.slow  # worker processes
def test_chunks_normalized_by_workers_give_the_single_process_rows(
    tmp_path: Path, monkeypatch
) -> None:
    from flows import dedupe
    from ingest.mapping import apply_mapping, propose_mapping
    from ingest.normalize import normalize_batch
    from ingest.validate import validate_batch
    from sources.purchased_lists import read

    leads = generate_b2b_leads(700, seed=2).drop(columns=["true_person_id"])
    source = tmp_path / "leads.csv"
    leads.to_csv(source, index=False)
    monkeypatch.setattr(dedupe, "CHUNK_ROWS", 250)  # three chunks, on two workers
    rows, ids = dedupe.prepare_file(source, "Lead ID")
    assert list(ids) == list(leads["Lead ID"])
    batches = [b.rows for b in read(source, chunk_rows=250)]
    mapping = propose_mapping(list(batches[0].columns))
    expected = pd.concat(
        [validate_batch(normalize_batch(apply_mapping(b, mapping))) for b in batches]
    )
    pd.testing.assert_frame_equal(rows, expected)


def test_dedupe_accounts_for_unreadable_rows_and_escapes_formulas(tmp_path: Path) -> None:
    leads = generate_b2b_leads(200, seed=3).drop(columns=["true_person_id"])
    leads.loc[0, "Lead ID"] = '=HYPERLINK("http://x","y")'
    leads.loc[1, "Lead ID"] = "+cmd|' /C calc'!A0"
    leads.loc[2, "Lead ID"] = "@SUM(A1)"
    source = tmp_path / "leads.csv"
    leads.to_csv(source, index=False)
    with source.open("a", encoding="utf-8") as handle:
        handle.write('"unterminated,quote\n' + "z" * 200_000 + "\n")
    out = tmp_path / "clusters.csv"
    result = runner.invoke(
        app, ["dedupe", str(source), "--id-column", "Lead ID", "--out", str(out), "--no-plan"]
    )
    assert result.exit_code == 0, result.output
    clusters = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(clusters.columns) == ["Lead ID", "cluster_id", "line", "reason"]
    assert len(clusters) == 200 + 2  # every input line: 200 rows and 2 unreadable ones
    assert set(clusters["reason"]) == {"", "row.bad_quoting", "row.too_long"}
    assert list(clusters["Lead ID"][:3]) == [
        '\'=HYPERLINK("http://x","y")',
        "'+cmd|' /C calc'!A0",
        "'@SUM(A1)",
    ]


def test_explain_tells_differ_from_missing() -> None:
    from flows.commands.dedupe import values_state

    assert values_state("Walkker", "Walker") == "differ"
    assert values_state("Koch", None) == "missing"
    assert values_state("", "x") == "missing"
    assert values_state("ACME", "acme") == "same"


def test_a_list_of_assignees_under_an_unknown_header_clusters_its_companies(
    tmp_path: Path,
) -> None:
    source = tmp_path / "assignees.csv"
    names = ["AGILENT TECHNOLOGIES, INC.", "Agilent Technologies Inc", "Canon Kabushiki Kaisha",
             "CANON KK", "Canon K.K.", "Robert Bosch GmbH", "ROBERT BOSCH GMBH",
             "Sony Corporation", "Micron Technology Inc",
             "International Business Machines Corporation", "IBM Corp."]  # fmt: skip
    pd.DataFrame({"No": range(1, len(names) + 1), "Assignee": names}).to_csv(source, index=False)
    out = tmp_path / "c.csv"
    result = runner.invoke(app, ["dedupe", str(source), "--id-column", "No", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "companies:" in result.output and "warning" not in result.output
    c = pd.read_csv(out, dtype=str).set_index("No")["cluster_id"].tolist()
    assert c[0] == c[1] and c[2] == c[3] == c[4] and c[5] == c[6]
    assert c[9] == c[10]  # an acronym and its spelled-out name
    assert len({c[0], c[2], c[5], c[7], c[8], c[9]}) == 6


def test_a_file_with_nothing_to_compare_says_so(tmp_path: Path) -> None:
    source = tmp_path / "codes.csv"
    pd.DataFrame({"No": [1, 2, 3], "Code": ["a1", "a1", "b2"]}).to_csv(source, index=False)
    out = tmp_path / "c.csv"
    result = runner.invoke(app, ["dedupe", str(source), "--id-column", "No", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "no column of the file could be compared" in " ".join(result.output.split())
    assert len(pd.read_csv(out)) == 3  # every row is still written, each its own cluster
