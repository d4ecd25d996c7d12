"""The trend figures: roll-ups checked against hand-computed answers, on SQLite and PostgreSQL,
limited by the access policy, and exported as typed spreadsheets."""

from __future__ import annotations

import io
import math
from datetime import date, datetime

import pytest
import yaml
from openpyxl import load_workbook
from sqlalchemy import select

from audit_tools.schema import tool_to_dict
from qa.access import Forbidden
from qa.actions.models import Action
from qa.audits.models import Audit, AuditAnswer, Moderation, ModerationAnswer
from qa.audits.tools import get_tool, upload_tool
from qa.extensions import db
from qa.org.models import SupervisionSession
from qa.selections import service as selections
from qa.trends import service
from qa.trends.filters import Filters
from sampling.evaluation import Stratum, stratified_proportion

OCT_NOV = {"period_kind": "month", "start": date(2026, 10, 1), "end": date(2026, 11, 30)}


def signed_off(
    org,
    supervisee: str,
    answers: dict[str, str | tuple[str, str]],
    when: datetime,
    *,
    auditor: str = "service_manager",
    score: float | None = None,
    grade: str | None = None,
    version: int | None = None,
    state: str = "signed_off",
) -> Audit:
    """A signed-off audit with exactly these answers (a tuple is (answer, comment)), done
    with the tool's latest version unless `version` is given."""
    audit = Audit(
        file_id=org.file_of(supervisee).id,
        auditor_id=org.people[auditor].id,
        tool_id="supervision-file-audit",
        tool_version=version or get_tool("supervision-file-audit").version,
        state=state,
        due_on=when.date(),
        created_at=when,
        submitted_at=when,
        signed_off_at=when if state == "signed_off" else None,
        overall_score=score,
        computed_grade=grade,
        auditor_judgement=grade,
    )
    db.session.add(audit)
    db.session.flush()
    for key, value in answers.items():
        answer, comment = value if isinstance(value, tuple) else (value, "")
        db.session.add(
            AuditAnswer(audit_id=audit.id, question_key=key, answer=answer, comment=comment)
        )
    db.session.commit()
    return audit


@pytest.fixture
def three_audits(org):
    """Two North audits (October and November) and one South audit (November)."""
    get_tool("supervision-file-audit")
    a = signed_off(
        org,
        "practitioner",
        {
            "views_wishes_feelings": "yes",
            "lived_experience": ("partly", "Lived experience only touched on"),
            "child_seen": "not_applicable",
            "overall_quality": ("good", "Regular and reflective"),
            "wellbeing_discussed": ("no", "SECRET details of a bereavement"),
        },
        datetime(2026, 10, 5, 12),
        score=0.8,
        grade="good",
    )
    b = signed_off(
        org,
        "practitioner_n2",
        {
            "views_wishes_feelings": ("no", "No views recorded since the summer"),
            "lived_experience": "yes",
            "overall_quality": ("requires_improvement", "Gaps in oversight"),
            "actions_smart": "yes",
        },
        datetime(2026, 11, 10, 9),
        score=0.5,
        grade="requires_improvement",
    )
    c = signed_off(
        org,
        "practitioner_south",
        {
            "views_wishes_feelings": "yes",
            "lived_experience": "yes",
            "overall_quality": ("outstanding", "Exemplary"),
        },
        datetime(2026, 11, 12, 15),
        auditor="service_manager_south",
        score=0.95,
        grade="outstanding",
    )
    return a, b, c


def test_compliance_rolls_up_to_the_hand_computed_rates(org, three_audits):
    board = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV))
    assert board.unit_label == "the whole service"
    assert board.audits == 3
    assert (board.compliance.k, board.compliance.n) == (7, 11)
    assert board.compliance.estimate == pytest.approx(7 / 11)
    assert [(p.key, p.k, p.n, p.audits) for p in board.periods] == [
        ("2026-10", 2, 4, 1),
        ("2026-11", 5, 7, 2),
    ]
    assert board.periods[1].score == pytest.approx((0.5 + 0.95) / 2)
    questions = {q.key: (q.k, q.n) for q in board.questions}
    assert questions["views_wishes_feelings"] == (2, 3)
    assert questions["lived_experience"] == (2, 3)
    assert questions["child_seen"] == (0, 0)  # not applicable is left out
    assert questions["overall_quality"] == (2, 3)  # good and outstanding meet the standard
    assert questions["wellbeing_discussed"] == (0, 1)
    sections = {s.key: (s.k, s.n) for s in board.sections}
    assert sections["childs_voice"] == (4, 6)
    themes = {t.key: (t.k, t.n) for t in board.themes}
    assert themes["childs_voice"] == (4, 6)
    assert themes["smart_actions"] == (1, 1)
    assert board.grades == {
        "outstanding": 1,
        "good": 1,
        "requires_improvement": 1,
        "inadequate": 0,
    }
    assert {t.label: (t.k, t.n) for t in board.teams} == {
        "North Safeguarding": (2, 4),
        "North Children in Care": (2, 4),
        "South Safeguarding": (3, 3),
    }
    assert board.funnel is not None and board.funnel.target == pytest.approx(7 / 11)


