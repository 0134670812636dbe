"""The source quality and cost report as a page with charts (``/reports/sources``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated

from babel.numbers import format_currency, format_decimal
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from flows.web.auth import require_user
from flows.web.charts import (
    LOCALE,
    Axis,
    Bar,
    bar_chart,
    count_axis,
    money_axis,
    percent_axis,
)
from flows.web.deps import get_engine
from flows.web.review.common import page
from ingest.store.reports import RunQuality, SourceQuality, by_source, run_quality
from ingest.store.users import UserInfo

router = APIRouter(prefix="/reports", tags=["reports"])
User = Annotated[UserInfo, Depends(require_user)]


@router.get("/sources")
def sources_page(request: Request, user: User) -> HTMLResponse:
    runs = run_quality(get_engine(request))
    sources = by_source(runs)
    return page(request, "report_sources.html", user, runs=runs, sources=sources,
                charts=charts(runs, sources), money=money)  # fmt: skip


def money(amount: Decimal | float | None, currency: str | None) -> str:
    """``$4.35``; an amount without a currency as a plain number."""
    if amount is None:
        return "–"
    if not currency:
        return format_decimal(amount, format="#,##0.00", locale=LOCALE)
    return format_currency(amount, currency, locale=LOCALE)


def charts(runs: list[RunQuality], sources: list[SourceQuality]) -> list[Markup]:
    """One chart per measure: cost per net-new lead per source (one chart per currency), then
    the per-run rates, each bar labelled with its run, source and date."""

    def per_run(title: str, axis: Axis, value: Callable[[RunQuality], float]) -> Markup:
        bars = [Bar(f"#{r.run_id} {r.source_name} · {r.started_at:%Y-%m-%d}", value(r),
                    r.source_name) for r in runs]  # fmt: skip
        # the SVG escapes every text it embeds
        return Markup(bar_chart(bars, title=title, axis=axis, category="import run"))

    out = []
    priced = [s for s in sources if s.cost_per_new_lead is not None]
    for currency in dict.fromkeys(s.runs[0].currency or "" for s in priced):
        bars = [Bar(s.source_name, float(s.cost_per_new_lead or 0), s.source_name)
                for s in priced if (s.runs[0].currency or "") == currency]  # fmt: skip
        axis = (money_axis(f"cost per net-new lead ({currency})", currency) if currency
                else count_axis("cost per net-new lead (no currency in the profile)"))  # fmt: skip
        title = f"Cost per net-new lead, {currency or 'no currency'}"
        out.append(Markup(bar_chart(bars, title=title, axis=axis, category="source")))
    out += [
        per_run("Net-new people per import run", count_axis("net-new people"),
                lambda r: r.loaded_new),
        per_run("Duplicates within the file", percent_axis("% of the run's rows"),
                lambda r: 100 * r.rate(r.duplicates_within_file)),
        per_run("Duplicates against the store", percent_axis("% of the run's rows"),
                lambda r: 100 * r.rate(r.duplicates_against_store)),
        per_run("Invalid emails", percent_axis("% of the run's rows"),
                lambda r: 100 * r.rate(r.invalid_email_rows)),
        per_run("Email consent coverage", percent_axis("% of the run's rows opted in to email"),
                lambda r: 100 * r.rate(r.consent_opt_in.get("email", 0))),
    ]  # fmt: skip
    return out
