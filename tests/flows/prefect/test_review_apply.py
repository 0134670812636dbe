"""The review-apply flow merges accepted pairs, undoes requested unmerges and counts labels."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from flows.importing import import_file
from flows.review_apply import UNMERGE, review_apply_flow
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.models import MatchCandidate, utcnow

pytestmark = pytest.mark.slow  # starts a temporary Prefect server (conftest)

DATA = Path(__file__).parent / "data"
LEADS = DATA / "enrich_leads.csv"


def scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar_one()


def test_accepted_pairs_merge_and_unmerge_requests_undo_them(
    engine: Engine, settings: Settings
) -> None:
    import_file(engine, SourceKind.PURCHASED_LIST, LEADS, settings=settings, orchestrate=False)
    with engine.connect() as conn:
        ids: dict[str, int] = dict(conn.execute(sa.text("SELECT first_name, id FROM people")).all())
    with Session(engine) as session, session.begin():
        accepted = MatchCandidate(person_a_id=ids["Avery"], person_b_id=ids["Devon"],
                                  probability=0.9, status="accepted", decided_by="steward-1",
                                  decided_at=utcnow())  # fmt: skip
        rejected = MatchCandidate(person_a_id=ids["Blake"], person_b_id=ids["Casey"],
                                  probability=0.6, status="rejected", decided_by="steward-1",
                                  decided_at=utcnow())  # fmt: skip
        session.add_all([accepted, rejected])
        session.flush()
        accepted_id = accepted.id
    url = SecretStr(engine.url.render_as_string(hide_password=False))

    result = review_apply_flow(db_url=url)

    assert result["merged"] == 1 and result["unmerged"] == 0 and result["conflicts"] == 0
    # these pairs carry no comparison detail, so there is nothing to learn from
    assert result["labels"] == {"accepted": 1, "rejected": 1, "refit": False, "model_version": None}
    loser = max(ids["Avery"], ids["Devon"])
    assert scalar(engine, f"SELECT merged_into_id FROM people WHERE id = {loser}") == min(
        ids["Avery"], ids["Devon"]
    )
    assert review_apply_flow(db_url=url, refit=False)["merged"] == 0  # applied once

    with Session(engine) as session, session.begin():
        session.get_one(MatchCandidate, accepted_id).status = UNMERGE
    undone = review_apply_flow(db_url=url, refit=False)

    assert undone["unmerged"] == 1
    assert scalar(engine, f"SELECT merged_into_id FROM people WHERE id = {loser}") is None
    assert scalar(engine, f"SELECT status FROM match_candidates WHERE id = {accepted_id}") == (
        "pending"
    )
