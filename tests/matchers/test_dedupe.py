"""``dedupe_frame`` phase by phase: split people from companies, configure, fit (or take the
shipped parameters for a small file, or a given model as it is), score and cluster."""

from __future__ import annotations

import pandas as pd
import pytest

from matchers import MatchModel, dedupe_frame, default_model
from matchers.dedupe import dedupe_view, matching_view
from matchers.priors import MIN_FIT_RECORDS
from tests.matchers.helpers import generated_rows, rows

ANN = {"first_name_key": "ann", "last_name_key": "miller", "email_key": "ann.miller@acme.com",
       "company_key": "acme", "postal_code": "10001"}  # fmt: skip
BOB = {"first_name_key": "bob", "last_name_key": "ray", "email_key": "bob.ray@globex.com",
       "company_key": "globex", "postal_code": "10002"}  # fmt: skip
ACME = {"company_key": "acme robotics", "company_domain": "acme-robotics.com",
        "postal_code": "02139", "street": "1 main street"}  # fmt: skip


def test_people_and_company_only_rows_go_through_their_own_models() -> None:
    frame = rows(ANN, BOB, ANN, ACME, ACME, {**ACME, "company_key": "acme robotics inc"},
                 {"company_key": "globex", "company_domain": "globex.com"})  # fmt: skip
    frame.index = pd.Index([10, 11, 12, 13, 14, 15, 16])  # any labels
    result = dedupe_frame(frame)
    assert list(result.clusters.index) == [10, 11, 12, 13, 14, 15, 16]
    assert set(result.runs) == {"people", "companies"}
    assert list(result.runs["people"].rows) == [10, 11, 12]
    assert list(result.runs["companies"].rows) == [13, 14, 15, 16]
    clusters = result.clusters
    assert all(c.startswith("p") for c in clusters.loc[[10, 11, 12]])
    assert all(c.startswith("c") for c in clusters.loc[[13, 14, 15, 16]])
    assert clusters[10] == clusters[12] != clusters[11]
    assert clusters[13] == clusters[14] == clusters[15] != clusters[16]
    assert result.model.people.entity == "people"
    assert result.model.companies.entity == "companies"
    assert {c.kind for c in result.model.companies.comparisons} >= {"company_name", "web_domain"}


def test_the_views_of_a_files_chunks_cluster_its_rows_as_the_rows_do() -> None:
    frame = pd.concat([generated_rows(600), rows(ACME, ACME, {**ACME, "postal_code": "02140"})])
    frame.index = pd.RangeIndex(100, 100 + len(frame))
    views = [matching_view(frame.iloc[start : start + 250]) for start in range(0, len(frame), 250)]
    expected, got = dedupe_frame(frame), dedupe_view(pd.concat(views))
    pd.testing.assert_series_equal(got.clusters, expected.clusters)
    pd.testing.assert_frame_equal(got.reviews, expected.reviews)
    assert got.model == expected.model


def test_a_small_file_is_scored_with_the_shipped_parameters() -> None:
    result = dedupe_frame(rows(ANN, BOB, ANN, BOB))
    assert MIN_FIT_RECORDS > 4
    people, shipped = result.model.people, default_model().people
    assert people.fitted
    for comparison in people.comparisons:
        assert comparison.levels == shipped.comparison(comparison.kind).levels
    assert people.trained_on == {}


def test_a_larger_file_fits_its_own_model() -> None:
    frame = generated_rows(600)
    result = dedupe_frame(frame)
    people = result.model.people
    assert people.trained_on["records"] == len(frame)
    assert result.model.source == "fitted to the input"
    shipped = default_model().people
    name = people.comparison("person_name")
    assert name.levels != shipped.comparison("person_name").levels


def test_a_given_fitted_model_is_used_as_it_is_without_fitting() -> None:
    frame = generated_rows(600)
    fitted = dedupe_frame(frame).model
    model = MatchModel(fitted.people, fitted.companies, source="model.json")
    again = dedupe_frame(frame, model=model, fit=False)
    assert again.model.people == fitted.people
    assert again.model.source == "model.json"
    assert again.runs["people"].plan == []  # nothing configured: the model's rules
    assert dedupe_frame(frame).clusters.equals(again.clusters)


def test_the_same_input_and_seed_give_the_same_clusters() -> None:
    frame = generated_rows(600, seed=4)
    first, second = dedupe_frame(frame, seed=1), dedupe_frame(frame, seed=1)
    assert first.clusters.equals(second.clusters)
    assert first.model.to_dict() == second.model.to_dict()


@pytest.mark.slow  # 1,500 generated leads
def test_review_pairs_name_input_labels_and_ended_in_two_clusters() -> None:
    frame = generated_rows(1500)
    frame.index = frame.index + 1000
    result = dedupe_frame(frame)
    reviews = result.reviews
    assert len(reviews) > 0
    assert set(reviews["left"]) | set(reviews["right"]) <= set(frame.index)
    assert (result.clusters.loc[reviews["left"]].to_numpy()
            != result.clusters.loc[reviews["right"]].to_numpy()).all()  # fmt: skip
    people = result.model.people
    assert reviews["probability"].between(people.review_threshold, 1).all()


def test_two_identical_rows_are_one_person() -> None:
    first, second = dedupe_frame(rows(ANN, ANN)).clusters.tolist()
    assert first == second


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([ANN], [0]),
        ([ANN, BOB], [0, 1]),
        ([ANN, {**ANN, "email_key": None}], [0, 0]),  # a column only one row fills
        ([ANN, {**ANN, "first_name_key": "anne"}], [0, 0]),  # a typo
        ([{**ANN, "email_key": ""}, {**ANN, "email_key": ""}], [0, 0]),  # an empty column
        ([ANN, BOB, ANN], [0, 1, 0]),
        ([ANN, BOB, {**BOB, "postal_code": None}, ANN] + [{"first_name_key": f"f{i}",
          "last_name_key": f"l{i}"} for i in range(6)], [0, 1, 1, 0, *range(4, 10)]),
    ],
)  # fmt: skip
def test_a_tiny_file_links_its_duplicates_and_nothing_else(
    records: list[dict[str, str]], expected: list[int]
) -> None:
    clusters = dedupe_frame(rows(*records)).clusters.tolist()
    assert [clusters.index(c) for c in clusters] == expected
