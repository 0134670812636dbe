"""The stage contracts as code: what an adapter yields and what a matcher must return.

``sources`` implement :class:`Adapter`; ``matchers`` implement :class:`Matcher`. The importer in
``ingest`` depends only on these protocols, which keeps ``ingest`` free of the other packages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from ingest.records import RawBatch

if TYPE_CHECKING:
    from ingest.profiles import SourceProfile

ASSIGNMENT_COLUMNS = ("cluster", "person_id", "probability", "decided_by")
REVIEW_COLUMNS = ("row", "other_row", "person_id", "probability", "detail")


class Adapter(Protocol):
    """Reads one source location and yields raw batches; never normalizes, never writes."""

    def __call__(
        self, path: Path, *, profile: SourceProfile | None = None, chunk_rows: int = ...
    ) -> Iterator[RawBatch]: ...


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A matcher's decisions for one batch.

    ``assignments`` is indexed like the batch with the columns of ``ASSIGNMENT_COLUMNS``: rows
    sharing a ``cluster`` are one person; ``person_id`` is the existing person the cluster links
    to (``<NA>`` for a new person); ``decided_by`` says which rule or model linked it.
    ``reviews`` holds uncertain pairs (``REVIEW_COLUMNS``): a batch row label against another batch
    row (``other_row``) or an existing person (``person_id``), for a steward to decide.
    """

    assignments: pd.DataFrame
    reviews: pd.DataFrame


class Matcher(Protocol):
    """Decides which rows of a batch are the same person, within the batch and against the store.

    ``existing`` has one row per candidate person from the store, with the columns ``person_id``,
    ``first_name_key``, ``last_name_key``, ``company_key``, ``postal_code``, ``email_keys`` and
    ``phones`` (the last two are tuples).
    """

    def match(self, batch: pd.DataFrame, existing: pd.DataFrame) -> MatchResult: ...


@runtime_checkable
class KeyedMatcher(Matcher, Protocol):
    """A matcher that also names blocking keys per row (``rule``, ``key`` columns, indexed by
    the row label; several rows per label allowed). The store keeps them per person
    (``blocking_keys``) and looks candidates up by them, so matching stays incremental."""

    def blocking_keys(self, rows: pd.DataFrame) -> pd.DataFrame: ...


@runtime_checkable
class FittingMatcher(Matcher, Protocol):
    """A matcher that fits its parameters to an import's first batch and keeps them for the
    rest: the store keeps what it fitted with the run (``fitted``, JSON) and hands it back
    before every batch (``use_fitted``; None while nothing was fitted), so every batch of a
    file, and a resumed import, is matched with the same parameters."""

    def fitted(self) -> dict[str, Any] | None: ...

    def use_fitted(self, state: dict[str, Any] | None) -> None: ...


@runtime_checkable
class ListingMatcher(Matcher, Protocol):
    """A matcher that also decides which company-only rows of a batch (directory listings,
    account lists) are one company, the way ``leadflow dedupe`` does: one cluster label per
    row, in the rows' order."""

    def cluster_listings(self, listings: pd.DataFrame) -> np.ndarray: ...


def empty_reviews() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in REVIEW_COLUMNS})
