"""Reading crawl feeds (JSON Lines) into RawBatches, and importing the sample feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from ingest.errors import SourceFormatError
from ingest.importer import run_import
from ingest.reasons import REASONS
from ingest.records import ROW_COLUMN, SourceKind
from matchers import ProbabilisticMatcher
from sources.directory import default_profile, read
from sources.directory.feed import BAD_JSON, DEFAULT_COLUMNS
from sources.directory.items import LISTING_FIELDS
from tests.sources.directory.conftest import REPO

SAMPLE_FEED = REPO / "sample_data" / "directory" / "chamber_listings.jsonl"


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_sample_feed_reads_as_one_batch_of_string_columns() -> None:
    (batch,) = list(read(SAMPLE_FEED))
    assert len(batch.rows) == 120 and batch.broken == ()
    assert batch.provenance.source_kind is SourceKind.DIRECTORY
    assert batch.provenance.source_name == "chamber_listings"
    assert len(batch.provenance.file_hash) == 64
    assert list(batch.rows.columns[:3]) == ["url", "name", "street"]
    assert batch.rows[ROW_COLUMN].tolist() == list(range(1, 121))
    values = batch.rows.drop(columns=[ROW_COLUMN]).stack()
    assert all(isinstance(v, str) for v in values if v is not None)


def test_lines_become_rows_or_broken_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.jsonl",
        [
            json.dumps({"url": "u1", "name": "A", "rating": 4.5, "tags": ["x", "y"]}),
            "",
            '{"url": "u2", "name": "B"',  # cut short
            "[1, 2]",
            json.dumps({"url": "u3", "phone": None, "extra": True}),
        ],
    )
    (batch,) = list(read(path))
    assert list(batch.rows.columns) == ["url", "name", "rating", "tags", "phone", "extra", "_row"]
    rows = batch.rows.set_index(ROW_COLUMN)
    assert rows.loc[1, "rating"] == "4.5" and rows.loc[1, "tags"] == '["x", "y"]'
    assert rows.loc[5, "name"] is None and rows.loc[5, "extra"] == "true"
    assert [(b.row_number, b.reason_code) for b in batch.broken] == [(3, BAD_JSON), (4, BAD_JSON)]
    assert "B" not in batch.broken[0].message and "not valid JSON" in batch.broken[0].message
    assert batch.broken[1].message == "a JSON list, not an object"
    assert BAD_JSON in REASONS


def test_chunks_share_every_column(tmp_path: Path) -> None:
    lines = [json.dumps({"url": f"u{i}"}) for i in range(5)] + [json.dumps({"late": "key"})]
    batches = list(read(write(tmp_path / "f.jsonl", lines), chunk_rows=2))
    assert [len(b.rows) for b in batches] == [2, 2, 2]
    assert all(list(b.rows.columns) == ["url", "late", "_row"] for b in batches)


def test_an_empty_feed_yields_one_empty_batch_with_the_listing_columns(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    (batch,) = list(read(path))
    assert batch.rows.empty and list(batch.rows.columns) == [*LISTING_FIELDS, ROW_COLUMN]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="no such file"):
        list(read(tmp_path / "nope.jsonl"))


def test_default_profile_maps_listings_to_company_fields() -> None:
    profile = default_profile("chamber")
    assert profile.kind is SourceKind.DIRECTORY and profile.name == "chamber"
    assert profile.columns["name"] == "company_name"
    assert profile.columns["category"] == "industry"
    assert profile.columns["url"] == "source_record_id"
    assert set(DEFAULT_COLUMNS) == set(LISTING_FIELDS)


def test_sample_feed_imports_as_companies(engine: Engine) -> None:
    profile = default_profile("chamber_listings", default_region="US")
    batches = read(SAMPLE_FEED, profile=profile)
    report = run_import(engine, batches, matcher=ProbabilisticMatcher(), profile=profile)
    counts = report.counts
    assert counts.rows_in == 120
    assert counts.loaded_new + counts.merged + counts.quarantined + counts.suppressed == 120
    assert counts.quarantined == 0 and counts.loaded_new > 0
    with engine.connect() as conn:
        people = conn.scalar(sa.text("SELECT count(*) FROM people"))
        companies = conn.scalar(sa.text("SELECT count(*) FROM companies"))
    assert (people, companies) == (0, counts.loaded_new)  # listings are company-only records
    again = run_import(
        engine, read(SAMPLE_FEED, profile=profile), matcher=ProbabilisticMatcher(), profile=profile
    )
    assert again.already_imported
