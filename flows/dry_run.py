"""``leadflow import ... --dry-run``: every stage runs, nothing stays in the store.

The import runs for real on one connection inside one outer transaction (each load step is a
nested step of it), the preview is read back, and the outer transaction is rolled back. So the
preview comes from the very code that applies an import, and applying afterwards gives the same
counts (unless the store changes in between).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from flows.importing import import_file
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.models import Company
from ingest.store.preview import Preview, read_preview


def dry_run(
    engine: Engine, kind: SourceKind, path: Path, *, profile: SourceProfile | None = None
) -> Preview:
    """Preview what importing ``path`` would do, leaving the store untouched."""
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            companies_before = connection.scalar(select(func.coalesce(func.max(Company.id), 0)))
            report = import_file(connection, kind, path, profile=profile, orchestrate=False)  # type: ignore[arg-type]
            preview = read_preview(
                connection,
                report.run_id or 0,
                counts={
                    **report.counts.as_dict(),
                    "already_imported": int(report.already_imported),
                },
                companies_before=int(companies_before or 0),
            )
        finally:
            outer.rollback()
    return preview
