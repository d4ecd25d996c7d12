"""The trends' questions to the database, answered with counts grouped where the data is.

Every query starts from a `qa.trends.scope.Scope` (the person, for the access policy, and
the unit, tool and dates), so no figure can include an audit the person could not open.
The counts of answers come from the per-audit summary (`qa.trends.summary`), written when an
audit is signed off, so a first view reads no answer; the queries join the supervisee, the
file or the audit only when the person's access or the unit asks for them (`on_summary`).
Periods are grouped by calendar month (`month_of`, written for SQLite and
PostgreSQL each); months are rolled up into quarters and half-years in Python,
which is exact because the counts add up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.expression import FunctionElement

from qa.actions.models import Action
from qa.actions.states import ActionState
from qa.audits.models import Audit, AuditAnswer, Moderation, ModerationAnswer
from qa.audits.states import AuditState
from qa.extensions import db
from qa.org.models import Staff, Team
from qa.selections.models import SelectionRun
from qa.trends.scope import (
    Scope,
    Standard,
    audit_conditions,
    bounds,
    on_summary,
    scoped,
    with_supervisee,
)
from qa.trends.summary import AuditQuestionSummary, AuditSummary
from trend_maths.statistics import ClusterSums

MODERATED = ("compare", "agreed")  # the moderator has scored, so there are pairs to compare
GOOD_GRADES = ("outstanding", "good")


@dataclass(frozen=True)
class AnswerCount:
    """Answers meeting the standard (k) of those that count (n), for one month and question."""

    year: int
    month: int
    key: str
    k: int
    n: int


@dataclass(frozen=True)
class AuditMonth:
    """Signed-off audits in one month, with the sum and number of their overall scores."""

    year: int
    month: int
    audits: int
    score_sum: float
    scored: int


class month_of(FunctionElement[Any]):
    """The calendar month of a timestamp, as one value to group by.

    One grouping value rather than the year and the month lets PostgreSQL group a million
    answers in a hash table (`date_trunc`) instead of sorting them; SQLite writes the month's
    first day as text. `year_month` reads either back.
    """

    inherit_cache = True
    name = "month_of"


@compiles(month_of)
def _month_text(element: month_of, compiler: Any, **kw: Any) -> str:
    return str(
        compiler.process(func.strftime(literal_column("'%Y-%m-01'"), *element.clauses), **kw)
    )


@compiles(month_of, "postgresql")
def _month_trunc(element: month_of, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(func.date_trunc(literal_column("'month'"), *element.clauses), **kw))


def year_month(value: date | datetime | str) -> tuple[int, int]:
    """(year, month) of a `month_of` value."""
    if isinstance(value, str):
        return int(value[:4]), int(value[5:7])
    return value.year, value.month


def answer_counts(scope: Scope, keys: Iterable[str] | None = None) -> list[AnswerCount]:
    """Counts of answers meeting the standard, by month and question."""
    q = AuditQuestionSummary
    stmt = on_summary(
        select(q.month, q.question_key, func.sum(q.met), func.sum(q.applicable)), q, scope
    )
    if keys is not None:
        stmt = stmt.where(q.question_key.in_(sorted(keys)))
    stmt = stmt.group_by(q.month, q.question_key)
    return [
        AnswerCount(*year_month(when), key, int(k or 0), int(n or 0))
        for when, key, k, n in db.session.execute(stmt)
    ]


def _cluster_sums(stmt: Any) -> Any:
    """The columns of `trend_maths.statistics.ClusterSums` over the audits' summaries."""
    s = AuditSummary
    return stmt.add_columns(
        func.count(s.audit_id),
        func.sum(s.met),
        func.sum(s.applicable),
        func.sum(s.met * s.met),
        func.sum(s.met * s.applicable),
        func.sum(s.applicable * s.applicable),
    ).where(s.applicable > 0)


def _sums(row: Any) -> ClusterSums:
    return ClusterSums(*(int(value or 0) for value in row))


