"""The match model as one JSON document: it round-trips exactly, and a file that does not fit
this leadflow (or was edited after fitting) is refused with a ``ModelError`` saying what to do."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from matchers import MatchModel, ModelError, dedupe_frame, default_model
from matchers.comparisons import LIBRARY
from matchers.configure import configure
from matchers.features import record_features
from matchers.settings import FORMAT_VERSION, ComparisonSettings
from tests.matchers.helpers import generated_rows


@pytest.fixture(scope="module")
def fitted() -> MatchModel:
    """A model configured from and fitted to generated leads."""
    model = dedupe_frame(generated_rows(800, seed=3)).model
    assert model.fitted and model.people is not None
    return model


def people_comparisons(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["people"]["comparisons"]


def test_a_fitted_model_round_trips_through_dict_and_file(
    fitted: MatchModel, tmp_path: Path
) -> None:
    data = fitted.to_dict()
    assert data["checksum"].startswith("sha256:")
    again = MatchModel.from_dict(data)
    assert again.people == fitted.people and again.companies == fitted.companies
    assert again.to_dict() == data
    path = tmp_path / "model.json"
    fitted.save(path)
    loaded = MatchModel.load(path)
    assert loaded.people == fitted.people
    assert loaded.to_dict() == data
    assert loaded.source == "model.json"
    assert json.loads(path.read_text("utf-8")) == data  # the file is the dict, readable JSON


def test_the_shipped_model_is_fitted_and_round_trips() -> None:
    shipped = default_model()
    assert shipped.fitted
    assert MatchModel.from_dict(shipped.to_dict()).to_dict() == shipped.to_dict()


def test_unfitted_settings_round_trip_without_a_checksum() -> None:
    people, _ = configure(record_features(generated_rows(200)), "people")
    settings = MatchModel(people=people)
    data = settings.to_dict()
    assert not settings.fitted and "checksum" not in data
    again = MatchModel.from_dict(data)
    assert again.people == people
    assert all(level.m is None for c in again.people.comparisons for level in c.levels)


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(ModelError) as error:
        MatchModel.from_dict(data, source="model.json")
    return str(error.value)


def test_changed_level_labels_are_refused(fitted: MatchModel) -> None:
    data = copy.deepcopy(fitted.to_dict())
    levels = people_comparisons(data)[0]["levels"]
    levels[0]["label"], levels[1]["label"] = levels[1]["label"], levels[0]["label"]
    message = refused(data)
    assert people_comparisons(data)[0]["kind"] in message
    assert "refit" in message and "leadflow model fit" in message


def test_a_missing_level_is_refused(fitted: MatchModel) -> None:
    data = copy.deepcopy(fitted.to_dict())
    del people_comparisons(data)[0]["levels"][-1]
    assert "leadflow model fit" in refused(data)


def test_an_unknown_comparison_kind_is_refused(fitted: MatchModel) -> None:
    data = copy.deepcopy(fitted.to_dict())
    people_comparisons(data)[0]["kind"] = "shoe_size"
    message = refused(data)
    assert "shoe_size" in message
    assert all(kind in message for kind in LIBRARY)  # it names the kinds there are


@pytest.mark.parametrize("version", [1, FORMAT_VERSION + 1, None])
def test_another_format_version_is_refused(fitted: MatchModel, version: int | None) -> None:
    data = copy.deepcopy(fitted.to_dict())
    data["format_version"] = version
    message = refused(data)
    assert str(FORMAT_VERSION) in message and "leadflow model fit" in message


def test_a_document_that_is_no_model_is_refused(tmp_path: Path) -> None:
    assert "not a leadflow match model" in refused({"comparisons": []})
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", "utf-8")
    with pytest.raises(ModelError, match=r"cannot read match model broken\.json"):
        MatchModel.load(broken)


@pytest.mark.parametrize("key", ["m", "u"])
def test_m_or_u_not_summing_to_one_is_refused(fitted: MatchModel, key: str) -> None:
    data = copy.deepcopy(fitted.to_dict())
    comparison = people_comparisons(data)[0]
    comparison["levels"][0][key] = comparison["levels"][0][key] / 2 + 0.01
    message = refused(data)
    assert comparison["kind"] in message and f"{key} values must sum to 1" in message


def test_a_probability_out_of_range_is_refused(fitted: MatchModel) -> None:
    data = copy.deepcopy(fitted.to_dict())
    people_comparisons(data)[0]["levels"][0]["m"] = 1.5
    assert "probabilities" in refused(data)


def test_thresholds_out_of_order_are_refused(fitted: MatchModel) -> None:
    data = copy.deepcopy(fitted.to_dict())
    data["people"]["thresholds"] = {"link": 0.3, "review": 0.6}
    assert "review ≤ link" in refused(data)


def _shift(levels: list[dict[str, Any]], key: str) -> None:
    """Move a little of the first level's ``key`` to the last (the sum stays 1)."""
    moved = levels[0][key] * 0.001
    levels[0][key] -= moved
    levels[-1][key] += moved


EDITS = {
    "prior": lambda d: d["people"].__setitem__("prior", d["people"]["prior"] * 1.01),
    "m": lambda d: _shift(people_comparisons(d)[-1]["levels"], "m"),
    "u": lambda d: _shift(people_comparisons(d)[-1]["levels"], "u"),
    "link": lambda d: d["people"]["thresholds"].__setitem__("link", 0.95),
}
"""Edits of one fitted number that keep the document valid otherwise: only the checksum can
tell."""


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_fitted_number_edited_after_fitting_is_refused(fitted: MatchModel, edit: str) -> None:
    data = copy.deepcopy(fitted.to_dict())
    EDITS[edit](data)
    assert data != fitted.to_dict()
    message = refused(data)
    assert "checksum" in message and "leadflow model fit" in message


def test_a_fitted_model_without_its_checksum_is_refused(fitted: MatchModel) -> None:
    data = copy.deepcopy(fitted.to_dict())
    del data["checksum"]
    assert "leadflow model fit" in refused(data)


def test_loading_checks_every_comparison_against_the_library() -> None:
    for kind, spec in LIBRARY.items():
        settings = ComparisonSettings.of(kind)
        assert tuple(level.label for level in settings.levels) == spec.levels
        assert settings.levels[-1].label == "different"
        assert len(spec.prior_m) == len(spec.levels)
        assert sum(spec.prior_m) == pytest.approx(1.0)


def _unknown_kind(data: dict[str, Any]) -> None:
    people_comparisons(data)[0]["kind"] = "shoe_size"


def _m_not_summing(data: dict[str, Any]) -> None:
    people_comparisons(data)[0]["levels"][0]["m"] /= 2


@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(_unknown_kind, id="unknown-kind"),
        pytest.param(_m_not_summing, id="m-not-summing"),
        pytest.param(lambda d: d.__setitem__("format_version", 1), id="format-version"),
        pytest.param(lambda d: EDITS["prior"](d), id="checksum"),
    ],
)
def test_every_refusal_says_what_to_do(fitted: MatchModel, break_it) -> None:
    data = copy.deepcopy(fitted.to_dict())
    break_it(data)
    assert "leadflow model fit" in refused(data)
