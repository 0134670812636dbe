"""``leadflow dedupe``: read any lead-like file the way the import does, cluster its rows, write
``ID,cluster_id`` per input row and the review pairs. Composition only: the work is in
``sources`` (reading), ``ingest`` (mapping, normalizing, validating) and ``matchers``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ingest.errors import MappingError
from ingest.mapping import apply_mapping, propose_mapping
from ingest.normalize import normalize_batch
from ingest.profiles import SourceProfile
from ingest.validate import validate_batch
from matchers import Dedupe, MatchModel, dedupe_frame
from sources.purchased_lists import read

CHUNK_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class DedupeRun:
    """The clustering of one file, with the input ids aligned to the result's row labels."""

    result: Dedupe
    ids: pd.Series


def prepare_file(
    path: Path, id_column: str, *, profile: SourceProfile | None = None
) -> tuple[pd.DataFrame, pd.Series]:
    """Normalized, validated rows of the file (every row kept) and the ids from ``id_column``."""
    frames, ids = [], []
    mapping = None
    for raw in read(path, profile=profile, chunk_rows=CHUNK_ROWS):
        if id_column not in raw.rows.columns:
            raise MappingError(f"the file has no column {id_column!r}", headers=[id_column])
        if mapping is None:
            mapping = propose_mapping(list(raw.rows.columns), profile=profile)
        region = profile.default_region if profile else None
        canonical = apply_mapping(raw.rows, mapping)
        frames.append(validate_batch(normalize_batch(canonical, default_region=region)))
        ids.append(raw.rows[id_column].astype(str))
    rows = pd.concat(frames) if frames else pd.DataFrame()
    return rows, (pd.concat(ids) if ids else pd.Series(dtype=str))


def dedupe_file(
    path: Path,
    id_column: str,
    *,
    profile: SourceProfile | None = None,
    model: MatchModel | None = None,
    fit: bool = True,
) -> DedupeRun:
    """Cluster the file's rows (training the model on the file unless ``fit`` is false)."""
    rows, ids = prepare_file(path, id_column, profile=profile)
    return DedupeRun(dedupe_frame(rows, model=model, fit=fit), ids)


def write_clusters(run: DedupeRun, out: Path, id_column: str) -> int:
    """``ID,cluster_id`` for every input row (cluster ids numbered by first appearance)."""
    labels = run.result.clusters
    numbers = pd.Series(pd.factorize(labels)[0] + 1, index=labels.index)
    frame = pd.DataFrame({id_column: run.ids.to_numpy(), "cluster_id": numbers.to_numpy()})
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
    frame.to_csv(out, index=False)
    return len(frame)


def label_of(run: DedupeRun, record_id: str) -> object:
    """The row label of an input id (the first row carrying it)."""
    hits = run.ids.index[run.ids.to_numpy() == record_id]
    if len(hits) == 0:
        raise KeyError(record_id)
    return hits[0]
