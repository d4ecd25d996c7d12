"""Staff keep their full-time equivalent and sessions their length, from the import files

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 17:00:00.000000

Both columns are optional in the import files and empty for what was imported before: a
person with no full-time equivalent counts as full time, and a session with no length is
one whose length was not recorded.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff") as batch_op:
        batch_op.add_column(sa.Column("fte", sa.Float(), nullable=True))
    with op.batch_alter_table("supervision_session") as batch_op:
        batch_op.add_column(sa.Column("length_minutes", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("supervision_session") as batch_op:
        batch_op.drop_column("length_minutes")
    with op.batch_alter_table("staff") as batch_op:
        batch_op.drop_column("fte")
