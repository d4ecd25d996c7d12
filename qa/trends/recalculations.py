"""Recording the known changes the control charts recalculate their limits from, and turning
them into the charts' rebases: a change on a date starts new limits at the first period that
begins on or after it, as Making Data Count recommends for a change you know about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from qa.access import Forbidden, may_manage_policies
from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.formatting import long_date
from qa.org.models import Staff, Team
from qa.trends.filters import period_label
from qa.trends.models import LimitsRecalculation
from sampling.periods import period_bounds
from trend_maths.statistics import Rebase

REASON_LIMIT = 500


class RecalculationError(ValueError):
    """A change that cannot be recorded, with a message saying what to put right."""


@dataclass(frozen=True)
class RecordedChange:
    """A recorded change as the page lists it."""

    id: int
    starts_on: date
    reason: str
    team: str
    recorded_by: str


def recorded_changes(user: Staff) -> list[RecordedChange]:
    """Every recorded change, newest first (QA officers only)."""
    _check(user)
    rows = db.session.execute(
        select(LimitsRecalculation, Team.name, Staff.name)
        .outerjoin(Team, Team.id == LimitsRecalculation.team_id)
        .join(Staff, Staff.id == LimitsRecalculation.recorded_by_id)
        .order_by(LimitsRecalculation.starts_on.desc(), LimitsRecalculation.id.desc())
    ).all()
    return [
        RecordedChange(row.id, row.starts_on, row.reason, team or "The whole service", by)
        for row, team, by in rows
    ]


def record_change(user: Staff, starts_on: date, reason: str, team_id: int | None) -> int:
    """Record a known change from which the charts draw new limits, and log who did it."""
    _check(user)
    reason = reason.strip()
    if not reason:
        raise RecalculationError("Enter what changed, so readers of the charts know why")
    if len(reason) > REASON_LIMIT:
        raise RecalculationError(f"What changed must be {REASON_LIMIT} characters or fewer")
    if team_id is not None and db.session.get(Team, team_id) is None:
        raise RecalculationError("Select a team from the list")
    change = LimitsRecalculation(
        starts_on=starts_on,
        reason=reason,
        team_id=team_id,
        recorded_by_id=user.id,
        recorded_at=now(),
    )
    db.session.add(change)
    db.session.flush()
    record(user, "limits_recalculation_recorded", "limits_recalculation", change.id, reason)
    db.session.commit()
    return change.id


def rebases_for(periods: Sequence[str], team_id: int | None) -> list[Rebase]:
    """The changes that start new limits within these periods, for the whole service or the
    team shown: each at the first period beginning on or after its date. A change before the
    first period, or on its first day, starts nothing, since there are no limits before it."""
    if len(periods) < 2:
        return []
    last = period_bounds(periods[-1])[0]
    query = select(LimitsRecalculation).where(
        LimitsRecalculation.starts_on > period_bounds(periods[0])[0],
        LimitsRecalculation.starts_on <= last,
    )
    query = query.where(
        or_(LimitsRecalculation.team_id.is_(None), LimitsRecalculation.team_id == team_id)
        if team_id is not None
        else LimitsRecalculation.team_id.is_(None)
    )
    reasons: dict[str, list[str]] = {}
    for change in db.session.scalars(query.order_by(LimitsRecalculation.starts_on)):
        key = next(k for k in periods if period_bounds(k)[0] >= change.starts_on)
        reasons.setdefault(key, []).append(f"{change.reason} (from {long_date(change.starts_on)})")
    return [Rebase(period_label(key), "; ".join(texts)) for key, texts in reasons.items()]


def _check(user: Staff) -> None:
    if not may_manage_policies(user):
        raise Forbidden("Only a QA officer can record a change the charts recalculate from")


def team_choices() -> list[tuple[str, str]]:
    """The form's choices: the whole service first, then each team by name."""
    teams = db.session.execute(select(Team.id, Team.name).order_by(Team.name)).all()
    return [("", "The whole service"), *((str(id_), f"Only {name}") for id_, name in teams)]
