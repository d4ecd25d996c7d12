"""Actions are confirmed done by whoever raised them, and raised once per form

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-03 14:30:00.000000

An action marked done by its owner waits for whoever raised it (or the head of service of the
file's area) to confirm it; only then is it closed. Actions already marked done stay done,
waiting for that confirmation. The token of the form that raised an action is kept, unique,
so the same form posted twice makes one action.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("form_token", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_action_confirmed_by_id_staff"), "staff", ["confirmed_by_id"], ["id"]
        )
        batch_op.create_unique_constraint(batch_op.f("uq_action_form_token"), ["form_token"])


def downgrade():
    op.execute("UPDATE action SET status = 'done' WHERE status = 'confirmed'")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_action_form_token"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_action_confirmed_by_id_staff"), type_="foreignkey")
        batch_op.drop_column("form_token")
        batch_op.drop_column("confirmed_by_id")
        batch_op.drop_column("confirmed_at")
