"""Cases, who holds each from when, its statuses from when, and its discussions in supervision

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 17:00:00.000000

A case is known only by its reference (no child's name, address or date of birth). Each
allocation or transfer, each status and each discussion is a row, so a discussion is judged
by the status on its date and counts for the worker who held the case then.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_record")),
        sa.UniqueConstraint("reference", name=op.f("uq_case_record_reference")),
    )
    op.create_table(
        "case_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("allocated_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_case_allocation_case_id_case_record")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["staff.id"], name=op.f("fk_case_allocation_worker_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_allocation")),
        sa.UniqueConstraint("case_id", "allocated_on", name=op.f("uq_case_allocation_case_id")),
    )
    op.create_index(op.f("ix_case_allocation_case_id"), "case_allocation", ["case_id"])
    op.create_index(op.f("ix_case_allocation_worker_id"), "case_allocation", ["worker_id"])
    op.create_table(
        "case_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_case_status_case_id_case_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status")),
        sa.UniqueConstraint("case_id", "starts_on", name=op.f("uq_case_status_case_id")),
    )
    op.create_index(op.f("ix_case_status_case_id"), "case_status", ["case_id"])
    op.create_table(
        "case_discussion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("supervisee_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_record.id"], name=op.f("fk_case_discussion_case_id_case_record")
        ),
        sa.ForeignKeyConstraint(
            ["supervisee_id"], ["staff.id"], name=op.f("fk_case_discussion_supervisee_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"], ["staff.id"], name=op.f("fk_case_discussion_supervisor_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_discussion")),
        sa.UniqueConstraint(
            "case_id", "held_on", "supervisee_id", name=op.f("uq_case_discussion_case_id")
        ),
    )
    op.create_index(op.f("ix_case_discussion_case_id"), "case_discussion", ["case_id"])
    op.create_index(
        "ix_case_discussion_supervisee_held_on", "case_discussion", ["supervisee_id", "held_on"]
    )


def downgrade():
    op.drop_index("ix_case_discussion_supervisee_held_on", table_name="case_discussion")
    op.drop_index(op.f("ix_case_discussion_case_id"), table_name="case_discussion")
    op.drop_table("case_discussion")
    op.drop_index(op.f("ix_case_status_case_id"), table_name="case_status")
    op.drop_table("case_status")
    op.drop_index(op.f("ix_case_allocation_worker_id"), table_name="case_allocation")
    op.drop_index(op.f("ix_case_allocation_case_id"), table_name="case_allocation")
    op.drop_table("case_allocation")
    op.drop_table("case_record")
