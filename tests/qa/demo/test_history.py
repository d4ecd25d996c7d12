"""The demo's two years of audits: made through the real selections, deterministic, with one
team good and steady, one that improves, one that gets worse and one with a month that stands
out. The full history is loaded once, on SQLite, as `flask --app qa demo --profile` loads it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from qa.actions.models import Action
from qa.audits.models import Audit, AuditAnswer, Moderation
from qa.demo import organisation as demo
from qa.demo.answers import (
    DETERIORATING_TEAM,
    IMPROVING_TEAM,
    SPECIAL_CAUSE_TEAM,
    STEADY_TEAM,
)
from qa.demo.history import load_history
from qa.extensions import db
from qa.org.models import Staff, Team
from qa.profiles.service import in_force, in_force_on
from qa.selections.models import SelectionRun
from qa.trends import service
from qa.trends.filters import Filters

TODAY = date(2026, 11, 23)


@pytest.fixture
def sqlite_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the full demo history is loaded once, on SQLite")


def _count(*where) -> int:
    return db.session.scalar(select(func.count(Audit.id)).where(*where)) or 0


def test_the_demo_loaded_under_a_profile_shows_teams_that_differ(app, sqlite_only):
    result = app.test_cli_runner().invoke(args=["demo", "--profile", "havering"])
    assert result.exit_code == 0, result.output
    assert "under the havering council profile" in result.output
    assert app.config["FIXED_NOW"] == datetime(2026, 11, 23, 10, 0)  # the clock is put back
    assert in_force().profile.name == in_force_on(date(2024, 11, 1)).profile.name == "havering"
    assert set(db.session.scalars(select(Audit.profile_name).distinct())) == {"havering"}
    signed_off = _count(Audit.state == "signed_off")
    assert f"{signed_off} audits signed off" in result.output and signed_off > 250
    # This month's audits are waiting for their auditors; nothing else is left undone.
    this_month = select(SelectionRun.id).where(SelectionRun.period_key == "2026-11")
    assert _count(Audit.run_id.in_(this_month), Audit.state == "selected") == 6
    assert _count(Audit.state.in_(("in_progress", "submitted", "returned"))) == 0
    policies = set(db.session.scalars(select(SelectionRun.policy_key).distinct()))
    assert policies == {"monthly-team-manager", "quarterly-service-manager", "six-monthly-random"}
    samples = db.session.scalars(
        select(SelectionRun.period_key).where(SelectionRun.policy_key == "six-monthly-random")
    ).all()
    assert sorted(samples) == ["2025-H2", "2026-H1"]

    moderated = db.session.scalar(select(func.count(Moderation.id))) or 0
    assert 0.1 < moderated / signed_off < 0.25
    statuses = set(db.session.scalars(select(Action.status).distinct()))
    assert statuses == {"open", "confirmed"}  # finished actions were confirmed by their auditor
    assert db.session.scalar(
        select(func.count(Action.id)).where(Action.status == "open", Action.due_on < TODAY)
    )
    wellbeing = db.session.scalars(
        select(AuditAnswer.comment).where(
            AuditAnswer.question_key == "wellbeing_discussed", AuditAnswer.comment != ""
        )
    ).all()
    assert wellbeing and all(c.startswith("Wellbeing discussed on ") for c in wellbeing)

    qa = db.session.scalar(select(Staff).where(Staff.role == "qa_officer"))
    verdicts = {}
    for name in (STEADY_TEAM, IMPROVING_TEAM, DETERIORATING_TEAM):
        team = db.session.scalar(select(Team).where(Team.name == name))
        two_years = Filters("quarter", date(2024, 11, 1), TODAY, team_id=team.id)
        verdicts[name] = service.dashboard(qa, two_years).compliance_chart.verdict
    assert verdicts == {
        STEADY_TEAM: "no significant change",
        IMPROVING_TEAM: "improving",
        DETERIORATING_TEAM: "concerning",
    }
    team = db.session.scalar(select(Team).where(Team.name == SPECIAL_CAUSE_TEAM))
    by_month = Filters("month", date(2024, 11, 1), date(2026, 10, 31), team_id=team.id)
    points = service.dashboard(qa, by_month).compliance_chart.points
    worst = min((point for point in points if point.value is not None), key=lambda p: p.value)
    assert "outside_limits" in worst.special_cause and worst.value < worst.centre - 0.3
    others = [point.value for point in points if point.value is not None and point is not worst]
    assert min(others) > worst.centre - 0.25  # one month stands out, not a change of level
    board = service.dashboard(qa, service.default_filters(qa, TODAY))
    assert board.estimate is not None and "random sample for January to June 2026" in (
        board.estimate_text
    )
    assert any(
        a.reading == "marks more generously than moderators" for a in board.moderation.auditors
    )


def _fingerprint() -> list[tuple]:
    runs = db.session.execute(
        select(SelectionRun.policy_key, SelectionRun.period_key, SelectionRun.seed).order_by(
            SelectionRun.id
        )
    ).all()
    audits = db.session.execute(
        select(
            Audit.file_id,
            Audit.auditor_id,
            Audit.state,
            Audit.overall_score,
            Audit.auditor_judgement,
            Audit.signed_off_at,
        ).order_by(Audit.id)
    ).all()
    answers = db.session.execute(
        select(AuditAnswer.answer, AuditAnswer.comment).order_by(AuditAnswer.id)
    ).all()
    return [tuple(r) for r in (*runs, *audits, *answers)]


def _empty() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_the_demo_history_is_the_same_every_time(app, sqlite_only):
    demo.load(TODAY)
    load_history(TODAY, months=3)
    first = _fingerprint()
    assert any(row[2:3] == ("signed_off",) for row in first)
    load_history(TODAY, months=3)  # loading again adds nothing
    assert _fingerprint() == first
    _empty()
    demo.load(TODAY)
    load_history(TODAY, months=3)
    assert _fingerprint() == first
