"""``leadflow dedupe``: read any lead-like file the way the import does, cluster its rows, write
``ID,cluster_id`` per input row and the review pairs. Composition only: the work is in
``sources`` (reading), ``ingest`` (mapping, normalizing, validating) and ``matchers``."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import pandas as pd

from ingest.errors import MappingError
from ingest.mapping import propose_mapping
from ingest.normalize.batch import gc_paused
from ingest.normalize.parallel import Step, normalize_chunks
from ingest.normalize.text import spreadsheet_safe
from ingest.profiles import SourceProfile
from ingest.records import BrokenRow
from ingest.validate import validate_batch
from matchers import Dedupe, MatchModel
from matchers.dedupe import dedupe_view, matching_view
from sources.purchased_lists import read

CHUNK_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class DedupeRun:
    """The clustering of one file, with the input ids aligned to the result's row labels."""

    result: Dedupe
    ids: pd.Series
    broken: tuple[BrokenRow, ...] = ()
    """Input rows the reader could not parse: written to the output with their reason."""


def prepare_file(
    path: Path,
    id_column: str,
    *,
    profile: SourceProfile | None = None,
    broken: list[BrokenRow] | None = None,
    then: Step = validate_batch,
) -> tuple[pd.DataFrame, pd.Series]:
    """Normalized, validated rows of the file (every row kept) and the ids from ``id_column``.

    Chunks are mapped, normalized and validated (``then``: validated and passed on, e.g.
    to ``matching_view``) on one worker process per CPU (``normalize_chunks``) and come back
    in file order. Rows the reader could not parse are appended to ``broken`` when given.
    """
    batches = read(path, profile=profile, chunk_rows=CHUNK_ROWS)
    first = next(batches, None)
    if first is None:
        return pd.DataFrame(), pd.Series(dtype=str)
    _check_id_column(first.rows, id_column)
    mapping = propose_mapping(
        list(first.rows.columns), profile=profile, sample=first.rows, exclude=(id_column,)
    )
    ids: list[pd.Series] = []

    def raw_rows() -> Iterator[pd.DataFrame]:
        for raw in chain([first], batches):
            _check_id_column(raw.rows, id_column)
            if broken is not None:
                broken.extend(raw.broken)
            ids.append(raw.rows[id_column].astype(str))
            yield raw.rows

    region = profile.default_region if profile else None
    chunks = normalize_chunks(raw_rows(), mapping=mapping, default_region=region, then=then)
    with gc_paused():  # the chunks arrive as millions of small objects
        return pd.concat(list(chunks)), pd.concat(ids)


def validated_view(rows: pd.DataFrame) -> pd.DataFrame:
    """``matching_view`` of the validated rows (a step for the chunks' worker processes)."""
    return matching_view(validate_batch(rows))


def _check_id_column(rows: pd.DataFrame, id_column: str) -> None:
    if id_column not in rows.columns:
        raise MappingError(f"the file has no column {id_column!r}", headers=[id_column])


def dedupe_file(
    path: Path,
    id_column: str,
    *,
    profile: SourceProfile | None = None,
    model: MatchModel | None = None,
    fit: bool = True,
) -> DedupeRun:
    """Cluster the file's rows (training the model on the file unless ``fit`` is false)."""
    broken: list[BrokenRow] = []
    view, ids = prepare_file(path, id_column, profile=profile, broken=broken, then=validated_view)
    return DedupeRun(dedupe_view(view, model=model, fit=fit), ids, tuple(broken))


def write_clusters(run: DedupeRun, out: Path, id_column: str) -> int:
    """``ID,cluster_id`` for every input row (cluster ids numbered by first appearance).

    When some input rows could not be read, the file gets ``line`` and ``reason`` columns and
    one row per unreadable line (no id, no cluster), so every input row is accounted for.
    Formula-like ids are escaped (:func:`spreadsheet_safe`).
    """
    labels = run.result.clusters
    numbers = pd.Series(pd.factorize(labels)[0] + 1, index=labels.index)
    frame = pd.DataFrame({id_column: run.ids.to_numpy(), "cluster_id": numbers.to_numpy()})
    if run.broken:
        unread = pd.DataFrame(
            {
                id_column: [""] * len(run.broken),
                "cluster_id": [pd.NA] * len(run.broken),
                "line": [b.row_number for b in run.broken],
                "reason": [b.reason_code for b in run.broken],
            }
        )
        frame = pd.concat([frame.assign(line=None, reason=""), unread], ignore_index=True)
        frame["cluster_id"] = frame["cluster_id"].astype("Int64")
        frame["line"] = frame["line"].astype("Int64")
    frame[id_column] = frame[id_column].map(spreadsheet_safe)
    frame.to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL)
    return int(numbers.nunique())


def write_reviews(run: DedupeRun, out: Path, id_column: str) -> int:
    """Uncertain pairs: both ids and the match probability, most uncertain first."""
    reviews = run.result.reviews
    ids = run.ids
    frame = pd.DataFrame(
        {
            f"{id_column}_1": ids.loc[reviews["left"]].to_numpy() if len(reviews) else [],
            f"{id_column}_2": ids.loc[reviews["right"]].to_numpy() if len(reviews) else [],
            "probability": reviews["probability"].round(4).to_numpy(),
        }
    )
    frame = frame.iloc[(frame["probability"] - 0.5).abs().argsort(kind="stable")]
    for column in (f"{id_column}_1", f"{id_column}_2"):
        frame[column] = frame[column].map(spreadsheet_safe)
    frame.to_csv(out, index=False)
    return len(frame)


def label_of(run: DedupeRun, record_id: str) -> object:
    """The row label of an input id (the first row carrying it)."""
    hits = run.ids.index[run.ids.to_numpy() == record_id]
    if len(hits) == 0:
        raise KeyError(record_id)
    return hits[0]