def month_clusters(scope: Scope) -> dict[tuple[int, int], ClusterSums]:
    """(year, month) -> the sums over the signed-off audits in scope with answers that count:
    the clusters that `statistics.design_effect_of_sums` measures within each period."""
    s = AuditSummary
    stmt = on_summary(_cluster_sums(select(s.month).select_from(s)), s, scope).group_by(s.month)
    return {year_month(when): _sums(row) for when, *row in db.session.execute(stmt)}


def team_clusters(scope: Scope) -> dict[int | None, ClusterSums]:
    """The supervisee's team -> the sums over the signed-off audits in scope with answers that
    count: each team's counts, and the clusters the funnel plot's design effect measures."""
    s = AuditSummary
    stmt = _cluster_sums(
        select(Staff.team_id).select_from(s).join(Staff, Staff.id == s.supervisee_id)
    )
    stmt = on_summary(stmt, s, scope).group_by(Staff.team_id)
    return {team: _sums(row) for team, *row in db.session.execute(stmt)}


def team_counts(
    scope: Scope, keys: Iterable[str] | None = None
) -> dict[int | None, tuple[int, int]]:
    """(answers meeting the standard, answers that count) by the supervisee's team."""
    s, q = AuditSummary, AuditQuestionSummary
    if keys is None:
        stmt = (
            select(Staff.team_id, func.sum(s.met), func.sum(s.applicable))
            .select_from(s)
            .where(s.answers > 0)
        )
    else:
        stmt = (
            select(Staff.team_id, func.sum(q.met), func.sum(q.applicable))
            .select_from(q)
            .join(s, s.audit_id == q.audit_id)
            .where(q.question_key.in_(sorted(keys)))
        )
    stmt = on_summary(stmt.join(Staff, Staff.id == s.supervisee_id), s, scope)
    stmt = stmt.group_by(Staff.team_id)
    return {team: (int(k or 0), int(n or 0)) for team, k, n in db.session.execute(stmt)}


def audit_months(scope: Scope) -> list[AuditMonth]:
    """Signed-off audits and their overall scores, by month."""
    month = month_of(Audit.signed_off_at)
    stmt = scoped(
        select(
            month,
            func.count(Audit.id),
            func.sum(Audit.overall_score),
            func.count(Audit.overall_score),
        ).select_from(Audit),
        scope,
    ).group_by(month)
    return [
        AuditMonth(*year_month(when), int(count), float(total or 0.0), int(scored))
        for when, count, total, scored in db.session.execute(stmt)
    ]


def outcome_expression() -> ColumnElement[Any]:
    """The audit's outcome: the agreed moderated grade, else the grade agreed at sign-off,
    else the auditor's judgement, else the computed grade (as `qa.audits.record.outcome`).
    Needs an outer join to Moderation."""
    return func.coalesce(
        Moderation.agreed_grade, Audit.agreed_grade, Audit.auditor_judgement, Audit.computed_grade
    )


def outcome_counts(scope: Scope) -> dict[str | None, int]:
    """Signed-off audits by outcome grade."""
    outcome = outcome_expression()
    stmt = (
        scoped(select(outcome, func.count(Audit.id)).select_from(Audit), scope)
        .outerjoin(Moderation, Moderation.audit_id == Audit.id)
        .group_by(outcome)
    )
    return {grade: int(count) for grade, count in db.session.execute(stmt)}


