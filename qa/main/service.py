"""What each person's home page shows: the things they have to do, then where to look."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from audit_tools.policy_sources import BY_SLUG, citation_words, section_text
from qa.access import file_scope, may_browse_organisation, may_import, staff_scope
from qa.audits.moderation import for_moderator
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile, SupervisionSession


@dataclass
class FileLine:
    file_id: int
    supervisee: str
    last_session: object | None


@dataclass
class Home:
    user: Staff
    supervised: list[FileLine] = field(default_factory=list)
    staff_in_view: int = 0
    files_in_view: int = 0
    own_file_id: int | None = None
    audits_to_do: list[object] = field(default_factory=list)
    to_sign_off: list[object] = field(default_factory=list)
    actions: list[object] = field(default_factory=list)
    actions_to_confirm: list[object] = field(default_factory=list)
    replies_due: list[object] = field(default_factory=list)
    moderations: list[object] = field(default_factory=list)
    may_browse_organisation: bool = False
    may_import: bool = False


def home_for(user: Staff) -> Home:
    from qa.actions.service import my_actions, to_confirm
    from qa.audits.service import my_audits, sign_off_queue
    from qa.audits.workflow import replies_due

    home = Home(
        user=user,
        may_browse_organisation=may_browse_organisation(user),
        may_import=may_import(user),
    )
    home.audits_to_do = list(my_audits(user))
    home.to_sign_off = list(sign_off_queue(user))
    home.actions = list(my_actions(user))
    home.actions_to_confirm = list(to_confirm(user))
    home.replies_due = list(replies_due(user))
    home.moderations = [m for m in for_moderator(user) if m.state != "agreed"]
    if user.file is not None:
        home.own_file_id = user.file.id
    # Per file, so the database reads only these files' latest session from the index on
    # (file_id, held_on, ...) instead of grouping every session of the service.
    last = (
        select(func.max(SupervisionSession.held_on))
        .where(SupervisionSession.file_id == SupervisionFile.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(SupervisionFile.id, Staff.name, last)
        .join(Staff, Staff.id == SupervisionFile.supervisee_id)
        .where(SupervisionFile.supervisor_id == user.id, SupervisionFile.closed_on.is_(None))
        .order_by(Staff.name)
    ).all()
    home.supervised = [FileLine(r[0], r[1], r[2]) for r in rows]
    home.staff_in_view = (
        db.session.scalar(select(func.count(Staff.id)).where(staff_scope(user))) or 0
    )
    home.files_in_view = (
        db.session.scalar(
            select(func.count(SupervisionFile.id))
            .join(Staff, Staff.id == SupervisionFile.supervisee_id)
            .where(file_scope(user))
        )
        or 0
    )
    return home


def database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


@dataclass(frozen=True)
class PolicySection:
    """One section of a council's policy document, as the audit tools cite it."""

    title: str
    citation: str
    text: str


def cited_section(slug: str, section: str) -> PolicySection | None:
    """The section `section` of the policy named `slug` in addresses, or None if none."""
    document = BY_SLUG.get(slug)
    text = section_text(document.file_name, section) if document else None
    if document is None or text is None:
        return None
    return PolicySection(document.title, citation_words(document.file_name, section), text)
