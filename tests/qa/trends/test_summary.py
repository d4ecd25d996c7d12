"""The trends read the per-audit summary; their counts must be exactly those of a query over
every answer, as the trends were worked out before the summary.

The queries over the answers are kept here, as the oracle. Hypothesis makes councils of
audits (states, dates, tool versions with different standards, answers of every kind,
selection runs), then changes them as people do (a correction, a supervisee moving team, a
moderation scored blind, an answer changed, an audit deleted), and each viewer's figures for
each unit and range are compared both ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, case, delete, distinct, func, select

from audit_tools.schema import default_tools, tool_to_dict
from qa.audits.models import Audit, AuditAnswer, Moderation
from qa.audits.tools import get_tool, upload_tool
from qa.demo import organisation as demo
from qa.demo.history import load_history
from qa.extensions import db
from qa.org.models import ServiceArea, Staff, Team
from qa.selections import service as selections
from qa.selections.models import SelectionRun
from qa.trends import queries
from qa.trends.context import context_for
from qa.trends.filters import Filters
from qa.trends.scope import Scope, Standard, audit_conditions, scoped, with_supervisee
from qa.trends.summary import AuditQuestionSummary, AuditSummary, rebuild
from trend_maths.statistics import ClusterSums

TOOL = "supervision-file-audit"
SUPERVISEES = ("practitioner", "practitioner_n2", "senior_practitioner", "practitioner_south")
AUDITORS = ("service_manager", "service_manager_south", "head_of_service", "team_manager")
VIEWERS = ("qa_officer", "head_of_service", "service_manager_south", "team_manager")
KEYS = ("views_wishes_feelings", "child_seen", "wellbeing_discussed", "overall_quality")
VALUES = ("yes", "partly", "no", "not_applicable", "", None, "good", "requires_improvement")
STATES = ("signed_off", "signed_off", "signed_off", "submitted", "in_progress", "cancelled")
RANGES = ((date(2026, 6, 1), date(2026, 11, 30)), (date(2026, 8, 15), date(2026, 10, 31)))
THEMES = {"childs_voice": ["views_wishes_feelings", "child_seen"], "wellbeing": KEYS[2:]}


# The trends' queries as they were, over every answer: the oracle.


def old_answer_counts(scope: Scope, standard: Standard, keys: Iterable[str] | None = None):
    month = queries.month_of(Audit.signed_off_at)
    stmt = scoped(
        select(
            month,
            AuditAnswer.question_key,
            func.sum(standard.meets()),
            func.sum(standard.applies()),
        )
        .select_from(AuditAnswer)
        .join(Audit, Audit.id == AuditAnswer.audit_id),
        scope,
    )
    if keys is not None:
        stmt = stmt.where(AuditAnswer.question_key.in_(sorted(keys)))
    stmt = stmt.group_by(month, AuditAnswer.question_key)
    return sorted(
        (*queries.year_month(when), key, int(k or 0), int(n or 0))
        for when, key, k, n in db.session.execute(stmt)
    )


def old_audit_answer_counts(scope: Scope, standard: Standard):
    month = queries.month_of(Audit.signed_off_at)
    stmt = (
        with_supervisee(
            select(month, Staff.team_id, func.sum(standard.meets()), func.sum(standard.applies()))
            .select_from(AuditAnswer)
            .join(Audit, Audit.id == AuditAnswer.audit_id)
        )
        .where(*audit_conditions(scope))
        .group_by(Audit.id, month, Staff.team_id)
    )
    return sorted(
        (
            (*queries.year_month(when), team, int(k or 0), int(n or 0))
            for when, team, k, n in db.session.execute(stmt)
        ),
        key=repr,
    )


def clusters(by_audit, *, by_team: bool) -> dict[object, ClusterSums]:
    """Each month's or team's sums of the audits' counts, added up one audit at a time."""
    found: dict[object, ClusterSums] = {}
    for year, month, team, k, n in by_audit:
        key = team if by_team else (year, month)
        if n > 0:
            found[key] = found.get(key, ClusterSums()) + ClusterSums.of(k, n)
    return found


