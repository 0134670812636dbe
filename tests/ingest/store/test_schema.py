"""The migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from ingest.store.migrate import current_revision, upgrade
from ingest.store.models import Base

CRM_TABLES = {
    "companies", "people", "contact_points", "consents", "suppressions", "activities",
    "opportunities", "custom_fields", "custom_values", "sources", "import_runs", "raw_records",
    "record_links", "match_candidates", "quarantine", "enrichments", "audit_log",
}  # fmt: skip


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_every_crm_table_exists(engine: Engine) -> None:
    assert set(inspect(engine).get_table_names()) >= CRM_TABLES


def test_upgrade_twice_is_harmless(db_url: str) -> None:
    upgrade(db_url)
    assert current_revision(db_url) == "0002"


def test_lookups_are_indexed(engine: Engine) -> None:
    inspector = inspect(engine)

    def indexed(table: str) -> set[tuple[str, ...]]:
        return {tuple(ix["column_names"]) for ix in inspector.get_indexes(table)}

    assert ("kind", "match_key") in indexed("contact_points")
    assert ("last_name_key", "first_name_key") in indexed("people")
    assert ("match_key",) in indexed("companies")
    assert ("postal_code",) in indexed("contact_points")
