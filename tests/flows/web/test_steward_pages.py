"""The steward's pages in real headless Chromium over a served demo store: choosing surviving
values at merge, the queue's columns, input rows, audit paging, the report's charts."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ingest.store.models import (
    AuditEntry,
    ContactPoint,
    FieldPin,
    ImportRun,
    MatchCandidate,
    Person,
    RawRecord,
    Source,
)
from tests.flows.web.browser import Server, login, pair_with_a_choice


def test_a_merge_keeps_the_chosen_value_as_a_pin_and_the_audit_log_shows_it(
    browser: Any, server: Server
) -> None:
    candidate_id, view = pair_with_a_choice(server)
    people = {view.left.person["id"]: view.left, view.right.person["id"]: view.right}
    winner, loser = sorted(people)
    loser_title = people[loser].person["job_title"]
    page = login(browser, server, "stew")
    page.goto(f"{server.url}/review/pair/{candidate_id}")
    row = page.locator("#survivors tr[data-field=job_title]")
    assert row.locator("input:checked").get_attribute("value") == ""  # the rules by default
    row.locator(f"input[value='{loser}']").check()
    page.keyboard.press("a")  # the key works with the focus on the choice
    page.wait_for_selector(f"#pair-card:not([data-candidate-id='{candidate_id}'])")
    engine = server.engine()
    with Session(engine) as s:
        assert s.get(MatchCandidate, candidate_id).status == "accepted"
        assert s.get(Person, winner).job_title == loser_title
        pin = s.scalars(sa.select(FieldPin).where(FieldPin.person_id == winner)).one()
        assert (pin.field, pin.value, pin.pinned_by) == ("job_title", loser_title, "stew")
        accepted = s.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.action == "accept", AuditEntry.entity_id == candidate_id
            )
        ).one()
        assert accepted.details["kept"] == {"job_title": loser}
        logged = [json.dumps(d) for d in s.scalars(sa.select(AuditEntry.details))]
        raw = s.scalars(sa.select(RawRecord.payload).where(RawRecord.person_id == winner)
                        .order_by(RawRecord.id)).all()  # fmt: skip
        email = s.scalar(
            sa.select(ContactPoint.value).where(
                ContactPoint.person_id == winner, ContactPoint.kind == "email"
            )
        )
    engine.dispose()
    personal = {loser_title, people[winner].person["full_name"], email} - {None}
    assert not any(value in entry for value in personal for entry in logged)
    # the audit page shows the choice and, under the entry, the input rows of both people
    page.goto(f"{server.url}/review/audit")
    entry = page.locator(f"#audit tr[data-entry-id='{accepted.id}']")
    assert f"job title #{loser}" in entry.inner_text()
    rows = entry.locator("details.person-rows", has_text=f"person #{winner}")
    rows.locator(":scope > summary").click()
    rows.locator("details.raw summary").first.click()
    shown = rows.inner_text()
    assert next(iter(raw[0].values())) in shown and "received" in shown
    # personal data reaches the signed-in page only, never the server's log
    log = server.log_path.read_text(encoding="utf-8", errors="replace")
    assert "startup complete" in log and not any(value in log for value in personal)


def test_the_queue_shows_email_company_and_what_matched(browser: Any, server: Server) -> None:
    page = login(browser, server, "stew")
    first = page.locator("#queue tbody tr").first
    candidate_id = int(first.get_attribute("data-candidate-id"))
    engine = server.engine()
    with Session(engine) as s:
        candidate = s.get(MatchCandidate, candidate_id)
        emails = {
            p: s.scalars(sa.select(ContactPoint.value).where(
                ContactPoint.person_id == p, ContactPoint.kind == "email")).all()
            for p in (candidate.person_a_id, candidate.person_b_id)
        }  # fmt: skip
        weights = candidate.detail["weights"]
    engine.dispose()
    left_email = first.locator("td.pair-side.left .email").inner_text()
    assert left_email in emails[candidate.person_a_id] or (
        left_email == "no email" and not emails[candidate.person_a_id]
    )
    assert first.locator("td.pair-side.left .company").inner_text()
    tags = first.locator("td.matched-on .tag").all_inner_texts()
    strongest = max((w, k) for k, w in weights.items() if k != "prior")[1]
    assert tags and tags[0].startswith(strongest.replace("_", " "))
    # the pair view: input rows per side with where they came from
    page.goto(f"{server.url}/review/pair/{candidate_id}")
    left = page.locator("#side-left details.raw").first
    assert left.get_attribute("open") is not None
    assert "row" in left.locator("summary").inner_text() and ".csv" in left.inner_text()
    assert "{" not in page.locator("#model").inner_text()  # no raw dicts in the explanation


def test_a_viewer_gets_no_choice_form(browser: Any, server: Server) -> None:
    page = login(browser, server, "vic")
    candidate_id, _ = pair_with_a_choice(server)
    page.goto(f"{server.url}/review/pair/{candidate_id}")
    assert page.locator("#pair-card").count() == 1 and page.locator("#survivors").count() == 0
    assert page.locator("#side-left details.raw").count() >= 1  # a viewer still reads the rows


ENTRIES = "#audit tbody tr[data-entry-id]"


def test_the_audit_log_pages_through_every_entry_once(browser: Any, server: Server) -> None:
    engine = server.engine()
    with Session(engine) as s, s.begin():
        s.add_all(AuditEntry(actor="tester", action="note", entity="person", entity_id=1,
                             details={"n": i}) for i in range(130))  # fmt: skip
    page = login(browser, server, "stew")  # (itself an entry)
    with Session(engine) as s:
        every = set(s.scalars(sa.select(AuditEntry.id)))
    engine.dispose()
    page.goto(f"{server.url}/review/audit")
    seen: list[list[int]] = []
    while True:
        ids = page.eval_on_selector_all(ENTRIES, "rows => rows.map(r => +r.dataset.entryId)")
        assert 0 < len(ids) <= 50 and ids == sorted(ids, reverse=True)
        seen.append(ids)
        older = page.locator(".pager a.older").first
        if older.count() == 0:
            break
        older.click()
        page.wait_for_url(f"**/review/audit?before={ids[-1]}")
    flat = [i for ids in seen for i in ids]
    assert len(flat) == len(set(flat)) and set(flat) == every
    assert f"of {len(every):,}" in page.locator(".pager .range").first.inner_text()
    page.locator(".pager a.newer").first.click()
    page.wait_for_url(f"**/review/audit?after={seen[-1][0]}")
    back = page.eval_on_selector_all(ENTRIES, "rows => rows.map(r => +r.dataset.entryId)")
    assert back == seen[-2]


LONG_SOURCES = [("northwind_trade_show_leads_2026_spring", 900, "GBP"),
                ("partner_referrals_emea_q3", None, None)]  # fmt: skip


def test_report_charts_fit_their_legends_label_axes_and_keep_currencies_apart(
    browser: Any, server: Server
) -> None:
    engine = server.engine()
    with Session(engine) as s, s.begin():
        for i, (name, cost, currency) in enumerate(LONG_SOURCES):
            profile = {"cost": cost, "currency": currency} if cost else None
            source = Source(kind="purchased_list", name=name, profile=profile)
            s.add(source)
            s.flush()
            s.add(ImportRun(source_id=source.id, location=f"/drop/{name}.csv", status="completed",
                            file_hash=f"{i}" * 64, rows_in=100, loaded_new=40))  # fmt: skip
        sources = s.scalar(
            sa.select(sa.func.count(sa.distinct(Source.name)))
            .join(ImportRun, ImportRun.source_id == Source.id)
            .where(ImportRun.status == "completed")
        )
    engine.dispose()
    page = login(browser, server, "stew")
    page.goto(f"{server.url}/reports/sources")
    charts = page.locator("svg.chart")
    assert charts.count() >= 7
    for i in range(charts.count()):
        chart = charts.nth(i)
        # every text (labels, ticks, axis titles, legend) lies inside the drawing
        outside = chart.evaluate(
            """svg => { const box = svg.viewBox.baseVal;
                 return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
                   .filter(([, b]) => b.x < box.x - 0.5 || b.y < box.y - 0.5
                     || b.x + b.width > box.x + box.width + 0.5
                     || b.y + b.height > box.y + box.height + 0.5).map(([t]) => t); }"""
        )
        assert outside == [], outside
        assert chart.locator("text.axis-title.x").text_content().strip()
        assert chart.locator("text.axis-title.y").text_content().strip()
    per_run = page.locator("svg.chart", has_text="Net-new people per import run")
    assert per_run.locator("g.legend-entry").count() == sources  # every source in the legend
    assert "northwind_trade_show_leads_2026_spring" in per_run.text_content()  # bars name sources
    costs = page.locator("svg.chart", has_text="Cost per net-new lead")
    symbols = [
        {sym for sym in "$€£" if sym in costs.nth(i).locator("text.tick").all_text_contents()[-1]}
        for i in range(costs.count())
    ]
    assert sorted(map(sorted, symbols)) == [["$"], ["£"], ["€"]]  # one currency per axis
    assert "£22.50" in page.locator("table.report").inner_text()  # 900 / 40 net-new
