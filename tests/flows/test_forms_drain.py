"""Staged web-form submissions reach the CRM once; a suppressed address is never stored."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from flows.web.app import create_app
from flows.web.ratelimit import RateLimits
from ingest.config import Settings
from ingest.store.meta import hash_salt
from ingest.store.models import FormSubmission, ImportRun, Person, RawRecord
from ingest.store.suppressions import add_suppressions
from ingest.suppressions import suppression_hashes
from tests.conftest import REPO

if TYPE_CHECKING:
    from flows.forms_drain import DrainedBatch


def _post(client: TestClient, n: int, email: str | None = None) -> None:
    body = {
        "submission_id": f"sub-{n:04d}",
        "fields": {"name": f"Person{n} Tester", "email": email or f"person{n}@example.com"},
        "consent": {"email_marketing": True, "wording": "Send me news.", "version": "v3"},
    }
    assert client.post("/forms/contact-us", json=body).status_code == 202


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    with TestClient(
        create_app(engine, settings=settings, rate_limits=RateLimits(forms=1000))
    ) as test_client:
        yield test_client


def drain_forms(engine: Engine, *, settings: Settings, **options: Any) -> list[DrainedBatch]:
    """``flows.forms_drain.drain_forms``, imported when a test runs: the module imports Prefect,
    which would cost every test worker seconds at collection."""
    from flows.forms_drain import drain_forms as drain

    return drain(engine, settings=settings, **options)


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@pytest.mark.slow  # a subprocess
def test_staged_posts_become_people_exactly_once(
    engine: Engine, client: TestClient, db_url: str, settings: Settings
) -> None:
    for n in range(30):
        _post(client, n)
    batches = drain_forms(engine, settings=settings, limit=12)
    assert [b.submissions for b in batches] == [12, 12, 6]
    assert all(b.counts["rows_in"] == b.submissions for b in batches)
    assert _count(engine, Person) == 30
    with Session(engine) as session:
        statuses = set(session.scalars(sa.select(FormSubmission.status)))
    assert statuses == {"imported"}
    # on demand, from the CLI, in its own process: nothing left, nothing imported twice
    done = subprocess.run(
        [sys.executable, "-m", "flows", "forms-drain", "--db", db_url],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "nothing staged" in done.stdout
    _post(client, 99)
    assert drain_forms(engine, settings=settings)[0].counts["loaded_new"] == 1
    assert _count(engine, Person) == 31 and _count(engine, ImportRun) == 4


def test_an_erased_address_posted_again_is_suppressed_and_not_stored(
    engine: Engine, client: TestClient, settings: Settings
) -> None:
    salt = hash_salt(engine, None)
    frame = pd.DataFrame({"value": ["Gone.Person@Example.com"], "reason": ["erasure"]})
    add_suppressions(engine, suppression_hashes(frame, salt=salt).rows)
    _post(client, 1, email="gone.person@example.com")
    _post(client, 2)
    with Session(engine) as session:
        rows = session.scalars(sa.select(FormSubmission).order_by(FormSubmission.id)).all()
        assert [r.status for r in rows] == ["suppressed", "staged"]
        assert rows[0].payload == {} and "gone" not in str(rows[0].evidence).lower()
    drain_forms(engine, settings=settings)
    with engine.connect() as conn:
        for table in ("form_submissions", "raw_records", "people", "contact_points"):
            dump = str(conn.execute(sa.text(f"SELECT * FROM {table}")).all()).lower()
            assert "gone.person" not in dump
    assert _count(engine, Person) == 1 and _count(engine, RawRecord) == 1
