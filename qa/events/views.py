"""The event log, searchable by QA officers and administrators. Read only."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from qa.access import may_read_event_log, requires
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
    return render_template(
        "events/index.html",
        form=form,
        events=service.search(search),
        limit=service.SEARCH_LIMIT,
    )
