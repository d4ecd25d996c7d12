"""The event log, searchable by QA officers and administrators. Read only."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from qa.access import may_read_event_log, requires
from qa.access.blind import hidden_events
from qa.audits.review_forms import EventSearchForm
from qa.events import service
from qa.ids import refuse_impossible_ids

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.route("/")
@login_required
@requires(may_read_event_log)
def index() -> str:
    refuse_impossible_ids(request.args, "audit")
    form = EventSearchForm(request.args)
    form.action.choices = [("", "Anything")] + [
        (a, a.replace("_", " ")) for a in service.event_actions()
    ]
    search = (
        service.EventSearch(form.action.data or "", form.person.data or "", form.audit.data)
        if form.validate()
        else service.EventSearch()
    )
    events = service.search(search)
    return render_template(
        "events/index.html",
        form=form,
        events=events,
        hidden=hidden_events(current_user, events),
        limit=service.SEARCH_LIMIT,
    )
