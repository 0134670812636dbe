"""``leadflow import ... --dry-run``: every stage runs, nothing stays in the store.

The import runs for real on one connection inside one outer transaction (each load step is a
nested step of it), the preview is read back, and the outer transaction is rolled back. So the
preview comes from the very code that applies an import, and applying afterwards gives the same
counts (unless the store changes in between).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from flows.importing import import_file
from ingest.config import Settings
from ingest.profiles import SourceProfile
from ingest.records import SourceKind
from ingest.store.engine import rolled_back
from ingest.store.preview import Preview, add_old_values, company_watermark, read_preview


def dry_run(
    engine: Engine,
    kind: SourceKind,
    path: Path,
    *,
    settings: Settings,
    profile: SourceProfile | None = None,
) -> Preview:
    """Preview what importing ``path`` would do, leaving the store untouched."""
    with rolled_back(engine) as connection:
        companies_before = company_watermark(connection)
        # The import runs on a connection that is rolled back afterwards where it expects an
        # engine: SQLAlchemy's sessions and dialect lookups accept either.
        report = import_file(
            connection,  # type: ignore[arg-type]
            kind,
            path,
            settings=settings,
            profile=profile,
            orchestrate=False,
            strict=False,
        )
        preview = read_preview(
            connection,
            report.run_id or 0,
            counts={**report.counts.as_dict(), "already_imported": int(report.already_imported)},
            companies_before=companies_before,
        )
        preview.mapping = report.mapping
    add_old_values(engine, preview)
    return preview
