"""Reports: the period reports people ask for

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-23 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "period_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=8), nullable=False),
        sa.Column("period_key", sa.String(length=16), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("unit_label", sa.String(length=200), nullable=False),
        sa.Column("tool_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"], ["service_area.id"], name=op.f("fk_period_report_area_id_service_area")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_period_report_team_id_team")),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["staff.id"], name=op.f("fk_period_report_requested_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["stored_document.id"],
            name=op.f("fk_period_report_document_id_stored_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_report")),
    )
    with op.batch_alter_table("period_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_period_report_requested_by_id"), ["requested_by_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("period_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_report_requested_by_id"))
    op.drop_table("period_report")
