"""Reading data.census.gov table downloads: two header rows, encodings, dataset names."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import SourceFormatError
from sources.census import dataset_from_name, read_census

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "census" / "ACSDP5Y2023.DP03-zcta_sample.csv"

HEADER = '"GEO_ID","NAME","DP03_0062E","DP03_0062M"\n'
LABELS = '"Geography","Geographic Area Name","Estimate!!Médian income","Margin of Error!!Médian"\n'


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_sample_file_reads_every_zcta_and_variable() -> None:
    table = read_census(SAMPLE)
    assert table.dataset == "ACSDP5Y2023.DP03"
    assert table.rows_in == 38 and table.rows_skipped == 0
    assert len(table.figures) == 38 * 5
    assert set(table.figures["variable"]) == {
        "DP03_0001E", "DP03_0002E", "DP03_0009PE", "DP03_0062E", "DP03_0088E",
    }  # fmt: skip
    top = table.figures.query("postal_code == '02110' and variable == 'DP03_0062E'").iloc[0]
    assert (top.lower_bound, top.annotation) == (250000.0, "250,000+")
    assert table.figures["postal_code"].str.len().eq(5).all()


@pytest.mark.parametrize(
    ("name", "dataset"),
    [
        ("ACSDP5Y2023.DP03-Data.csv", "ACSDP5Y2023.DP03"),
        ("ACSDT5Y2022.B19013-zcta.csv", "ACSDT5Y2022.B19013"),
        ("income.csv", None),
    ],
)
def test_dataset_from_name(name: str, dataset: str | None) -> None:
    assert dataset_from_name(Path(name)) == dataset


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    body = '"8600000US02139","ZCTA5 02139","189,502","19,467"\n'
    path = write(tmp_path / "ACSDP5Y2023.DP03-Data.csv", HEADER + LABELS + body, encoding)
    table = read_census(path)
    row = table.figures.iloc[0]
    assert (row.postal_code, row.estimate, row.margin) == ("02139", 189502.0, 19467.0)
    assert row.label == "Estimate!!Médian income"


def test_dataset_parameter_wins_and_is_required_without_a_census_name(tmp_path: Path) -> None:
    body = '"860Z200US02139","ZCTA5 02139","1","1"\n'
    path = write(tmp_path / "income.csv", HEADER + LABELS + body)
    with pytest.raises(SourceFormatError, match="dataset"):
        read_census(path)
    assert read_census(path, dataset="MY.TABLE").dataset == "MY.TABLE"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('"a","b"\n"c","d"\n', "no GEO_ID or NAME column"),
        (HEADER + '"Geography"\n', "label row"),
        (HEADER + LABELS + '"860Z200US02139","ZCTA5 02139","1"\n', "expected 4 fields"),
    ],
)
def test_files_that_are_not_census_tables(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path / "ACSDP5Y2023.DP03-Data.csv", text)
    with pytest.raises(SourceFormatError, match=problem):
        read_census(path)
