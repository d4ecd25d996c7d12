"""The audits list: filters in the address, a page at a time, and bad filters explained."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from qa.audits.listing import AuditFilters, audit_count, read_filters
from qa.audits.models import Audit
from qa.extensions import db
from tests.qa.audits.helpers import make_audit


def caption(client, query: str) -> str:
    response = client.get(f"/audits/list{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    found = re.search(r"<caption[^>]*>\s*([^<]+?)\s*</caption>", response.get_data(as_text=True))
    return found.group(1) if found else ""


def audit(
    org,
    supervisee,
    state="selected",
    created=datetime(2026, 11, 1, 6),
    due=date(2026, 11, 30),
    auditor="service_manager",
):
    made = make_audit(org, auditor=auditor, supervisee=supervisee)
    made.state, made.created_at, made.due_on = state, created, due
    db.session.commit()
    return made


@pytest.fixture
def audits(org):
    return [
        audit(org, "practitioner", "selected", due=date(2026, 11, 20)),  # overdue
        audit(org, "senior_practitioner", "in_progress"),
        audit(org, "practitioner_n2", "submitted"),
        audit(org, "team_manager", "signed_off", created=datetime(2026, 8, 3, 6)),
        audit(org, "practitioner_south", "cancelled", auditor="service_manager_south"),
    ]


def test_each_stage_counts_its_audits_and_every_later_one(org, audits):
    qa = org.people["qa_officer"]
    counts = {
        s: audit_count(qa, AuditFilters(state=s))
        for s in (
            "drawn",
            "started",
            "submitted",
            "signed_off",
            "cancelled",
            "waiting",
            "not_started",
        )
    }
    assert counts == {
        "drawn": 4,
        "started": 3,
        "submitted": 2,
        "signed_off": 1,
        "cancelled": 1,
        "waiting": 1,
        "not_started": 1,
    }


def test_overdue_is_an_open_audit_past_its_due_date(org, audits):
    qa = org.people["qa_officer"]
    assert audit_count(qa, AuditFilters(overdue=True)) == 1


def test_a_period_picks_the_audits_drawn_in_it(org, audits):
    qa = org.people["qa_officer"]
    assert audit_count(qa, AuditFilters(period="2026-Q4")) == 4
    assert audit_count(qa, AuditFilters(period="2026-08")) == 1
    assert audit_count(qa, AuditFilters(period="2026")) == 5
    assert audit_count(qa, AuditFilters(period="2025")) == 0


def test_area_team_auditor_and_name_narrow_the_list(org, audits):
    qa = org.people["qa_officer"]
    assert audit_count(qa, AuditFilters(area=org.areas["South"].id)) == 1
    assert audit_count(qa, AuditFilters(team=org.teams["N2"].id)) == 1
    assert audit_count(qa, AuditFilters(auditor=org.people["service_manager_south"].id)) == 1
    assert audit_count(qa, AuditFilters(q="senior")) == 1
    assert audit_count(qa, AuditFilters(q="south")) == 1  # the auditor's name too
    assert audit_count(qa, AuditFilters(q="100%")) == 0


def test_a_head_of_service_sees_their_own_area_only(org, audits):
    head = org.people["head_of_service"]
    assert audit_count(head, AuditFilters()) == 4
    _, problems = read_filters(head, {"area": str(org.areas["South"].id)})
    assert [p.message for p in problems] == ["Choose a service area from the list"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=last+year", "Enter the period as a year (2026)"),
        ("?period=2026-Q5", "Enter the period as a year (2026)"),
        ("?state=lost", "Choose a stage from the list"),
        ("?policy=nonsense", "Choose a policy from the list"),
        ("?area=abc", "Choose a service area from the list"),
        ("?team=99999999999999", "Choose a team from the list"),
        ("?auditor=0", "Choose an auditor from the list"),
        ("?overdue=maybe", "Tick overdue only or leave it blank"),
        ("?sort=sideways", "Choose an order from the list"),
        ("?q=" + "x" * 101, "Enter a name of 100 characters or fewer"),
    ],
)
def test_a_bad_filter_is_explained_never_a_server_error(sign_in_as, audits, query, message):
    response = sign_in_as("qa_officer").get(f"/audits/list{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    assert "<title>Error: Audits" in body
    assert "There is a problem with the filters" in body


def test_the_list_shows_fifty_a_page_and_keeps_its_filters(org, sign_in_as):
    for _ in range(53):
        audit(org, "practitioner", "in_progress")
    client = sign_in_as("qa_officer")
    assert caption(client, "?state=started").startswith("1 to 50 of 53 audits")
    body = client.get("/audits/list?state=started").get_data(as_text=True)
    assert "/audits/list?state=started&amp;page=2" in body
    assert caption(client, "?state=started&page=2").startswith("51 to 53 of 53 audits")
    assert caption(client, "?state=started&page=9").startswith("51 to 53 of 53 audits")


def test_a_practitioner_sees_only_the_shared_audit_of_their_own_file(org, sign_in_as, audits):
    client = sign_in_as("practitioner_n2")
    assert caption(client, "").startswith("1 audit")
    assert db.session.get(Audit, audits[0].id) is not None


def test_the_spreadsheet_download_carries_the_lists_filters(org, audits, sign_in_as):
    from io import BytesIO

    from openpyxl import load_workbook

    for made in audits[:4]:
        made.tool_version = 2
    db.session.commit()
    client = sign_in_as("qa_officer")
    body = client.get("/audits/list?state=submitted").get_data(as_text=True)
    assert "/reports/audit-answers.xlsx?state=submitted" in body
    response = client.get("/reports/audit-answers.xlsx?state=submitted")
    sheet = load_workbook(BytesIO(response.data)).active
    audit_ids = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert audit_ids == {audits[2].id, audits[3].id}


def test_a_spreadsheet_asked_for_with_a_bad_filter_goes_back_to_the_list_to_explain(
    org, sign_in_as
):
    response = sign_in_as("qa_officer").get("/reports/audit-answers.xlsx?period=soon")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/audits/list?period=soon")


def test_a_team_manager_sees_their_own_audits_and_their_teams_once_submitted(org, audits):
    manager = org.people["team_manager"]
    assert audit_count(manager, AuditFilters()) == 1  # the audit of their own file
    audits[0].state = "submitted"  # the practitioner's, in their team
    db.session.commit()
    assert audit_count(manager, AuditFilters()) == 2
