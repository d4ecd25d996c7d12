"""A summary of each signed-off audit, which the trends read instead of every answer

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 17:00:00.000000

For each signed-off audit: each answer as meeting the standard or not and counting in a rate
or not (audit_question_summary), and the audit's totals with the ids the trend filters need
(audit_summary). Filled here for the audits already signed off; from now on the app writes
it in the transaction that signs an audit off, corrects it or deletes it.
"""

import sqlalchemy as sa
from alembic import op

from audit_tools.schema import SCALES, default_tools, load_tool_text
from audit_tools.scoring import meets_standard

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_summary",
        sa.Column("audit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("tool_id", sa.String(length=64), nullable=False),
        sa.Column("tool_version", sa.Integer(), nullable=True),
        sa.Column("signed_off_at", sa.DateTime(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("supervisee_id", sa.Integer(), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("policy_key", sa.String(length=64), nullable=True),
        sa.Column("period_key", sa.String(length=16), nullable=True),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("met", sa.Integer(), nullable=False),
        sa.Column("applicable", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
            name=op.f("fk_audit_summary_audit_id_audit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_audit_summary")),
    )
    op.create_index(
        "ix_audit_summary_tool_id_signed_off_at",
        "audit_summary",
        ["tool_id", "signed_off_at"],
    )
    op.create_index(op.f("ix_audit_summary_supervisee_id"), "audit_summary", ["supervisee_id"])
    op.create_table(
        "audit_question_summary",
        sa.Column("audit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("question_key", sa.String(length=64), nullable=False),
        sa.Column("tool_id", sa.String(length=64), nullable=False),
        sa.Column("signed_off_at", sa.DateTime(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("met", sa.SmallInteger(), nullable=False),
        sa.Column("applicable", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit.id"],
            name=op.f("fk_audit_question_summary_audit_id_audit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("audit_id", "question_key", name=op.f("pk_audit_question_summary")),
    )
    op.create_index(
        "ix_audit_question_summary_tool_id_signed_off_at",
        "audit_question_summary",
        ["tool_id", "signed_off_at"],
    )
    _fill()


def downgrade():
    op.drop_index(
        "ix_audit_question_summary_tool_id_signed_off_at", table_name="audit_question_summary"
    )
    op.drop_table("audit_question_summary")
    op.drop_index(op.f("ix_audit_summary_supervisee_id"), table_name="audit_summary")
    op.drop_index("ix_audit_summary_tool_id_signed_off_at", table_name="audit_summary")
    op.drop_table("audit_summary")


AUDIT = sa.table(
    "audit",
    sa.column("id"),
    sa.column("state"),
    sa.column("signed_off_at"),
    sa.column("tool_id"),
    sa.column("tool_version"),
    sa.column("file_id"),
    sa.column("auditor_id"),
    sa.column("run_id"),
)
ANSWER = sa.table(
    "audit_answer", sa.column("audit_id"), sa.column("question_key"), sa.column("answer")
)
FILE = sa.table("supervision_file", sa.column("id"), sa.column("supervisee_id"))
STAFF = sa.table("staff", sa.column("id"), sa.column("team_id"), sa.column("service_area_id"))
RUN = sa.table("selection_run", sa.column("id"), sa.column("policy_key"), sa.column("period_key"))
TOOL = sa.table(
    "audit_tool_version", sa.column("tool_id"), sa.column("version"), sa.column("source")
)
QUESTIONS = sa.table(
    "audit_question_summary",
    sa.column("audit_id"),
    sa.column("question_key"),
    sa.column("tool_id"),
    sa.column("signed_off_at"),
    sa.column("month"),
    sa.column("met"),
    sa.column("applicable"),
)
AUDITS = sa.table(
    "audit_summary",
    *(
        sa.column(name)
        for name in (
            "audit_id",
            "tool_id",
            "tool_version",
            "signed_off_at",
            "month",
            "file_id",
            "supervisee_id",
            "auditor_id",
            "team_id",
            "area_id",
            "run_id",
            "policy_key",
            "period_key",
            "answers",
            "met",
            "applicable",
        )
    ),
)


def _fill():
    """The summary of every audit signed off before this migration, as the app writes it:
    an answer meets the standard by its value and its tool version's standard."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        month = sa.cast(sa.func.date_trunc("month", AUDIT.c.signed_off_at), sa.Date)
    else:
        month = sa.func.strftime("%Y-%m-01", AUDIT.c.signed_off_at)
    signed = (AUDIT.c.state == "signed_off", AUDIT.c.signed_off_at.is_not(None))
    versions = bind.execute(
        sa.select(AUDIT.c.tool_id, AUDIT.c.tool_version).where(*signed).distinct()
    ).all()
    for tool_id, version in versions:
        meeting, applicable = _answer_sets(bind, tool_id, version)
        same = (
            AUDIT.c.tool_version.is_(None) if version is None else AUDIT.c.tool_version == version
        )
        rows = (
            sa.select(
                ANSWER.c.audit_id,
                ANSWER.c.question_key,
                AUDIT.c.tool_id,
                AUDIT.c.signed_off_at,
                month,
                _one_if(meeting),
                _one_if(applicable),
            )
            .join(AUDIT, AUDIT.c.id == ANSWER.c.audit_id)
            .where(*signed, AUDIT.c.tool_id == tool_id, same)
        )
        bind.execute(sa.insert(QUESTIONS).from_select(list(QUESTIONS.c.keys()), rows))
    grouped = (
        AUDIT.c.id,
        AUDIT.c.tool_id,
        AUDIT.c.tool_version,
        AUDIT.c.signed_off_at,
        AUDIT.c.file_id,
        FILE.c.supervisee_id,
        AUDIT.c.auditor_id,
        STAFF.c.team_id,
        STAFF.c.service_area_id,
        AUDIT.c.run_id,
        RUN.c.policy_key,
        RUN.c.period_key,
    )
    audits = (
        sa.select(
            *grouped[:4],
            month,
            *grouped[4:],
            sa.func.count(QUESTIONS.c.audit_id),
            sa.func.coalesce(sa.func.sum(QUESTIONS.c.met), 0),
            sa.func.coalesce(sa.func.sum(QUESTIONS.c.applicable), 0),
        )
        .select_from(AUDIT)
        .join(FILE, FILE.c.id == AUDIT.c.file_id)
        .join(STAFF, STAFF.c.id == FILE.c.supervisee_id)
        .outerjoin(RUN, RUN.c.id == AUDIT.c.run_id)
        .outerjoin(QUESTIONS, QUESTIONS.c.audit_id == AUDIT.c.id)
        .where(*signed)
        .group_by(*grouped)
    )
    bind.execute(sa.insert(AUDITS).from_select(list(AUDITS.c.keys()), audits))


def _answer_sets(bind, tool_id, version):
    """The answers meeting the version's standard, and those counting in a rate (none when
    the tool cannot be found)."""
    query = sa.select(TOOL.c.source, TOOL.c.version).where(TOOL.c.tool_id == tool_id)
    if version is not None:
        query = query.where(TOOL.c.version == version)
    row = bind.execute(query.order_by(TOOL.c.version.desc()).limit(1)).first()
    if row is not None:
        tool = load_tool_text(row[0], f"{tool_id} version {row[1]}")
    else:
        tool = next(
            (t for t in default_tools() if t.id == tool_id and version in (None, t.version)),
            None,
        )
    if tool is None:
        return set(), set()
    meeting, applicable = set(), set()
    for _, question in tool.questions():
        for answer in SCALES[question.scale].answers:
            applicable.add(answer)
            if meets_standard(tool, question, answer):
                meeting.add(answer)
    return meeting, applicable


def _one_if(values):
    """1 where the answer is one of these values, else 0."""
    if not values:
        return sa.literal(0)
    return sa.case((ANSWER.c.answer.in_(sorted(values)), 1), else_=0)