def old_team_counts(scope: Scope, standard: Standard, keys: Iterable[str] | None = None):
    stmt = with_supervisee(
        select(Staff.team_id, func.sum(standard.meets()), func.sum(standard.applies()))
        .select_from(AuditAnswer)
        .join(Audit, Audit.id == AuditAnswer.audit_id)
    ).where(*audit_conditions(scope))
    if keys is not None:
        stmt = stmt.where(AuditAnswer.question_key.in_(sorted(keys)))
    stmt = stmt.group_by(Staff.team_id)
    return {team: (int(k or 0), int(n or 0)) for team, k, n in db.session.execute(stmt)}


def old_audits_per_theme(scope: Scope, standard: Standard, theme_keys: Mapping[str, Iterable[str]]):
    applies = standard.applies() == 1
    columns = [
        func.count(
            distinct(
                case(
                    (and_(applies, AuditAnswer.question_key.in_(sorted(keys))), Audit.id),
                    else_=None,
                )
            )
        )
        for keys in theme_keys.values()
    ]
    stmt = with_supervisee(
        select(*columns).select_from(AuditAnswer).join(Audit, Audit.id == AuditAnswer.audit_id)
    ).where(*audit_conditions(scope))
    row = db.session.execute(stmt).one()
    return {theme: int(count or 0) for theme, count in zip(theme_keys, row, strict=True)}


def old_audits_by_policy(scope: Scope):
    stmt = (
        scoped(select(SelectionRun.policy_key, func.count(Audit.id)).select_from(Audit), scope)
        .outerjoin(SelectionRun, SelectionRun.id == Audit.run_id)
        .group_by(SelectionRun.policy_key)
    )
    return {key: int(count) for key, count in db.session.execute(stmt)}


def as_tuples(rows: Iterable[queries.AnswerCount]) -> list[tuple[int, int, str, int, int]]:
    return sorted((r.year, r.month, r.key, r.k, r.n) for r in rows)


def assert_same_figures(org) -> None:
    """Every viewer's counts, for each unit they may see and each range, both ways."""
    units = [(None, None), (org.areas["North"].id, None), (None, org.teams["N1"].id)]
    compare([org.people[viewer] for viewer in VIEWERS], units, RANGES)


def compare(
    users: Iterable[Staff],
    units: Iterable[tuple[int | None, int | None]],
    ranges: Iterable[tuple[date, date]],
) -> None:
    for user in users:
        for start, end in ranges:
            for area_id, team_id in units:
                ctx = context_for(user, Filters("month", start, end, area_id, team_id, TOOL))
                scope, standard = ctx.scope, ctx.standard
                seen = (user.role, start, ctx.unit.label)
                keys = sorted(ctx.catalogue.questions)[:3]
                themes = ctx.catalogue.theme_keys() or THEMES
                assert as_tuples(queries.answer_counts(scope)) == old_answer_counts(
                    scope, standard
                ), seen
                assert as_tuples(queries.answer_counts(scope, keys=keys)) == old_answer_counts(
                    scope, standard, keys
                ), seen
                by_audit = old_audit_answer_counts(scope, standard)
                assert queries.month_clusters(scope) == clusters(by_audit, by_team=False), seen
                assert queries.team_clusters(scope) == clusters(by_audit, by_team=True), seen
                assert queries.team_counts(scope) == old_team_counts(scope, standard), seen
                assert queries.team_counts(scope, keys=keys[:1]) == old_team_counts(
                    scope, standard, keys[:1]
                ), seen
                assert queries.audits_per_theme(scope, themes) == old_audits_per_theme(
                    scope, standard, themes
                ), seen
                assert queries.audits_by_policy(scope) == old_audits_by_policy(scope), seen


def shipped_version() -> int:
    """The version of the tool the service ships, which the audits here call version 1."""
    return next(tool.version for tool in default_tools() if tool.id == TOOL)


def second_version(org) -> None:
    """The tool's next version meets the standard at 0.5, so "partly" meets it there only."""
    data = tool_to_dict(get_tool(TOOL))
    data["version"] = shipped_version() + 1
    data["meets_standard_at"] = 0.5
    upload_tool(yaml.safe_dump(data), "v2.yaml", org.people["qa_officer"])


