"""Import progress: a Rich bar with rows/s and ETA on a terminal, plain lines otherwise."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from flows.progress import row_progress


def test_not_a_terminal_gives_plain_lines_with_rate_and_no_control_characters(
    capsys: pytest.CaptureFixture[str],
) -> None:
    console = Console(file=io.StringIO(), force_terminal=False)
    with row_progress("leads.csv", None, console=console, total=300) as advance:
        for _ in range(3):
            advance(100)
    lines = capsys.readouterr().err.splitlines()
    assert lines and lines[-1].startswith("leads.csv: 300/300 rows, ")
    assert all("rows/s" in line and "\x1b" not in line and "\r" not in line for line in lines)


def test_a_terminal_gets_a_bar_with_rows_per_second_and_eta() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=140)
    with row_progress("leads.csv", None, console=console, total=300) as advance:
        for _ in range(3):
            advance(100)
    text = out.getvalue()
    assert "300/300" in text and "rows/s" in text and "ETA" in text
