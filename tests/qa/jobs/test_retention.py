"""Retention: the dry run lists and changes nothing; applying changes exactly what it listed,
in one transaction, and the event log records it."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from qa.actions.models import Action
from qa.audits.models import Audit, AuditAmendment, AuditAnswer, Reply, StoredDocument
from qa.events.models import Event
from qa.extensions import db
from qa.jobs import retention
from qa.jobs.models import AnonymisedRecord, JobRun, OutboxMessage
from qa.jobs.retention_rules import RetentionRulesError
from qa.jobs.service import run_job
from tests.qa.jobs.helpers import count, make_action, make_audit

REMOVED = "Removed under the retention policy"


@pytest.fixture
def records(app, org):
    """A leaver's audit (they left in 2018) with everything written on it, a current
    member of staff's audit, and old and new messages, events and job runs."""
    org.people["practitioner_south"].leaving_date = date(2018, 6, 29)
    leaver = make_audit(
        org,
        "practitioner_south",
        auditor="service_manager_south",
        state="signed_off",
        due_on=date(2018, 5, 31),
        judgement_reason="Good reflective practice throughout",
        sign_off_comment="Agreed with the auditor",
        version_no=2,
    )
    current = make_audit(org, judgement_reason="The child's voice is clear")
    for audit in (leaver, current):
        db.session.add(
            AuditAnswer(audit_id=audit.id, question_key="child_voice", answer="yes", comment="Seen")
        )
    db.session.add(
        Reply(
            audit_id=leaver.id,
            staff_id=org.people["practitioner_south"].id,
            kind="responded",
            text="I disagree with the second point",
            at=datetime(2018, 6, 1),
        )
    )
    db.session.add(
        AuditAmendment(
            audit_id=leaver.id,
            version_no=1,
            reason="The wrong answer was recorded for child voice",
            snapshot=json.dumps(
                {
                    "version_no": 1,
                    "answers": {"child_voice": ["no", "Not seen at the first look"]},
                    "computed_grade": "good",
                    "judgement_reason": "First thoughts",
                    "overall_score": 0.8,
                }
            ),
            created_at=datetime(2018, 6, 2),
        )
    )
    db.session.add(
        StoredDocument(
            kind="audit",
            subject_id=leaver.id,
            filename="audit.pdf",
            content=b"%PDF-",
            sha256="0" * 64,
            created_at=datetime(2018, 6, 3),
        )
    )
    make_action(org, leaver, owner="team_manager_south", due_on=date(2018, 7, 1))
    old_message, new_message = (
        OutboxMessage(
            event_key=key,
            to_address="someone@council.org.uk",
            subject="Reminder",
            body="Hello",
            created_at=at,
            status="sent",
            error="",
        )
        for key, at in (("old", datetime(2024, 1, 5)), ("new", datetime(2026, 1, 5)))
    )
    old_event, new_event = (
        Event(at=at, action="audit_viewed", subject_type="audit", subject_id=1, detail="")
        for at in (datetime(2019, 1, 5), datetime(2026, 1, 5))
    )
    old_run = JobRun(
        job_id="daily-reminders", started_at=datetime(2023, 3, 1), outcome="ok", detail=""
    )
    db.session.add_all([old_message, new_message, old_event, new_event, old_run])
    db.session.commit()
    return {
        "leaver": leaver.id,
        "current": current.id,
        "old_message": old_message.id,
        "old_event": old_event.id,
        "old_run": old_run.id,
    }


def _listed(report) -> dict[str, list[int]]:
    return {r.rule.key: r.ids for r in report.reports}


def test_the_dry_run_lists_what_is_due_and_changes_nothing(app, org, records):
    report = retention.plan()
    assert _listed(report) == {
        "audits-of-leavers": [records["leaver"]],
        "outbox": [records["old_message"]],
        "job-runs": [records["old_run"]],
        "event-log": [records["old_event"]],
        "closed-cases": [],
    }
    [item] = report.reports[0].items
    assert "Practitioner South, left 29 June 2018" in item.description
    # Coventry, the profile in force, keeps a leaver's records two years (8.12)
    assert report.reports[0].reach == "supervisee left on or before 23 November 2024"
    assert count(OutboxMessage) == 2 and count(Event) == 2 and count(JobRun) == 1
    leaver = db.session.get(Audit, records["leaver"])
    assert leaver.judgement_reason == "Good reflective practice throughout"
    assert count(AnonymisedRecord) == 0


