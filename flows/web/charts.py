"""Small server-rendered SVG bar charts (no script, no inline style: the page's CSP allows none):
horizontal bars on a value axis with ticks, grid lines and titled axes, values formatted by the
axis (counts, percentages, money in one currency), and a legend that wraps instead of running
off the edge."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from babel.numbers import format_currency, format_decimal

PALETTE = ("#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4b5563",
           "#db2777", "#65a30d", "#0d9488")  # fmt: skip
CHAR = 7.4
"""Average advance of a 12px character (DejaVu Sans, the widest likely fallback), for laying
out labels without a browser."""
LOCALE = "en_US"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    group: str = ""


@dataclass(frozen=True, slots=True)
class Axis:
    """The value axis: its title and how its numbers read (ticks and the values by the bars)."""

    title: str
    fmt: Callable[[float], str]


def count_axis(title: str) -> Axis:
    return Axis(title, lambda v: format_decimal(round(v), locale=LOCALE))


def percent_axis(title: str) -> Axis:
    return Axis(title, lambda v: f"{format_decimal(round(v, 1), locale=LOCALE)}%")


def money_axis(title: str, currency: str) -> Axis:
    """An axis in one currency: ``$4.35``, ``€7.66`` (never two currencies on one axis)."""
    return Axis(title, lambda v: format_currency(v, currency, locale=LOCALE))


def nice_ticks(top: float, most: int = 6) -> list[float]:
    """Round tick values from 0 to at least ``top`` (steps of 1, 2, 2.5 or 5 times a power
    of ten), at most ``most`` + 1 of them."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)]


def _fit(text: str, width: float) -> str:
    most = max(4, int(width / CHAR))
    return text if len(text) <= most else text[: most - 1] + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    axis: Axis,
    category: str = "",
    width: int = 720,
    bar_height: int = 20,
) -> str:
    """A horizontal bar chart as an ``<svg>``: ``category`` titles the bars' axis (above the
    labels), ``axis`` the value axis (below); bars are coloured by ``group`` (the legend)."""
    pad, gap, title_h = 10, 6, 44
    longest = max([len(b.label) for b in bars] + [len(category)], default=4)
    label_w = min(300.0, max(60.0, CHAR * longest + 8))
    left = pad + label_w
    values = [b.value for b in bars]
    ticks = nice_ticks(max(values, default=0.0))
    value_room = CHAR * max((len(axis.fmt(v)) for v in values), default=4) + 10
    plot_w = width - left - pad - value_room
    scale = plot_w / ticks[-1]
    plot_top = pad + title_h
    plot_h = max(1, len(bars)) * (bar_height + gap)
    axis_y = plot_top + plot_h
    groups = list(dict.fromkeys(b.group for b in bars))
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    legend, legend_h = _legend(groups, colour, x0=left, y0=axis_y + 50, right=width - pad)
    height = axis_y + 44 + legend_h + pad
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{pad}" y="{pad + 14}" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
    for tick in ticks:
        x = left + tick * scale
        parts += [
            f'<line class="grid" x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{axis_y}"'
            f' stroke="#e3e6eb"/>',
            f'<text class="tick" x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle"'
            f' font-size="11">{escape(axis.fmt(tick))}</text>',
        ]
    for i, bar in enumerate(bars):
        y = plot_top + i * (bar_height + gap) + gap / 2
        length = max(0.0, bar.value * scale)
        shown = axis.fmt(bar.value)
        parts += [
            f'<text class="label" x="{left - 6}" y="{y + bar_height * 0.72:.0f}"'
            f' text-anchor="end" font-size="12">{escape(_fit(bar.label, label_w))}'
            f"<title>{escape(bar.label)}</title></text>",
            f'<rect class="bar" x="{left}" y="{y:.1f}" width="{length:.1f}" height="{bar_height}"'
            f' fill="{colour[bar.group]}">'
            f"<title>{escape(bar.label)}: {escape(shown)}</title></rect>",
            f'<text class="value" x="{left + length + 5:.1f}" y="{y + bar_height * 0.72:.0f}"'
            f' font-size="12">{escape(shown)}</text>',
        ]
    parts += [
        f'<line class="axis" x1="{left}" y1="{axis_y}" x2="{left + plot_w:.1f}" y2="{axis_y}"'
        f' stroke="#667085"/>',
        f'<line class="axis" x1="{left}" y1="{plot_top}" x2="{left}" y2="{axis_y}"'
        f' stroke="#667085"/>',
        f'<text class="axis-title x" x="{left + plot_w / 2:.1f}" y="{axis_y + 36}"'
        f' text-anchor="middle" font-size="12">{escape(axis.title)}</text>',
        f'<text class="axis-title y" x="{left - 6}" y="{plot_top - 8}" text-anchor="end"'
        f' font-size="12">{escape(category)}</text>',
        *legend,
        "</svg>",
    ]
    return "".join(parts)


def _legend(
    groups: list[str], colour: dict[str, str], *, x0: float, y0: float, right: float
) -> tuple[list[str], float]:
    """Legend entries in rows that wrap at ``right``; returns the parts and their height."""
    if len(groups) < 2:
        return [], 0.0
    parts, x, y = [], x0, y0
    for group in groups:
        name = group or "(none)"
        entry = 14 + CHAR * len(name) + 16
        if x > x0 and x + entry > right:
            x, y = x0, y + 18
        parts += [
            f'<g class="legend-entry"><rect x="{x:.1f}" y="{y - 10:.1f}" width="10" height="10"'
            f' fill="{colour[group]}"/>',
            f'<text x="{x + 14:.1f}" y="{y:.1f}" font-size="12">{escape(name)}</text></g>',
        ]
        x += entry
    return parts, y - y0 + 18
