"""Column-wise inserts write exactly what row-wise ones do, converters and defaults included,
on both stores."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from ingest.store.models import AuditEntry, Source
from ingest.store.sql import execute_columns, execute_many, ignoring, one_of, read

WHEN = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def test_columns_and_rows_store_the_same_values(engine: Engine) -> None:
    shared = {"channel": "email"}  # one object on many rows: converted once, stored on each
    rows = [
        {"actor": "import", "action": f"a{i}", "entity": "person", "entity_id": i,
         "details": shared if i % 2 else {"n": i}, "at": WHEN}
        for i in range(5)
    ]  # fmt: skip
    with Session(engine) as session, session.begin():
        execute_many(session, insert(AuditEntry.__table__), rows)
        execute_columns(
            session,
            insert(AuditEntry.__table__),
            {key: [{**row, "action": f"c{row['action']}"}[key] for row in rows] for key in rows[0]},
        )
    with Session(engine) as session:
        stored = session.execute(
            select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.details, AuditEntry.at)
            .order_by(AuditEntry.id)
        ).all()  # fmt: skip
    by_rows, by_columns = stored[:5], stored[5:]
    assert [r.action for r in by_columns] == [f"ca{i}" for i in range(5)]
    assert [(r.entity_id, r.details) for r in by_rows] == [
        (r.entity_id, r.details) for r in by_columns
    ]
    assert [r.details for r in by_columns] == [shared if i % 2 else {"n": i} for i in range(5)]
    assert {r.at.replace(tzinfo=r.at.tzinfo or UTC) for r in stored} == {WHEN}


def test_ignoring_skips_colliding_rows_and_python_defaults_are_filled(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        stmt = ignoring(session, Source.__table__, "name")
        execute_columns(session, stmt, {"name": ["a", "b", "a"], "kind": ["x", "y", "z"]})
        execute_columns(session, stmt, {"name": ["b", "c"], "kind": ["w", "v"]})
        execute_columns(session, stmt, {"name": [], "kind": []})
    with Session(engine) as session:
        stored = session.execute(select(Source.name, Source.kind, Source.created_at)).all()
    assert sorted((name, kind) for name, kind, _ in stored) == [("a", "x"), ("b", "y"), ("c", "v")]
    assert all(created is not None for _, _, created in stored)


def test_one_of_finds_what_an_in_list_finds(engine: Engine) -> None:
    names = ["acme", "Zoë GmbH", "東京", "emoji 🎉", 'quote " and \\', "missing"]
    with Session(engine) as session, session.begin():
        execute_many(
            session, insert(Source.__table__), [{"name": n, "kind": "event"} for n in names[:-1]]
        )
    with Session(engine) as session:
        by_list = dict(
            session.execute(select(Source.name, Source.id).where(Source.name.in_(names))).all()
        )
        by_name = dict(
            read(
                session, select(Source.name, Source.id).where(one_of(session, Source.name, names))
            ).all()
        )
        ids = [*by_list.values(), numpy.int64(10**6)]
        by_id = set(
            read(session, select(Source.id).where(one_of(session, Source.id, ids))).scalars()
        )
        nothing = read(session, select(Source.id).where(one_of(session, Source.id, []))).all()
    assert by_name == by_list and len(by_list) == 5
    assert by_id == set(by_list.values())
    assert nothing == []
