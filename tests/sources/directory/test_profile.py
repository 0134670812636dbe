"""Directory profiles: loading, round-tripping, errors that name the bad key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ingest.errors import ProfileError
from ingest.records import SourceKind
from sources.directory import DirectoryProfile, Query
from tests.sources.directory.conftest import REPO_SAMPLE_PROFILE


def test_test_profile_loads(profile: DirectoryProfile) -> None:
    assert profile.item_links == Query("css", "ul.members a.member::attr(href)")
    assert profile.next_page == Query("xpath", "//a[@rel='next']/@href")
    assert profile.fields["city"].kind == "xpath"
    assert profile.json_ld is True and profile.default_region == "US"


def test_round_trip(profile: DirectoryProfile) -> None:
    assert DirectoryProfile.from_dict(yaml.safe_load(yaml.safe_dump(profile.to_dict()))) == profile


def test_sample_profile_loads_and_gives_an_import_profile() -> None:
    sample = DirectoryProfile.from_path(REPO_SAMPLE_PROFILE)
    imported = sample.import_profile()
    assert imported.kind is SourceKind.DIRECTORY and imported.name == sample.name
    assert imported.columns["name"] == "company_name"


BASE = {"name": "x", "start_urls": ["https://d.example/"], "allowed_domains": ["d.example"],
        "item_links": "a::attr(href)"}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"start_url": "https://d.example/"}, "start_url"),
        ({"fields": {"nmae": "h1::text"}}, "fields.nmae"),
        ({"fields": {"name": {"jq": ".name"}}}, "fields.name"),
        ({"item_links": ""}, "item_links"),
        ({"start_urls": ["d.example"]}, "start_urls"),
        ({"allowed_domains": []}, "allowed_domains"),
        ({"json_ld": "yes"}, "json_ld"),
        ({"default_region": "USA"}, "default_region"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_profiles_name_the_key(change: dict, key: str) -> None:
    with pytest.raises(ProfileError) as info:
        DirectoryProfile.from_dict({**BASE, **change})
    assert info.value.key == key


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid YAML"):
        DirectoryProfile.from_path(bad)
    with pytest.raises(ProfileError, match="cannot read"):
        DirectoryProfile.from_path(tmp_path / "missing.yaml")
