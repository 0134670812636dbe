"""text columns sized for real data, failed runs keep their error, server-side review sessions

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05 17:30:00

Columns that hold values from the data (names, titles, cities, keys, header names, source names)
become ``text``: PostgreSQL refused a 201-character name that SQLite took, and failed the batch.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WIDENED: dict[str, tuple[tuple[str, int], ...]] = {
    "blocking_keys": (("key", 400),),
    "census_figures": (
        ("dataset", 100),
        ("geo_id", 40),
        ("postal_code", 20),
        ("variable", 40),
        ("annotation", 40),
    ),
    "companies": (
        ("name", 300),
        ("match_key", 300),
        ("domain", 253),
        ("phone", 32),
        ("industry", 200),
        ("size", 50),
        ("city", 200),
        ("region", 100),
        ("postal_code", 20),
    ),
    "company_affiliations": (("job_title", 300),),
    "contact_points": (
        ("match_key", 320),
        ("subtype", 32),
        ("city", 200),
        ("region", 100),
        ("postal_code", 20),
    ),
    "custom_fields": (("name", 200),),
    "enrichments": (("field", 100), ("source", 200)),
    "form_submissions": (("form_id", 100), ("submission_key", 100)),
    "opportunities": (("name", 300),),
    "people": (
        ("honorific", 50),
        ("first_name", 200),
        ("middle_name", 200),
        ("last_name", 200),
        ("suffix", 50),
        ("full_name", 400),
        ("first_name_key", 200),
        ("last_name_key", 200),
        ("job_title", 300),
        ("lead_source", 200),
        ("owner", 200),
    ),
    "sources": (("name", 200),),
    "suppressions": (("source", 200),),
}
"""Table → (column, its former varchar length)."""


def upgrade() -> None:
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch_op:
            for column, length in columns:
                batch_op.alter_column(column, type_=sa.Text(), existing_type=sa.String(length))
    with op.batch_alter_table("import_runs") as batch_op:
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=True))
    op.create_table(
        "user_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_user_sessions")),
    )
    with op.batch_alter_table("user_sessions") as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("user_sessions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))
    op.drop_table("user_sessions")
    with op.batch_alter_table("import_runs") as batch_op:
        batch_op.drop_column("error")
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch_op:
            for column, length in columns:
                batch_op.alter_column(column, type_=sa.String(length), existing_type=sa.Text())
