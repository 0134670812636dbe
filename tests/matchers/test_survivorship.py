"""Survivorship rules per field: validity, completeness, source priority, recency."""

from __future__ import annotations

import pandas as pd
import pytest

from ingest.survivorship import UnknownRuleError, choose


def frame(*records: dict[str, object]) -> pd.DataFrame:
    out = pd.DataFrame(list(records))
    out.index = pd.Index(range(10, 10 + len(out)))
    return out


@pytest.mark.parametrize(
    ("records", "field", "value", "rule"),
    [
        # completeness: a full first name beats an initial
        ([{"g": 1, "first_name": "R."}, {"g": 1, "first_name": "Robert"}],
         "first_name", "Robert", "completeness"),
        # completeness is about abbreviations: "J. Smith" abbreviates "Jonathan Smith" ...
        ([{"g": 1, "full_name": "J. Smith"}, {"g": 1, "full_name": "Jonathan Smith"}],
         "full_name", "Jonathan Smith", "completeness"),
        # ... while a different, longer name is not more complete: row order decides
        ([{"g": 1, "first_name": "Ada"}, {"g": 1, "first_name": "Augusta"}],
         "first_name", "Ada", "row_order"),
        # validity: a value flagged by validation loses to a clean one
        ([{"g": 1, "postal_code": "021390", "issues": ("postal_code.invalid_for_country",)},
          {"g": 1, "postal_code": "02139", "issues": ()}], "postal_code", "02139", "validity"),
        # recency: the newest title wins
        ([{"g": 1, "job_title": "CTO", "captured_at": "2025-01-01"},
          {"g": 1, "job_title": "Head of Engineering", "captured_at": "2023-05-01"}],
         "job_title", "CTO", "recency"),
        # source priority before recency for names of equal length
        ([{"g": 1, "last_name": "Meyer", "source_rank": 2},
          {"g": 1, "last_name": "Maier", "source_rank": 1}], "last_name", "Maier",
         "source_priority"),
        # a missing value never survives
        ([{"g": 1, "job_title": None}, {"g": 1, "job_title": "CFO"}], "job_title", "CFO",
         "only_value"),
        # every rule ties: the first row wins
        ([{"g": 1, "last_name": "Lee"}, {"g": 1, "last_name": "Lee"}], "last_name", "Lee",
         "row_order"),
    ],
)  # fmt: skip
def test_rules(records, field, value, rule) -> None:
    survivor = choose(frame(*records), "g", [field])[1][field]
    assert (survivor.value, survivor.rule) == (value, rule)


def test_provenance_names_the_row_and_groups_are_independent() -> None:
    rows = frame(
        {"g": "a", "first_name": "J."},
        {"g": "b", "first_name": "Maria"},
        {"g": "a", "first_name": "Jennifer"},
    )
    chosen = choose(rows, "g", ["first_name"])
    assert chosen["a"]["first_name"].row == 12
    assert chosen["b"]["first_name"].row == 11


def test_unknown_rule_is_a_clear_error() -> None:
    with pytest.raises(UnknownRuleError):
        choose(frame({"g": 1, "x": "v"}), "g", ["x"], policy={"x": ("coin_flip",)})
