"""Helpers for audit tests: make an audit for someone, and fill it in through the web."""

from __future__ import annotations

from datetime import datetime

from qa.audits.models import Audit
from qa.audits.tools import get_tool
from qa.extensions import db


def make_audit(
    org, auditor="service_manager", supervisee="practitioner", tool_id="supervision-file-audit"
) -> Audit:
    """An audit drawn for `supervisee`'s file, to be done by `auditor` with the tool a
    sampling policy names (`tool_id`)."""
    audit = Audit(
        file_id=org.file_of(supervisee).id,
        auditor_id=org.people[auditor].id,
        tool_id=tool_id,
        due_on=datetime(2026, 11, 30).date(),
        state="selected",
        created_at=datetime(2026, 11, 1, 6, 0),
    )
    db.session.add(audit)
    db.session.commit()
    return audit


JUDGEMENT_FOR = {"yes": "outstanding", "partly": "requires_improvement", "no": "inadequate"}


def answer_section(
    client, audit_id, section, answer="yes", later=False, comment="Seen on the file"
):
    data = {"lock_version": str(db.session.get(Audit, audit_id).lock_version)}
    for q in section.questions:
        if q.scale == "judgement":  # the overall judgement, in step with the other answers
            answer_here = JUDGEMENT_FOR.get(answer, answer)
        else:
            answer_here = answer
        choice = answer_here if answer_here in q.answers else q.answers[0]
        data[f"answer_{q.key}"] = choice
        data[f"comment_{q.key}"] = comment
    if later:
        data["later"] = "Save and come back later"
    client.get(f"/audits/{audit_id}/sections/{section.key}")
    return client.post(f"/audits/{audit_id}/sections/{section.key}", data=data)


def complete(client, audit_id, answer="yes"):
    client.post(f"/audits/{audit_id}/start", data={})
    audit = db.session.get(Audit, audit_id)
    tool = get_tool(audit.tool_id, audit.tool_version)
    for section in tool.sections:
        response = answer_section(client, audit_id, section, answer=answer)
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return tool


def raise_an_action(org, audit_id, auditor="service_manager"):
    """The action a file below the standard needs before its audit can be submitted."""
    from datetime import date

    from qa.actions.service import raise_action

    audit = db.session.get(Audit, audit_id)
    raise_action(
        audit,
        org.people[auditor],
        "Record the child's views at every session from 1 December 2026",
        audit.file.supervisor_id,
        date(2027, 1, 29),
        accept_vague=True,
    )
