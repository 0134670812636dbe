"""Normalizing row chunks in worker processes: ``normalize_batch`` on several cores.

Normalization is row-local, so a file's rows can be normalized chunk by chunk in separate
processes and put back together in order. Raw chunks can be mapped to canonical fields in the
worker as well (``apply_mapping``), so the caller never holds the canonical copy of the rows.
A row-local step after normalizing (``then``, e.g. ``validate_batch``) runs in the worker too.
Workers are started with ``spawn``: nothing of the caller's threads or locks is inherited, but a
script calling these must guard its entry point with ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING

import pandas as pd

from ingest.mapping import ColumnMapping, apply_mapping
from ingest.normalize.batch import gc_paused, normalize_batch

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK_ROWS = 100_000
"""Rows per chunk: large enough that each value's normalization is shared by many rows."""
Step = Callable[[pd.DataFrame], pd.DataFrame]
"""A row-local step on a normalized chunk; a module-level function, so workers can import it."""


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def split_rows(frame: pd.DataFrame, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """Consecutive row chunks of ``frame`` (at least one, even when it is empty)."""
    for start in range(0, max(len(frame), 1), chunk_rows):
        yield frame.iloc[start : start + chunk_rows]


def _normalize_chunk(
    chunk: pd.DataFrame,
    mapping: ColumnMapping | None,
    default_region: str | None,
    then: Step | None,
) -> pd.DataFrame:
    canonical = chunk if mapping is None else apply_mapping(chunk, mapping)
    normalized = normalize_batch(canonical, default_region=default_region)
    return normalized if then is None else then(normalized)


def normalize_chunks(
    chunks: Iterable[pd.DataFrame],
    *,
    mapping: ColumnMapping | None = None,
    default_region: str | None = None,
    then: Step | None = None,
    workers: int | None = None,
) -> Iterator[pd.DataFrame]:
    """``normalize_batch`` of each chunk, in order (each chunk first mapped with ``mapping``
    and the result passed through ``then``, when given), on ``workers`` processes (default: one
    per CPU; 1 = in this process).

    A single chunk is normalized in this process (starting workers would cost more). At most
    two chunks per worker are in flight, so a lazily read file is not read far ahead.
    """
    workers = workers or default_workers()
    rest = iter(chunks)
    head = list(islice(rest, 2))
    if len(head) < 2 or workers == 1:
        for chunk in chain(head, rest):
            yield _normalize_chunk(chunk, mapping, default_region, then)
        return
    import multiprocessing  # only here: a small import never starts workers
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[pd.DataFrame]] = deque()
        for chunk in chain(head, rest):
            pending.append(pool.submit(_normalize_chunk, chunk, mapping, default_region, then))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def normalize_parallel(
    frame: pd.DataFrame,
    *,
    mapping: ColumnMapping | None = None,
    default_region: str | None = None,
    then: Step | None = None,
    workers: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> pd.DataFrame:
    """``normalize_batch`` of the whole frame (mapped first and passed through ``then`` when
    given), computed in row chunks on ``workers`` processes (one chunk stays in this process).

    The garbage collector is paused meanwhile: the workers' frames arrive as millions of small
    objects, and each collection would walk all of them.
    """
    with gc_paused():
        parts = list(
            normalize_chunks(
                split_rows(frame, chunk_rows),
                mapping=mapping,
                default_region=default_region,
                then=then,
                workers=workers,
            )
        )
        return pd.concat(parts) if len(parts) > 1 else parts[0]
