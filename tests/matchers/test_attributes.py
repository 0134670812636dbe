"""A file's custom fields as evidence: which ones the profile takes, how they compare, how
they are fitted beside the model, and that they travel with a saved model."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from flows.dedupe import dedupe_file
from flows.importing import import_file
from ingest.config import Settings
from ingest.records import CUSTOM_COLUMN, SourceKind
from ingest.store.models import ImportRun
from matchers import MatchModel, dedupe_frame
from matchers.attribute_fit import split_attributes
from matchers.attributes import ITEM_SEPARATOR, attribute_features, with_attributes
from matchers.explain import explain_pair
from matchers.features import record_features
from matchers.settings import ModelError
from tests.matchers.helpers import coded, features, generated_with_truth, level_labels, rows
from tests.matchers.test_incremental_import import people_of

CUISINES = [f"cuisine {i}" for i in range(40)]


def _with_custom(custom: list[dict[str, str]], **canonical: str) -> pd.DataFrame:
    frame = rows(*({**canonical} for _ in custom))
    frame[CUSTOM_COLUMN] = pd.Series(custom, index=frame.index, dtype=object)
    return frame


def _profiled(custom: list[dict[str, str]]) -> list[str]:
    return list(attribute_features(_with_custom(custom)).columns)


def test_identifiers_dates_numbers_free_text_and_coarse_categories_are_left_out() -> None:
    n = 200
    custom = [
        {
            "patent_id": f"US{i // 2}",  # shared by two rows, but another system's id
            "contactId": f"c{i // 2}",
            "uuid": f"u{i // 2}",
            "created": f"2024-01-{1 + i % 28:02d}",
            "Lead Score": str(i % 50),
            "lead_source": ["web", "event", "list"][i % 3],  # strangers agree 1 time in 3
            "notes": f"called on monday about the renewal of contract number {i}, call back",
            "unique": f"value {i}",
            "Cuisine": CUISINES[i % 40],
        }
        for i in range(n)
    ]
    assert _profiled(custom) == ["attribute:Cuisine"]


def test_a_column_of_lists_compares_its_items() -> None:
    custom = [{"Coauthor": "ANN LEE**Bob  Ray**author 0"}]
    custom += [{"Coauthor": f"author {i % 25}**author {i + 100}"} for i in range(1, 60)]
    features = attribute_features(_with_custom(custom))
    assert list(features.columns) == ["attribute_list:Coauthor"]
    first = str(features["attribute_list:Coauthor"].iat[0])
    assert first.split(ITEM_SEPARATOR) == ["ann lee", "author 0", "bob ray"]


def test_latitude_and_longitude_make_one_place_and_zero_zero_is_none() -> None:
    custom = [{"Lat": "52.35", "Lng": "4.9166667"}, {"Lat": "52.3512", "Lng": "4.917"},
              {"Lat": "0.0", "Lng": "0.0"}, {"Lat": "51.44", "Lng": "5.47"}]  # fmt: skip
    features = attribute_features(_with_custom(custom))
    assert list(features.columns) == ["attribute:Lat+Lng"]
    places = features["attribute:Lat+Lng"].tolist()
    assert places[0] == places[1] != places[3]
    assert places[2] == ""


def test_no_custom_fields_no_attributes() -> None:
    frame = rows({"company_key": "acme"}, {"company_key": "globex"})
    features = record_features(frame)
    assert with_attributes(features, frame) is features


def test_list_levels() -> None:
    kind = "attribute_list:Class"
    lists = ["a61b;g01n;h04n", "h04n;g01n;a61b", "a61b;g01n;c07d", "a61b;c07d", "f16l;b01d", ""]
    frame = features(*({"company": "acme"} for _ in lists))
    frame[kind] = [ITEM_SEPARATOR.join(sorted(v.split(";"))) if v else "" for v in lists]
    c = coded(frame)
    pairs = [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)]
    assert level_labels(kind, c, pairs) == [
        "same", "two_shared", "one_shared", "different", "missing"
    ]  # fmt: skip


def test_an_attribute_a_batch_lacks_is_missing() -> None:
    frame = rows({"company_key": "acme"}, {"company_key": "acme"})
    c = coded(record_features(frame))
    assert level_labels("attribute:Cuisine", c, [(0, 1)]) == ["missing"]
    assert level_labels("attribute_list:Class", c, [(0, 1)]) == ["missing"]


def _assignees() -> pd.DataFrame:
    """One company under two names whose patents share inventors and classes, and 40 other
    companies with inventors of their own."""
    names, custom = [], []
    for i in range(60):
        names.append("electronics konink philips" if i % 2 else "gloeilampenfab philips")
        custom.append({"Coauthor": f"jan de vries**piet bakker**inventor {i}",
                       "Class": "h04n;g01n" if i % 3 else "h04n;a61b"})  # fmt: skip
    for i in range(40):
        for copy in range(3):
            names.append(f"company {i} holding")
            custom.append({"Coauthor": f"person {i}-{copy}**person {i}-x",
                           "Class": f"c{i:02d}x;d{i:02d}y"})  # fmt: skip
    frame = rows(*({"company_key": n} for n in names))
    frame[CUSTOM_COLUMN] = pd.Series(custom, index=frame.index, dtype=object)
    return frame


def test_attributes_are_fitted_beside_the_model_and_kept_in_it() -> None:
    result = dedupe_frame(_assignees())
    model = result.model.companies
    kinds = [c.kind for c in model.comparisons]
    assert kinds[0] == "company_name"
    assert {"attribute_list:Coauthor", "attribute_list:Class"} <= set(kinds)
    core, attributes = split_attributes(model)
    assert [c.kind for c in core.comparisons] == ["company_name"]
    assert len(attributes) == 2
    for attribute in attributes:
        weights = attribute.weights()
        assert weights[2] > 0 > weights[-1]  # sharing one item is evidence, none against
        assert all(a >= b for a, b in pairwise(weights))  # monotone


def test_shared_items_raise_a_pair_that_the_name_alone_keeps_apart() -> None:
    frame = _assignees()
    with_items = explain_pair(dedupe_frame(frame), 0, 1).probability
    names_only = explain_pair(dedupe_frame(frame.drop(columns=[CUSTOM_COLUMN])), 0, 1)
    assert names_only.probability < 0.1 < 0.5 < with_items


def test_copies_with_other_attributes_count_once_toward_the_cluster_cap() -> None:
    """A company's 100 patents (other inventors on each) are one cluster: the cap on cluster
    size counts records identical but for their attributes as one."""
    frame = rows(*({"company_key": "agilent technologies"} for _ in range(100)))
    custom = [{"Coauthor": f"inventor {i}**inventor {i + 1}"} for i in range(100)]
    frame[CUSTOM_COLUMN] = pd.Series(custom, index=frame.index, dtype=object)
    result = dedupe_frame(frame)
    assert result.clusters.nunique() == 1


def test_a_model_with_attributes_round_trips_and_a_tampered_one_is_refused() -> None:
    model = dedupe_frame(_assignees()).model
    data = model.to_dict()
    again = MatchModel.from_dict(data)
    assert again.to_dict() == data
    part = data["companies"]
    attribute = next(c for c in part["comparisons"] if c["kind"].startswith("attribute_list:"))
    attribute["levels"][1]["label"] = "three_shared"
    with pytest.raises(ModelError, match="levels"):
        MatchModel.from_dict(data)
    attribute["levels"][1]["label"] = "two_shared"
    attribute["kind"] = "attribute_matrix:Coauthor"
    with pytest.raises(ModelError, match="attribute:COLUMN"):
        MatchModel.from_dict(data)


def test_an_attribute_that_tells_nothing_is_left_out_and_one_that_tells_is_kept() -> None:
    """Random tags weigh nothing either way and are not compared; a value each person keeps
    (a membership tier code per person) is."""
    frame, truth = generated_with_truth(800)
    rng = np.random.default_rng(3)
    tiers = {person: f"tier {i}" for i, person in enumerate(pd.unique(truth))}
    custom = [
        {"Tags": ";".join(f"t{x}" for x in rng.integers(0, 400, 6)), "Tier": tiers[person]}
        for person in truth
    ]
    frame[CUSTOM_COLUMN] = pd.Series(custom, index=frame.index, dtype=object)
    kinds = [c.kind for c in dedupe_frame(frame).model.people.comparisons]
    assert "attribute:Tier" in kinds
    assert "attribute_list:Tags" not in kinds


def test_a_persons_own_identifier_is_compared_though_it_looks_like_an_id() -> None:
    """A national id or passport number (numbers, one per person) is evidence; another
    system's record id is not. Punctuation and spaces do not count."""
    n = 100
    custom = [
        {
            "contact_id": f"c{i // 2}",
            "SSN": f"{100 + i // 2:03d}-45-6789" if i % 2 else f"{100 + i // 2:03d} 45 6789",
            "passport_no": f"P{i:07d}",
        }
        for i in range(n)
    ]
    features = attribute_features(_with_custom(custom))
    assert list(features.columns) == ["attribute:SSN", "attribute:passport_no"]
    ssn = features["attribute:SSN"].tolist()
    assert ssn[0] == ssn[1] == "100456789" != ssn[2]