def test_periods_group_by_quarter_and_half_year_on_every_database(org, three_audits):
    qa = org.people["qa_officer"]
    quarters = service.dashboard(qa, Filters(**{**OCT_NOV, "period_kind": "quarter"}))
    assert [(p.key, p.k, p.n, p.audits) for p in quarters.periods] == [("2026-Q4", 7, 11, 3)]
    halves = service.dashboard(qa, Filters("half", date(2026, 1, 1), date(2026, 12, 31)))
    assert [(p.key, p.n) for p in halves.periods] == [("2026-H1", 0), ("2026-H2", 11)]
    assert halves.periods[0].compliance is None


def test_audits_outside_the_range_or_not_signed_off_are_left_out(org, three_audits):
    signed_off(org, "practitioner", {"actions_smart": "no"}, datetime(2026, 9, 30, 23))
    signed_off(
        org, "practitioner", {"actions_smart": "no"}, datetime(2026, 11, 2), state="submitted"
    )
    board = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV))
    assert (board.compliance.k, board.compliance.n, board.audits) == (7, 11, 3)


def test_a_service_manager_sees_only_their_area_whatever_the_filters_ask(org, three_audits):
    south = org.areas["South"].id
    manager = org.people["service_manager"]
    board = service.dashboard(manager, Filters(**OCT_NOV, area_id=south))
    assert board.unit_label == "North service area"
    assert board.audits == 2
    assert (board.compliance.k, board.compliance.n) == (4, 8)
    assert {t.label for t in board.teams} == {"North Safeguarding", "North Children in Care"}
    assert board.grades["outstanding"] == 0
    everything = service.dashboard(manager, Filters(**OCT_NOV))  # no unit asked: their own
    assert everything.audits == 2


def test_a_team_manager_sees_only_their_team(org, three_audits):
    board = service.dashboard(org.people["team_manager"], Filters(**OCT_NOV))
    assert board.unit_label == "North Safeguarding team"
    assert (board.audits, board.compliance.k, board.compliance.n) == (1, 2, 4)
    assert board.funnel is None


def test_practitioners_and_administrators_get_no_trends(org, three_audits):
    for who in ("practitioner", "administrator"):
        with pytest.raises(Forbidden):
            service.dashboard(org.people[who], Filters(**OCT_NOV))


def test_filters_from_the_address_fall_back_to_defaults_quietly(org):
    manager = org.people["service_manager"]
    north, south = org.areas["North"].id, org.areas["South"].id
    filters = service.filters_from_args(
        manager, {"period": "fortnight", "start": "2026-13", "end": "nonsense", "unit": "team-x"}
    )
    assert filters.period_kind == "month"
    assert (filters.start, filters.end) == (date(2025, 12, 1), date(2026, 11, 23))
    assert (filters.area_id, filters.team_id) == (north, None)
    asked = service.filters_from_args(
        manager,
        {"period": "quarter", "start": "2026-01", "end": "2026-06", "unit": f"area-{south}"},
    )
    assert asked.period_kind == "quarter"
    assert (asked.start, asked.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert asked.area_id == north  # not theirs to see, so their own
    backwards = service.filters_from_args(manager, {"start": "2026-06", "end": "2026-01"})
    assert backwards.start == date(2025, 12, 1)
    team = org.teams["N2"].id
    assert service.filters_from_args(manager, {"unit": f"team-{team}"}).team_id == team


def test_questions_are_matched_by_key_across_tool_versions(org, three_audits):
    tool = get_tool("supervision-file-audit")
    data = tool_to_dict(tool)
    data["version"] = tool.version + 1
    data["sections"][2]["questions"][0]["text"] = "Are the child's views recorded in their words?"
    upload_tool(yaml.safe_dump(data), "next.yaml", org.people["qa_officer"])
    signed_off(
        org,
        "practitioner",
        {"views_wishes_feelings": "yes"},
        datetime(2026, 11, 20),
        version=tool.version + 1,
    )
    board = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV))
    question = next(q for q in board.questions if q.key == "views_wishes_feelings")
    assert (question.k, question.n) == (3, 4)
    assert question.text == "Are the child's views recorded in their words?"


