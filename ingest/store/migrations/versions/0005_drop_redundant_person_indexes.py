"""drop person_id indexes that a composite index or unique constraint starting with person_id
already serves (each was one more index to write for every loaded row)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 20:15:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("consents", "value_provenance", "blocking_keys", "company_affiliations")
"""Tables whose ``(person_id, ...)`` unique constraint or index also serves person lookups."""


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_person_id"), table_name=table)


def downgrade() -> None:
    for table in TABLES:
        op.create_index(op.f(f"ix_{table}_person_id"), table, ["person_id"], unique=False)
