"""The matcher's candidates from the store: shared keys, tightened when a key brings a whole
office, and namesakes by surname and first initial (SQLite and PostgreSQL)."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ingest.store import lookup
from ingest.store.lookup import find_candidates
from ingest.store.models import BlockingKey, Person

OFFICE = "1 main st|02139"
STAFF = [("robert", "kowalczyk"), ("rita", "okafor"), ("maria", "lindqvist"),
         ("thomas", "raman"), ("tina", "kowalski"), ("mark", "abernathy")]  # fmt: skip


def _store(engine: Engine) -> dict[str, int]:
    """The office's staff, all under one street+postal key; returns first name → person id."""
    with Session(engine) as session:
        people = {first: Person(first_name_key=first, last_name_key=last) for first, last in STAFF}
        session.add_all(people.values())
        session.flush()
        session.add_all(
            BlockingKey(person_id=p.id, rule="street+postal", key=OFFICE) for p in people.values()
        )
        session.commit()
        return {first: p.id for first, p in people.items()}


def _candidates(engine: Engine, first: str, last: str) -> set[int]:
    batch = pd.DataFrame({"first_name_key": [first], "last_name_key": [last]}, index=[7])
    keys = pd.DataFrame({"rule": ["street+postal"], "key": [OFFICE]}, index=[7])
    with Session(engine) as session:
        return set(find_candidates(session, batch, keys)["person_id"])


def test_a_shared_key_brings_everyone_who_holds_it_within_the_budget(engine: Engine) -> None:
    ids = _store(engine)
    assert _candidates(engine, "priya", "patel") == set(ids.values())


def test_a_key_over_the_budget_is_tightened_by_the_initials(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _store(engine)
    monkeypatch.setattr(lookup, "MIN_RULE_PAIRS", 2)  # 5 pairs per row: six is too many
    # by first initial: robert and rita for a rob; robert only for a bob (a nickname of his)
    assert _candidates(engine, "rob", "smith") == {ids["robert"], ids["rita"]}
    assert _candidates(engine, "bob", "smith") == {ids["robert"]}
    monkeypatch.setattr(lookup, "MIN_RULE_PAIRS", 1)
    monkeypatch.setattr(lookup, "PAIRS_PER_ROW", 1)
    # then by last initial as well: robert kowalczyk only
    assert _candidates(engine, "rob", "kowalczyk") == {ids["robert"]}


def test_namesakes_share_the_surname_and_a_first_initial(engine: Engine) -> None:
    ids = _store(engine)
    batch = pd.DataFrame({"first_name_key": ["bob", "tom"], "last_name_key": ["kowalczyk", "x"]})
    with Session(engine) as session:
        found = set(find_candidates(session, batch)["person_id"])
    assert found == {ids["robert"]}  # a nickname counts; another surname does not
    other = pd.DataFrame({"first_name_key": ["anna"], "last_name_key": ["kowalczyk"]})
    with Session(engine) as session:
        assert find_candidates(session, other).empty
