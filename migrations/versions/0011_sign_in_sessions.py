"""Sessions the server can end, and sign-in throttling instead of account locks

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:00:00.000000

Each signed-in session is recorded, so signing out ends it on the server and a copied cookie
stops working. Failed sign-ins are counted per email address and per client address (as
hashes) to slow guessing down; the account lock an attacker could trigger is gone.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_sign_in_session_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_session")),
    )
    op.create_index(
        op.f("ix_sign_in_session_staff_id"), "sign_in_session", ["staff_id"], unique=False
    )
    op.create_index(
        op.f("ix_sign_in_session_started_at"), "sign_in_session", ["started_at"], unique=False
    )
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sign_in_throttle")),
    )
    op.create_index(
        op.f("ix_sign_in_throttle_last_failed_at"),
        "sign_in_throttle",
        ["last_failed_at"],
        unique=False,
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_sign_ins")


def downgrade():
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
    op.drop_index(op.f("ix_sign_in_throttle_last_failed_at"), table_name="sign_in_throttle")
    op.drop_table("sign_in_throttle")
    op.drop_index(op.f("ix_sign_in_session_started_at"), table_name="sign_in_session")
    op.drop_index(op.f("ix_sign_in_session_staff_id"), table_name="sign_in_session")
    op.drop_table("sign_in_session")