def test_applying_changes_exactly_what_the_dry_run_listed_and_logs_it(app, org, records):
    listed = _listed(retention.plan())
    admin = org.people["administrator"]
    applied = retention.apply(admin)
    assert _listed(applied) == listed
    db.session.expire_all()

    leaver = db.session.get(Audit, records["leaver"])
    assert leaver.judgement_reason == REMOVED and leaver.sign_off_comment == REMOVED
    assert leaver.returned_reason == "" and leaver.state == "signed_off"
    answers = db.session.scalars(select(AuditAnswer).where(AuditAnswer.audit_id == leaver.id))
    assert [(a.answer, a.comment) for a in answers] == [("yes", REMOVED)]
    assert db.session.scalar(select(Reply.text)) == REMOVED
    action = db.session.scalar(select(Action).where(Action.audit_id == leaver.id))
    assert action.description == REMOVED
    amendment = db.session.scalar(select(AuditAmendment))
    snapshot = json.loads(amendment.snapshot)
    assert snapshot["answers"] == {"child_voice": ["no", REMOVED]}
    assert snapshot["judgement_reason"] == REMOVED and snapshot["computed_grade"] == "good"
    assert amendment.reason == REMOVED
    assert count(StoredDocument) == 0
    assert retention.anonymised_audit_ids([leaver.id, records["current"]]) == {leaver.id}

    current = db.session.get(Audit, records["current"])
    assert current.judgement_reason == "The child's voice is clear"
    assert db.session.scalar(
        select(AuditAnswer.comment).where(AuditAnswer.audit_id == current.id)
    ) == ("Seen")

    assert db.session.get(OutboxMessage, records["old_message"]) is None
    assert count(OutboxMessage) == 1 and count(JobRun) == 0
    assert db.session.get(Event, records["old_event"]) is None
    logged = db.session.scalar(select(Event).where(Event.action == "retention_applied"))
    assert logged.actor_id == admin.id
    assert f"audits-of-leavers: 1 anonymised (audits {leaver.id})" in logged.detail
    assert "outbox: 1 deleted" in logged.detail

    assert retention.plan().total == 0


def test_the_monthly_job_applies_the_rules(app, org, records):
    run = run_job("monthly-retention")
    assert run.outcome == "ok"
    assert run.detail == (
        "Audits of a leaver's supervision file anonymised: 1, closed cases deleted: 0, "
        "e-mail messages deleted: 1, scheduler job runs deleted: 1, event log entries deleted: 1"
    )
    assert retention.plan().total == 0


def test_a_council_can_delete_leavers_audits_instead(app, org, records, tmp_path):
    rules = tmp_path / "retention.yaml"
    rules.write_text(
        "version: 2\n"
        "rules:\n"
        "  - key: leavers\n"
        "    records: audits_of_leavers\n"
        "    keep_years: 3\n"
        "    then: delete\n"
        "    documents: [audit]\n"
        "    basis: Havering, section 9, three years after leaving\n"
    )
    app.config["RETENTION_FILE"] = str(rules)
    replacement = make_audit(org, "practitioner_n2", replaces_id=records["leaver"])
    report = retention.apply(None)
    assert _listed(report) == {"leavers": [records["leaver"]]}
    assert db.session.get(Audit, records["leaver"]) is None
    assert count(AuditAnswer) == 1 and count(Reply) == 0 and count(Action) == 0
    assert count(AuditAmendment) == 0 and count(StoredDocument) == 0
    assert db.session.get(Audit, replacement.id).replaces_id is None
    assert count(OutboxMessage) == 2  # no rule for messages in this council's file
    assert "version 2" in db.session.scalar(
        select(Event.detail).where(Event.action == "retention_applied")
    )


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        ("rules: []\n", "give the rules a version"),
        ("version: 1\nrules:\n  - key: x\n    records: staff\n", "records must be one of"),
        (
            "version: 1\nrules:\n  - key: x\n    records: events\n    keep_years: 7\n"
            "    then: anonymise\n",
            "rule x: then must be delete",
        ),
        (
            "version: 1\nrules:\n  - key: x\n    records: events\n    keep_years: 0\n"
            "    then: delete\n",
            "keep_years must be a whole number",
        ),
        (
            "version: 1\nrules:\n  - key: x\n    records: events\n    keep_years: 7\n"
            "    then: delete\n    keep_months: 3\n",
            "unknown setting 'keep_months'",
        ),
    ],
)
def test_a_wrong_rules_file_is_refused_naming_the_problem(app, tmp_path, rules, problem):
    path = tmp_path / "retention.yaml"
    path.write_text(rules)
    app.config["RETENTION_FILE"] = str(path)
    with pytest.raises(RetentionRulesError, match=problem):
        retention.plan()


def test_the_retention_command_has_a_dry_run(app, org, records):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Audits of a leaver's supervision file, kept 2 years after the supervisee left" in (
        result.output
    )
    assert f"Audit {records['leaver']}: " in result.output
    assert "Dry run: nothing was changed." in result.output
    assert count(OutboxMessage) == 2

    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Done: 4 records changed" in result.output
    assert count(OutboxMessage) == 1


def test_the_retention_command_explains_a_wrong_rules_file(app, tmp_path):
    path = tmp_path / "retention.yaml"
    path.write_text("version: [\n")
    app.config["RETENTION_FILE"] = str(path)
    result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 1
    assert "cannot be read" in result.output
