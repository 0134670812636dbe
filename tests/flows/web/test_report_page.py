"""The source quality and cost page: sign-in required, one chart per measure, the runs' numbers."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, event, func, select
from sqlalchemy.orm import Session

from flows.importing import import_file, profile_for
from flows.web.app import create_app
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.models import RunReport
from ingest.store.reports import FIGURES, compute_figures, run_quality
from ingest.store.users import add_user
from tests.conftest import REPO

SAMPLES = REPO / "sample_data"


@pytest.mark.slow  # sample lists imported, then the page
def test_report_page_needs_a_session_and_shows_each_run(engine: Engine, settings: Settings) -> None:
    for name in ("acme_b2b_2026q3.csv", "eurodata_contacts.csv"):
        path = SAMPLES / "purchased_lists" / name
        profile = profile_for(path, SAMPLES / "profiles")
        import_file(
            engine,
            SourceKind.PURCHASED_LIST,
            path,
            settings=settings,
            profile=profile,
            orchestrate=False,
        )
    add_user(engine, "vic", "viewer-pass", role="viewer")
    with TestClient(
        create_app(engine, settings=settings, secret=b"s" * 32), base_url="http://127.0.0.1"
    ) as client:
        anonymous = client.get("/reports/sources", follow_redirects=False)
        assert anonymous.status_code == 303 and "acme" not in anonymous.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
        client.post("/login", data={"name": "vic", "password": "viewer-pass",
                                    "csrf_token": token})  # fmt: skip
        page = client.get("/reports/sources")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg") >= 5 and "Cost per net-new lead" in html
    assert 'href="/reports/sources"' in html
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td><td>(\d+)</td><td>(\d+)</td>\s*<td>(\d+)</td>", html)
    expected = {(r.source_name, r.run_id, r.rows_in, r.loaded_new) for r in run_quality(engine)}
    assert {(s, int(i), int(n), int(new)) for s, i, n, new in rows} == expected
    assert len(expected) == 2


def signed_in(client: TestClient, engine: Engine) -> None:
    add_user(engine, "vic", "viewer-pass", role="viewer")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    client.post("/login", data={"name": "vic", "password": "viewer-pass", "csrf_token": token})


def import_small_lists(engine: Engine, folder: Path, count: int, settings: Settings) -> None:
    """``count`` runs of two rows each: one person, one invalid email (quarantined or not)."""
    for i in range(count):
        path = folder / f"list-{i:03d}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([["First Name", "Last Name", "Email"],
                                          [f"Ann{i}", "Kerr", f"ann{i}@example.com"],
                                          [f"Cy{i}", "Ode", f"not-an-email-{i}"]])  # fmt: skip
        import_file(engine, SourceKind.PURCHASED_LIST, path, settings=settings, orchestrate=False)


class RawRecordReads:
    """Counts the statements that read ``raw_records`` while it is installed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0

    def __enter__(self) -> RawRecordReads:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement: str, *_: object) -> None:
        self.count += "raw_records" in statement


@pytest.mark.slow  # 110 import runs
def test_the_report_keeps_each_runs_figures_and_pages_many_runs(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    import_small_lists(engine, tmp_path, 110, settings)
    with Session(engine) as session:
        kept = session.scalar(select(func.count()).select_from(RunReport))
        assert kept == 110  # every run's figures were kept when it completed
        assert compute_figures(session, [1, 77]) == {
            r.run_id: {f: getattr(r, f) for f in FIGURES} for r in run_quality(engine)
            if r.run_id in (1, 77)
        }  # fmt: skip
    app = create_app(engine, settings=settings, secret=b"s" * 32)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        signed_in(client, engine)
        with RawRecordReads(engine) as reads:
            newest = client.get("/reports/sources")
            oldest = client.get("/reports/sources?offset=0")
        assert reads.count == 0  # the page reads kept figures, never the rows
        bad = client.get("/reports/sources?offset=abc")

        # runs from before the figures were kept get theirs once, on first view
        with Session(engine) as session, session.begin():
            session.execute(delete(RunReport).where(RunReport.run_id <= 50))
        with RawRecordReads(engine) as first_view:
            again = client.get("/reports/sources?offset=0")
        with RawRecordReads(engine) as second_view:
            client.get("/reports/sources?offset=0")
    assert first_view.count > 0 and second_view.count == 0
    assert again.text == oldest.text

    def run_ids(page: str) -> list[int]:
        return [int(i) for i in re.findall(r"<tr>\s*<td>[^<]+</td><td>(\d+)</td>", page)]

    assert newest.status_code == oldest.status_code == 200 and bad.status_code == 422
    assert run_ids(newest.text) == list(range(101, 111))
    assert "runs 101–110 of 110" in newest.text and "offset=50" in newest.text
    assert run_ids(oldest.text) == list(range(1, 51))
    assert "newer runs" in oldest.text and "older runs" not in oldest.text
    assert oldest.text.count("<svg") >= 5
    assert 'href="/reports/sources?offset=50"' in oldest.text
