"""The signed record: who signs off, the head of service's agreed grade, one reply each,
and later versions of a kept record

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 14:00:00.000000

Audits keep the sign-off rule of the policy they were drawn under: audits of the quarterly
policy are signed off by a quality assurance officer, because the head of service who would
otherwise sign them made them. A person replies to an audit once (duplicate replies made by
a double post are removed, the first kept). A kept record can have later revisions: a reply
that arrives after sign-off is added as an addendum in a new PDF, the first left as it was.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sign_off_rule",
                sa.String(length=32),
                nullable=False,
                server_default="area_head_of_service",
            )
        )
        batch_op.add_column(sa.Column("agreed_grade", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("agreed_grade_reason", sa.Text(), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE audit SET sign_off_rule = 'quality_assurance' WHERE run_id IN "
        "(SELECT id FROM selection_run WHERE policy_key = 'quarterly-service-manager')"
    )
    for _ in range(5):  # re-audits of re-audits follow the audit they repeat
        op.execute(
            "UPDATE audit SET sign_off_rule = 'quality_assurance' WHERE reaudit_of_id IN "
            "(SELECT id FROM audit WHERE sign_off_rule = 'quality_assurance')"
        )
    with op.batch_alter_table("audit_reply", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("after_sign_off", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    reply = sa.table(
        "audit_reply", sa.column("audit_id"), sa.column("at"), sa.column("after_sign_off")
    )
    audit = sa.table("audit", sa.column("id"), sa.column("signed_off_at"))
    signed = sa.select(audit.c.signed_off_at).where(audit.c.id == reply.c.audit_id)
    op.execute(
        reply.update().where(reply.c.at > signed.scalar_subquery()).values(after_sign_off=sa.true())
    )
    op.execute(
        "DELETE FROM audit_reply WHERE id NOT IN "
        "(SELECT MIN(id) FROM audit_reply GROUP BY audit_id, staff_id)"
    )
    with op.batch_alter_table("audit_reply", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_audit_reply_audit_id"), ["audit_id", "staff_id"]
        )
    with op.batch_alter_table("stored_document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch_op.drop_constraint("uq_stored_document_kind", type_="unique")
        batch_op.create_unique_constraint(
            "uq_stored_document_kind", ["kind", "subject_id", "version_no", "revision"]
        )


def downgrade():
    with op.batch_alter_table("stored_document", schema=None) as batch_op:
        batch_op.drop_constraint("uq_stored_document_kind", type_="unique")
        batch_op.create_unique_constraint(
            "uq_stored_document_kind", ["kind", "subject_id", "version_no"]
        )
        batch_op.drop_column("revision")
    with op.batch_alter_table("audit_reply", schema=None) as batch_op:
        batch_op.drop_constraint("uq_audit_reply_audit_id", type_="unique")
        batch_op.drop_column("after_sign_off")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_column("agreed_grade_reason")
        batch_op.drop_column("agreed_grade")
        batch_op.drop_column("sign_off_rule")
