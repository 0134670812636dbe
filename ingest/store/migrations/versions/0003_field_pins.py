"""field pins: a steward's chosen value per person and field

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "field_pins",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("pinned_by", sa.String(length=100), nullable=False),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_field_pins_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_pins")),
        sa.UniqueConstraint("person_id", "field", name=op.f("uq_field_pins_person_id_field")),
    )
    with op.batch_alter_table("field_pins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_field_pins_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("field_pins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_field_pins_person_id"))
    op.drop_table("field_pins")
