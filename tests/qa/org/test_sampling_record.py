"""Coventry 9.2: the audit of a supervisee's file is recorded in their supervisor's own
supervision file, listed on its page and in the prompt for the supervisor's next session."""

from __future__ import annotations

import html
from datetime import date, datetime

import pytest

from qa.audits.models import Audit
from qa.extensions import db
from qa.org.models import SupervisionSession
from qa.profiles.service import use_profile
from tests.qa.audits.helpers import complete, make_audit

QUOTE = (
    "the expectation is that the supervisor's line manager will record the sampling in the "
    "supervisor's own supervision records"
)


def submitted(sign_in_as, org, supervisee: str = "practitioner") -> Audit:
    """An audit of `supervisee`'s file, done by the service manager and submitted."""
    audit = make_audit(org, supervisee=supervisee)
    client = sign_in_as("service_manager")
    complete(client, audit.id)
    client.get(f"/audits/{audit.id}/check")
    response = client.post(
        f"/audits/{audit.id}/check",
        data={
            "lock_version": str(db.session.get(Audit, audit.id).lock_version),
            "judgement": "outstanding",
            "reason": "",
        },
    )
    assert response.status_code == 302
    return db.session.get(Audit, audit.id)


def session_on(org, key: str, held_on: date) -> None:
    own_file = org.file_of(key)
    db.session.add(
        SupervisionSession(
            file=own_file,
            supervisor=own_file.supervisor,
            held_on=held_on,
            kind="case",
            recorded_on=held_on,
            signed_by_supervisor_on=held_on,
            signed_by_supervisee_on=held_on,
        )
    )
    db.session.commit()


def page(sign_in_as, who: str, org, key: str = "team_manager") -> tuple[int, str]:
    response = sign_in_as(who).get(f"/organisation/files/{org.file_of(key).id}")
    return response.status_code, html.unescape(response.get_data(as_text=True))


def test_the_supervisors_file_lists_the_audit_of_their_supervisees_file(sign_in_as, org):
    submitted(sign_in_as, org)
    status, body = page(sign_in_as, "service_manager", org)
    assert status == 200
    listing = body[body.index("Audits of the files Team Manager supervises") :]
    assert "Practitioner" in listing and "Waiting for sign-off" in listing
    assert "Outstanding" in listing
    assert QUOTE in listing
    assert "Coventry supervision policy (2015), section 9.2" in listing


def test_the_next_session_prompt_lists_audits_completed_since_the_last_session(sign_in_as, org):
    audit = submitted(sign_in_as, org)
    session_on(org, "team_manager", date(2026, 11, 2))
    _, body = page(sign_in_as, "service_manager", org)
    prompt = body[body.index("For your next supervision") : body.index("Supervision agreement")]
    assert "1 audit of the files Team Manager supervises was completed since the last" in (
        " ".join(prompt.split())
    )
    assert "2 November 2026" in prompt and f"/audits/{audit.id}" in prompt
    assert "completed on 23 November 2026: outstanding" in " ".join(prompt.split())

    session_on(org, "team_manager", date(2026, 11, 23))
    audit.submitted_at = datetime(2026, 11, 20, 10)
    db.session.commit()
    _, body = page(sign_in_as, "service_manager", org)
    prompt = body[body.index("For your next supervision") : body.index("Supervision agreement")]
    assert "No audit of a file Team Manager supervises has been completed since" in (
        " ".join(prompt.split())
    )
    assert "Practitioner" in body[body.index("Audits of the files") :]


def test_the_supervisor_sees_the_audit_on_their_own_file_only_once_it_is_submitted(sign_in_as, org):
    audit = make_audit(org)
    sign_in_as("service_manager").post(f"/audits/{audit.id}/start", data={})
    _, own = page(sign_in_as, "team_manager", org)
    assert "None of the files Team Manager supervises has been audited" in own
    _, manager = page(sign_in_as, "service_manager", org)
    assert "In progress" in manager[manager.index("Audits of the files") :]


@pytest.mark.parametrize("who", ["practitioner", "team_manager_n2", "head_south"])
def test_only_those_who_may_see_the_supervisors_file_see_its_sampling_record(sign_in_as, org, who):
    submitted(sign_in_as, org)
    status, body = page(sign_in_as, who, org)
    assert status == 404
    assert "Audits of the files" not in body


@pytest.mark.parametrize(
    "who", ["team_manager", "service_manager", "head_of_service", "qa_officer"]
)
def test_the_supervisor_their_line_managers_and_qa_see_the_record(sign_in_as, org, who):
    submitted(sign_in_as, org)
    status, body = page(sign_in_as, who, org)
    assert status == 200
    assert "Practitioner" in body[body.index("Audits of the files") :]


def test_a_file_of_someone_who_supervises_nobody_has_no_sampling_record(sign_in_as, org):
    _, body = page(sign_in_as, "team_manager", org, key="practitioner")
    assert "For your next supervision" not in body and "Audits of the files" not in body


def test_where_the_profile_in_force_is_silent_the_page_says_so(sign_in_as, org):
    submitted(sign_in_as, org)
    use_profile("leicester", "Quinn Officer", "Leicester's guidance now applies")
    _, body = page(sign_in_as, "service_manager", org)
    assert QUOTE not in body
    assert "The council's policy does not say where the sampling of a supervisor's files" in body
