"""``leadflow demo``: a fresh SQLite store with every sample file imported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flows.census_import import import_census
from flows.importing import import_file, profile_for
from flows.store import open_store
from flows.suppressions import SuppressionReport, import_suppression_file
from ingest.config import Settings, sqlite_url
from ingest.importer import ImportReport
from ingest.records import SourceKind
from ingest.store.census import CensusLoadReport

SAMPLE_FOLDERS: dict[str, SourceKind] = {
    "purchased_lists": SourceKind.PURCHASED_LIST,
    "events": SourceKind.EVENT,
    "web_forms": SourceKind.WEB_FORM,
    "directory": SourceKind.DIRECTORY,
}
"""Which sample folder holds which source kind (in import order)."""


@dataclass(frozen=True, slots=True)
class DemoResult:
    database: Path
    suppressions: list[SuppressionReport]
    reports: list[ImportReport]
    census: list[CensusLoadReport]


def default_sample_dir() -> Path:
    """``sample_data`` in the working directory, else the one beside this checkout's packages."""
    here = Path("sample_data")
    return here if here.is_dir() else Path(__file__).resolve().parent.parent / "sample_data"


def sample_files(sample_dir: Path) -> list[tuple[SourceKind, Path]]:
    files = []
    for folder, kind in SAMPLE_FOLDERS.items():
        for path in sorted((sample_dir / folder).glob("*")):
            if path.is_file() and not path.name.startswith("."):
                files.append((kind, path))
    return files


def run_demo(
    database: Path,
    sample_dir: Path,
    *,
    settings: Settings,
    fresh: bool = True,
    on_file: Callable[[Path], None] | None = None,
    orchestrate: bool | None = None,
) -> DemoResult:
    """Import every sample file into ``database`` (deleted first when ``fresh``).

    Lead files are imported in this process, or as the Prefect import flow when
    ``orchestrate`` is True or the settings ask for it (:func:`flows.importing.orchestrated`).
    """
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    engine = open_store(sqlite_url(database))
    reports = []
    try:
        suppressions = [
            import_suppression_file(engine, path, settings=settings)
            for path in sorted((sample_dir / "suppressions").glob("*.csv"))
        ]
        for kind, path in sample_files(sample_dir):
            if on_file is not None:
                on_file(path)
            profile = profile_for(path, sample_dir / "profiles")
            reports.append(
                import_file(
                    engine, kind, path, settings=settings, profile=profile, orchestrate=orchestrate
                )
            )
        census = [
            import_census(engine, path) for path in sorted((sample_dir / "census").glob("*.csv"))
        ]
    finally:
        engine.dispose()
    return DemoResult(database.resolve(), suppressions, reports, census)
