"""The review pages in real headless Chromium against ``leadflow serve`` over a demo store
(fixtures in ``conftest.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ingest.store.models import AuditEntry, MatchCandidate, Merge, Person
from tests.flows.web.browser import Server
from tests.flows.web.browser import login as _login

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


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
