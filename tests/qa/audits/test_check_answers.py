"""The task list, check answers and a refused save tell the auditor the truth."""

from __future__ import annotations

import html
import re

from qa.audits.models import Audit
from qa.audits.tools import get_tool
from qa.extensions import db
from tests.qa.audits.helpers import answer_section, complete, make_audit


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _status_of(page: str, title: str) -> str:
    """The status shown beside a task on the task list."""
    after = page[page.index(title) :]
    return re.search(r"Completed|In progress|Not started|Ready|Cannot start yet", after).group(0)


def _without_evidence(client, audit_id):
    """Every section answered, but the child's voice answered 'Partly' with no evidence."""
    tool = complete(client, audit_id)
    answer_section(
        client, audit_id, tool.section("childs_voice"), answer="partly", later=True, comment=""
    )
    return tool


def test_a_section_missing_required_evidence_is_not_completed_and_not_ready(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    tool = _without_evidence(client, audit.id)
    page = _text(client.get(f"/audits/{audit.id}"))
    assert _status_of(page, tool.section("childs_voice").title) == "In progress"
    assert _status_of(page, "Check your answers and submit") == "Cannot start yet"


def test_submit_errors_name_each_missing_piece_of_evidence_once(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    tool = _without_evidence(client, audit.id)
    client.get(f"/audits/{audit.id}/check")
    response = client.post(
        f"/audits/{audit.id}/check",
        data={
            "lock_version": str(db.session.get(Audit, audit.id).lock_version),
            "judgement": "good",
        },
    )
    assert response.status_code == 400
    summary = _text(response).split("govuk-error-summary__list")[1].split("</ul>")[0]
    question = tool.question("views_wishes_feelings").text
    assert summary.count(question) == 1


def test_change_on_check_answers_comes_back_to_check_answers(sign_in_as, org):
    audit = make_audit(org)
    client = sign_in_as("service_manager")
    tool = complete(client, audit.id)
    page = client.get(f"/audits/{audit.id}/check").get_data(as_text=True)
    change = f"/audits/{audit.id}/sections/childs_voice?return=check"
    assert change in page
    section = tool.section("childs_voice")
    data = {"lock_version": str(db.session.get(Audit, audit.id).lock_version)}
    for q in section.questions:
        data[f"answer_{q.key}"] = "yes"
        data[f"comment_{q.key}"] = "Seen again"
    client.get(change)
    response = client.post(change, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/audits/{audit.id}/check")


def test_a_save_refused_because_someone_saved_first_keeps_the_typing_and_says_what_changed(
    sign_in_as, org
):
    audit = make_audit(org)
    first = sign_in_as("service_manager")
    first.post(f"/audits/{audit.id}/start", data={})
    second = sign_in_as("service_manager")
    section = get_tool("supervision-file-audit").section("childs_voice")
    stale = str(db.session.get(Audit, audit.id).lock_version)
    answer_section(first, audit.id, section, answer="yes", comment="Seen on the file")
    data = {"lock_version": stale}
    for q in section.questions:
        data[f"answer_{q.key}"] = "no"
        data[f"comment_{q.key}"] = "My long careful note"
    response = second.post(f"/audits/{audit.id}/sections/childs_voice", data=data)
    assert response.status_code == 409
    page = _text(response)
    assert "My long careful note" in page
    assert "Service Manager" in page and "23 November 2026" in page
    question = section.questions[0].text
    changed = page.split("What they saved")[1].split("</table>")[0]
    assert question in changed and "Yes" in changed
    saved = {a.question_key: a for a in db.session.get(Audit, audit.id).answers}
    assert saved[section.questions[0].key].comment == "Seen on the file"
    resent = dict(
        data,
        lock_version=re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1),
    )
    assert second.post(f"/audits/{audit.id}/sections/childs_voice", data=resent).status_code == 302


def test_a_submit_refused_because_someone_saved_first_keeps_the_reason_and_says_who(
    sign_in_as, org
):
    audit = make_audit(org)
    first = sign_in_as("service_manager")
    tool = complete(first, audit.id)
    second = sign_in_as("service_manager")
    second.get(f"/audits/{audit.id}/check")
    stale = str(db.session.get(Audit, audit.id).lock_version)
    answer_section(first, audit.id, tool.section("childs_voice"), comment="Seen again")
    response = second.post(
        f"/audits/{audit.id}/check",
        data={"lock_version": stale, "judgement": "good", "reason": "My careful reasoning"},
    )
    assert response.status_code == 409
    page = _text(response)
    assert "My careful reasoning" in page
    assert "Service Manager, service manager saved this audit on 23 November 2026" in page
    assert db.session.get(Audit, audit.id).state == "in_progress"
