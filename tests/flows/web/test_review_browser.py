"""The review pages in real headless Chromium against ``leadflow serve`` over a demo store.

Skipped with a reason when Debian's chromium is missing, unless LEADFLOW_REQUIRE_BROWSER is set
(CI), then they fail.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from flows.demo import run_demo
from ingest.config import Settings, sqlite_url
from ingest.store.engine import make_engine
from ingest.store.models import AuditEntry, MatchCandidate, Merge, Person
from ingest.store.users import add_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
REPO = Path(__file__).resolve().parents[3]
PASSWORDS = {"stew": "steward-pass-1", "vic": "viewer-pass-1"}
EXTRA = [(10, 11, 0.97), (12, 13, 0.93), (14, 15, 0.86), (16, 17, 0.30), (19, 20, 0.45)]
"""Extra candidates between demo people, so bands and bulk accept have something to work on."""


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if Settings.from_env().require_browser:
        pytest.fail(f"LEADFLOW_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _browser_or_skip()
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    run_demo(path, REPO / "sample_data")
    engine = make_engine(sqlite_url(path))
    try:
        add_user(engine, "stew", PASSWORDS["stew"], role="steward")
        add_user(engine, "vic", PASSWORDS["vic"], role="viewer")
        with Session(engine) as s, s.begin():
            for a, b, p in EXTRA:
                detail = {"fields": {
                    "email": {"weight": -2.1, "level": "different", "left": "x", "right": "y"},
                    "last_name": {"weight": 4.5, "level": "exact"},
                    "first_name": {"weight": 1.2 if p > 0.5 else -1.0, "level": "fuzzy"},
                }}  # fmt: skip
                s.add(MatchCandidate(person_a_id=a, person_b_id=b, probability=p, detail=detail))
    finally:
        engine.dispose()
    return path


@dataclass
class Server:
    url: str
    db: str

    def engine(self) -> sa.Engine:
        return make_engine(self.db)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(template_db: Path, tmp_path: Path) -> Iterator[Server]:
    db = tmp_path / "store.db"
    shutil.copy(template_db, db)
    port = _free_port()
    command = [sys.executable, "-m", "flows", "serve", "--db", sqlite_url(db), "--port", str(port)]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{url}/login").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("leadflow serve did not answer")
        yield Server(url, sqlite_url(db))
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _login(browser: Browser, server: Server, name: str) -> Page:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.goto(f"{server.url}/review")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/review")
    return page


def _current(page: Page) -> int:
    return int(page.get_attribute("#pair-card", "data-candidate-id"))


def _after(page: Page, old: int) -> int:
    # a selector, not a JS predicate: the page's CSP forbids string evaluation
    page.wait_for_selector(f"#pair-card:not([data-candidate-id='{old}'])")
    return _current(page)


def _status(server: Server, candidate_id: int) -> str:
    engine = server.engine()
    try:
        with Session(engine) as s:
            return s.get_one(MatchCandidate, candidate_id).status
    finally:
        engine.dispose()


def test_keyboard_decisions_change_the_store_without_reloading(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    page = _login(browser, server, "stew")
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_selector("#pair-card")
    page.screenshot(path=str(tmp_path / "pair.png"), full_page=True)
    fills = "els => els.map(e => getComputedStyle(e).fill)"
    against = set(page.eval_on_selector_all("svg.wbar rect.neg", fills))
    for_match = set(page.eval_on_selector_all("svg.wbar rect.pos", fills))
    assert not against & for_match  # a weight against a match is never drawn in "for" colour
    page.evaluate("window.__noReload = 1")
    first = _current(page)
    page.keyboard.press("a")
    second = _after(page, first)
    assert _status(server, first) == "accepted"
    engine = server.engine()
    with Session(engine) as s:
        merge = s.scalar(sa.select(Merge).where(Merge.candidate_id == first))
        assert s.get_one(Person, merge.loser_id).merged_into_id == merge.winner_id
        assert (
            s.scalar(
                sa.select(AuditEntry.actor).where(
                    AuditEntry.action == "accept", AuditEntry.entity_id == first
                )
            )
            == "stew"
        )
    page.keyboard.press("u")
    assert _after(page, second) == first
    assert _status(server, first) == "pending"
    with Session(engine) as s:
        assert s.get_one(Person, merge.loser_id).merged_into_id is None
    engine.dispose()
    page.keyboard.press("j")
    nxt = _after(page, first)
    page.keyboard.press("k")
    assert _after(page, nxt) == first
    page.keyboard.press("r")
    after_reject = _after(page, first)
    assert _status(server, first) == "rejected"
    page.keyboard.press("s")
    _after(page, after_reject)
    assert _status(server, after_reject) == "skipped"
    assert page.evaluate("window.__noReload") == 1
    assert (tmp_path / "queue.png").stat().st_size > 10_000


def test_bulk_accept_shows_the_count_then_merges_and_unmerge_restores(
    browser: Browser, server: Server
) -> None:
    high = _pending_at_least(server, 0.9)  # the two extras plus any the demo queued itself
    assert set(_ids(server, 0.97, 0.93)) <= set(high) and _ids(server, 0.86)[0] not in high
    page = _login(browser, server, "stew")
    page.select_option("select[name=band]", "high")
    page.click("#filter-form button[type=submit]")
    page.fill("input[name=min_probability]", "0.9")
    page.click("#bulk-form button[type=submit]")
    assert page.inner_text("#bulk-count") == str(len(high))
    page.click("#bulk-confirm")
    page.wait_for_selector("#bulk-done")
    assert f"Accepted {len(high)} pairs" in page.inner_text("#bulk-done")
    assert {_status(server, i) for i in high} == {"accepted"}
    assert _status(server, _ids(server, 0.86)[0]) == "pending"
    page.goto(f"{server.url}/review/merges")
    page.click("button.unmerge >> nth=0")
    page.wait_for_selector("tr.undone")
    engine = server.engine()
    with Session(engine) as s:
        undone = s.scalars(sa.select(Merge).where(Merge.undone_at.is_not(None))).all()
        assert len(undone) == 1
        assert s.get_one(Person, undone[0].loser_id).merged_into_id is None
        assert s.scalar(sa.select(AuditEntry.id).where(AuditEntry.action == "unmerge"))
    engine.dispose()


def _pending_at_least(server: Server, probability: float) -> list[int]:
    engine = server.engine()
    with Session(engine) as s:
        ids = s.scalars(
            sa.select(MatchCandidate.id).where(
                MatchCandidate.status == "pending", MatchCandidate.probability >= probability
            )
        ).all()
    engine.dispose()
    return list(ids)


def _ids(server: Server, *probabilities: float) -> list[int]:
    engine = server.engine()
    with Session(engine) as s:
        ids = [
            s.scalar(sa.select(MatchCandidate.id).where(MatchCandidate.probability == p))
            for p in probabilities
        ]
    engine.dispose()
    return ids


def test_a_viewer_reads_but_cannot_decide(browser: Browser, server: Server) -> None:
    page = _login(browser, server, "vic")
    page.keyboard.press("Enter")
    page.wait_for_selector("#pair-card")
    assert page.locator("button[data-action]").count() == 0
    first = _current(page)
    page.keyboard.press("a")
    status = page.evaluate(
        """async (id) => (await fetch(`/review/pair/${id}/accept`, {method: "POST",
             headers: {"X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content}
           })).status""",
        first,
    )
    assert status == 403
    assert _status(server, first) == "pending"


def test_requests_without_session_or_with_a_bad_token_are_refused(
    browser: Browser, server: Server
) -> None:
    assert httpx.post(f"{server.url}/review/pair/1/accept").status_code == 401
    answer = httpx.get(f"{server.url}/review/pair/1", follow_redirects=False)
    assert answer.status_code == 303 and "Lovelace" not in answer.text
    page = _login(browser, server, "stew")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    refused = httpx.post(
        f"{server.url}/review/pair/1/accept", cookies=cookies, headers={"X-CSRF-Token": "forged"}
    )
    assert refused.status_code == 403
    no_token = httpx.post(f"{server.url}/review/undo", cookies=cookies)
    assert no_token.status_code == 403
    assert _status(server, 1) == "pending"