def test_themes_rank_the_weakest_questions_and_never_show_sensitive_comments(org):
    for day in range(1, 7):
        signed_off(
            org,
            "practitioner",
            {
                "wellbeing_discussed": ("no", "SECRET: their divorce"),
                "views_shaped_plan": ("no", f"Plan unchanged by the child's views ({day})"),
                "views_wishes_feelings": "yes",
            },
            datetime(2026, 11, day, 10),
        )
    for day in range(1, 6):
        signed_off(
            org,
            "practitioner",
            {"views_shaped_plan": "yes", "views_wishes_feelings": "no"},
            datetime(2026, 10, day),
        )
    page = service.themes_page(org.people["qa_officer"], Filters(**OCT_NOV))
    assert page.period == "2026-11"
    assert page.previous_label == "October 2026"
    weakest = [q.key for q in page.weakest]
    assert set(weakest[:2]) == {"wellbeing_discussed", "views_shaped_plan"}
    assert page.evidence["wellbeing_discussed"] == []
    assert "SECRET" not in repr(page)
    assert len(page.evidence["views_shaped_plan"]) == 5
    changes = {c.question.key: c for c in page.changes}
    assert set(changes) == {"views_wishes_feelings", "views_shaped_plan"}
    up, down = changes["views_wishes_feelings"], changes["views_shaped_plan"]
    assert (up.previous.k, up.previous.n, up.question.k, up.question.n) == (0, 5, 6, 6)
    assert up.test.difference == pytest.approx(1.0) and up.more_than_chance
    assert (down.previous.k, down.previous.n, down.question.k, down.question.n) == (5, 5, 0, 6)
    assert down.more_than_chance
    assert "wellbeing_discussed" not in [c.question.key for c in page.changes]  # none before


def test_a_question_page_shows_its_rate_by_team_and_hides_sensitive_evidence(org, three_audits):
    qa = org.people["qa_officer"]
    detail = service.question_detail(qa, "views_wishes_feelings", Filters(**OCT_NOV))
    assert (detail.rate.k, detail.rate.n) == (2, 3)
    assert [(label, r.k, r.n) for label, r in detail.teams] == [
        ("North Children in Care", 0, 1),
        ("North Safeguarding", 1, 1),
        ("South Safeguarding", 1, 1),
    ]
    assert detail.evidence == ["No views recorded since the summer"]
    wellbeing = service.question_detail(qa, "wellbeing_discussed", Filters(**OCT_NOV))
    assert wellbeing.evidence == [] and wellbeing.evidence_note
    with pytest.raises(LookupError):
        service.question_detail(qa, "no_such_question", Filters(**OCT_NOV))


def test_moderation_agreement_and_auditor_drift(org, three_audits):
    a, b, c = three_audits
    pairs = {
        a: [("views_wishes_feelings", "yes", "yes"), ("lived_experience", "partly", "no")],
        b: [("views_wishes_feelings", "no", "no"), ("lived_experience", "yes", "yes")],
    }
    for audit, answers in pairs.items():
        moderation = Moderation(
            audit_id=audit.id,
            moderator_id=org.people["qa_officer"].id,
            state="agreed",
            created_at=datetime(2026, 11, 20),
            moderator_score=(audit.overall_score or 0) - 0.1,
        )
        db.session.add(moderation)
        db.session.flush()
        for key, auditor_answer, answer in answers:
            db.session.add(
                ModerationAnswer(
                    moderation_id=moderation.id,
                    question_key=key,
                    answer=answer,
                    auditor_answer=auditor_answer,
                    agreed=answer == auditor_answer,
                )
            )
    db.session.commit()
    summary = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV)).moderation
    assert (summary.n, summary.audits) == (2, 3)
    assert summary.share == pytest.approx(2 / 3)
    assert summary.kappa_linear.n == 4
    assert summary.kappa_linear.observed_agreement == pytest.approx(0.75)
    assert {q.key: q.n for q in summary.questions} == {
        "views_wishes_feelings": 2,
        "lived_experience": 2,
    }
    [drift] = summary.auditors
    assert drift.auditor == "Service Manager" and drift.n == 2
    assert drift.mean == pytest.approx(0.1)
    assert drift.reading == "too few moderated audits to say"


