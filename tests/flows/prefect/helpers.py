"""Store snapshots and second stores for comparing two ways of running the same import."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

from ingest.config import sqlite_url
from ingest.store.engine import make_engine
from ingest.store.migrate import upgrade
from tests.conftest import fresh_postgres_url

SNAPSHOT_QUERIES = {
    "people": "SELECT id, first_name, last_name, company_id, merged_into_id FROM people",
    "companies": "SELECT id, name, match_key, domain FROM companies",
    "contact_points": "SELECT id, person_id, kind, value, is_primary FROM contact_points",
    "raw_records": "SELECT run_id, row_number, outcome, person_id FROM raw_records",
    "record_links": "SELECT raw_record_id, person_id, decided_by FROM record_links",
    "consents": "SELECT person_id, channel, status FROM consents",
    "match_candidates": "SELECT person_a_id, person_b_id, status FROM match_candidates",
    "quarantine": "SELECT raw_record_id, run_id FROM quarantine",
    "import_runs": "SELECT id, status, rows_in, loaded_new, merged, suppressed, quarantined,"
    " review_pending FROM import_runs",
}


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row that an import writes, sorted, so two stores can be compared for equality."""
    with engine.connect() as conn:
        return {
            table: sorted((tuple(row) for row in conn.execute(sa.text(sql))), key=lambda r: repr(r))
            for table, sql in SNAPSHOT_QUERIES.items()
        }


@contextmanager
def another_store(db_url: str, tmp_path: Path, admin_url: str | None) -> Iterator[Engine]:
    """A second, empty store on the same dialect as ``db_url`` (``admin_url``: PostgreSQL's)."""
    if admin_url is None:
        url = sqlite_url(tmp_path / "other.db")
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
        return
    for url in fresh_postgres_url(admin_url):
        upgrade(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
