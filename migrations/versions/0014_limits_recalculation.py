"""Changes a QA officer records, from which the control charts draw new limits

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:00:00.000000

Making Data Count's rebasing: from a recorded date (for the whole service or one team), the
charts recalculate their limits and say why (see qa/trends/recalculations.py).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "limits_recalculation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff.id"],
            name=op.f("fk_limits_recalculation_recorded_by_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_limits_recalculation_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_limits_recalculation")),
    )
    with op.batch_alter_table("limits_recalculation") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_limits_recalculation_starts_on"), ["starts_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_limits_recalculation_team_id"), ["team_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("limits_recalculation") as batch_op:
        batch_op.drop_index(batch_op.f("ix_limits_recalculation_team_id"))
        batch_op.drop_index(batch_op.f("ix_limits_recalculation_starts_on"))
    op.drop_table("limits_recalculation")
