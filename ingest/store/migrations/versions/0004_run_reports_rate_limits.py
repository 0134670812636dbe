"""run reports (precomputed source-report figures) and shared rate-limit counters

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "run_reports",
        sa.Column("run_id", ID, nullable=False),
        sa.Column("invalid_email_rows", sa.Integer(), nullable=False),
        sa.Column("invalid_phone_rows", sa.Integer(), nullable=False),
        sa.Column("duplicates_within_file", sa.Integer(), nullable=False),
        sa.Column("duplicates_against_store", sa.Integer(), nullable=False),
        sa.Column("consent_opt_in", JSON, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["import_runs.id"], name=op.f("fk_run_reports_run_id_import_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_reports")),
    )
    op.create_table(
        "rate_limit_hits",
        sa.Column("window", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("bucket", sa.String(length=16), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("window", "bucket", "client", name=op.f("pk_rate_limit_hits")),
    )


def downgrade() -> None:
    op.drop_table("rate_limit_hits")
    op.drop_table("run_reports")
