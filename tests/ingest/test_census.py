"""ACS value, geography and column-code parsing (table-driven)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from ingest.census import (
    ANNOTATIONS,
    CensusValue,
    CensusValueError,
    figures_frame,
    parse_cells,
    parse_column,
    parse_value,
    zcta_from_geo_id,
    zcta_from_name,
)

VALUES = [
    ("55436", CensusValue(estimate=55436.0)),
    ("55,436", CensusValue(estimate=55436.0)),
    ("1,234,567", CensusValue(estimate=1234567.0)),
    ("0", CensusValue(estimate=0.0)),
    ("8.9", CensusValue(estimate=8.9)),
    ("8.9%", CensusValue(estimate=8.9)),
    (" 42 ", CensusValue(estimate=42.0)),
    ("250,000+", CensusValue(lower_bound=250000.0, annotation="250,000+")),
    ("2,500-", CensusValue(upper_bound=2500.0, annotation="2,500-")),
    ("100-", CensusValue(upper_bound=100.0, annotation="100-")),
    ("", CensusValue()),
    (None, CensusValue()),
    *[(code, CensusValue(annotation=code)) for code in ANNOTATIONS],
]


@pytest.mark.parametrize(("text", "expected"), VALUES)
def test_parse_value(text: str | None, expected: CensusValue) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize("text", ["abc", "12,34", "1.2.3", "++", "****"])
def test_parse_value_rejects_other_text_without_echoing_it(text: str) -> None:
    with pytest.raises(CensusValueError) as info:
        parse_value(text)
    assert text not in str(info.value)


def test_every_annotation_has_a_sentence() -> None:
    # the twelve codes the Census Bureau documents for ACS tables
    assert set(ANNOTATIONS) == {
        "-666666666", "-999999999", "-888888888", "-222222222", "-333333333", "-555555555",
        "(X)", "N", "-", "**", "***", "*****",
    }  # fmt: skip
    assert all(sentence.endswith(".") for sentence in ANNOTATIONS.values())


@pytest.mark.parametrize(
    ("geo_id", "zcta"),
    [
        ("860Z200US02139", "02139"),
        ("8600000US02139", "02139"),
        ("860Z200US00601", "00601"),  # leading zeros are part of the code
        ("0400000US25", None),  # a state, not a ZCTA
        ("860Z200US0213", None),
        ("", None),
    ],
)
def test_zcta_from_geo_id(geo_id: str, zcta: str | None) -> None:
    assert zcta_from_geo_id(geo_id) == zcta


@pytest.mark.parametrize(
    ("name", "zcta"),
    [("ZCTA5 02139", "02139"), ("ZCTA5  00501", "00501"), ("Massachusetts", None)],
)
def test_zcta_from_name(name: str, zcta: str | None) -> None:
    assert zcta_from_name(name) == zcta


@pytest.mark.parametrize(
    ("code", "variable", "kind", "percent"),
    [
        ("DP03_0062E", "DP03_0062E", "E", False),
        ("DP03_0062M", "DP03_0062E", "M", False),
        ("DP03_0009PE", "DP03_0009PE", "E", True),
        ("DP03_0009PM", "DP03_0009PE", "M", True),
        ("B19013_001E", "B19013_001E", "E", False),
    ],
)
def test_parse_column(code: str, variable: str, kind: str, percent: bool) -> None:
    column = parse_column(code)
    assert column is not None
    assert (column.variable, column.kind, column.percent) == (variable, kind, percent)


@pytest.mark.parametrize("code", ["GEO_ID", "NAME", "DP03_0062EA", "DP03_0062MA", ""])
def test_parse_column_ignores_other_columns(code: str) -> None:
    assert parse_column(code) is None


def test_parse_cells_matches_parse_value() -> None:
    texts = [text for text, _ in VALUES if text is not None]
    frame = parse_cells(pd.Series(texts, dtype=object))
    for i, text in enumerate(texts):
        expected = parse_value(text)
        got = frame.iloc[i]
        assert (None if pd.isna(got["estimate"]) else got["estimate"]) == expected.estimate, text
        assert (None if pd.isna(got["annotation"]) else got["annotation"]) == expected.annotation


def test_parse_cells_keeps_unknown_text_as_its_annotation() -> None:
    frame = parse_cells(pd.Series(["abc", "7"], dtype=object))
    assert frame["annotation"].tolist()[0] == "abc"
    assert frame["estimate"].tolist()[1] == 7.0


def test_figures_frame_pairs_margins_and_skips_other_geographies() -> None:
    codes = ["GEO_ID", "NAME", "X_001E", "X_001M", "X_002PE", "X_002PM"]
    labels = ["Geography", "Name", "Estimate!!A", "Margin!!A", "Percent!!B", "Percent MOE!!B"]
    rows = pd.DataFrame(
        [
            ["860Z200US02139", "ZCTA5 02139", "1,000", "50", "7.5", "(X)"],
            ["0400000US25", "Massachusetts", "5", "1", "1", "1"],
            ["", "ZCTA5 00501", "-666666666", "-222222222", "", ""],
        ],
        columns=codes,
        dtype=object,
    )
    figures, skipped = figures_frame(rows, dataset="T", codes=codes, labels=labels)
    assert skipped == 1
    by: dict[tuple[str, str], Any] = {
        (str(r.postal_code), str(r.variable)): r for r in figures.itertuples()
    }
    assert set(by) == {
        ("02139", "X_001E"), ("02139", "X_002PE"), ("00501", "X_001E"), ("00501", "X_002PE"),
    }  # fmt: skip
    first = by[("02139", "X_001E")]
    assert (first.estimate, first.margin, first.label) == (1000.0, 50.0, "Estimate!!A")
    # the estimate is a number, so the margin's code is what the annotation records
    assert by[("02139", "X_002PE")].annotation == "margin (X)"
    # an annotated estimate keeps its own code (the margin code is implied by it)
    assert by[("00501", "X_001E")].annotation == "-666666666"
    assert pd.isna(by[("00501", "X_001E")].estimate)
