"""The event log, searchable by QA officers and administrators. Read only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required

from qa.access import may_read_event_log, requires
from qa.access.blind import hidden_events
from qa.audits.review_forms import EventSearchForm
from qa.events import service
from qa.ids import refuse_impossible_ids
from qa.lists import page_number

bp = Blueprint("events", __name__, url_prefix="/events")


def _page_url(page: int) -> str:
    """This search's address at another page."""
    searched: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page" and v}
    return url_for("events.index", **searched, page=page)


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
    found = service.search(search, page_number(request.args.get("page")))
    return render_template(
        "events/index.html",
        form=form,
        found=found,
        page_url=_page_url,
        hidden=hidden_events(current_user, found.items),
    )
