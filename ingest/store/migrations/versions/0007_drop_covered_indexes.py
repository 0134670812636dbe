"""drop two one-column indexes that a unique constraint starting with the same column already
serves: ``contact_points.person_id`` (unique ``person_id, kind, value``) and
``custom_values.field_id`` (unique ``field_id, entity_id``); each was one more index to write
for every contact point or custom value loaded

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 00:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COVERED = (("contact_points", "person_id"), ("custom_values", "field_id"))
"""(table, column) whose one-column index a unique constraint starting with it covers."""


def upgrade() -> None:
    for table, column in COVERED:
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)


def downgrade() -> None:
    for table, column in COVERED:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)
