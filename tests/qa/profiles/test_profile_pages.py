"""The council profile pages: QA officers see the five profiles and the one in force, read a
profile's rules in words with the sections they come from, and choose one with a reason."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from audit_tools.profile import load_profile
from qa.extensions import db
from qa.profiles.models import ProfileChoice


def test_a_qa_officer_sees_the_five_profiles_and_the_one_in_force(sign_in_as):
    body = sign_in_as("qa_officer").get("/profiles/").get_data(as_text=True)
    for name in ("leicester", "havering", "blackpool", "coventry", "haringey"):
        assert escape(load_profile(name).policy) in body
    assert "Coventry supervision policy (2015) is in force" in body
    assert "the service’s setting, as no profile has been chosen" in body


def test_a_profile_is_shown_in_words_with_the_section_each_rule_comes_from(sign_in_as):
    body = sign_in_as("qa_officer").get("/profiles/coventry").get_data(as_text=True)
    assert "At least every 42 days" in body
    assert "No more than 2 months between sessions" in body
    assert "At least 10 sessions a year" in body
    assert "Coventry supervision policy (2015), section 5.2" in body
    assert 'href="/council-policies/coventry/5.2"' in body  # the section's own words
    assert "No staff member should go without" in body
    assert "Not set by the policy" in body  # recording
    assert "003_2701f8fa2326f2b4" not in body


def test_a_qa_officer_chooses_a_profile_with_a_reason(sign_in_as, org):
    client = sign_in_as("qa_officer")
    response = client.post("/profiles/leicester", data={"reason": "Leicester's guidance adopted"})
    assert response.status_code == 302
    choice = db.session.scalars(select(ProfileChoice)).one()
    assert (choice.name, choice.version, choice.reason) == (
        "leicester",
        1,
        "Leicester's guidance adopted",
    )
    assert choice.chosen_by == org.people["qa_officer"].name
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Leicester supervision practice guidance is in force" in body
    assert "Leicester&#39;s guidance adopted" in body


def test_choosing_a_profile_without_a_reason_is_refused_with_an_error(sign_in_as):
    response = sign_in_as("qa_officer").post("/profiles/havering", data={"reason": "  "})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error:" in body
    assert "Enter why the service changes to this profile" in body
    assert db.session.scalars(select(ProfileChoice)).first() is None


def test_an_unknown_profile_is_not_found(sign_in_as):
    assert sign_in_as("qa_officer").get("/profiles/york").status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        "practitioner",
        "team_manager",
        "service_manager",
        "head_of_service",
        "administrator",
    ],
)
def test_only_qa_officers_open_or_change_the_council_profile(sign_in_as, role):
    client = sign_in_as(role)
    assert client.get("/profiles/").status_code == 403
    assert client.post("/profiles/leicester", data={"reason": "Why not"}).status_code == 403
    assert db.session.scalars(select(ProfileChoice)).first() is None
