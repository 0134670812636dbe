"""Small dialect helpers shared by the store modules (inserts that ignore or merge conflicts)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import (
    CursorResult,
    Result,
    Table,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

T = TypeVar("T")
IN_CHUNK = 2000
"""Values per ``IN (...)`` list; keeps SQLite under its bound-parameter limit."""
LIST_CHUNK = 50_000
"""Values per :func:`one_of` parameter (one JSON document or array each)."""


def dialect_insert(session: Session, table: Table) -> Any:
    """An INSERT construct of the session's dialect, so ``on_conflict_*`` is available."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def affected_rows(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched (``Session.execute`` is typed to return a plain
    ``Result``; for those statements it is a ``CursorResult``)."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"not the result of an UPDATE or DELETE: {type(result).__name__}")
    return result.rowcount or 0


def execute_many(session: Session, stmt: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Execute an INSERT for many rows (all with the same keys); see :func:`execute_columns`."""
    if not rows:
        return
    if not is_sqlite(session) or not _sqlite_many(
        session, stmt, {k: list(map(itemgetter(k), rows)) for k in rows[0]}
    ):
        session.execute(stmt, list(rows))


def execute_columns(session: Session, stmt: Any, columns: Mapping[str, Sequence[Any]]) -> None:
    """Execute an INSERT for many rows given column by column (lists of equal length), so a
    caller that computed its values column-wise builds no dict per row.

    On SQLite the statement is compiled once and its rows go to the driver's ``executemany`` as
    tuples through the dialect's own value converters; SQLAlchemy's per-row parameter handling
    cost more than SQLite's insert itself. Statements whose columns need defaults computed in
    Python (a key the rows do not carry) and other dialects take the ordinary path.
    """
    if not columns or not len(next(iter(columns.values()))):
        return
    if not is_sqlite(session) or not _sqlite_many(session, stmt, columns):
        keys = list(columns)
        rows = [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]
        session.execute(stmt, rows)


def _sqlite_many(session: Session, stmt: Any, values: Mapping[str, Sequence[Any]]) -> bool:
    """The driver-level ``executemany`` of :func:`execute_columns` on SQLite; False when the
    statement needs the ordinary path."""
    connection = session.connection()
    keys = list(values)
    size = len(values[keys[0]])
    compiled = stmt.compile(dialect=connection.dialect, column_keys=keys)
    order = list(compiled.positiontup or [])
    defaults = _python_defaults(stmt, [k for k in order if k not in values])
    if defaults is None or compiled.effective_returning:
        return False
    processors = compiled._bind_processors  # the dialect's converters (dates, JSON, ...)
    for key, value in defaults.items():  # one value per statement (e.g. created_at)
        defaults[key] = processors[key](value) if key in processors else value
    columns: list[Iterable[Any]] = []  # built column by column with C-level helpers
    for key in order:
        if key in defaults:
            columns.append(repeat(defaults[key], size))
            continue
        convert = processors.get(key)
        columns.append(_converted(convert, values[key]) if convert is not None else values[key])
    connection.exec_driver_sql(compiled.string, list(zip(*columns, strict=False)))
    return True


def _converted(convert: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """``convert`` applied to each value, once per distinct object: a column often repeats
    one object (a batch's timestamp, a row's value on each of its channels, None, a JSON
    document its caller built once for many rows)."""
    done: dict[int, Any] = {}
    return [
        done[key] if (key := id(value)) in done else done.setdefault(key, convert(value))
        for value in values
    ]


def _python_defaults(stmt: Any, missing: list[str]) -> dict[str, Any] | None:
    """Values of the Python-side column defaults of ``missing`` keys; None when one has a
    default that is not a plain value or function (the ordinary path handles those)."""
    values: dict[str, Any] = {}
    table = getattr(stmt, "table", None)
    for key in missing:
        column = table.c.get(key) if table is not None else None
        default = column.default if column is not None else None
        if default is None:
            return None
        if default.is_scalar:
            values[key] = default.arg
        elif default.is_callable:
            values[key] = default.arg(None)
        else:
            return None
    return values


def insert_ignore(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *cols: str
) -> None:
    """Insert rows, skipping those that collide on the unique columns ``cols``."""
    if rows:
        execute_many(session, ignoring(session, table, *cols), rows)


def ignoring(session: Session, table: Table, *cols: str) -> Any:
    """An INSERT that skips the rows that collide on the unique columns ``cols``."""
    return dialect_insert(session, table).on_conflict_do_nothing(index_elements=list(cols))


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
    if not is_sqlite(session):
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.scalars(stmt, list(rows)))
    start = int(session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1
    ids = list(range(start, start + len(rows)))
    columns = {k: list(map(itemgetter(k), rows)) for k in rows[0]}
    execute_columns(session, insert(table), {**columns, "id": ids})
    return ids


def frame_records(frame: pd.DataFrame) -> dict[Any, dict[str, Any]]:
    """``frame.to_dict("index")`` built column-wise (Python scalars, several times faster)."""
    columns = list(frame.columns)
    values = [frame[c].tolist() for c in frame.columns]
    return {
        index: dict(zip(columns, row, strict=True))
        for index, row in zip(frame.index, zip(*values, strict=True), strict=True)
    } if columns else {key: {} for key in frame.index}  # fmt: skip


def column_values(frame: pd.DataFrame, name: str) -> list[Any]:
    """A column's values as Python scalars (``None`` each when the frame lacks the column)."""
    return frame[name].tolist() if name in frame else [None] * len(frame)


def read(session: Session, stmt: Any) -> Result[*tuple[Any, ...]]:
    """Run a SELECT of columns through Core on the session's connection: plain rows, without
    the ORM's per-row result handling, which costs more than the query on a batch's reads."""
    session.flush()  # (the ORM would flush pending objects before a read; keep that)
    return session.connection().execute(stmt)


def fetch(session: Session, stmt: Any) -> list[tuple[Any, ...]]:
    """The rows of a SELECT of columns as plain tuples, fetched by the driver in one call and
    converted by the columns' own result processors (dates and flags on SQLite) only where a
    column has one. Iterating a ``Result`` costs several times the query itself on a batch's
    reads (SQLAlchemy's per-row fetch and row objects)."""
    result = read(session, stmt)
    if not isinstance(result, CursorResult):  # (a session's SELECT always gives one)
        return [tuple(row) for row in result]
    dialect = session.get_bind().dialect
    converters = [
        (i, convert)
        for i, column in enumerate(stmt.selected_columns)
        if (convert := column.type.dialect_impl(dialect).result_processor(dialect, None))
    ]
    rows: list[tuple[Any, ...]] = list(result.cursor.fetchall())
    result.close()
    if not converters or not rows:
        return rows
    columns = list(map(list, zip(*rows, strict=True)))
    for i, convert in converters:
        columns[i] = [convert(v) for v in columns[i]]
    return list(zip(*columns, strict=True))


def one_of(session: Session, column: Any, values: Iterable[Any]) -> Any:
    """``column IN values`` with the values sent as one parameter: a JSON array read by
    ``json_each`` on SQLite, an array on PostgreSQL. A long list needs no chunks, and its
    statement is compiled once, not once per value and query as an ``IN (...)`` list is.
    The values are strings or integers (numpy ones too); ``json_each`` gives them back equal."""
    listed = [v.item() if isinstance(v, np.generic) else v for v in values]  # plain Python
    if is_sqlite(session):
        document = json.dumps(listed, ensure_ascii=False)
        listing: Any = select(literal_column("value")).select_from(
            func.json_each(bindparam(None, document))
        )
        return column.in_(listing)
    return column == any_(bindparam(None, listed, type_=postgresql.ARRAY(column.type)))


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
