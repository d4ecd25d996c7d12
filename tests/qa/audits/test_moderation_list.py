"""The moderation page lists the audits to choose from 50 a page with filters, and several
can be chosen at once; a refusal names each file and chooses none."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from qa.audits.models import Moderation
from qa.extensions import db
from tests.qa.audits.helpers import make_audit


def submitted(org, supervisee, auditor="service_manager", state="submitted"):
    audit = make_audit(org, auditor=auditor, supervisee=supervisee)
    audit.state, audit.submitted_at = state, datetime(2026, 11, 10, 9)
    db.session.commit()
    return audit


def caption(body: str) -> str:
    found = re.search(
        r"<caption[^>]*>\s*([^<]+?)\s*</caption>", body[body.index('id="candidates"') :]
    )
    return found.group(1) if found else ""


def moderations() -> int:
    return db.session.scalar(select(func.count(Moderation.id))) or 0


def test_the_candidates_are_filtered_and_counted(org, sign_in_as):
    submitted(org, "practitioner")
    submitted(org, "practitioner_n2", state="signed_off")
    submitted(org, "practitioner_south", auditor="service_manager_south")
    qa = sign_in_as("qa_officer")
    assert caption(qa.get("/moderation/").get_data(as_text=True)).startswith("3 audits")
    body = qa.get(f"/moderation/?area={org.areas['South'].id}").get_data(as_text=True)
    assert caption(body).startswith("1 audit ")
    body = qa.get("/moderation/?state=signed_off").get_data(as_text=True)
    assert caption(body).startswith("1 audit ")
    body = qa.get("/moderation/?q=n2").get_data(as_text=True)
    assert caption(body).startswith("1 audit ")


def test_an_audit_the_officer_completed_is_not_offered(org, sign_in_as):
    submitted(org, "practitioner", auditor="qa_officer")
    body = sign_in_as("qa_officer").get("/moderation/").get_data(as_text=True)
    assert "Every submitted audit is already being moderated" in body


def test_a_bad_filter_is_explained(org, sign_in_as):
    response = sign_in_as("qa_officer").get("/moderation/?period=soon")
    assert response.status_code == 400
    assert "Enter the period as a year (2026)" in response.get_data(as_text=True)


def test_several_audits_are_chosen_at_once(org, sign_in_as):
    first = submitted(org, "practitioner")
    second = submitted(org, "practitioner_n2")
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    response = qa.post("/moderation/choose", data={"audit": [str(first.id), str(second.id)]})
    assert response.status_code == 302
    assert moderations() == 2
    assert "2 audits chosen for moderation" in qa.get("/moderation/").get_data(as_text=True)


def test_one_audit_chosen_goes_straight_to_scoring(org, sign_in_as):
    audit = submitted(org, "practitioner")
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    response = qa.post("/moderation/choose", data={"audit": [str(audit.id)]})
    moderation = db.session.scalar(select(Moderation))
    assert response.headers["Location"].endswith(f"/moderation/{moderation.id}")


@pytest.mark.parametrize("chosen", [[], ["abc"], ["99999"]])
def test_choosing_nothing_or_what_does_not_exist_chooses_nothing(org, sign_in_as, chosen):
    submitted(org, "practitioner")
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    qa.post("/moderation/choose", data={"audit": chosen})
    assert moderations() == 0
    body = qa.get("/moderation/").get_data(as_text=True)
    assert "Select the audits you want to moderate" in body or "no longer exists" in body


def test_a_refusal_names_the_file_and_chooses_none(org, sign_in_as):
    fine = submitted(org, "practitioner")
    own = submitted(org, "practitioner_n2", auditor="qa_officer")
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    qa.post("/moderation/choose", data={"audit": [str(fine.id), str(own.id)]})
    assert moderations() == 0
    body = qa.get("/moderation/").get_data(as_text=True)
    assert "Practitioner N2’s file: you cannot moderate an audit you completed" in body.replace(
        "&#39;", "’"
    ).replace("'", "’")


def test_only_quality_assurance_officers_choose(org, sign_in_as):
    audit = submitted(org, "practitioner")
    head = sign_in_as("head_of_service")
    assert head.post("/moderation/choose", data={"audit": [str(audit.id)]}).status_code == 403
    assert moderations() == 0
