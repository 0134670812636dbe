"""The web app as real uvicorn processes over HTTP: a slow page does not hold up web-form
intake, and rate limits hold across worker processes."""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from flows.importing import import_file
from ingest.config import Settings
from ingest.records import SourceKind
from ingest.store.users import add_user
from tests.conftest import REPO
from tests.flows.web.server_process import served

pytestmark = pytest.mark.slow
SLOW_S = 6.0
FORM = {"fields": {"name": "Grace Hopper", "email": "grace@example.com"}}


def sign_in(client: httpx.Client, name: str, password: str) -> int:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    answer = client.post("/login", data={"name": name, "password": password,
                                         "csrf_token": token})  # fmt: skip
    return answer.status_code


def staged(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM form_submissions")).scalar_one()


def test_a_slow_report_page_does_not_delay_form_intake(
    engine: Engine, db_url: str, settings: Settings
) -> None:
    import_file(engine, SourceKind.PURCHASED_LIST,
                REPO / "sample_data" / "purchased_lists" / "acme_b2b_2026q3.csv",
                settings=settings, orchestrate=False)  # fmt: skip
    add_user(engine, "vic", "viewer-pass", role="viewer")
    with served(db_url, "--slow-reports", str(SLOW_S)) as base:
        with httpx.Client(base_url=base, timeout=120) as viewer:
            assert sign_in(viewer, "vic", "viewer-pass") in (200, 303)
            cookies = dict(viewer.cookies)
        reports: list[tuple[int, float]] = []

        def open_report() -> None:
            started = time.monotonic()
            with httpx.Client(base_url=base, cookies=cookies, timeout=120) as client:
                status = client.get("/reports/sources").status_code
            reports.append((status, time.monotonic() - started))

        readers = [threading.Thread(target=open_report) for _ in range(3)]
        for reader in readers:
            reader.start()
        time.sleep(1.0)  # the three report requests are in the server, waiting on the store

        latencies = []
        with httpx.Client(base_url=base, timeout=120) as visitor:
            for i in range(8):
                started = time.monotonic()
                answer = visitor.post(f"/forms/contact-{i}", json=FORM)
                latencies.append(time.monotonic() - started)
                assert answer.status_code == 202
        still_open = sum(reader.is_alive() for reader in readers)
        for reader in readers:
            reader.join(timeout=120)

    assert still_open == 3  # every form was taken while all three slow pages were open
    assert max(latencies) < 2.0, latencies
    assert [status for status, _ in reports] == [200, 200, 200]
    assert min(seconds for _, seconds in reports) >= SLOW_S
    assert staged(engine) == 8


def test_rate_limits_hold_across_two_server_processes(engine: Engine, db_url: str) -> None:
    add_user(engine, "ann", "right-pass", role="viewer")
    limits = ("--forms-limit", "6", "--login-limit", "4")
    with served(db_url, *limits) as first, served(db_url, *limits) as second:
        clients = [httpx.Client(base_url=first), httpx.Client(base_url=second)]
        try:
            posts = [clients[i % 2].post(f"/forms/burst-{i}", json=FORM) for i in range(10)]
            logins = [sign_in(clients[i % 2], "ann", "wrong-pass") for i in range(6)]
        finally:
            for client in clients:
                client.close()

    codes = [p.status_code for p in posts]
    assert codes == [202] * 6 + [429] * 4  # six in all, not six per process
    # the sliding window lets the next post in once the six have faded below the limit: at most
    # one window and a sixth of the next (70 s) when the burst began early in a window
    assert all(1 <= int(p.headers["Retry-After"]) <= 70 for p in posts[6:])
    assert logins[4:] == [429, 429] and 429 not in logins[:4]
    assert staged(engine) == 6
    with engine.connect() as conn:
        clients_seen = conn.execute(sa.text("SELECT client FROM rate_limit_hits")).scalars().all()
    assert clients_seen and all("127.0.0.1" not in c for c in clients_seen)  # hashed only
