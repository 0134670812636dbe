"""Importing a census table file into the store (``leadflow import census FILE``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from ingest.store.census import CensusLoadReport, load_census
from sources.census import read_census


def import_census(engine: Engine, path: Path, *, dataset: str | None = None) -> CensusLoadReport:
    """Read a data.census.gov table and upsert its figures; safe to run again on the same file."""
    return load_census(engine, read_census(Path(path), dataset=dataset))