def test_actions_are_counted_for_the_range_and_overdue_today(org, three_audits):
    a, b, _ = three_audits
    owner = org.people["team_manager"].id
    for audit, created, due, status in (
        (a, datetime(2026, 10, 6), date(2026, 11, 1), "open"),  # overdue on 23 November
        (b, datetime(2026, 11, 11), date(2026, 12, 11), "open"),
        (b, datetime(2026, 9, 1), date(2026, 10, 1), "confirmed"),
    ):
        db.session.add(
            Action(
                audit_id=audit.id,
                description="Record the child's views",
                owner_id=owner,
                due_on=due,
                status=status,
                created_at=created,
                done_at=datetime(2026, 11, 15) if status != "open" else None,
                confirmed_at=datetime(2026, 11, 16) if status == "confirmed" else None,
            )
        )
    db.session.commit()
    board = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV))
    assert board.actions == service.ActionCounts(opened=2, closed=1, overdue=1)
    evaluation = {
        e.theme: e for e in service.self_evaluation(org.people["qa_officer"], Filters(**OCT_NOV))
    }
    # Audit a fell short on lived experience (the child's voice) and wellbeing; its open
    # action is overdue. Audit b fell short on the child's views and the overall quality.
    assert [x.overdue for x in evaluation["childs_voice"].actions] == [True, False]
    assert [x.overdue for x in evaluation["wellbeing"].actions] == [True]
    assert evaluation["smart_actions"].actions == []
    assert "2 open actions" in evaluation["childs_voice"].do
    assert evaluation["childs_voice"].audits == 3

    marked = db.session.scalar(select(Action).where(Action.status == "confirmed"))
    marked.status = "done"  # marked done by its owner, not yet confirmed: not closed
    db.session.commit()
    assert service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV)).actions.closed == 0


def test_the_sample_estimate_is_stratified_by_service_area(org):
    run, _ = selections.run_selection(
        "six-monthly-random", "2026-H2", None, None, seed="98765432109876543210"
    )
    audits = db.session.scalars(db.select(Audit).where(Audit.run_id == run.id)).all()
    assert audits
    for i, audit in enumerate(audits):
        audit.state = "signed_off"
        audit.signed_off_at = datetime(2026, 11, 1 + i)
        audit.auditor_judgement = "good" if i % 2 == 0 else "requires_improvement"
    db.session.commit()
    strata = {}
    for draw in run.draw_list:
        label = draw["label"]
        mine = [a for a in audits if a.draw_label == label]
        good = sum(1 for a in mine if a.auditor_judgement == "good")
        strata[label] = Stratum(len(draw["frame"]), len(mine), good)
    board = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV))
    expected = stratified_proportion(strata)
    assert board.estimate is not None
    assert board.estimate.estimate == pytest.approx(expected.estimate)
    assert board.estimate.standard_error == pytest.approx(expected.standard_error)
    assert "across the service" in board.estimate_text
    assert [r.id for r in board.runs] == [run.id]
    team = service.dashboard(
        org.people["qa_officer"], Filters(**OCT_NOV, team_id=org.teams["N1"].id)
    )
    assert team.estimate is None and "not for one team" in team.estimate_text


def _session(org, who: str, held: date, kind: str = "case") -> None:
    db.session.add(
        SupervisionSession(
            file=org.file_of(who),
            supervisor=org.people[who].line_manager,
            held_on=held,
            kind=kind,
            recorded_on=held,
            signed_by_supervisor_on=held,
            signed_by_supervisee_on=held,
        )
    )


def test_the_compliance_chart_allows_for_answers_going_together_in_an_audit(app, org, three_audits):
    app.config["FIXED_NOW"] = datetime(2026, 12, 3, 10, 0)  # November over, so it is read
    board = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV))
    # November has two audits: 2 of 4 and 3 of 3 answers meeting the standard (5 of 7).
    # October's one audit cannot show spread between audits, so it is left out.
    spread = 2 / 1 * ((2 - 5 / 7 * 4) ** 2 + (3 - 5 / 7 * 3) ** 2)
    expected = 7 * 5 / 7 * 2 / 7
    assert board.compliance_chart.widened == pytest.approx(math.sqrt(spread / expected))


