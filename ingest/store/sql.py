"""Small dialect helpers shared by the store modules (inserts that ignore or merge conflicts)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Table, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

T = TypeVar("T")
IN_CHUNK = 2000
"""Values per ``IN (...)`` list; keeps SQLite under its bound-parameter limit."""


def dialect_insert(session: Session, table: Table) -> Any:
    """An INSERT construct of the session's dialect, so ``on_conflict_*`` is available."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignore(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *cols: str
) -> None:
    """Insert rows, skipping those that collide on the unique columns ``cols``."""
    if rows:
        stmt = dialect_insert(session, table).on_conflict_do_nothing(index_elements=list(cols))
        session.execute(stmt, list(rows))


def insert_returning_ids(
    session: Session, table: Table, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert ``rows`` and return their new ids in row order, in one batched statement.

    SQLite cannot promise the order of ``RETURNING`` rows, so SQLAlchemy would send one INSERT
    per row there; instead the ids are handed out here (max id + 1 onwards, which is what
    SQLite itself does for these tables) under the write lock the load transaction holds
    (``BEGIN IMMEDIATE``). PostgreSQL returns them in parameter order from a batched INSERT.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name != "sqlite":
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.scalars(stmt, list(rows)))
    start = int(session.scalar(select(func.coalesce(func.max(table.c.id), 0)))) + 1
    ids = list(range(start, start + len(rows)))
    session.execute(insert(table), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def frame_records(frame: pd.DataFrame) -> dict[Any, dict[str, Any]]:
    """``frame.to_dict("index")`` built column-wise (Python scalars, several times faster)."""
    columns = list(frame.columns)
    values = [frame[c].tolist() for c in frame.columns]
    return {
        index: dict(zip(columns, row, strict=True))
        for index, row in zip(frame.index, zip(*values, strict=True), strict=True)
    } if columns else {key: {} for key in frame.index}  # fmt: skip


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
