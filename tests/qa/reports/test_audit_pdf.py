"""The audit record PDF: made and kept on sign-off, served byte for byte, versioned by
corrections, never showing wellbeing comments, and only to people who may read the audit."""

from __future__ import annotations

from datetime import date, datetime

from pypdf.generic import NameObject
from sqlalchemy import func, select

from qa.actions.service import raise_action
from qa.audits import service, workflow
from qa.audits.models import Audit, StoredDocument
from qa.events.models import Event
from qa.extensions import db
from qa.jobs.models import AnonymisedRecord
from qa.reports import audit_pdf
from tests.qa.audits.helpers import make_audit
from tests.qa.reports.helpers import (
    WELLBEING_SECRET,
    drawn_audit,
    fill,
    pdf_reader,
    pdf_text,
    signed_off,
)

ACTION = "Record the child's views from the 12 November visit on the supervision record"


def kept(audit_id: int) -> list[StoredDocument]:
    return list(
        db.session.scalars(
            select(StoredDocument)
            .where(StoredDocument.kind == "audit", StoredDocument.subject_id == audit_id)
            .order_by(StoredDocument.version_no)
        )
    )


def test_signing_off_keeps_the_record_with_the_file_answers_grade_actions_and_sign_off(org):
    run, audit = drawn_audit(org)
    audit = signed_off(org, audit=audit, answer="partly", action=ACTION)
    documents = kept(audit.id)
    assert [(d.version_no, d.created_at) for d in documents] == [(1, audit.signed_off_at)]
    text = " ".join(pdf_text(documents[0].content).split())
    person = audit.file.supervisee
    for expected in (
        f"Audit record: {person.name}'s supervision file",
        f"Supervisor {audit.file.supervisor.name}",
        person.team.name,
        audit.file.reference,
        "Partly",
        "Below the standard",
        "Seen on the file: views_wishes_feelings",
        "Requires improvement",
        "Auditor's judgement",
        ACTION,
        "18 December 2026",
        "Signed off by Head Of Service",
        "Noted and agreed at supervision",
        "23 November 2026",
        "Demo City Council",
        "Page 1 of",
    ):
        assert expected in text, expected


def test_the_record_says_which_selection_chose_the_file_and_how_to_check_it(org):
    run, audit = drawn_audit(org)
    audit = signed_off(org, audit=audit)
    text = "".join(pdf_text(kept(audit.id)[0].content).split())
    for expected in (
        "Monthlyteammanageraudit,version1",
        "2026-11",
        f"Selectionrun{run.id}",
        run.seed,
        run.frame_hash,
        "consistent_sampler",
        audit.file.reference,
    ):
        assert expected in text, expected


