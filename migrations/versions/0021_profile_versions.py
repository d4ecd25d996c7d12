"""Council profiles edited in the app: each saved version, whole, with who, when and why

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 16:45:00.000000

A QA officer's change to a council profile is saved as a new version holding the whole
profile document and the day it is in force from; the shipped file stays the first version.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "profile_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("in_force_from", sa.Date(), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_version")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_profile_version_name")),
    )
    with op.batch_alter_table("profile_version") as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_version_name"), ["name"], unique=False)


def downgrade():
    with op.batch_alter_table("profile_version") as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_version_name"))
    op.drop_table("profile_version")
