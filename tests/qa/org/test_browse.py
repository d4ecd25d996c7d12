"""The organisation browser and the access policy behind it."""

from __future__ import annotations

import pytest


def test_service_manager_sees_only_their_area(sign_in_as, org):
    client = sign_in_as("service_manager")
    body = client.get("/organisation/").get_data(as_text=True)
    assert "North" in body and "South" not in body
    assert client.get(f"/organisation/areas/{org.areas['South'].id}").status_code == 404


def test_qa_officer_sees_every_area(sign_in_as, org):
    body = sign_in_as("qa_officer").get("/organisation/").get_data(as_text=True)
    assert "North" in body and "South" in body


def test_team_manager_opens_a_file_in_their_team(sign_in_as, org):
    client = sign_in_as("team_manager")
    response = client.get(f"/organisation/files/{org.file_of('practitioner').id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 September 2026" in body
    assert "Supervision agreement" in body


def test_team_manager_cannot_open_a_file_outside_their_team_by_changing_the_id(sign_in_as, org):
    client = sign_in_as("team_manager")
    for other in ("practitioner_n2", "practitioner_south"):
        assert client.get(f"/organisation/files/{org.file_of(other).id}").status_code == 404
        assert client.get(f"/organisation/people/{org.people[other].id}").status_code == 404
    assert client.get(f"/organisation/teams/{org.teams['S1'].id}").status_code == 404


def test_practitioner_sees_their_own_file_and_nobody_else(sign_in_as, org):
    client = sign_in_as("practitioner")
    assert client.get(f"/organisation/files/{org.file_of('practitioner').id}").status_code == 200
    assert (
        client.get(f"/organisation/files/{org.file_of('senior_practitioner').id}").status_code
        == 404
    )
    assert client.get("/organisation/").status_code == 403


def test_supervisor_sees_the_files_they_hold(sign_in_as, org):
    client = sign_in_as("service_manager")
    assert client.get(f"/organisation/files/{org.file_of('team_manager').id}").status_code == 200


@pytest.mark.parametrize(
    ("role", "team", "status"),
    [
        ("head_of_service", "N1", 200),
        ("head_of_service", "S1", 404),
        ("service_manager_south", "S1", 200),
        ("service_manager_south", "N2", 404),
        ("team_manager_n2", "N1", 404),
        ("administrator", "S1", 200),
    ],
)
def test_team_pages_follow_the_access_policy(sign_in_as, org, role, team, status):
    assert sign_in_as(role).get(f"/organisation/teams/{org.teams[team].id}").status_code == status


def test_team_page_lists_people_and_line_managers(sign_in_as, org):
    body = (
        sign_in_as("team_manager")
        .get(f"/organisation/teams/{org.teams['N1'].id}")
        .get_data(as_text=True)
    )
    assert "Practitioner" in body and "Senior Practitioner" in body
