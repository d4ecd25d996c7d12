"""Audit tools can be edited in the browser: drafts, and why each version was saved

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 16:45:00.000000

A QA officer's changes to a tool are kept as a draft until they save them as a new version
(with a reason, kept with the version) or discard them.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tool_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tool_id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("based_on_version", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_tool_draft_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tool_draft")),
        sa.UniqueConstraint("tool_id", "staff_id", name=op.f("uq_tool_draft_tool_id")),
    )
    op.create_index(op.f("ix_tool_draft_staff_id"), "tool_draft", ["staff_id"])
    with op.batch_alter_table("audit_tool_version") as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_tool_version") as batch_op:
        batch_op.drop_column("reason")
    op.drop_index(op.f("ix_tool_draft_staff_id"), table_name="tool_draft")
    op.drop_table("tool_draft")
