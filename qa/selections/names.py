"""Names for the ids in a run, so the method statement reads as people, not codes."""

from __future__ import annotations

import re

from sqlalchemy import select

from qa.extensions import db
from qa.org.models import Staff
from qa.selections.models import SelectionRun
from sampling.cadences import TEAM_MANAGER_DRAW, WORKLOAD_DRAW


def names_for_run(run: SelectionRun) -> dict[str, str]:
    """Staff external ids -> names for the selector, team managers and auditors the run
    mentions."""
    ids: set[str] = {run.selector_key}
    for draw in run.draw_records:
        if draw.kind == TEAM_MANAGER_DRAW:
            ids.update(draw.frame)
        elif draw.kind == WORKLOAD_DRAW:
            ids.add(draw.subject)
    found = {
        s.external_id: s.name
        for s in db.session.scalars(select(Staff).where(Staff.external_id.in_(ids)))
    }
    return found


def in_words(text: str, names: dict[str, str]) -> str:
    """`text` (a note or label the draw wrote) with each staff id in `names` as the name."""
    if not names:
        return text
    ids = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    return pattern.sub(lambda found: names[found[1]], text)
