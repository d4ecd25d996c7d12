"""Indexes for the trends at scale: audits by state and sign-off date, answers by question

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 19:30:00.000000

Measured on the scale data (scripts/scale_data.py: 30,304 audits, 1,000,032 answers):
- audit (state, signed_off_at): every trend query picks signed-off audits in a date range;
  with this index that is a range scan whose cost follows the range, not the whole history.
- audit_answer (question_key, audit_id) INCLUDE (answer) on PostgreSQL: one question's
  answers are read from the index alone (an index-only scan) instead of from every page of
  the table (the question page's counts: 131 ms to 71 ms). SQLite gets the plain index.
The existing unique (file_id, held_on, kind) on supervision_session already serves "the
latest session of a file", so no index is added there.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_state_signed_off_at", ["state", "signed_off_at"], unique=False
        )
    with op.batch_alter_table("audit_answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_answer_question_key_audit_id",
            ["question_key", "audit_id"],
            unique=False,
            postgresql_include=["answer"],
        )


def downgrade():
    with op.batch_alter_table("audit_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_answer_question_key_audit_id")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_state_signed_off_at")