AUDIT = st.fixed_dictionaries(
    {
        "supervisee": st.sampled_from(SUPERVISEES),
        "auditor": st.sampled_from(AUDITORS),
        "state": st.sampled_from(STATES),
        "day": st.integers(0, 182),
        "hour": st.integers(0, 23),
        "version": st.sampled_from((1, 2)),
        "drawn": st.booleans(),
        "answers": st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES)),
    }
)
CHANGES = st.fixed_dictionaries(
    {
        "correct": st.integers(0, 30),
        "move_to_n2": st.booleans(),
        "blind": st.integers(0, 30),
        "reanswer": st.tuples(st.integers(0, 30), st.sampled_from(KEYS), st.sampled_from(VALUES)),
        "delete": st.integers(0, 30),
    }
)


def make_audits(org, specs, run_id: int) -> list[Audit]:
    made = []
    for spec in specs:
        when = datetime(2026, 6, 1, spec["hour"]) + timedelta(days=spec["day"])
        audit = Audit(
            file_id=org.file_of(spec["supervisee"]).id,
            auditor_id=org.people[spec["auditor"]].id,
            tool_id=TOOL,
            tool_version=shipped_version() + spec["version"] - 1,
            state=spec["state"],
            run_id=run_id if spec["drawn"] else None,
            due_on=when.date(),
            created_at=when,
            signed_off_at=when if spec["state"] == "signed_off" else None,
        )
        audit.answers = [
            AuditAnswer(question_key=key, answer=value) for key, value in spec["answers"].items()
        ]
        db.session.add(audit)
        made.append(audit)
    db.session.commit()
    return made


def change(org, made: list[Audit], changes) -> None:
    """What people do after sign-off, each in its own transaction."""
    if not made:
        return
    corrected = made[changes["correct"] % len(made)]
    if corrected.state == "signed_off":
        corrected.state = "in_progress"
        corrected.signed_off_at = None
        db.session.commit()
    if changes["move_to_n2"]:
        org.people["practitioner"].team_id = org.teams["N2"].id
        db.session.commit()
    blind = made[changes["blind"] % len(made)]
    db.session.add(
        Moderation(
            audit_id=blind.id,
            moderator_id=org.people["qa_officer"].id,
            state="scoring",
            created_at=datetime(2026, 11, 20),
        )
    )
    db.session.commit()
    index, key, value = changes["reanswer"]
    changed = made[index % len(made)]
    answer = next((a for a in changed.answers if a.question_key == key), None)
    if answer is None:
        changed.answers.append(AuditAnswer(question_key=key, answer=value))
    else:
        answer.answer = value
    db.session.commit()
    gone = made[changes["delete"] % len(made)]
    if gone is not blind:
        db.session.delete(gone)
        db.session.commit()


def clear(org, kept: set[int]) -> None:
    """Remove this example's audits and changes, keeping the selection run's own audits."""
    db.session.rollback()
    db.session.execute(delete(Moderation))
    for audit in db.session.scalars(select(Audit).where(Audit.id.not_in(sorted(kept)))):
        db.session.delete(audit)
    org.people["practitioner"].team_id = org.teams["N1"].id
    db.session.commit()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(AUDIT, max_size=14), changes=CHANGES)
def test_the_summary_gives_the_figures_of_every_answer(org, specs, changes):
    if db.session.scalar(select(func.count(SelectionRun.id))) == 0:
        second_version(org)
        selections.run_selection(
            "six-monthly-random", "2026-H2", None, None, seed="98765432109876543210"
        )
    run_id = db.session.scalar(select(SelectionRun.id))
    kept = set(db.session.scalars(select(Audit.id)))
    try:
        made = make_audits(org, specs, run_id)
        assert_same_figures(org)
        change(org, made, changes)
        assert_same_figures(org)
    finally:
        clear(org, kept)


def test_a_correction_takes_the_audit_out_of_the_summary_until_it_is_signed_off_again(org):
    get_tool(TOOL)
    (audit,) = make_audits(
        org,
        [
            {
                "supervisee": "practitioner",
                "auditor": "service_manager",
                "state": "signed_off",
                "day": 100,
                "hour": 9,
                "version": 1,
                "drawn": False,
                "answers": {"child_seen": "yes", "wellbeing_discussed": "not_applicable"},
            }
        ],
        None,
    )
    row = db.session.get(AuditSummary, audit.id)
    assert (row.answers, row.met, row.applicable) == (2, 1, 1)
    assert row.team_id == org.teams["N1"].id and row.area_id == org.areas["North"].id
    audit.state, audit.signed_off_at = "in_progress", None
    db.session.commit()
    assert db.session.get(AuditSummary, audit.id) is None
    assert db.session.scalar(select(func.count()).select_from(AuditQuestionSummary)) == 0
    audit.answers[0].answer = "no"
    audit.state, audit.signed_off_at = "signed_off", datetime(2026, 11, 2, 10)
    db.session.commit()
    row = db.session.get(AuditSummary, audit.id)
    assert (row.met, row.applicable, row.month) == (0, 1, date(2026, 11, 1))


