"""Each choice of council profile: which profile and version, who chose it, when and why

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 15:00:00.000000

The council profiles (audit_tools/profiles) say how often each kind of staff is supervised;
`flask --app qa profile use NAME` records the choice here, and the latest one is in force.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "profile_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("chosen_by", sa.String(length=200), nullable=False),
        sa.Column("chosen_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_choice")),
    )
    with op.batch_alter_table("profile_choice") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_choice_chosen_at"), ["chosen_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("profile_choice") as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_choice_chosen_at"))
    op.drop_table("profile_choice")
