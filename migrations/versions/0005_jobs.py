"""Retention: the records the retention rules have anonymised

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 19:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "anonymised_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("rule_key", sa.String(length=64), nullable=False),
        sa.Column("rules_version", sa.Integer(), nullable=False),
        sa.Column("anonymised_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anonymised_record")),
        sa.UniqueConstraint(
            "subject_type", "subject_id", name=op.f("uq_anonymised_record_subject_type")
        ),
    )


def downgrade():
    op.drop_table("anonymised_record")
