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


def _searched() -> dict[str, Any]:
    """This search's address parts, without the page."""
    return {k: v for k, v in request.args.items() if k != "page" and v}


def _page_url(page: int) -> str:
    """This search's address at another page."""
    return url_for("events.index", **_searched(), page=page)


@bp.route("/")
@login_required
@requires(may_read_event_log)
def index() -> str:
    refuse_impossible_ids(request.args, "audit")
    form = EventSearchForm.read(request.args, service.event_actions())
    search = form.search()
    found = service.search(search or service.EventSearch(), page_number(request.args.get("page")))
    return render_template(
        "events/index.html",
        form=form,
        found=found,
        page_url=_page_url,
        searched=_searched() if search else {},
        hidden=hidden_events(current_user, found.items),
    )