WORDS = ("acme", "globex", "initech", "umbrella", "hooli", "vandelay", "wonka", "stark")


def test_a_companys_registry_number_links_its_listings_under_another_name() -> None:
    """A company list with DUNS numbers (another generator's accounts): most second listings
    repeat the legal name, some use a trading name that shares no word with it, and the DUNS
    number, written another way, is the company's own: compared, learnt from the listings
    the names already tell, and a blocking rule for companies too."""
    records, custom = [], []
    for i in range(300):
        legal = f"{WORDS[i % 8]} {WORDS[(i // 8) % 8]} {i} holdings"
        other = legal if i % 3 else f"zz trading {i * 7919 % 1000}"
        duns = f"{i:02d}-{i % 97:03d}-{i:04d}"
        for name, number in ((legal, duns), (other, duns.replace("-", ""))):
            records.append({"company_key": name, "city": f"town {i % 50}"})
            custom.append({"DUNS Number": number})
    frame = rows(*records)
    frame[CUSTOM_COLUMN] = pd.Series(custom, index=frame.index, dtype=object)
    result = dedupe_frame(frame)
    companies = result.model.companies
    assert companies is not None
    assert ("attribute:DUNS Number",) in [rule.columns for rule in companies.blocking]
    clusters = result.clusters.to_numpy()
    trading = np.arange(0, 600, 6)  # the companies whose second listing is a trading name
    assert (clusters[trading] == clusters[trading + 1]).mean() > 0.95
    assert len(set(clusters)) == 300


