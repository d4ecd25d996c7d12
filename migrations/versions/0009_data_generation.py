"""The data generation: one counter that moves on with every commit that changes data

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00.000000

The trends pages reuse figures they have worked out until this number moves (see
qa/generation.py and qa/trends/cache.py).
"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade():
    op.drop_table("data_generation")
