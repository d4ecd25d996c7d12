"""Each audit keeps the council profile (name and version) in force when it was drawn

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 15:10:00.000000

The suggested frequency answers of an audit follow its own profile, so choosing another
profile never changes an audit already drawn. Audits drawn before this keep no profile and
read the one in force on the day they were drawn.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit") as batch_op:
        batch_op.add_column(sa.Column("profile_name", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("profile_version", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("audit") as batch_op:
        batch_op.drop_column("profile_version")
        batch_op.drop_column("profile_name")
