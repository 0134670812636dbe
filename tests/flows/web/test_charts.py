"""The report's SVG charts: round ticks, axes formatted by their kind, escaped text."""

from __future__ import annotations

import re

import pytest

from flows.web.charts import Axis, Bar, bar_chart, count_axis, money_axis, nice_ticks, percent_axis


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (276, [0, 50, 100, 150, 200, 250, 300]),
        (29.2, [0, 5, 10, 15, 20, 25, 30]),
        (0.67, [0, 0.2, 0.4, 0.6, 0.8]),
        (7.66, [0, 2, 4, 6, 8]),
        (100, [0, 20, 40, 60, 80, 100]),
        (0, [0, 1]),
    ],
)
def test_nice_ticks(top: float, ticks: list[float]) -> None:
    assert nice_ticks(top) == pytest.approx(ticks)


@pytest.mark.parametrize(
    ("axis", "value", "text"),
    [
        (money_axis("cost", "USD"), 4.35, "$4.35"),
        (money_axis("cost", "EUR"), 7.66, "€7.66"),
        (money_axis("cost", "GBP"), 1250, "£1,250.00"),
        (percent_axis("rate"), 29.24, "29.2%"),
        (count_axis("people"), 1276, "1,276"),
    ],
)
def test_axes_format_their_numbers(axis: Axis, value: float, text: str) -> None:
    assert axis.fmt(value) == text


def test_a_chart_has_titled_axes_ticks_and_one_legend_entry_per_group() -> None:
    bars = [Bar(f"#{i} <source {i}>", 10.0 * i, f"group {i % 3}") for i in range(1, 7)]
    svg = bar_chart(bars, title="Rows", axis=count_axis("rows in"), category="import run")
    assert 'class="axis-title x"' in svg and ">rows in<" in svg and ">import run<" in svg
    assert re.findall(r'class="tick"[^>]*>([^<]+)<', svg) == ["0", "10", "20", "30", "40",
                                                              "50", "60"]  # fmt: skip
    assert svg.count('class="legend-entry"') == 3
    assert "<source 1>" not in svg and "&lt;source 1&gt;" in svg