def _leads_with_ssn(path: Path, *, ssn: bool) -> Path:
    """600 generated leads with an SSN per true person, and one person twice at one employer
    with another email, another phone and a short first name."""
    from sample_data.generate import generate_b2b_leads

    raw = generate_b2b_leads(600, seed=5)
    codes = {
        p: f"{100 + i:03d}-{i % 90 + 10:02d}-{i:04d}"
        for i, p in enumerate(pd.unique(raw["true_person_id"]))
    }
    raw["SSN"] = raw.pop("true_person_id").map(codes)
    extra = pd.DataFrame(
        [
            {"Lead ID": "X1", "First Name": "Jonathan", "Last Name": "Smythe",
             "Company": "Acme Robotics", "E-mail Address": "jsmythe@acme-robotics.com",
             "Phone #": "+1 312 555 0100", "SSN": "987-65-4321"},
            {"Lead ID": "X2", "First Name": "Jon", "Last Name": "Smythe",
             "Company": "Acme Robotics", "E-mail Address": "jon.smythe77@gmail.com",
             "Phone #": "+1 646 555 0199", "SSN": "987 65 4321"},
        ]
    )  # fmt: skip
    frame = pd.concat([raw, extra], ignore_index=True)
    if not ssn:
        frame = frame.drop(columns=["SSN"])
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("ssn", [True, False], ids=["with-ssn", "without"])
def test_the_import_weighs_a_persons_own_identifier_as_dedupe_does(
    engine: Engine, tmp_path: Path, settings: Settings, ssn: bool
) -> None:
    path = _leads_with_ssn(tmp_path / "leads.csv", ssn=ssn)
    report = import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings,
                         orchestrate=False)  # fmt: skip
    people = people_of(engine, report.run_id)
    with Session(engine) as session:
        run = session.get(ImportRun, report.run_id)
        fitted = run.fitted_model if run is not None else None
    kinds = [c["kind"] for c in fitted["people"]["comparisons"]] if fitted else []
    deduped = dedupe_file(path, "Lead ID")
    by_id = dict(zip(deduped.ids.tolist(), deduped.result.clusters.tolist(), strict=True))
    assert ("attribute:SSN" in kinds) is ssn
    assert (people["X1"] == people["X2"]) is ssn
    assert (by_id["X1"] == by_id["X2"]) is ssn


def test_a_saved_model_with_attributes_runs_on_a_file_without_those_columns(
    tmp_path: Path,
) -> None:
    """The SSN comparison and its blocking rule find no SSN: every pair is "not compared" on
    it, and the rest of the model still links the file's duplicates."""
    with_ssn = _leads_with_ssn(tmp_path / "ssn.csv", ssn=True)
    model = dedupe_file(with_ssn, "Lead ID").result.model
    assert model.people is not None and model.people.comparison("attribute:SSN") is not None
    assert ("attribute:SSN",) in [rule.columns for rule in model.people.blocking]
    run = dedupe_file(
        _leads_with_ssn(tmp_path / "plain.csv", ssn=False), "Lead ID", model=model, fit=False
    )
    result = run.result
    labels = dict(zip(run.ids.tolist(), result.clusters.index.tolist(), strict=True))
    explained = explain_pair(result, labels["X1"], labels["X2"])
    row = explained.table.set_index("field").loc["attribute:SSN"]
    assert row["level"] == "not compared" and row["weight"] == 0
    assert result.clusters.nunique() < len(result.clusters) - 50  # duplicates still linked
