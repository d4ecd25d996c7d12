"""The event log, searchable by QA officers and administrators. Read only."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from qa.access import require, sees_everything
from qa.audits.review_forms import EventSearchForm
from qa.events.models import Event
from qa.extensions import db
from qa.org.models import Staff

bp = Blueprint("events", __name__, url_prefix="/events")
LIMIT = 200


@bp.route("/")
@login_required
def index() -> str:
    require(sees_everything(current_user))
    form = EventSearchForm(request.args)
    actions = sorted(db.session.scalars(select(Event.action).distinct()))
    form.action.choices = [("", "Anything")] + [(a, a.replace("_", " ")) for a in actions]
    query = select(Event).outerjoin(Staff, Staff.id == Event.actor_id)
    if form.validate():
        if form.action.data:
            query = query.where(Event.action == form.action.data)
        if form.person.data:
            query = query.where(Staff.name.ilike(f"%{form.person.data.strip()}%"))
        if form.audit.data:
            query = query.where(Event.subject_type == "audit", Event.subject_id == form.audit.data)
    events = list(db.session.scalars(query.order_by(Event.at.desc(), Event.id.desc()).limit(LIMIT)))
    return render_template("events/index.html", form=form, events=events, limit=LIMIT)


def events_for_audit(audit_id: int) -> list[Event]:
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.subject_type == "audit", Event.subject_id == audit_id)
            .order_by(Event.at, Event.id)
        )
    )
