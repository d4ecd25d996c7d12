"""In the supervision file audit: the supervisee's cases for the period audited, whether each
was discussed within its interval, and the suggested answer to "Were the supervisee's cases
discussed as often as the policy requires?" with the policy's words, which the auditor
confirms or changes with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from audit_tools.case_rules import PeriodCase, suggest_answer
from qa.audits.models import AuditAnswer
from qa.audits.tools import get_tool
from qa.extensions import db
from tests.qa.audits.helpers import answer_section, make_audit
from tests.qa.cases.helpers import add_case

QUESTION = "cases_discussed_often_enough"


@pytest.fixture
def cases(app, org):
    p, tm = org.people["practitioner"], org.people["team_manager"]
    add_case(
        "104001",
        [(date(2026, 9, 1), p)],
        [(date(2026, 9, 1), "child_protection")],
        [(day, p, tm) for day in (date(2026, 9, 20), date(2026, 10, 15), date(2026, 11, 10))],
    )
    add_case(
        "104002",
        [(date(2026, 4, 1), p)],
        [(date(2026, 4, 1), "child_in_need")],
        [(date(2026, 5, 1), p, tm), (date(2026, 7, 15), p, tm)],
    )
    add_case(
        "999001", [(date(2026, 9, 1), org.people["practitioner_n2"])], [(date(2026, 9, 1), "adult")]
    )
    db.session.commit()


def answers(audit_id: int) -> dict[str, AuditAnswer]:
    return {
        a.question_key: a
        for a in db.session.scalars(select(AuditAnswer).where(AuditAnswer.audit_id == audit_id))
    }


def test_the_audit_suggests_the_answer_from_the_cases_with_the_policys_words(
    app, sign_in_as, org, cases
):
    app.config["COUNCIL_PROFILE"] = "leicester"
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    row = answers(audit.id)[QUESTION]
    assert row.prefilled == row.answer == "partly"
    assert row.prefill_reason.startswith(
        "1 of 2 cases the supervisee held in the audit period were discussed within the "
        "interval their status requires; late: 104002 (103 days late at most). "
    )
    assert (
        "Leicester supervision practice guidance, section 3.1: “All cases should be discussed "
        "within supervision within four weeks of allocation or transfer of Keyworker.”; "
        "“Where a child is the subject of a ‘Child Protection’ plan the Keyworker should "
        "receive case supervision on a four weekly basis (minimum frequency).”"
    ) in row.prefill_reason
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "The supervisee&#39;s cases" in page or "The supervisee's cases" in page
    assert "104001" in page and "Discussed within its interval" in page
    assert "104002" in page and "Late: 103 days past 12 August 2026" in page
    assert "999001" not in page  # another worker's case
    section = client.get(f"/audits/{audit.id}/sections/frequency_timeliness")
    text = section.get_data(as_text=True)
    assert "Were the supervisee" in text and "Suggested from the imported" in text


def test_changing_the_suggested_case_answer_needs_a_reason(app, sign_in_as, org, cases):
    app.config["COUNCIL_PROFILE"] = "leicester"
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    section = get_tool("supervision-file-audit").section("frequency_timeliness")
    response = answer_section(client, audit.id, section, answer="yes", comment="")
    assert response.status_code == 400
    assert f'href="#comment_{QUESTION}"' in response.get_data(as_text=True)
    response = answer_section(client, audit.id, section, answer="yes", comment="Seen on file")
    assert response.status_code == 302
    assert answers(audit.id)[QUESTION].answer == "yes"
    assert answers(audit.id)[QUESTION].prefilled == "partly"


def test_no_answer_is_suggested_where_the_policy_sets_no_interval(app, sign_in_as, org, cases):
    audit = make_audit(org)  # Coventry, in force by default, sets none
    client = sign_in_as("service_manager")
    client.post(f"/audits/{audit.id}/start", data={})
    assert QUESTION not in answers(audit.id)
    page = client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "sets no interval for these cases, so no answer is suggested" in page


def test_a_supervisee_without_cases_gets_no_suggestion(app, sign_in_as, org):
    app.config["COUNCIL_PROFILE"] = "leicester"
    audit = make_audit(org)
    sign_in_as("service_manager").post(f"/audits/{audit.id}/start", data={})
    assert QUESTION not in answers(audit.id)


def test_the_suggestion_is_yes_partly_or_no_by_the_cases_within():
    within = PeriodCase("1", ("child_in_need",), (), (), True)
    unjudged = PeriodCase("3", ("adult",), (), (), False)
    assert suggest_answer([]) is None and suggest_answer([unjudged]) is None
    answer, reason = suggest_answer([within, unjudged])  # type: ignore[misc]
    assert answer == "yes" and reason.startswith("1 of 1 case the supervisee held")
