"""Blind moderation, agreement per question, and the full cycle through the web client."""

from __future__ import annotations

from sqlalchemy import select

from qa.actions.models import Action
from qa.audits.models import Audit, Moderation
from qa.audits.tools import get_tool
from qa.extensions import db
from qa.selections.models import SelectionRun
from tests.qa.audits.test_workflow import submitted_audit


def _score_form(tool, answer):
    data = {}
    for _, q in tool.questions():
        data[f"answer_{q.key}"] = answer if answer in q.answers else q.answers[0]
        data[f"comment_{q.key}"] = "Moderator saw this"
    return data


def test_the_moderator_scores_blind(sign_in_as, org):
    audit, _ = submitted_audit(sign_in_as, org)
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    response = qa.post(f"/moderation/choose/{audit.id}", data={})
    moderation = db.session.scalar(select(Moderation))
    page = qa.get(response.headers["Location"]).get_data(as_text=True)
    assert "Seen on the file" not in page  # the auditor's evidence
    assert "checked" not in page  # no answer is pre-selected
    assert qa.get(f"/audits/{audit.id}").status_code == 403
    assert qa.get(f"/moderation/{moderation.id}/compare").status_code == 302


def test_after_scoring_the_moderator_sees_both_and_records_the_agreed_result(sign_in_as, org):
    audit, _ = submitted_audit(sign_in_as, org)
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    qa.post(f"/moderation/choose/{audit.id}", data={})
    moderation = db.session.scalar(select(Moderation))
    tool = get_tool("supervision-file-audit")
    qa.get(f"/moderation/{moderation.id}")
    response = qa.post(f"/moderation/{moderation.id}", data=_score_form(tool, "partly"))
    assert response.status_code == 302
    page = qa.get(f"/moderation/{moderation.id}/compare").get_data(as_text=True)
    assert (
        "The auditor&#39;s answers beside yours" in page
        or "The auditor's answers beside yours" in page
    )
    moderation = db.session.get(Moderation, moderation.id)
    pairs = {a.question_key: (a.auditor_answer, a.answer, a.agreed) for a in moderation.answers}
    assert pairs["views_wishes_feelings"] == ("yes", "partly", False)
    qa.post(
        f"/moderation/{moderation.id}/compare",
        data={"grade": "good", "note": "Agreed at the moderation panel"},
    )
    assert db.session.get(Moderation, moderation.id).agreed_grade == "good"
    assert qa.get(f"/audits/{audit.id}").status_code == 200


def test_a_random_share_is_drawn_for_moderation(sign_in_as, org):
    submitted_audit(sign_in_as, org)
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    response = qa.post("/moderation/", data={"share": "100"})
    assert response.status_code == 302
    assert db.session.scalar(select(Moderation)).chosen_by == "random"
    bad = qa.post("/moderation/", data={"share": "0"})
    assert "Percentage must be between 1 and 100" in bad.get_data(as_text=True)


def test_a_full_cycle_through_the_web_client(sign_in_as, org):
    """draw -> audit -> submit -> return -> resubmit -> moderate -> sign off -> actions done"""
    manager = sign_in_as("service_manager")
    manager.get("/selections/draw/monthly-team-manager")
    manager.post(
        "/selections/draw/monthly-team-manager",
        data={"period": "2026-11", "seed": "98765432109876543210"},
    )
    run = db.session.scalar(select(SelectionRun))
    audit = db.session.scalar(select(Audit).where(Audit.run_id == run.id))
    from tests.qa.audits.helpers import complete

    tool = complete(manager, audit.id)
    manager.get(f"/audits/{audit.id}/check")
    lock = db.session.get(Audit, audit.id).lock_version
    manager.post(
        f"/audits/{audit.id}/check", data={"lock_version": str(lock), "judgement": "outstanding"}
    )
    owner = audit.file.supervisor
    manager.get(f"/actions/new/{audit.id}")
    manager.post(
        f"/actions/new/{audit.id}",
        data={
            "description": "Add the child's own words from the last visit to the record",
            "owner": str(owner.id),
            "due": ["10", "12", "2026"],
        },
    )
    head = sign_in_as("head_of_service")
    head.get(f"/audits/{audit.id}/sign-off")
    head.post(
        f"/audits/{audit.id}/sign-off",
        data={"decision": "return", "comment": "Add the date the child was seen"},
    )
    assert db.session.get(Audit, audit.id).state == "returned"
    manager.get(f"/audits/{audit.id}/check")
    lock = db.session.get(Audit, audit.id).lock_version
    manager.post(
        f"/audits/{audit.id}/check", data={"lock_version": str(lock), "judgement": "outstanding"}
    )
    qa = sign_in_as("qa_officer")
    qa.get("/moderation/")
    qa.post(f"/moderation/choose/{audit.id}", data={})
    moderation = db.session.scalar(select(Moderation))
    qa.get(f"/moderation/{moderation.id}")
    qa.post(f"/moderation/{moderation.id}", data=_score_form(tool, "yes"))
    qa.post(
        f"/moderation/{moderation.id}/compare",
        data={"grade": "outstanding", "note": "Full agreement"},
    )
    head.get(f"/audits/{audit.id}/sign-off")
    head.post(
        f"/audits/{audit.id}/sign-off",
        data={
            "decision": "sign_off",
            "grade_agreed": "yes",
            "early": "y",
            "comment": "Well evidenced",
        },
    )
    assert db.session.get(Audit, audit.id).state == "signed_off"
    action = db.session.scalar(select(Action))
    supervisor = {p.id: k for k, p in org.people.items()}[owner.id]
    owner_client = sign_in_as(supervisor)
    owner_client.get(f"/actions/{action.id}/done")
    owner_client.post(f"/actions/{action.id}/done", data={"note": "Added on 1 December"})
    assert db.session.get(Action, action.id).status == "done"
