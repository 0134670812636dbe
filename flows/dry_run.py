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
from ingest.store.models import Company, Person
from ingest.store.preview import Preview, read_preview


def dry_run(
    engine: Engine, kind: SourceKind, path: Path, *, profile: SourceProfile | None = None
) -> Preview:
    """Preview what importing ``path`` would do, leaving the store untouched."""
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            companies_before = connection.scalar(select(func.coalesce(func.max(Company.id), 0)))
            # The import runs on a connection inside ``outer`` (rolled back below) where it
            # expects an engine: SQLAlchemy's sessions and dialect lookups accept either.
            report = import_file(
                connection,  # type: ignore[arg-type]
                kind,
                path,
                profile=profile,
                orchestrate=False,
                strict=False,
            )
            preview = read_preview(
                connection,
                report.run_id or 0,
                counts={
                    **report.counts.as_dict(),
                    "already_imported": int(report.already_imported),
                },
                companies_before=int(companies_before or 0),
            )
            preview.mapping = report.mapping
        finally:
            outer.rollback()
    _fill_old_values(engine, preview)
    return preview


def _fill_old_values(engine: Engine, preview: Preview) -> None:
    """Put the committed (pre-import) value next to each sampled field update."""
    wanted = {(u["person_id"], u["field"]) for u in preview.field_updates}
    if not wanted:
        return
    person_ids = sorted({pid for pid, _ in wanted})
    fields = sorted({f for _, f in wanted if hasattr(Person, f)})
    with engine.connect() as connection:
        rows = connection.execute(
            select(Person.id, *(getattr(Person, f) for f in fields)).where(
                Person.id.in_(person_ids)
            )
        ).mappings()
        old = {row["id"]: row for row in rows}
    for update in preview.field_updates:
        before = old.get(update["person_id"])
        update["old"] = before.get(update["field"]) if before is not None else None
