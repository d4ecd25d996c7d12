"""Figures worked out once and reused until the data changes.

The dashboard, the themes and a question's page each read up to a million answers on a
large council, and the quantity page every member of staff and their sessions; between two
changes every reader would get the same figures. So each
process keeps the last few results, filed under everything they depend on:

- which page, and the filters asked for (unit, periods, tool, question);
- who is looking, as the access policy sees them: for those who see the whole service
  their role, else the person, their role, area and team (`qa.access.audience`);
- today's date (what is overdue, and the default range, move with it);
- the data generation (`qa.generation`), taken before the figures are read, which moves on
  with every commit that changes audits, answers, actions, moderation, staff, teams,
  files, sessions, selections, policies or tools.

The dashboard keeps its page content rendered with its figures (most of a large council's
page is the rendering), so its key also holds the period chosen and why, which the content
shows. A reused result is therefore the one the page would work out afresh; nothing is shown
that a fresh reading would not show. Set `TRENDS_CACHE = False` to work everything out each time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from qa import generation
from qa.access import audience
from qa.access.blind import blind_audit_ids
from qa.clock import today
from qa.org.models import Staff

T = TypeVar("T")
MOST_KEPT = 64  # results kept in each process; a dashboard with its page is up to ~250 kB

_kept: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def viewer(user: Staff) -> Hashable:
    """Who is looking, as far as the access policy can tell people apart: their audience,
    and the audits they are moderating blind (left out of their figures)."""
    return audience(user), blind_audit_ids(user)


def reuse(page: str, user: Staff, asked: Hashable, work: Callable[[], T]) -> T:
    """`work()`, or the result it gave for the same page, viewer, request, day and data."""
    if not current_app.config.get("TRENDS_CACHE", True):
        return work()
    key = (page, viewer(user), asked, today(), generation.current())
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]  # type: ignore[return-value]
    result = work()
    with _lock:
        _kept[key] = result
        while len(_kept) > MOST_KEPT:
            _kept.popitem(last=False)
    return result


def forget() -> None:
    """Drop every kept result (for tests)."""
    with _lock:
        _kept.clear()
