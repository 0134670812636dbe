"""Source profiles: loading YAML and TOML, round-tripping, and errors that name the bad key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from ingest.errors import ProfileError
from ingest.profiles import SourceProfile, column_target
from ingest.records import SourceKind
from ingest.source_rank import DEFAULT_SOURCE_RANKS

REPO = Path(__file__).resolve().parents[2]

YAML_PROFILE = """\
name: acme
kind: purchased_list
default_region: us
delimiter: tab
encoding: cp1252
columns:
  "Phone #": phone
  E-mail Address: email
  Lead Score: custom:score
  Notes: custom
vendor: Acme Data Co.
purchase_date: 2026-09-15
cost: "1200.00"
currency: usd
declared_consent_basis: opt_in
licence_terms: internal use only
"""

TOML_PROFILE = """\
name = "acme"
kind = "purchased_list"
default_region = "US"
delimiter = "\\t"
encoding = "cp1252"
vendor = "Acme Data Co."
purchase_date = 2026-09-15
cost = "1200.00"
currency = "USD"
declared_consent_basis = "opt_in"
licence_terms = "internal use only"

[columns]
"Phone #" = "phone"
"E-mail Address" = "email"
"Lead Score" = "custom:score"
"Notes" = "custom"
"""


@pytest.mark.parametrize(("filename", "text"), [("p.yaml", YAML_PROFILE), ("p.toml", TOML_PROFILE)])
def test_yaml_and_toml_load_the_same_profile(tmp_path: Path, filename: str, text: str) -> None:
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    profile = SourceProfile.from_path(path)
    assert profile == SourceProfile(
        name="acme",
        kind=SourceKind.PURCHASED_LIST,
        columns={
            "Phone #": "phone",
            "E-mail Address": "email",
            "Lead Score": "custom:score",
            "Notes": "custom",
        },
        default_region="US",
        delimiter="\t",
        encoding="cp1252",
        vendor="Acme Data Co.",
        purchase_date=date(2026, 9, 15),
        cost=Decimal("1200.00"),
        currency="USD",
        declared_consent_basis="opt_in",
        licence_terms="internal use only",
    )


def test_to_dict_and_yaml_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(YAML_PROFILE, encoding="utf-8")
    profile = SourceProfile.from_path(path)
    assert SourceProfile.from_dict(profile.to_dict()) == profile
    again = tmp_path / "again.yaml"
    again.write_text(profile.to_yaml(), encoding="utf-8")
    assert SourceProfile.from_path(again) == profile
    assert profile.to_dict()["cost"] == "1200.00"  # no float on the way out


def test_minimal_profile_defaults() -> None:
    profile = SourceProfile.from_dict({"name": "x"})
    assert profile.kind is SourceKind.PURCHASED_LIST
    assert profile.columns == {}
    assert profile.to_dict() == {"name": "x", "kind": "purchased_list", "columns": {}}


@pytest.mark.parametrize(
    ("data", "key", "in_message"),
    [
        ({"name": "x", "colums": {}}, "colums", "Valid choices: name, kind, columns"),
        ({"name": "x", "columns": {"Mail": "emial"}}, "columns.Mail", "email"),
        ({"name": "x", "columns": {"A": "email", "B": "email"}}, "columns.B", "already mapped"),
        ({"name": "x", "columns": {"A": "custom:"}}, "columns.A", "needs a name"),
        ({"name": "x", "columns": ["Email"]}, "columns", "map source headers"),
        ({"name": "x", "kind": "fax"}, "kind", "purchased_list"),
        ({"name": "x", "default_region": "Germany"}, "default_region", "ISO 3166-1"),
        ({"name": "x", "currency": "dollars"}, "currency", "ISO 4217"),
        ({"name": "x", "delimiter": ";;"}, "delimiter", "one character"),
        ({"name": "x", "encoding": "klingon"}, "encoding", "cp1252"),
        ({"name": "x", "purchase_date": "15/09/2026"}, "purchase_date", "YYYY-MM-DD"),
        ({"name": "x", "compile_date": "2026-13-01"}, "compile_date", "YYYY-MM-DD"),
        ({"name": "x", "suppression_screened_at": "soon"}, "suppression_screened_at", "YYYY"),
        ({"name": "x", "cost": "a lot"}, "cost", "number"),
        ({"name": "x", "vendor": 7}, "vendor", "string"),
        ({"name": "x", "source_rank": 0}, "source_rank", "positive whole number"),
        ({"name": "x", "source_rank": -2}, "source_rank", "positive whole number"),
        ({"name": "x", "source_rank": "1"}, "source_rank", "positive whole number"),
        ({"name": "x", "source_rank": 1.5}, "source_rank", "positive whole number"),
        ({"name": "x", "source_rank": True}, "source_rank", "positive whole number"),
        ({"kind": "event"}, "name", "required"),
    ],
)
def test_invalid_profiles_name_the_key(data: dict, key: str, in_message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        SourceProfile.from_dict(data)
    assert caught.value.key == key
    assert repr(key) in str(caught.value)
    assert in_message in str(caught.value)


def test_source_rank_round_trips_and_overrides_the_kind(tmp_path: Path) -> None:
    profile = SourceProfile.from_dict({"name": "crm", "kind": "purchased_list", "source_rank": 1})
    assert (profile.source_rank, profile.rank) == (1, 1)
    assert profile.to_dict()["source_rank"] == 1
    assert SourceProfile.from_dict(profile.to_dict()) == profile
    path = tmp_path / "p.toml"
    path.write_text('name = "crm"\nsource_rank = 2\n', encoding="utf-8")
    assert SourceProfile.from_path(path).rank == 2
    assert "source_rank" not in profile.manifest()  # not a vendor fact


def test_every_source_kind_has_a_distinct_default_rank() -> None:
    assert set(DEFAULT_SOURCE_RANKS) == set(SourceKind)
    assert len(set(DEFAULT_SOURCE_RANKS.values())) == len(SourceKind)


@pytest.mark.parametrize(
    ("kind", "rank"),
    [("web_form", 1), ("event", 2), ("directory", 3), ("purchased_list", 4), ("census", 5)],
)
def test_without_source_rank_the_kind_ranks(kind: str, rank: int) -> None:
    profile = SourceProfile.from_dict({"name": "x", "kind": kind})
    assert (profile.source_rank, profile.rank) == (None, rank)
    assert "source_rank" not in profile.to_dict()


def test_unknown_canonical_field_lists_valid_fields() -> None:
    with pytest.raises(ProfileError) as caught:
        SourceProfile.from_dict({"name": "x", "columns": {"Mail": "e_mail"}})
    assert "first_name" in caught.value.valid and "custom:<name>" in caught.value.valid


@pytest.mark.parametrize(
    ("filename", "text", "in_message"),
    [
        ("p.yaml", "name: [unclosed", "not valid YAML"),
        ("p.toml", "name = ", "not valid TOML"),
        ("p.json", "{}", "unsupported profile file type"),
        ("p.yaml", "- just\n- a list\n", "must be a mapping"),
    ],
)
def test_unreadable_profile_files(
    tmp_path: Path, filename: str, text: str, in_message: str
) -> None:
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=in_message) as caught:
        SourceProfile.from_path(path)
    assert caught.value.path == str(path)


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read"):
        SourceProfile.from_path(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("email", ("email", None)),
        ("custom", (None, None)),
        ("custom:lead_score", (None, "lead_score")),
    ],
)
def test_column_target(target: str, expected: tuple) -> None:
    assert column_target(target) == expected


@pytest.mark.parametrize("name", ["acme_b2b_2026q3", "eurodata_contacts"])
def test_sample_profiles_load(name: str) -> None:
    path = REPO / "sample_data" / "profiles" / f"{name}.yaml"
    profile = SourceProfile.from_path(path)
    assert profile.name == name
    assert profile.vendor and profile.licence_terms and profile.declared_consent_basis
    assert isinstance(profile.cost, Decimal)
    assert yaml.safe_load(profile.to_yaml())["name"] == name
