"""Helpers for report tests: signed-off audits made through the service functions, a history
of signed-off audits for the period report, and reading PDFs and workbooks back."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from audit_tools.scoring import score
from qa.actions.service import raise_action
from qa.audits import service, workflow
from qa.audits.models import Audit, AuditAnswer
from qa.audits.tools import get_tool
from qa.extensions import db
from qa.selections.service import run_selection
from sampling.periods import months_before
from tests.qa.audits.helpers import make_audit

WELLBEING_SECRET = "Grieving after a bereavement in the family; off sick twice"
SENSITIVE_KEY = "wellbeing_discussed"


def fill(audit: Audit, answer: str = "yes", wellbeing_comment: str = WELLBEING_SECRET) -> None:
    """Answer every question (with evidence), writing `wellbeing_comment` on sensitive ones."""
    tool = service.tool_for(audit)
    existing = service.answers_of(audit)
    for _, question in tool.questions():
        row = existing.get(question.key) or AuditAnswer(audit=audit, question_key=question.key)
        row.answer = answer if answer in question.answers else question.answers[0]
        row.comment = (
            wellbeing_comment if question.sensitive else f"Seen on the file: {question.key}"
        )
        row.prefilled = None
        db.session.add(row)
    db.session.commit()


def signed_off(
    org,
    *,
    supervisee="practitioner",
    auditor="service_manager",
    head="head_of_service",
    answer="yes",
    judgement=None,
    comment="Noted and agreed at supervision",
    action=None,
    audit=None,
) -> Audit:
    """An audit completed, submitted and signed off through the service functions."""
    audit = audit or make_audit(org, auditor=auditor, supervisee=supervisee)
    person = org.people[auditor]
    service.start(audit, person)
    fill(audit, answer)
    result = service.result_of(audit)
    grade = judgement or result.grade
    tool = service.tool_for(audit)
    if action is None and service.needs_an_action(tool, service.answer_values(audit), grade):
        action = "Bring the file up to the required standard by the next supervision"
    if action:
        raise_action(
            audit,
            person,
            action,
            audit.file.supervisor_id,
            date(2026, 12, 18),
            accept_vague=True,
        )
    problems = service.submit(audit, grade, "As the answers show", audit.lock_version, person)
    assert problems == [], problems
    workflow.sign_off(audit, org.people[head], comment, early=True)
    return db.session.get(Audit, audit.id)


def drawn_audit(org, period="2026-11"):
    """The audit made by the North service manager's monthly selection for the period."""
    run, _ = run_selection(
        "monthly-team-manager",
        period,
        org.people["service_manager"],
        org.people["service_manager"],
        seed="12345678901234567890123",
    )
    audit = db.session.scalar(db.select(Audit).where(Audit.run_id == run.id))
    assert audit is not None, "the selection drew no file"
    return run, audit


def history(org, months=12, end=date(2026, 11, 1), per_month=3) -> None:
    """Signed-off audits month by month (written straight to the database, quickly): answers
    getting better over time, in both areas, for the trends behind the period report."""
    tool = get_tool("supervision-file-audit")
    people = ["practitioner", "senior_practitioner", "practitioner_n2", "practitioner_south"]
    questions = [q for _, q in tool.questions()]
    for back in range(months):
        month = months_before(date(end.year, end.month, 1), back)
        for i in range(per_month + (1 if back % 2 else 0)):
            supervisee = people[(back + i) % len(people)]
            auditor = "service_manager_south" if supervisee.endswith("south") else "service_manager"
            audit = make_audit(org, auditor=auditor, supervisee=supervisee)
            values = {}
            for j, q in enumerate(questions):
                good = (j + i + back) % (3 + (months - back) // 3) != 0
                values[q.key] = (
                    ("yes" if good else "no")
                    if "yes" in q.answers
                    else ("good" if good else "requires_improvement")
                )
                audit.answers.append(
                    AuditAnswer(
                        question_key=q.key,
                        answer=values[q.key],
                        comment=WELLBEING_SECRET
                        if q.sensitive
                        else f"Month {back}: {q.key} "
                        + ("seen" if good else "missing from the record"),
                    )
                )
            result = score(tool, values)
            signed = datetime(month.year, month.month, 10 + i, 12, 0)
            audit.tool_version = tool.version
            audit.state = "signed_off"
            audit.window_start = month - timedelta(days=180)
            audit.window_end = month
            audit.submitted_at = signed - timedelta(days=2)
            audit.signed_off_at = signed
            audit.signed_off_by_id = org.people[
                "head_south" if supervisee.endswith("south") else "head_of_service"
            ].id
            audit.overall_score = result.overall
            audit.computed_grade = result.grade
            audit.auditor_judgement = result.grade
    db.session.commit()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def figure_alts(reader: PdfReader) -> list[str]:
    """The text alternatives of the figures in a tagged PDF's structure tree, in order."""
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
            return
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt")))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))
