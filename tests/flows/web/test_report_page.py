"""The source quality and cost page: sign-in required, one chart per measure, the runs' numbers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from flows.importing import import_file, profile_for
from flows.web.app import create_app
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.reports import run_quality
from ingest.store.users import add_user
from tests.conftest import REPO

SAMPLES = REPO / "sample_data"


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
