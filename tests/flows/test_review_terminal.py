"""``leadflow review`` in the terminal: one key per decision, a readable prompt, undo."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from ingest.store.models import AuditEntry, MatchCandidate, Person
from ingest.store.pins import pins_of


def seed(engine: Engine) -> list[int]:
    with Session(engine) as s, s.begin():
        people = [
            Person(full_name=n) for n in ("Ada Lovelace", "Ada King", "Bob Stone", "Rob Stone")
        ]
        s.add_all(people)
        s.flush()
        pairs = [
            MatchCandidate(person_a_id=people[0].id, person_b_id=people[1].id, probability=0.6),
            MatchCandidate(person_a_id=people[2].id, person_b_id=people[3].id, probability=0.55),
        ]
        s.add_all(pairs)
        s.flush()
        return [p.id for p in pairs]


def statuses(engine: Engine) -> dict[int, str]:
    with Session(engine) as s:
        return dict(s.execute(select(MatchCandidate.id, MatchCandidate.status)).all())


def test_single_keys_with_undo(engine: Engine, db_url: str) -> None:
    seed(engine)
    # reject the first pair, undo it, accept it instead (the rules decide the name), skip the
    # second; no Enter after a decision
    result = CliRunner().invoke(app, ["review", "--db", db_url, "--actor", "t"], input="rua-s")
    assert result.exit_code == 0, result.output
    assert "[a]ccept [r]eject [s]kip [u]ndo [q]uit" in result.output  # the prompt is not eaten
    assert "pending again" in result.output
    assert sorted(statuses(engine).values()) == ["accepted", "skipped"]
    assert "2 decision(s) recorded" in result.output


def test_unknown_key_and_nothing_to_undo(engine: Engine, db_url: str) -> None:
    seed(engine)
    result = CliRunner().invoke(app, ["review", "--db", db_url], input="uxq")
    assert result.exit_code == 0, result.output
    assert "nothing to undo" in result.output and "press one of" in result.output
    assert set(statuses(engine).values()) == {"pending"}


def test_accept_asks_which_differing_value_survives(engine: Engine, db_url: str) -> None:
    _, most_uncertain = seed(engine)
    result = CliRunner().invoke(app, ["review", "--db", db_url, "--actor", "t"], input="a2q")
    assert result.exit_code == 0, result.output
    assert "full_name: [1] Bob Stone  [2] Rob Stone" in result.output
    with Session(engine) as s:
        candidate = s.get(MatchCandidate, most_uncertain)
        assert candidate.status == "accepted"
        winner = s.get(Person, min(candidate.person_a_id, candidate.person_b_id))
        assert winner.full_name == "Rob Stone"  # the right-hand value, though the left is older
        assert pins_of(s, [winner.id]) == {winner.id: {"full_name": "Rob Stone"}}
        kept = s.scalar(select(AuditEntry.details).where(AuditEntry.action == "accept"))
        assert kept["kept"] == {"full_name": candidate.person_b_id}
