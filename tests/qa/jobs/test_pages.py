"""The scheduler, outbox and retention pages: for administrators only, and "Run now" is a
CSRF-protected POST that runs the job and shows what it did."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from qa.events.models import Event
from qa.extensions import db
from qa.jobs.models import JobRun, OutboxMessage
from qa.selections.models import SelectionRun
from tests.qa.jobs.helpers import count, make_audit


def test_the_scheduler_page_shows_each_job_its_schedule_and_next_run(sign_in_as):
    page = sign_in_as("administrator").get("/scheduler")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for job_id in ("daily-selections", "daily-reminders", "monthly-retention"):
        assert f"<code>{job_id}</code>" in html
    assert "Every day at 6:00am" in html and "Every day at 6:30am" in html
    assert "On the 1st of every month at 7:00am" in html
    assert "24 November 2026 at 6:00am" in html and "1 December 2026 at 7:00am" in html
    assert "Every hour at 15 minutes past" in html and "23 November 2026 at 10:15am" in html
    assert html.count("Not run yet") == 4
    assert 'Run now<span class="govuk-visually-hidden">: Send reminders</span>' in html
    assert "No job has run yet" in html


def test_run_now_runs_the_job_and_shows_what_it_did(sign_in_as, org):
    client = sign_in_as("administrator")
    client.get("/scheduler")
    response = client.post("/scheduler/daily-selections/run", data={})
    assert response.status_code == 302 and response.headers["Location"] == "/scheduler"
    html = client.get("/scheduler").get_data(as_text=True)
    assert "Make the selections that are due: succeeded. Selections made: 5" in html
    assert "Succeeded" in html
    run = db.session.scalar(select(JobRun))
    assert run.triggered_by_id == org.people["administrator"].id and run.outcome == "ok"
    assert count(SelectionRun) == 5
    made_by = db.session.scalars(select(SelectionRun.ran_by_id)).all()
    assert set(made_by) == {org.people["administrator"].id}
    logged = db.session.scalar(select(Event).where(Event.action == "job_run_by_hand"))
    assert logged.actor_id == org.people["administrator"].id
    assert logged.detail == "daily-selections: ok"


def test_run_now_without_the_csrf_token_is_refused_and_runs_nothing(sign_in_as):
    client = sign_in_as("administrator")
    response = client.post("/scheduler/daily-selections/run", data={}, csrf=False)
    assert response.status_code == 400
    assert count(JobRun) == 0 and count(SelectionRun) == 0


def test_run_now_for_retention_goes_to_the_check_first(sign_in_as):
    client = sign_in_as("administrator")
    response = client.post("/scheduler/monthly-retention/run", data={})
    assert response.status_code == 302 and response.headers["Location"] == "/retention"
    assert count(JobRun) == 0


def test_run_now_for_a_job_that_does_not_exist_is_not_found(sign_in_as):
    response = sign_in_as("administrator").post("/scheduler/weekly-nothing/run", data={})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["qa_officer", "head_of_service", "practitioner"])
def test_only_administrators_can_see_the_scheduler_outbox_and_retention(sign_in_as, role):
    client = sign_in_as(role)
    for path in ("/scheduler", "/outbox", "/outbox/1", "/retention"):
        assert client.get(path).status_code == 403, path
    assert client.post("/scheduler/daily-selections/run", data={}).status_code == 403
    assert count(JobRun) == 0
    home = client.get("/").get_data(as_text=True)
    assert 'href="/scheduler"' not in home and 'href="/outbox"' not in home


def test_administrators_find_the_scheduler_and_outbox_in_the_navigation(sign_in_as):
    home = sign_in_as("administrator").get("/").get_data(as_text=True)
    assert 'href="/scheduler"' in home and 'href="/outbox"' in home


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get("/scheduler")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_outbox_lists_messages_newest_first_and_shows_one(sign_in_as, org):
    make_audit(org, due_on=date(2026, 11, 30))
    client = sign_in_as("administrator")
    client.get("/scheduler")
    client.post("/scheduler/daily-reminders/run", data={})
    db.session.add(
        OutboxMessage(
            event_key="older",
            to_address="someone@council.org.uk",
            subject="An older reminder",
            body="Hello",
            created_at=datetime(2026, 10, 1, 6, 30),
            status="failed",
            error="ConnectionRefusedError: [Errno 111] Connection refused",
        )
    )
    db.session.commit()
    html = client.get("/outbox").get_data(as_text=True)
    assert "E-mail is not set up" in html
    assert html.index("Audit a supervision file by 30 November 2026") < html.index(
        "An older reminder"
    )
    assert "In the outbox" in html and "Not sent yet" in html and "Connection refused" in html
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.event_key != "older"))
    page = client.get(f"/outbox/{message.id}").get_data(as_text=True)
    assert "You have been asked to audit the supervision file of Practitioner" in page
    assert client.get("/outbox/999999").status_code == 404


def test_an_empty_outbox_explains_what_will_appear(sign_in_as):
    html = sign_in_as("administrator").get("/outbox").get_data(as_text=True)
    assert "No messages yet. The daily reminders job puts a message here" in html


def test_the_outbox_has_pages(sign_in_as):
    db.session.add_all(
        OutboxMessage(
            event_key=f"message-{n}",
            to_address="someone@council.org.uk",
            subject=f"Message number {n}",
            body="Hello",
            created_at=datetime(2026, 11, 1, 6, 0, n),
            status="outbox",
            error="",
        )
        for n in range(55)
    )
    db.session.commit()
    client = sign_in_as("administrator")
    first = client.get("/outbox").get_data(as_text=True)
    assert "Message number 54" in first and "Message number 4<" not in first
    second = client.get("/outbox?page=2").get_data(as_text=True)
    assert "Messages 51 to 55 of 55" in second and "Message number 0<" in second


def _leaver_audit(org):
    org.people["practitioner_south"].leaving_date = date(2018, 6, 29)
    return make_audit(
        org,
        "practitioner_south",
        auditor="service_manager_south",
        state="signed_off",
        judgement_reason="Clear analysis",
    )


def test_the_retention_page_shows_the_dry_run_and_applies_it(sign_in_as, org):
    audit = _leaver_audit(org)
    client = sign_in_as("administrator")
    html = client.get("/retention").get_data(as_text=True)
    assert f"Audit {audit.id}: " in html and "Practitioner South, left 29 June 2018" in html
    assert "Apply the retention rules" in html
    assert db.session.get(type(audit), audit.id).judgement_reason == "Clear analysis"

    response = client.post("/retention", data={"fingerprint": _fingerprint(html)})
    assert response.status_code == 302
    html = client.get("/retention").get_data(as_text=True)
    assert "The retention rules were applied" in html
    assert "Nothing is due to be anonymised or deleted today" in html
    assert db.session.get(type(audit), audit.id).judgement_reason == (
        "Removed under the retention policy"
    )
    assert db.session.scalar(select(Event).where(Event.action == "retention_applied"))


def test_retention_is_not_applied_when_the_list_changed_since_it_was_read(sign_in_as, org):
    first = _leaver_audit(org)
    client = sign_in_as("administrator")
    read = _fingerprint(client.get("/retention").get_data(as_text=True))
    second = make_audit(org, "practitioner_south", auditor="head_south", judgement_reason="Fine")
    response = client.post("/retention", data={"fingerprint": read})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "changed while you were reading the list" in html
    assert f"Audit {second.id}: " in html
    for audit in (first, second):
        assert db.session.get(type(audit), audit.id).judgement_reason != (
            "Removed under the retention policy"
        )
    assert count(JobRun) == 0


def _fingerprint(html: str) -> str:
    marker = 'name="fingerprint" type="hidden" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]
