"""The source quality and cost report as a page with charts (``/reports/sources``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from flows.web.auth import require_user
from flows.web.charts import Bar, bar_chart
from flows.web.deps import get_engine
from flows.web.review.common import page
from ingest.store.reports import RunQuality, by_source, run_quality
from ingest.store.users import UserInfo

router = APIRouter(prefix="/reports", tags=["reports"])
User = Annotated[UserInfo, Depends(require_user)]


@router.get("/sources")
def sources_page(request: Request, user: User) -> HTMLResponse:
    runs = run_quality(get_engine(request))
    sources = by_source(runs)

    def per_run(title: str, unit: str, value: Callable[[RunQuality], float]) -> Markup:
        bars = [Bar(f"run {r.run_id} · {r.started_at:%Y-%m-%d}", value(r), r.source_name)
                for r in runs]  # fmt: skip
        # the SVG escapes every text it embeds
        return Markup(bar_chart(bars, title=title, unit=unit))

    charts = [
        per_run("Net-new people per import run", "", lambda r: r.loaded_new),
        per_run("Duplicate rate within the file (%)", "%",
                lambda r: 100 * r.rate(r.duplicates_within_file)),
        per_run("Duplicate rate against the store (%)", "%",
                lambda r: 100 * r.rate(r.duplicates_against_store)),
        per_run("Invalid email rate (%)", "%", lambda r: 100 * r.rate(r.invalid_email_rows)),
        per_run("Email consent coverage (%)", "%",
                lambda r: 100 * r.rate(r.consent_opt_in.get("email", 0))),
    ]  # fmt: skip
    priced = [s for s in sources if s.cost_per_new_lead is not None]
    if priced:
        charts.insert(0, Markup(bar_chart(
            [Bar(s.source_name, float(s.cost_per_new_lead or 0), s.runs[0].currency or "")
             for s in priced],
            title="Cost per net-new lead (by source)",
        )))  # fmt: skip
    return page(request, "report_sources.html", user, runs=runs, sources=sources, charts=charts)
