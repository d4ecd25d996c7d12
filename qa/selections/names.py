"""Names for the ids in a run, so the method statement reads as people, not codes."""

from __future__ import annotations

from sqlalchemy import select

from qa.audits.models import Audit
from qa.extensions import db
from qa.org.models import Staff
from qa.selections.models import SelectionRun


def names_for_run(run: SelectionRun, audits: list[Audit]) -> dict[str, str]:
    """Staff external ids -> names for the team managers and auditors the run mentions."""
    ids: set[str] = set()
    for draw in run.draw_list:
        if draw["label"] == "team manager":
            ids.update(draw["frame"])
        elif draw["label"].startswith("file from "):
            ids.add(draw["label"][len("file from ") :])
    found = {
        s.external_id: s.name
        for s in db.session.scalars(select(Staff).where(Staff.external_id.in_(ids)))
    }
    return found