def test_the_record_is_the_same_bytes_every_time_it_is_fetched(sign_in_as, org):
    audit = signed_off(org)
    head = sign_in_as("head_of_service")
    first = head.get(f"/reports/audits/{audit.id}.pdf")
    second = head.get(f"/reports/audits/{audit.id}.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == second.data == kept(audit.id)[0].content
    assert "attachment" in first.headers["Content-Disposition"]


def test_making_the_record_again_gives_identical_bytes(org):
    audit = signed_off(org)
    assert audit_pdf.make_audit_pdf(audit) == kept(audit.id)[0].content


def test_no_wellbeing_comment_appears_in_the_record(org):
    audit = signed_off(org)
    text = pdf_text(kept(audit.id)[0].content)
    assert "Wellbeing discussion" in text
    assert "bereavement" not in text and WELLBEING_SECRET not in text


def test_the_record_is_a_tagged_pdf_with_a_title_and_language(org):
    audit = signed_off(org)
    reader = pdf_reader(kept(audit.id)[0].content)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert NameObject("/StructTreeRoot") in root
    assert reader.metadata.title.startswith("Audit record: Practitioner's supervision file")
    assert reader.metadata["/CreationDate"].startswith("D:20261123100000")


def test_a_service_manager_cannot_fetch_another_areas_audit_record(sign_in_as, org):
    audit = signed_off(org)
    south = sign_in_as("service_manager_south")
    assert south.get(f"/reports/audits/{audit.id}.pdf").status_code == 404
    assert south.get(f"/reports/audits/{audit.id}.pdf?version=1").status_code == 404


def test_the_supervisee_can_download_the_record_of_their_own_file(sign_in_as, org):
    audit = signed_off(org)
    response = sign_in_as("practitioner").get(f"/reports/audits/{audit.id}.pdf")
    assert response.status_code == 200


def test_fetching_the_record_is_logged_as_an_export(sign_in_as, org):
    audit = signed_off(org)
    sign_in_as("service_manager").get(f"/reports/audits/{audit.id}.pdf")
    event = db.session.scalar(select(Event).where(Event.action == "exported"))
    assert event.subject_type == "audit" and event.subject_id == audit.id
    assert event.actor_id == org.people["service_manager"].id
    assert "version 1" in event.detail


def test_an_audit_not_yet_signed_off_has_no_record(sign_in_as, org):
    audit = make_audit(org)
    manager = sign_in_as("service_manager")
    assert manager.get(f"/reports/audits/{audit.id}.pdf").status_code == 404
    assert "Download the audit record" not in manager.get(f"/audits/{audit.id}").get_data(
        as_text=True
    )


def test_the_audit_page_offers_the_record_once_signed_off(sign_in_as, org):
    audit = signed_off(org)
    page = sign_in_as("service_manager").get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Download the audit record (PDF)" in page
    assert f"/reports/audits/{audit.id}.pdf" in page


def test_a_correction_signed_off_again_is_a_new_version_and_the_first_stays(sign_in_as, org):
    audit = signed_off(org)
    first = kept(audit.id)[0].content
    workflow.start_correction(audit, org.people["head_of_service"], "The agreement was on file")
    fill(audit, "partly")
    auditor = org.people["service_manager"]
    raise_action(
        audit,
        auditor,
        "Review the agreement at the next supervision",
        audit.file.supervisor_id,
        date(2027, 1, 29),
        accept_vague=True,
    )
    assert (
        service.submit(audit, "requires_improvement", "Corrected", audit.lock_version, auditor)
        == []
    )
    workflow.sign_off(
        audit, org.people["head_of_service"], "Signed off again after correction", early=True
    )
    assert [d.version_no for d in kept(audit.id)] == [1, 2]
    head = sign_in_as("head_of_service")
    latest = head.get(f"/reports/audits/{audit.id}.pdf")
    older = head.get(f"/reports/audits/{audit.id}.pdf?version=1")
    assert older.data == first and latest.data != first
    assert "Signed off again after correction" in pdf_text(latest.data)
    assert "corrected because: The agreement was on file" in pdf_text(latest.data)
    page = head.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Download version 1 of the audit record (PDF)" in page


def test_if_the_record_cannot_be_made_the_audit_is_not_signed_off(sign_in_as, org, monkeypatch):
    audit = make_audit(org)
    person = org.people["service_manager"]
    service.start(audit, person)
    fill(audit)
    assert service.submit(audit, "outstanding", "", audit.lock_version, person) == []

    def broken(*args, **kwargs):
        raise OSError("no fonts")

    monkeypatch.setattr(audit_pdf, "render_pdf", broken)
    head = sign_in_as("head_of_service")
    head.get(f"/audits/{audit.id}/sign-off")
    page = head.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "sign_off", "grade_agreed": "yes", "early": "y", "comment": "Fine"},
    ).get_data(as_text=True)
    assert "could not be made, so the audit has not been signed off" in page
    found = db.session.get(Audit, audit.id)
    assert found.state == "submitted" and found.signed_off_at is None
    assert db.session.scalar(select(func.count(StoredDocument.id))) == 0
    signed = select(func.count(Event.id)).where(Event.action == "audit_signed_off")
    assert db.session.scalar(signed) == 0


def test_an_audit_signed_off_before_records_were_kept_gets_its_record_when_first_asked(
    sign_in_as, org
):
    audit = signed_off(org)
    db.session.delete(kept(audit.id)[0])
    db.session.commit()
    head = sign_in_as("head_of_service")
    assert "Download the audit record (PDF)" in head.get(f"/audits/{audit.id}").get_data(
        as_text=True
    )
    first = head.get(f"/reports/audits/{audit.id}.pdf")
    assert first.status_code == 200
    assert [(d.version_no, d.created_at) for d in kept(audit.id)] == [(1, audit.signed_off_at)]
    assert head.get(f"/reports/audits/{audit.id}.pdf").data == first.data


def test_an_anonymised_audit_whose_record_retention_removed_has_none(sign_in_as, org):
    audit = signed_off(org)
    db.session.delete(kept(audit.id)[0])
    db.session.add(
        AnonymisedRecord(
            subject_type="audit",
            subject_id=audit.id,
            rule_key="audits-of-leavers",
            rules_version=1,
            anonymised_at=datetime(2026, 11, 23, 10, 0),
        )
    )
    db.session.commit()
    qa = sign_in_as("qa_officer")
    assert qa.get(f"/reports/audits/{audit.id}.pdf").status_code == 404
    assert kept(audit.id) == []
    assert "Download the audit record" not in qa.get(f"/audits/{audit.id}").get_data(as_text=True)
