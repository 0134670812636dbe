"""The review queue's read models against real stores: order, filters, counts, pair data."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ingest.store import merges
from ingest.store.models import (
    Company,
    ContactPoint,
    CustomField,
    CustomValue,
    ImportRun,
    MatchCandidate,
    Person,
    RawRecord,
    RecordLink,
    Source,
)
from ingest.store.review import (
    QueueFilter,
    field_weights,
    pair_view,
    queue,
    queue_counts,
    queue_ids,
)
from tests.waiting import waited_for_lock


@pytest.fixture
def store(engine: Engine) -> dict[str, int]:
    with Session(engine) as s, s.begin():
        runs = []
        for name in ("list-a", "fair-b"):
            source = Source(kind="purchased_list", name=name)
            s.add(source)
            s.flush()
            run = ImportRun(source_id=source.id, location=f"{name}.csv", file_hash=name * 8)
            s.add(run)
            s.flush()
            runs.append(run.id)
        people = [Person(full_name=f"P{i}", first_name=f"P{i}") for i in range(8)]
        s.add_all(people)
        s.flush()
        ids = [p.id for p in people]
        spec = [(0, 1, 0.95, runs[0]), (2, 3, 0.52, runs[0]), (4, 5, 0.2, runs[1]),
                (6, 7, 0.7, runs[1])]  # fmt: skip
        cands = [
            MatchCandidate(person_a_id=ids[a], person_b_id=ids[b], probability=p, run_id=r,
                           detail={"fields": {"first_name": {"weight": 1.5, "level": "exact"}}})
            for a, b, p, r in spec
        ]  # fmt: skip
        s.add_all(cands)
        s.flush()
        return {"run_a": runs[0], "run_b": runs[1], **{f"c{i}": c.id for i, c in enumerate(cands)}}


def test_default_order_is_most_uncertain_first(engine: Engine, store: dict[str, int]) -> None:
    assert [i.probability for i in queue(engine, QueueFilter())] == [0.52, 0.7, 0.2, 0.95]
    by_score = QueueFilter(sort="probability")
    assert [i.probability for i in queue(engine, by_score)] == [0.95, 0.7, 0.52, 0.2]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (QueueFilter(source="list-a"), [0.52, 0.95]),
        (QueueFilter(band="high"), [0.95]),
        (QueueFilter(band="mid"), [0.52, 0.7]),
        (QueueFilter(band="low"), [0.2]),
        (QueueFilter(source="fair-b", band="low"), [0.2]),
    ],
)
def test_filters(engine: Engine, store: dict[str, int], f: QueueFilter, expected: list) -> None:
    assert [i.probability for i in queue(engine, f)] == expected


def test_run_filter_counts_and_bulk_ids(engine: Engine, store: dict[str, int]) -> None:
    assert len(queue(engine, QueueFilter(run_id=store["run_b"]))) == 2
    merges.reject(engine, store["c2"], actor="s")
    counts = queue_counts(engine, QueueFilter())
    assert counts.total == 3
    assert counts.by_status == {"pending": 3, "skipped": 0, "accepted": 0, "rejected": 1}
    assert counts.by_band == {"low": 0, "mid": 2, "high": 1}
    assert counts.by_source == {"list-a": 2, "fair-b": 1}
    assert queue_ids(engine, QueueFilter(), min_probability=0.6) == [store["c3"], store["c0"]]


def test_open_pairs_of_merged_people_leave_the_queue(engine: Engine, store: dict[str, int]) -> None:
    with Session(engine) as s, s.begin():
        c = s.get_one(MatchCandidate, store["c1"])
        s.get_one(Person, c.person_b_id).merged_into_id = c.person_a_id
    assert store["c1"] not in queue_ids(engine, QueueFilter())


def test_pair_view_compares_fields_and_reads_weights(engine: Engine, store: dict[str, int]) -> None:
    view = pair_view(engine, store["c0"])
    assert view is not None and view.source == "list-a"
    first = next(r for r in view.rows if r.name == "first_name")
    assert (first.left, first.right, first.state, first.weight) == ("P0", "P1", "differs", 1.5)
    assert pair_view(engine, 999_999) is None


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        (None, []),
        ({"rule": "same name"}, []),
        ({"fields": {"email": {"weight": 2, "level": "exact", "left": "a", "right": "a"}}},
         [("email", 2.0, "exact", "same")]),
        ({"fields": {"email": {"match_weight": -1.5, "label": "else"}}},
         [("email", -1.5, "else", "empty")]),
        ({"fields": [{"name": "phone", "bf": 3.0, "comparison": "exact"}]},
         [("phone", 3.0, "exact", "empty")]),
        ({"weights": {"city": 0.5}}, [("city", 0.5, None, "empty")]),
    ],
)  # fmt: skip
def test_field_weights_shapes(detail: dict | None, expected: list) -> None:
    got = [(w.name, w.weight, w.level, w.state) for w in field_weights(detail)]
    assert got == expected


def test_queue_items_carry_email_company_and_what_matched(engine: Engine) -> None:
    detail = {"model": "people", "levels": {"email": "exact", "person_name": "fuzzy",
                                            "employer": "different", "phone": "exact"},
              "weights": {"prior": -13.0, "email": 9.5, "person_name": 4.2, "employer": -2.8,
                          "phone": 0.5}}  # fmt: skip
    with Session(engine) as s, s.begin():
        acme = Company(name="Acme Ltd", match_key="acme")
        s.add(acme)
        s.flush()
        a = Person(full_name="Ada Lovelace", company_id=acme.id)
        b = Person(full_name="Ada King")
        s.add_all([a, b])
        s.flush()
        s.add_all([
            ContactPoint(person_id=a.id, kind="email", value="old@acme.example"),
            ContactPoint(person_id=a.id, kind="email", value="ada@acme.example", is_primary=True),
            ContactPoint(person_id=a.id, kind="phone", value="+441234"),
            MatchCandidate(person_a_id=a.id, person_b_id=b.id, probability=0.6, detail=detail),
        ])  # fmt: skip
    [item] = queue(engine, QueueFilter())
    assert (item.email_a, item.company_a) == ("ada@acme.example", "Acme Ltd")
    assert (item.email_b, item.company_b) == (None, None)
    # strongest first, nothing against a match, never the prior
    assert item.matched_on == ["email: exact", "person name: fuzzy", "phone: exact"]
    view = pair_view(engine, item.id)
    rows = {r.name: r for r in view.rows}
    assert (rows["full_name"].weight, rows["full_name"].level) == (4.2, "fuzzy")
    assert (rows["company"].weight, rows["company"].level) == (-2.8, "different")
    assert "levels" not in view.notes and view.notes["model"] == "people"


def test_pair_view_shows_each_side_s_input_rows_with_provenance(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        source = Source(kind="web_form", name="site-form")
        s.add(source)
        s.flush()
        headers = [
            {"header": "name", "field": "full_name"},
            {"header": "consent"},
            {"header": "tags", "field": None},
        ]  # the file's order
        run = ImportRun(source_id=source.id, location="/home/ops/drops/form-2026.jsonl",
                        file_hash="c" * 64, mapping={"columns": headers})  # fmt: skip
        a = Person(full_name="Ada Lovelace", first_name="Ada", job_title="Analyst")
        b = Person(full_name="Ada King", first_name="Ada", job_title="Countess")
        s.add_all([run, a, b])
        s.flush()
        payloads = [{"tags": ["maths", "engines"], "consent": {"email": True, "text": "I agree"},
                     "name": "Ada Lovelace", "empty": ""}] + [
            {"name": f"Ada {i}"} for i in range(24)]  # fmt: skip
        for row, payload in enumerate(payloads, start=1):
            raw = RawRecord(run_id=run.id, row_number=row, payload=payload, outcome="loaded",
                            person_id=a.id if row == 1 else b.id)  # fmt: skip
            s.add(raw)
            s.flush()
            s.add(RecordLink(raw_record_id=raw.id, person_id=raw.person_id, decided_by="new"))
        s.add(MatchCandidate(person_a_id=a.id, person_b_id=b.id, probability=0.6))
    with Session(engine) as s:
        candidate_id = s.scalar(sa.select(MatchCandidate.id))
    view = pair_view(engine, candidate_id)
    [left] = view.raw_left.rows
    assert (left.source, left.source_kind, left.file) == (
        "site-form",
        "web_form",
        "form-2026.jsonl",
    )
    assert (left.run_id, left.row_number, left.file_hash, left.linked_by) == (
        left.run_id, 1, "c" * 64, "new")  # fmt: skip
    # in the file's order on both stores (PostgreSQL's JSONB reorders keys), nested flattened
    assert [column.split(".")[0] for column, _ in left.cells] == ["name", "consent", "consent",
                                                                  "tags"]  # fmt: skip
    assert set(left.cells) == {("name", "Ada Lovelace"), ("consent.email", "yes"),
                               ("consent.text", "I agree"), ("tags", "maths, engines")}  # fmt: skip
    assert left.mapped == {"name": "full_name"}
    assert view.raw_right.total == 24 and len(view.raw_right.rows) == 20  # capped, counted
    assert [c.name for c in view.choices] == ["full_name", "job_title"]  # first names agree
    assert {c.default for c in view.choices} == {"left"}  # the older person's values


def test_the_queue_reads_beside_an_import_holding_the_write_lock(
    engine: Engine, store: dict[str, int]
) -> None:
    """A steward's queue, counts and pair page read while an import loads a chunk (on SQLite
    it holds the write lock for the chunk): they neither wait for it nor take it."""
    writer = engine.connect()
    if engine.dialect.name == "sqlite":
        writer.exec_driver_sql("SELECT 1")  # the begin event has taken BEGIN IMMEDIATE
    writer.execute(sa.insert(Source).values(kind="purchased_list", name="loading"))
    results: dict[str, Any] = {}

    def read() -> None:
        results["queue"] = queue(engine, QueueFilter())
        results["ids"] = queue_ids(engine, QueueFilter())
        results["counts"] = queue_counts(engine, QueueFilter())
        results["pair"] = pair_view(engine, store["c0"])

    try:
        waited = waited_for_lock(read, writer.rollback)
    finally:
        writer.close()
    assert not waited, "a review read waited for the import's write lock"
    assert len(results["queue"]) == 4 and len(results["ids"]) == 4
    assert results["pair"] is not None


def test_pair_view_shows_the_file_s_own_columns_the_model_compared(engine: Engine) -> None:
    """A custom field the model weighed (a national id; a place from two columns) gets its own
    row with both people's stored values, and names what matched by its header."""
    detail = {"model": "people",
              "levels": {"attribute:SSN": "exact", "attribute:Lat+Lng": "different",
                         "person_name": "nickname_or_initial"},
              "weights": {"prior": -9.7, "attribute:SSN": 13.85, "attribute:Lat+Lng": -0.9,
                          "person_name": 11.8}}  # fmt: skip
    with Session(engine) as s, s.begin():
        a, b = Person(full_name="Jonathan Smythe"), Person(full_name="Jon Smythe")
        fields = {n: CustomField(entity="person", name=n) for n in ("SSN", "Lat", "Lng")}
        s.add_all([a, b, *fields.values()])
        s.flush()
        values = {a.id: {"SSN": "987-65-4321", "Lat": "52.35", "Lng": "4.92"},
                  b.id: {"SSN": "987 65 4321", "Lat": "51.44", "Lng": "5.47"}}  # fmt: skip
        s.add_all([
            CustomValue(field_id=fields[name].id, entity_id=person, value=value)
            for person, named in values.items() for name, value in named.items()
        ])  # fmt: skip
        s.add(MatchCandidate(person_a_id=a.id, person_b_id=b.id, probability=0.99, detail=detail))
    [item] = queue(engine, QueueFilter())
    assert item.matched_on == ["SSN: exact", "person name: nickname or initial"]
    view = pair_view(engine, item.id)
    rows = {r.name: r for r in view.rows}
    ssn = rows["SSN"]
    assert (ssn.left, ssn.right, ssn.weight, ssn.level) == (
        "987-65-4321", "987 65 4321", 13.85, "exact")  # fmt: skip
    place = rows["Lat+Lng"]
    assert (place.left, place.right, place.state) == ("52.35 / 4.92", "51.44 / 5.47", "differs")
