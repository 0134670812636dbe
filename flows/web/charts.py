"""Small server-rendered SVG bar charts (no script, no inline style: the page's CSP allows none)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#4b5563")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    group: str = ""


def bar_chart(
    bars: Sequence[Bar], *, title: str, unit: str = "", width: int = 640, bar_height: int = 22
) -> str:
    """A horizontal bar chart as an ``<svg>`` string; bars coloured by ``group`` (a legend)."""
    label_width, pad = 180, 8
    height = pad * 2 + 24 + max(1, len(bars)) * (bar_height + 6)
    top = max((b.value for b in bars), default=0.0) or 1.0
    groups = list(dict.fromkeys(b.group for b in bars))
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    plot = width - label_width - 90
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
        f' width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{pad}" y="{pad + 14}" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = pad + 24 + i * (bar_height + 6)
        length = 0 if bar.value <= 0 else max(1.0, plot * bar.value / top)
        shown = f"{bar.value:,.2f}".rstrip("0").rstrip(".") + unit
        parts += [
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.0f}" text-anchor="end"'
            f' font-size="12">{escape(bar.label)}</text>',
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}"'
            f' fill="{colour[bar.group]}">'
            f"<title>{escape(bar.label)}: {escape(shown)}</title></rect>",
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.0f}"'
            f' font-size="12">{escape(shown)}</text>',
        ]
    if len(groups) > 1:
        legend_y = height - 4
        x = label_width
        for group in groups:
            parts += [
                f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10"'
                f' fill="{colour[group]}"/>',
                f'<text x="{x + 14}" y="{legend_y}" font-size="11">{escape(group)}</text>',
            ]
            x += 24 + 7 * len(group)
    parts.append("</svg>")
    return "".join(parts)
