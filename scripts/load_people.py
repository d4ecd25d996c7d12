"""The demo council's people for the load tests: who signs in, the pages each one's
navigation offers them, and the work each has to do, found with the app's own rules."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path
from typing import Any

import load_users
import scale_data

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-supervision-2026"  # noqa: S105 (the demo council's published password)
USERS = 200
BROWSED = ("/", "/audits/", "/organisation/", "/selections/", "/trends/")
REOPENED = 40  # signed-off audits reopened for correction, so auditors have work all run
WRITERS = ("practitioner", "senior_practitioner", "team_manager", "service_manager")


def clean_environment() -> dict[str, str]:
    """This shell's environment without the app's own settings (QA_...), so a setting meant
    for another installation (say QA_FORCE_HTTPS) cannot change what is measured."""
    return {key: value for key, value in os.environ.items() if not key.startswith("QA_")}


def demo_database(name: str) -> str:
    """A new database `name` on the local server with the demo council; its URL."""
    url = scale_data.create_database(name, replace=True)
    scale_data.migrate(url)
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "qa", "demo"],
        env=dict(clean_environment(), DATABASE_URL=url, QA_ENV_NAME="development"),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return url


def accounts(url: str, users: int = USERS) -> list[load_users.Account]:
    """The people who take part, the pages each one's navigation offers them and their work.

    Everyone in the demo council who can sign in takes part once, with the work they have
    (found with the app's own access rules); when more users are wanted than there are
    people, practitioners are signed in a second time (a second browser) to browse only.
    First some signed-off audits are reopened for correction, as QA would, so that auditors
    have sections to save and audits to submit for the whole run.
    """
    app = _app(url)
    found: list[load_users.Account] = []
    with app.app_context(), app.test_request_context():
        _reopen(REOPENED)
        for person in _people():
            found.append(load_users.Account(person.email, PASSWORD, _pages(person), _work(person)))
    browsers = [a for a in found if a.pages and "/organisation/files/" in " ".join(a.pages)]
    extra = [
        load_users.Account(a.email, a.password, a.pages)
        for a in (browsers * (1 + users // max(1, len(browsers))))[: max(0, users - len(found))]
    ]
    return (found + extra)[:users]


def _app(url: str) -> Any:
    from qa import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(16), "REQUEST_LOGS": False}
    )


def _people() -> list[Any]:
    from sqlalchemy import select

    from qa.extensions import db
    from qa.org.models import Staff

    return list(
        db.session.scalars(
            select(Staff)
            .where(Staff.leaving_date.is_(None), Staff.password_hash.is_not(None))
            .order_by(Staff.id)
        )
    )


def _pages(person: Any) -> tuple[str, ...]:
    from sqlalchemy import select

    from qa.access import file_scope
    from qa.extensions import db
    from qa.main.navigation import navigation_for
    from qa.org.models import Staff, SupervisionFile

    shown = {item.href for item in navigation_for(person)}
    pages = [page for page in BROWSED if page in shown]
    files = db.session.scalars(
        select(SupervisionFile.id)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .where(file_scope(person))
        .order_by(SupervisionFile.id)
        .limit(10)
    )
    return (*pages, *(f"/organisation/files/{file_id}" for file_id in files))


def _work(person: Any) -> load_users.Work:
    """The person's work, by the app's own rules: audits they audit that are still open,
    audits they may reply to (one reply each), and for a head of service the sign-off queue
    and the signed-off audits of their area to raise actions on."""
    from sqlalchemy import select

    from qa.access.rules import may_reply
    from qa.audits.models import Audit, Reply
    from qa.audits.states import EDITABLE, SHARED, AuditState
    from qa.extensions import db
    from qa.org.models import Staff, SupervisionFile

    editing = db.session.scalars(
        select(Audit.id).where(Audit.auditor_id == person.id, Audit.state.in_(EDITABLE))
    )
    replied = select(Reply.audit_id).where(Reply.staff_id == person.id)
    shared = db.session.scalars(
        select(Audit)
        .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
        .where(
            Audit.state.in_(SHARED),
            (SupervisionFile.supervisor_id == person.id)
            | (SupervisionFile.supervisee_id == person.id),
            Audit.id.not_in(replied),
        )
        .order_by(Audit.id)
        .limit(20)
    )
    head = person.role == "head_of_service"
    area: list[int] = (
        list(
            db.session.scalars(
                select(Audit.id)
                .join(SupervisionFile, SupervisionFile.id == Audit.file_id)
                .join(Staff, Staff.id == SupervisionFile.supervisee_id)
                .where(
                    Audit.state == AuditState.SIGNED_OFF,
                    Staff.service_area_id == person.service_area_id,
                )
                .order_by(Audit.id)
                .limit(20)
            )
        )
        if head
        else []
    )
    return load_users.Work(
        audits=tuple(editing),
        replies=tuple(a.id for a in shared if may_reply(person, a)),
        raise_on=tuple(area),
        signs_off=head,
        owns_actions=person.role in WRITERS,
    )


def _reopen(count: int) -> None:
    """Reopen the latest `count` signed-off audits for correction, as a QA officer."""
    from sqlalchemy import select

    from qa.audits import workflow
    from qa.audits.models import Audit
    from qa.audits.states import AuditState
    from qa.extensions import db
    from qa.org.models import Staff

    officer = db.session.scalars(select(Staff).where(Staff.role == "qa_officer")).first()
    assert officer is not None, "the demo council has a QA officer"
    reopened = db.session.scalars(
        select(Audit)
        .where(Audit.state == AuditState.SIGNED_OFF, Audit.auditor_id.is_not(None))
        .order_by(Audit.signed_off_at.desc())
        .limit(count)
    ).all()
    for audit in reopened:
        workflow.start_correction(audit, officer, "Checked again during the load test")
