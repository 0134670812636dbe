"""The migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from ingest.store.migrate import current_revision, head_revision, upgrade
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
    assert current_revision(db_url) == head_revision()


def test_lookups_are_indexed(engine: Engine) -> None:
    inspector = inspect(engine)

    def indexed(table: str) -> set[tuple[str, ...]]:
        return {tuple(ix["column_names"]) for ix in inspector.get_indexes(table)}

    assert ("kind", "match_key") in indexed("contact_points")
    assert ("last_name_key", "first_name_key") in indexed("people")
    assert ("match_key",) in indexed("companies")
    assert ("postal_code",) in indexed("contact_points")


@pytest.mark.parametrize(
    "table",
    ["consents", "value_provenance", "blocking_keys", "company_affiliations"],
)
def test_person_lookups_use_one_index(engine: Engine, table: str) -> None:
    """A composite index or unique constraint that starts with ``person_id`` serves a person's
    rows; a second, one-column ``person_id`` index would only slow every insert."""
    inspector = inspect(engine)
    indexes = [tuple(ix["column_names"]) for ix in inspector.get_indexes(table)]
    uniques = [tuple(uq["column_names"]) for uq in inspector.get_unique_constraints(table)]
    assert any(len(cols) > 1 and cols[0] == "person_id" for cols in indexes + uniques)
    assert ("person_id",) not in indexes


@pytest.mark.parametrize(
    ("table", "column"), [("contact_points", "person_id"), ("custom_values", "field_id")]
)
def test_covered_columns_have_no_index_of_their_own(
    engine: Engine, table: str, column: str
) -> None:
    """A unique constraint starting with the column serves its lookups (and the foreign key's
    cascades); a one-column index on it would only be written on every insert."""
    inspector = inspect(engine)
    uniques = [tuple(uq["column_names"]) for uq in inspector.get_unique_constraints(table)]
    assert any(len(cols) > 1 and cols[0] == column for cols in uniques)
    assert (column,) not in [tuple(ix["column_names"]) for ix in inspector.get_indexes(table)]


def test_the_cheap_schema_check_knows_the_newest_migration(db_url: str) -> None:
    from ingest.store.migrate import HEAD_REVISION, head_revision

    assert HEAD_REVISION == head_revision() == current_revision(db_url)


@pytest.mark.postgres
@pytest.mark.slow  # four subprocesses
def test_concurrent_first_starts_on_an_empty_postgres_store_all_succeed(
    postgres_server: str,
) -> None:
    """Four processes migrate one empty schema at once: the advisory lock makes them queue."""
    import subprocess
    import sys

    from tests.conftest import REPO, fresh_postgres_url

    for url in fresh_postgres_url(postgres_server):
        command = [sys.executable, "-m", "flows", "db", "upgrade", "--db", url]
        procs = [
            subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
            for _ in range(4)
        ]
        errors = [p.communicate(timeout=120)[1].decode() for p in procs]
        assert [p.returncode for p in procs] == [0] * 4, errors
        assert current_revision(url) == head_revision()