def test_rebuilding_the_summary_gives_the_summary_the_app_wrote(org):
    get_tool(TOOL)
    second_version(org)
    make_audits(
        org,
        [
            {
                "supervisee": who,
                "auditor": "service_manager",
                "state": state,
                "day": day,
                "hour": 9,
                "version": version,
                "drawn": False,
                "answers": {
                    "child_seen": "partly",
                    "overall_quality": "good",
                    "wellbeing_discussed": "",
                },
            }
            for who, state, day, version in (
                ("practitioner", "signed_off", 3, 1),
                ("practitioner_south", "signed_off", 90, 2),
                ("practitioner_n2", "submitted", 40, 1),
            )
        ],
        None,
    )

    def stored():
        audits = db.session.execute(select(AuditSummary.__table__)).all()
        answers = db.session.execute(select(AuditQuestionSummary.__table__)).all()
        return sorted(map(tuple, audits)), sorted(map(tuple, answers))

    written = stored()
    assert len(written[0]) == 2 and len(written[1]) == 6
    rebuild(db.session.connection())
    db.session.commit()
    assert stored() == written


def test_the_summary_gives_the_demo_councils_figures_of_every_answer(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the full demo history is loaded once, on SQLite")
    demo.load(date(2026, 11, 23))
    load_history(date(2026, 11, 23))
    users = [
        db.session.scalar(select(Staff).where(Staff.role == role).order_by(Staff.id).limit(1))
        for role in ("qa_officer", "head_of_service", "service_manager", "team_manager")
    ]
    units = [(None, None)]
    units += [(area, None) for area in db.session.scalars(select(ServiceArea.id))]
    units += [(None, team) for team in db.session.scalars(select(Team.id))]
    assert db.session.scalar(select(func.count()).select_from(AuditSummary)) > 250
    compare(users, units, [(date(2024, 11, 1), date(2026, 11, 23))])


def test_the_migration_summarises_the_audits_signed_off_before_it(tmp_path):
    """Upgraded from the revision before the summary, a council's signed-off audits have the
    summary the app writes."""
    from alembic.script import ScriptDirectory
    from flask_migrate import upgrade

    from qa import create_app
    from tests.factories import make_org

    url = f"sqlite:///{tmp_path / 'before.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        before = next(
            r.down_revision for r in scripts.walk_revisions() if r.doc.startswith("A summary")
        )
        upgrade(revision=before)
        org = make_org()
        get_tool(TOOL)
        for n, (who, state) in enumerate(
            (
                ("practitioner", "signed_off"),
                ("practitioner_south", "signed_off"),
                ("practitioner_n2", "submitted"),
            )
        ):
            signed = datetime(2026, 9 + n, 3, 9)
            audit = db.session.execute(
                Audit.__table__.insert().values(
                    file_id=org.file_of(who).id,
                    auditor_id=org.people["service_manager"].id,
                    tool_id=TOOL,
                    tool_version=get_tool(TOOL).version,
                    state=state,
                    due_on=signed.date(),
                    created_at=signed,
                    signed_off_at=signed if state == "signed_off" else None,
                )
            ).inserted_primary_key[0]
            db.session.execute(
                AuditAnswer.__table__.insert(),
                [
                    {"audit_id": audit, "question_key": key, "answer": value, "comment": ""}
                    for key, value in zip(KEYS, ("yes", "partly", "not_applicable", "good"))
                ],
            )
        db.session.commit()
        upgrade()

        def stored():
            audits = db.session.execute(select(AuditSummary.__table__)).all()
            answers = db.session.execute(select(AuditQuestionSummary.__table__)).all()
            return sorted(map(tuple, audits)), sorted(map(tuple, answers))

        migrated = stored()
        assert len(migrated[0]) == 2 and len(migrated[1]) == 8
        rebuild(db.session.connection())
        db.session.commit()
        assert stored() == migrated
        db.session.remove()
        db.engine.dispose()