def action_counts(scope: Scope, on: date) -> tuple[int, int, int]:
    """Actions raised in the period, closed in the period (confirmed done: an owner's own
    word is not enough), and open past their due date on `on`, for audits in scope."""
    start, end = bounds(scope)
    in_range = and_(Action.created_at >= start, Action.created_at < end)
    done_in_range = and_(
        Action.confirmed_at >= start,
        Action.confirmed_at < end,
        Action.status == ActionState.CONFIRMED,
    )
    overdue = and_(Action.status == ActionState.OPEN, Action.due_on < on)
    stmt = scoped(
        select(
            func.sum(case((in_range, 1), else_=0)),
            func.sum(case((done_in_range, 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
        )
        .select_from(Action)
        .join(Audit, Audit.id == Action.audit_id),
        scope,
        dated=False,
        signed_off=False,
    )
    opened, closed, late = db.session.execute(stmt).one()
    return int(opened or 0), int(closed or 0), int(late or 0)


def moderated_count(scope: Scope) -> int:
    """Signed-off audits in scope that a moderator has scored."""
    stmt = scoped(
        select(func.count(Moderation.id))
        .select_from(Moderation)
        .join(Audit, Audit.id == Moderation.audit_id),
        scope,
    ).where(Moderation.state.in_(MODERATED))
    return int(db.session.scalar(stmt) or 0)


def moderation_pairs(scope: Scope) -> list[tuple[str, str, str, int]]:
    """(question key, auditor's answer, moderator's answer, how many) for moderated audits."""
    stmt = (
        scoped(
            select(
                ModerationAnswer.question_key,
                ModerationAnswer.auditor_answer,
                ModerationAnswer.answer,
                func.count(ModerationAnswer.id),
            )
            .select_from(ModerationAnswer)
            .join(Moderation, Moderation.id == ModerationAnswer.moderation_id)
            .join(Audit, Audit.id == Moderation.audit_id),
            scope,
        )
        .where(
            Moderation.state.in_(MODERATED),
            ModerationAnswer.answer.is_not(None),
            ModerationAnswer.auditor_answer.is_not(None),
        )
        .group_by(
            ModerationAnswer.question_key, ModerationAnswer.auditor_answer, ModerationAnswer.answer
        )
    )
    # The query leaves out unanswered pairs; the test says so to the type checker as well.
    return [
        (key, mine, theirs, int(count))
        for key, mine, theirs, count in db.session.execute(stmt)
        if mine is not None and theirs is not None
    ]


def score_differences(scope: Scope) -> list[tuple[int, float]]:
    """(auditor id, auditor's overall score minus the moderator's) per moderated audit."""
    stmt = scoped(
        select(Audit.auditor_id, Audit.overall_score - Moderation.moderator_score)
        .select_from(Moderation)
        .join(Audit, Audit.id == Moderation.audit_id),
        scope,
    ).where(
        Moderation.state.in_(MODERATED),
        Audit.auditor_id.is_not(None),
        Audit.overall_score.is_not(None),
        Moderation.moderator_score.is_not(None),
    )
    # The query leaves out audits without both scores; the test says so to the type checker.
    return [
        (int(auditor), float(diff))
        for auditor, diff in db.session.execute(stmt)
        if auditor is not None and diff is not None
    ]


def evidence_comments(
    scope: Scope, standard: Standard, keys: Iterable[str], limit: int = 400
) -> list[tuple[str, str, bool]]:
    """(question key, comment, meets the standard) for answers with a comment, those that
    fall short first, then the most recently signed off."""
    meets = standard.meets()
    stmt = (
        with_supervisee(
            select(AuditAnswer.question_key, AuditAnswer.comment, meets)
            .select_from(AuditAnswer)
            .join(Audit, Audit.id == AuditAnswer.audit_id)
        )
        .where(
            *audit_conditions(scope),
            AuditAnswer.question_key.in_(sorted(keys)),
            standard.applies() == 1,
            func.length(func.trim(AuditAnswer.comment)) > 0,
        )
        .order_by(meets, Audit.signed_off_at.desc(), AuditAnswer.id)
        .limit(limit)
    )
    return [(key, comment, bool(ok)) for key, comment, ok in db.session.execute(stmt)]


def audits_by_policy(scope: Scope) -> dict[str | None, int]:
    """Signed-off audits by the policy of the selection run they came from (None: no run)."""
    s = AuditSummary
    stmt = on_summary(select(s.policy_key, func.count(s.audit_id)), s, scope).group_by(s.policy_key)
    return {key: int(count) for key, count in db.session.execute(stmt)}


def runs_behind(scope: Scope) -> list[SelectionRun]:
    """The selection runs that the signed-off audits in scope were drawn in."""
    ids = scoped(select(Audit.run_id).select_from(Audit), scope).where(Audit.run_id.is_not(None))
    return list(
        db.session.scalars(
            select(SelectionRun)
            .options(selectinload(SelectionRun.selector))
            .where(SelectionRun.id.in_(ids))
            .order_by(SelectionRun.period_key, SelectionRun.policy_key, SelectionRun.id)
        )
    )


def audits_per_theme(scope: Scope, theme_keys: Mapping[str, Iterable[str]]) -> dict[str, int]:
    """How many signed-off audits answered at least one of each theme's questions."""
    if not theme_keys:
        return {}
    q = AuditQuestionSummary
    columns = [
        func.count(
            distinct(
                case(
                    (and_(q.applicable == 1, q.question_key.in_(sorted(keys))), q.audit_id),
                    else_=None,
                )
            )
        )
        for keys in theme_keys.values()
    ]
    row = db.session.execute(on_summary(select(*columns), q, scope)).one()
    return {theme: int(count or 0) for theme, count in zip(theme_keys, row, strict=True)}


def open_actions_with_short_answers(scope: Scope, standard: Standard) -> list[tuple[Action, str]]:
    """Open actions on audits in scope, each with a question its audit found short of the
    standard (one row per action and question)."""
    stmt = with_supervisee(
        select(Action, AuditAnswer.question_key)
        .select_from(Action)
        .join(Audit, Audit.id == Action.audit_id)
        .join(AuditAnswer, AuditAnswer.audit_id == Audit.id)
    ).where(
        *audit_conditions(scope, dated=False, signed_off=False),
        Audit.state != AuditState.CANCELLED,
        Action.status != ActionState.CONFIRMED,
        standard.applies() == 1,
        standard.meets() == 0,
    )
    return [(action, key) for action, key in db.session.execute(stmt.order_by(Action.due_on))]


def team_names(team_ids: Iterable[int | None]) -> dict[int | None, str]:
    wanted = sorted({t for t in team_ids if t is not None})
    names: dict[int | None, str] = {None: "Not in a team"}
    if wanted:
        rows = db.session.execute(select(Team.id, Team.name).where(Team.id.in_(wanted)))
        names.update({team_id: name for team_id, name in rows})
    return names


def staff_names(ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(wanted)))
    return {staff_id: name for staff_id, name in rows}


def latest_sample_run(scope: Scope, policy_keys: Iterable[str]) -> SelectionRun | None:
    """The most recent random-sample run, up to the end of the range, with a signed-off audit
    in scope."""
    with_audits = scoped(select(Audit.run_id).select_from(Audit), scope, dated=False).where(
        Audit.run_id.is_not(None)
    )
    end = datetime.combine(scope.end + timedelta(days=1), time())
    return db.session.scalar(
        select(SelectionRun)
        .where(
            SelectionRun.policy_key.in_(sorted(policy_keys)),
            SelectionRun.id.in_(with_audits),
            SelectionRun.ran_at < end,
        )
        .order_by(SelectionRun.period_key.desc(), SelectionRun.ran_at.desc())
        .limit(1)
    )


def sample_results(scope: Scope, run: SelectionRun) -> dict[str, tuple[int, int]]:
    """Draw label -> (signed-off audits, those whose outcome is good or better) for a run."""
    outcome = outcome_expression()
    good = case((outcome.in_(GOOD_GRADES), 1), else_=0)
    stmt = (
        scoped(
            select(Audit.draw_label, func.count(Audit.id), func.sum(good)).select_from(Audit),
            scope,
            dated=False,
        )
        .outerjoin(Moderation, Moderation.audit_id == Audit.id)
        .where(Audit.run_id == run.id)
        .group_by(Audit.draw_label)
    )
    return {label: (int(n), int(k or 0)) for label, n, k in db.session.execute(stmt)}
