"""Source adapters: one module per source kind; each only reads and maps, yielding RawBatches.

``ADAPTERS`` maps a lead source kind to its reader; ``resolve_profile`` completes a user's
profile (or supplies one) with the kind's built-in column mapping. Census tables are reference
data, not leads: ``sources.census.read_census`` reads them for the enrichment table.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.records import RawBatch, SourceKind

if TYPE_CHECKING:
    from ingest.contracts import Adapter
    from ingest.profiles import SourceProfile


def storable(adapter: Adapter) -> Adapter:
    """The adapter with each batch passed through :func:`ingest.storable.storable_batch`, so a
    NUL or a lone surrogate quarantines its row instead of failing the batch on PostgreSQL."""

    from ingest.storable import storable_batch

    @functools.wraps(adapter)
    def read(path: Path, **kwargs: Any) -> Iterator[RawBatch]:
        for batch in adapter(path, **kwargs):
            yield storable_batch(batch)

    return read


_MODULES = {
    SourceKind.PURCHASED_LIST: "purchased_lists",
    SourceKind.EVENT: "events",
    SourceKind.WEB_FORM: "web_forms",
    SourceKind.DIRECTORY: "directory",
}


class _Adapters(Mapping[SourceKind, "Adapter"]):
    """Source kind → reader; a kind's module is imported when its reader is first asked for,
    so a command pays only for the adapter it uses (and ``--help`` for none)."""

    def __init__(self) -> None:
        self._loaded: dict[SourceKind, Adapter] = {}

    def __getitem__(self, kind: SourceKind) -> Adapter:
        if kind not in self._loaded:
            self._loaded[kind] = storable(_module(_MODULES[kind]).read)
        return self._loaded[kind]

    def __iter__(self) -> Iterator[SourceKind]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


def _module(name: str) -> Any:
    return importlib.import_module(f"{__name__}.{name}")


ADAPTERS: Mapping[SourceKind, Adapter] = _Adapters()

ProfileResolver = Callable[[Path, "SourceProfile | None"], "SourceProfile | None"]


def _directory_profile(path: Path, profile: SourceProfile | None) -> SourceProfile:
    return profile or _module("directory").default_profile(path.stem)


def _events_profile(path: Path, profile: SourceProfile | None) -> SourceProfile | None:
    return _module("events").resolve_profile(path, profile)


def _web_form_profile(path: Path, profile: SourceProfile | None) -> SourceProfile | None:
    return _module("web_forms").resolve_profile(path, profile)


DEFAULT_PROFILES: dict[SourceKind, ProfileResolver] = {
    SourceKind.EVENT: _events_profile,
    SourceKind.WEB_FORM: _web_form_profile,
    SourceKind.DIRECTORY: _directory_profile,
}


def resolve_profile(
    kind: SourceKind, path: Path, profile: SourceProfile | None
) -> SourceProfile | None:
    """The profile an import of ``path`` uses: the user's, completed by the kind's defaults."""
    resolver = DEFAULT_PROFILES.get(kind)
    return resolver(path, profile) if resolver else profile


__all__ = ["ADAPTERS", "DEFAULT_PROFILES", "resolve_profile"]