def test_the_funnel_allows_for_answers_going_together_within_each_team(org, three_audits):
    # A second North Safeguarding audit, 0 of 2 meeting the standard, beside the first
    # (2 of 4: views yes, lived experience partly, overall good, wellbeing no).
    signed_off(
        org,
        "senior_practitioner",
        {"views_wishes_feelings": "no", "lived_experience": "no"},
        datetime(2026, 11, 20, 10),
    )
    board = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV))
    # Only that team has two audits: rate 2 of 6, spread 2 / 1 × ((2 − 4/3)² + (0 − 2/3)²).
    spread = 2 * ((2 - 4 / 3) ** 2 + (0 - 2 / 3) ** 2)
    assert board.funnel is not None
    assert board.funnel.dispersion == pytest.approx(spread / (6 * 1 / 3 * 2 / 3))
    assert "design effect of 1.3" in (board.funnel_svg or "")


def test_quantity_lists_who_is_overdue_from_the_sessions(org):
    # The practitioner's sessions come from the factory: last one 27 October (every 28 days).
    _session(org, "senior_practitioner", date(2026, 11, 1))
    # Coventry's profile, in force by default: every six weeks at most, managers included
    _session(org, "team_manager", date(2026, 9, 1))
    _session(org, "team_manager", date(2026, 11, 10), kind="group")  # not formal supervision
    db.session.commit()
    qa = org.people["qa_officer"]
    team = Filters(**OCT_NOV, team_id=org.teams["N1"].id)
    result = service.quantity(qa, date(2026, 11, 23), team)
    assert result.unit_label == "North Safeguarding team"
    assert [tuple(row) for row in result.by_team] == [("North Safeguarding", 2, 3, 2 / 3)]
    assert [(o.name, o.last_session, o.interval_days, o.days_overdue) for o in result.overdue] == [
        ("Team Manager", date(2026, 9, 1), 42, 41)
    ]
    october = next(p for p in result.over_time if p.period == "2026-10")
    assert (october.k, october.n) == (1, 3)  # only the practitioner was in time on 31 October
    assert len(result.over_time) == 12 and result.over_time[-1].period == "2026-11"


def test_quantity_for_a_service_manager_covers_only_their_area(org):
    result = service.quantity(org.people["service_manager"], date(2026, 11, 23))
    names = {o.name for o in result.overdue}
    assert "Practitioner South" not in names and "Team Manager South" not in names
    assert result.total.n == 6  # North: 2 team managers, 3 practitioners, the service manager
    assert result.overdue[0].days_overdue >= result.overdue[-1].days_overdue


def test_the_export_has_typed_cells_a_frozen_header_and_filters(org, three_audits):
    data = service.export_xlsx(org.people["qa_officer"], Filters(**OCT_NOV))
    book = load_workbook(io.BytesIO(data))
    summary = book["Summary"]
    values = {row[0].value: row[1] for row in summary.iter_rows(min_row=2)}
    assert values["Signed-off audits"].value == 3
    assert values["Compliance"].value == pytest.approx(7 / 11)
    assert values["Compliance"].number_format == "0.0%"
    assert isinstance(values["From"].value, datetime)
    assert values["From"].value.date() == date(2026, 10, 1)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
    periods = book["By period"]
    row = [cell.value for cell in periods[3]]
    assert row[:7] == ["Nov 2026", datetime(2026, 11, 1), datetime(2026, 11, 30), 2, 5, 7, 5 / 7]


def test_the_export_names_each_questions_themes_by_the_profiles_titles(org, three_audits):
    data = service.export_xlsx(org.people["qa_officer"], Filters(**OCT_NOV))
    rows = list(load_workbook(io.BytesIO(data))["Questions"].iter_rows(values_only=True))
    themes = {row[0]: row[3] for row in rows[1:]}
    assert themes["views_wishes_feelings"] == "The child's voice"
    assert themes["actions_smart"] == "SMART actions"


def test_the_export_for_a_service_manager_holds_only_their_area(org, three_audits):
    data = service.export_xlsx(org.people["service_manager"], Filters(**OCT_NOV))
    book = load_workbook(io.BytesIO(data))
    text = " ".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )
    assert "South" not in text
    assert "SECRET" not in text
    values = {row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=2)}
    assert values["Signed-off audits"] == 2
    assert values["Part of the service"] == "North service area"


@pytest.mark.parametrize(
    ("setting", "words"),
    [(None, "Wilson score limits"), ("exact", "exact binomial limits")],
)
def test_the_funnel_uses_the_councils_chosen_limits_and_says_which(
    app, org, three_audits, setting, words
):
    if setting:
        app.config["FUNNEL_LIMITS"] = setting
    board = service.dashboard(org.people["qa_officer"], Filters(**OCT_NOV))

    assert board.funnel is not None
    assert board.funnel.method == (setting or "wilson")
    assert words in board.funnel.method_text and words in (board.funnel_svg or "")
