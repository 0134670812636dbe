"""Source adapters: one module per source kind; each only reads and maps, yielding RawBatches.

``ADAPTERS`` maps a lead source kind to its reader; ``resolve_profile`` completes a user's
profile (or supplies one) with the kind's built-in column mapping. Census tables are reference
data, not leads: ``sources.census.read_census`` reads them for the enrichment table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ingest.contracts import Adapter
from ingest.profiles import SourceProfile
from ingest.records import RawBatch, SourceKind
from ingest.storable import storable_batch
from sources import directory, events, purchased_lists, web_forms


def storable(adapter: Adapter) -> Adapter:
    """The adapter with each batch passed through :func:`ingest.storable.storable_batch`, so a
    NUL or a lone surrogate quarantines its row instead of failing the batch on PostgreSQL."""

    @functools.wraps(adapter)
    def read(path: Path, **kwargs: Any) -> Iterator[RawBatch]:
        for batch in adapter(path, **kwargs):
            yield storable_batch(batch)

    return read


ADAPTERS: dict[SourceKind, Adapter] = {
    SourceKind.PURCHASED_LIST: storable(purchased_lists.read),
    SourceKind.EVENT: storable(events.read),
    SourceKind.WEB_FORM: storable(web_forms.read),
    SourceKind.DIRECTORY: storable(directory.read),
}

ProfileResolver = Callable[[Path, SourceProfile | None], SourceProfile | None]


def _directory_profile(path: Path, profile: SourceProfile | None) -> SourceProfile:
    return profile or directory.default_profile(path.stem)


DEFAULT_PROFILES: dict[SourceKind, ProfileResolver] = {
    SourceKind.EVENT: events.resolve_profile,
    SourceKind.WEB_FORM: web_forms.resolve_profile,
    SourceKind.DIRECTORY: _directory_profile,
}


def resolve_profile(
    kind: SourceKind, path: Path, profile: SourceProfile | None
) -> SourceProfile | None:
    """The profile an import of ``path`` uses: the user's, completed by the kind's defaults."""
    resolver = DEFAULT_PROFILES.get(kind)
    return resolver(path, profile) if resolver else profile


__all__ = ["ADAPTERS", "DEFAULT_PROFILES", "resolve_profile"]
