"""Progress of long imports and dedupes: a Rich bar with rows/s and ETA on a terminal, plain
log lines (no control characters) otherwise, e.g. under cron or with output piped to a file."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

PLAIN_EVERY_S = 5.0
"""Least seconds between two plain progress lines (the last chunk always prints)."""


def estimated_rows(path: Path | None) -> int | None:
    """Line count of a text file (a cheap upper bound of its rows); None for other files."""
    if path is None or path.suffix.lower() not in {".csv", ".tsv", ".txt", ".jsonl"}:
        return None
    lines = 0
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                lines += block.count(b"\n")
    except OSError:
        return None
    return max(lines - 1, 1)


def _rate(rows: int, elapsed: float) -> str:
    return f"{rows / elapsed:,.0f} rows/s" if elapsed > 0 else "- rows/s"


@contextmanager
def row_progress(
    label: str, path: Path | None = None, *, console: Console, total: int | None = None
) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(rows)``; shows a bar on a terminal, else prints a line now and then."""
    expected = total if total is not None else estimated_rows(path)
    if console.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("[cyan]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
        started = time.perf_counter()
        with Progress(*columns, console=console, transient=True) as progress:
            task_id = progress.add_task(label, total=expected, rate="")

            def advance(rows: int) -> None:
                done = int(progress.tasks[0].completed) + rows
                rate = _rate(done, time.perf_counter() - started)
                progress.update(task_id, completed=done, rate=rate)

            yield advance
        return
    started = last = time.perf_counter()
    done = 0

    def advance_plain(rows: int) -> None:
        nonlocal done, last
        done += rows
        now = time.perf_counter()
        if now - last < PLAIN_EVERY_S and (expected is None or done < expected):
            return
        last = now
        of = f"/{expected:,}" if expected else ""
        eta = ""
        if expected and done and done < expected:
            eta = f", ETA {(now - started) * (expected - done) / done:.0f}s"
        print(
            f"{label}: {done:,}{of} rows, {_rate(done, now - started)}{eta}",
            file=sys.stderr,
            flush=True,
        )

    yield advance_plain
