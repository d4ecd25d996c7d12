"""The access rules decided on purpose, and the README's role table held to the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from qa import access
from qa.audits import workflow
from qa.audits.models import Audit
from qa.audits.states import AuditState
from qa.events.models import Event
from qa.extensions import db
from qa.org.models import Staff
from qa.roles import Role
from qa.selections import service as selections
from qa.selections.models import SelectionRun
from qa.selections.names import names_for_run
from tests.qa.audits.helpers import make_audit
from tests.qa.audits.test_workflow import submitted_audit

README = Path(__file__).resolve().parents[3] / "README.md"
SEED = "12345678901234567890"


def signed_off_audit(sign_in_as, org) -> Audit:
    audit, _ = submitted_audit(sign_in_as, org)
    workflow.sign_off(audit, org.people["head_of_service"], "Agreed", early=True)
    return audit


def test_administrators_cannot_correct_a_signed_off_audit(sign_in_as, org):
    audit = signed_off_audit(sign_in_as, org)
    admin = sign_in_as("administrator")
    assert admin.get(f"/audits/{audit.id}/correct").status_code == 403
    assert admin.post(f"/audits/{audit.id}/correct", data={"reason": "x"}).status_code == 403
    assert "Correct this signed-off audit" not in admin.get(f"/audits/{audit.id}").get_data(
        as_text=True
    )
    with pytest.raises(workflow.AuditError):
        workflow.start_correction(audit, org.people["administrator"], "Tidying up")
    assert db.session.get(Audit, audit.id).state == AuditState.SIGNED_OFF


@pytest.mark.parametrize("who", ["qa_officer", "head_of_service"])
def test_qa_officers_and_the_areas_head_of_service_may_correct(sign_in_as, org, who):
    audit = signed_off_audit(sign_in_as, org)
    client = sign_in_as(who)
    assert client.get(f"/audits/{audit.id}/correct").status_code == 200
    response = client.post(f"/audits/{audit.id}/correct", data={"reason": "Wrong dates used"})
    assert response.status_code == 302
    assert db.session.get(Audit, audit.id).state == AuditState.IN_PROGRESS


@pytest.mark.parametrize(
    "path",
    [
        "/selections/policies",
        "/selections/policies/monthly-team-manager",
        "/audits/tools",
        "/audits/tools/upload",
        "/audits/tools/supervision-file-audit/2",
    ],
)
def test_only_qa_officers_change_policies_and_tools(sign_in_as, path):
    assert sign_in_as("administrator").get(path).status_code == 403
    assert sign_in_as("qa_officer").get(path).status_code == 200


def test_administrators_cannot_save_a_policy_version(sign_in_as):
    response = sign_in_as("administrator").post(
        "/selections/policies/monthly-team-manager", data={"title": "Changed"}
    )
    assert response.status_code == 403


def test_an_audit_reopened_after_sign_off_is_never_cancelled_for_a_reserve(org):
    head = org.people["head_of_service"]
    run, _ = selections.run_selection("quarterly-service-manager", "2026-Q4", head, None, seed=SEED)
    audit = db.session.scalar(select(Audit).where(Audit.run_id == run.id))
    audit.state = AuditState.SIGNED_OFF
    db.session.commit()
    workflow.start_correction(audit, org.people["qa_officer"], "Wrong dates used")
    assert audit.state == AuditState.IN_PROGRESS and audit.version_no == 2
    qa_officer = org.people["qa_officer"]
    assert not access.may_replace(qa_officer, audit)
    with pytest.raises(selections.SelectionError, match="stays on the record"):
        selections.replace_file(audit, "Worker left", qa_officer)
    assert db.session.get(Audit, audit.id).state == AuditState.IN_PROGRESS


def test_opening_a_section_of_an_audit_not_started_changes_nothing(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    before = db.session.scalar(select(db.func.count(Event.id)))
    response = client.get(f"/audits/{audit.id}/sections/childs_voice")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/audits/{audit.id}"
    )
    db.session.expire_all()
    found = db.session.get(Audit, audit.id)
    assert found.state == AuditState.SELECTED and found.tool_version is None
    assert db.session.scalar(select(db.func.count(Event.id))) == before
    client.post(f"/audits/{audit.id}/start", data={})
    db.session.expire_all()
    assert db.session.get(Audit, audit.id).state == AuditState.IN_PROGRESS


def test_draws_stored_before_they_kept_their_kind_still_read_and_verify(org):
    manager = org.people["service_manager"]
    run, _ = selections.run_selection("monthly-team-manager", "2026-11", manager, None, seed=SEED)
    stored = run.draw_list
    assert [d["kind"] for d in stored] == ["team_manager", "workload"]
    chosen = stored[1]["subject"]
    assert stored[1]["label"] == f"file from {chosen}"
    names_now = names_for_run(run)
    for d in stored:  # as a run made before draws kept their kind was written
        del d["kind"], d["subject"]
    run.draws = json.dumps(stored)
    db.session.commit()
    old = db.session.get(SelectionRun, run.id)
    assert [(d.kind, d.subject) for d in old.draw_records] == [
        ("team_manager", ""),
        ("workload", chosen),
    ]
    assert names_for_run(old) == names_now and chosen in names_now
    assert selections.verify_run(old).matches


# -- The README's table of who may do what ---------------------------------------------------

ROLE_COLUMNS = {
    "Practitioner": Role.PRACTITIONER,
    "Team manager": Role.TEAM_MANAGER,
    "Service manager": Role.SERVICE_MANAGER,
    "Head of service": Role.HEAD_OF_SERVICE,
    "QA officer": Role.QA_OFFICER,
    "Administrator": Role.ADMINISTRATOR,
}
CAPABILITIES = {
    "Browse the organisation": access.may_browse_organisation,
    "Complete audits given to them": access.has_audits_to_do,
    "Sign off or return audits, by each policy's sign-off rule": access.has_sign_off_queue,
    "Moderate audits": access.may_moderate,
    "See selection runs": access.may_see_selections,
    "See trends and quantity": access.may_see_trends,
    "See how often cases are discussed: their own, or their part of the service": (
        access.may_see_case_discussions
    ),
    "See themes and the self-evaluation": access.may_see_themes,
    "Make reports and spreadsheets": access.may_use_reports,
    "Change sampling policies": access.may_manage_policies,
    "Choose or change the council profile": access.may_manage_profiles,
    "Upload, change, preview and print audit tools": access.may_manage_tools,
    "Read the event log": access.may_read_event_log,
    "Import staff, sessions and agreements": access.may_import,
    "Run the scheduler, read the outbox, apply retention": access.may_manage_jobs,
}


def readme_table() -> dict[str, dict[str, bool]]:
    text = README.read_text()
    start = text.index("| may | ")
    lines = []
    for line in text[start:].splitlines():
        if not line.startswith("|"):
            break
        lines.append(line)
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = {header[i]: cells[i] == "yes" for i in range(1, len(header))}
    return table


def person(org, role: Role) -> Staff:
    key = {Role.PRACTITIONER: "practitioner"}.get(role, role.value)
    return org.people[key]


def test_the_readme_role_table_says_exactly_what_the_code_allows(org):
    table = readme_table()
    assert set(table) == set(CAPABILITIES), "the README's rows and the capabilities differ"
    wrong = [
        f"{row}, {column}: README says {'yes' if said else 'no'}"
        for row, columns in table.items()
        for column, said in columns.items()
        if CAPABILITIES[row](person(org, ROLE_COLUMNS[column])) != said
    ]
    assert not wrong, "\n".join(wrong)


def test_every_role_level_capability_is_in_the_readme_table():
    role_level = {
        name
        for name in access.__all__
        if name.startswith(("may_", "has_"))
        and re.fullmatch(r"\(user: Staff\) -> bool", _signature(getattr(access, name)))
    }
    assert role_level == {f.__name__ for f in CAPABILITIES.values()}


def _signature(function) -> str:
    import inspect

    return str(inspect.signature(function)).replace("'", "")


# -- Old links after the audit moved on (Back, a second tab) ---------------------------------


def test_the_auditors_old_links_after_submit_show_where_the_audit_stands(sign_in_as, org):
    audit, auditor = submitted_audit(sign_in_as, org)
    for path in ("sections/childs_voice", "check"):
        response = auditor.get(f"/audits/{audit.id}/{path}", follow_redirects=True)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "is waiting for sign-off, so it can no longer be changed" in page
        assert "You do not have permission" not in page
    resubmit = auditor.post(f"/audits/{audit.id}/check", data={"judgement": "good"})
    assert resubmit.status_code == 302
    assert db.session.get(Audit, audit.id).state == AuditState.SUBMITTED


def test_the_heads_second_tab_after_sign_off_says_who_signed_and_when(sign_in_as, org):
    audit, _ = submitted_audit(sign_in_as, org)
    head = sign_in_as("head_of_service")
    head.get(f"/audits/{audit.id}/sign-off")
    head.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "sign_off", "grade_agreed": "yes", "early": "y", "comment": "Fine"},
    )
    again = head.get(f"/audits/{audit.id}/sign-off", follow_redirects=True)
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    name = org.people["head_of_service"].name
    assert f"This audit was signed off by {name} on" in page
    late = head.post(
        f"/audits/{audit.id}/sign-off", data={"decision": "return", "comment": "Second tab"}
    )
    assert late.status_code == 302
    assert db.session.get(Audit, audit.id).state == AuditState.SIGNED_OFF


def test_people_who_never_could_are_still_refused_after_the_audit_moves_on(sign_in_as, org):
    audit, _ = submitted_audit(sign_in_as, org)
    assert sign_in_as("head_of_service").get(f"/audits/{audit.id}/check").status_code == 403
    assert sign_in_as("qa_officer").get(f"/audits/{audit.id}/sign-off").status_code == 403
