"""Loading census figures (upsert, one transaction) and reading them back for enrichment."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ingest.census import FIGURE_COLUMNS, CensusTable
from ingest.errors import StoreError
from ingest.records import row_dicts
from ingest.store.models import CensusFigure, utcnow

BATCH_ROWS = 5_000
"""Figures per executemany call (SQLAlchemy splits each into multi-row INSERTs)."""

_VALUES = ("label", "estimate", "margin", "lower_bound", "upper_bound", "annotation", "postal_code")
_KEY = ("dataset", "geo_id", "variable")


@dataclass(frozen=True, slots=True)
class CensusLoadReport:
    """What one load did: rows read, figures in the file, and how many were new or changed."""

    dataset: str
    location: str
    rows_in: int
    rows_skipped: int
    figures: int
    inserted: int
    updated: int
    unchanged: int
    null_with_annotation: int


def load_census(engine: Engine, table: CensusTable) -> CensusLoadReport:
    """Upsert the table's figures in one transaction; re-loading the same file changes nothing.

    A figure is new, changed (a value differs; ``loaded_at`` is then refreshed) or unchanged
    (left alone). Figures go in batches of ``BATCH_ROWS`` per executemany.
    """
    dialect = engine.dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise StoreError(
            f"census figures cannot be loaded into {dialect}", "use SQLite or PostgreSQL"
        )
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    upsert = insert(CensusFigure.__table__)
    excluded = upsert.excluded
    cols = CensusFigure.__table__.c
    stmt = upsert.on_conflict_do_update(
        index_elements=list(_KEY),
        set_={**{name: excluded[name] for name in _VALUES}, "loaded_at": excluded.loaded_at},
        where=or_(*(cols[name].is_distinct_from(excluded[name]) for name in _VALUES)),
    ).returning(cols.id)
    count = (
        select(func.count()).select_from(CensusFigure).where(CensusFigure.dataset == table.dataset)
    )
    written = 0
    with engine.begin() as conn:
        before = conn.scalar(count) or 0
        for params in _batches(table.figures, BATCH_ROWS):
            written += len(conn.execute(stmt, params).all())
        inserted = (conn.scalar(count) or 0) - before
    figures = len(table.figures)
    null_annotated = int(
        (table.figures["estimate"].isna() & table.figures["annotation"].notna()).sum()
    )
    return CensusLoadReport(
        dataset=table.dataset,
        location=table.location,
        rows_in=table.rows_in,
        rows_skipped=table.rows_skipped,
        figures=figures,
        inserted=inserted,
        updated=written - inserted,
        unchanged=figures - written,
        null_with_annotation=null_annotated,
    )


def census_for_postal_codes(
    session: Session, codes: Iterable[str], dataset: str | None = None
) -> pd.DataFrame:
    """Figures for the given US postal codes (exact 5-digit ZCTAs), optionally of one dataset.

    One row per (postal code, dataset, variable) with the columns of ``FIGURE_COLUMNS``.
    """
    wanted = sorted({c.strip() for c in codes if c and c.strip()})
    columns = [CensusFigure.__table__.c[name] for name in FIGURE_COLUMNS]
    records: list[Any] = []
    for start in range(0, len(wanted), 1_000):
        query = select(*columns).where(CensusFigure.postal_code.in_(wanted[start : start + 1_000]))
        if dataset is not None:
            query = query.where(CensusFigure.dataset == dataset)
        records.extend(session.execute(query).all())
    frame = pd.DataFrame(records, columns=list(FIGURE_COLUMNS))
    return frame.sort_values(["postal_code", "dataset", "variable"], ignore_index=True)


def _batches(figures: pd.DataFrame, size: int) -> Iterator[list[dict[str, Any]]]:
    now = utcnow()
    for start in range(0, len(figures), size):
        chunk = figures.iloc[start : start + size]
        params = row_dicts(chunk[list(FIGURE_COLUMNS)])
        for row in params:
            for name, value in row.items():
                if isinstance(value, float) and math.isnan(value):
                    row[name] = None
            row["loaded_at"] = now
        yield params
