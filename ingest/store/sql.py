"""Small dialect helpers shared by the store modules (inserts that ignore or merge conflicts)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table
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


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
