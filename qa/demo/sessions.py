"""The demo council's supervision sessions and agreements, as a council that mostly keeps to
its own policy would have them (see `qa.demo.organisation`).

Each supervisor has a usual rhythm: four-weekly for case-holding staff and managers, six-weekly
for business support, weekly then fortnightly for newly qualified social workers in their
assessed and supported year; never longer than the council profile in force allows. Most
supervisors keep to it; each now and then lets a session slip, the less diligent more often,
and more in August and at Christmas. Teams that meet for group supervision do so monthly, and
case holders have short ad hoc sessions between their formal ones. Agreements are reviewed
when the profile says, and a few are overdue or missing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from audit_tools.frequency import StaffFacts, required_interval_days
from audit_tools.frequency_rules import FrequencyRules
from audit_tools.working_days import add_months
from qa.audits.facts import facts_of
from qa.roles import Role

Row = dict[str, str]
LENGTHS = {
    "case": (60, 75, 90, 90, 90, 90, 105, 120),
    "personal": (60, 90, 90, 90, 120),
    "group": (60, 90, 90, 120),
    "ad_hoc": (15, 20, 30, 30, 45),
}
GROUP_TEAMS = frozenset(
    {"Front Door and Assessment", "Safeguarding North", "Safeguarding South", "Children in Care"}
)


def make_sessions(
    staff: list[Row], rules: FrequencyRules, rng: random.Random, today: date, days: int
) -> tuple[list[Row], list[Row]]:
    """(sessions, agreements) for everyone with a line manager, over the last `days` days."""
    window_start = today - timedelta(days=days)
    sessions: list[Row] = []
    agreements: list[Row] = []
    diligence: dict[str, float] = {}
    for person in staff:
        manager = person["line_manager_id"]
        if not manager:
            continue
        if manager not in diligence:
            weak = rng.random() < 0.15
            diligence[manager] = rng.uniform(0.7, 0.82) if weak else rng.uniform(0.88, 0.98)
        person_sessions = _formal(person, rules, rng, today, window_start, diligence[manager])
        person_sessions += _ad_hoc(person, rng, today, window_start)
        sessions += person_sessions
        if person_sessions:
            agreement = _agreement(person, rules, rng, today)
            if agreement is not None:
                agreements.append(agreement)
    sessions += _groups(staff, rng, today, window_start)
    return sessions, agreements


def staff_facts(person: Row) -> StaffFacts:
    """What the frequency rules need to know about a row of the demo staff file."""
    return facts_of(
        person["case_holding"] == "yes",
        person["role"],
        _day(person["asye_start"]),
        _day(person["start_date"]),
        _day(person["leaving_date"]),
        float(person["fte"]) if person.get("fte") else None,
    )


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _usual_interval(person: Row, on: date, allowed: int) -> int:
    """The days a supervisor usually leaves between this person's formal sessions, where
    the profile allows `allowed` days at most."""
    asye = _day(person["asye_start"])
    if asye is not None and on < asye + timedelta(days=365):
        if on < asye + timedelta(weeks=6):
            return 7
        return 14 if on < add_months(asye, 6) else 28
    if person["role"] == Role.ADMINISTRATOR:
        return max(28, min(allowed - 7, 70))
    fte = float(person.get("fte") or 1)
    return min(42, round(28 / fte)) if fte < 1 else 28


def _formal(
    person: Row,
    rules: FrequencyRules,
    rng: random.Random,
    today: date,
    window_start: date,
    diligence: float,
) -> list[Row]:
    """Case and personal supervision at the usual interval, with the odd slip."""
    facts = staff_facts(person)
    started = _day(person["start_date"]) or window_start
    end = min(_day(person["leaving_date"]) or today, today - timedelta(days=1))
    first = max(started, window_start)
    soon = min(14, _usual_interval(person, first, _allowed(rules, facts, first)))
    held = first + timedelta(days=rng.randint(2, soon))
    rows: list[Row] = []
    count = 0
    while held <= end:
        kind = "case" if person["case_holding"] == "yes" and count % 3 != 2 else "personal"
        rows.append(_session(person, person["line_manager_id"], held, kind, rng, today, diligence))
        count += 1
        allowed = _allowed(rules, facts, held)
        usual = min(_usual_interval(person, held, allowed), allowed)
        gap = usual - rng.randint(0, min(3, usual // 7))
        slips = 1 - diligence + (0.1 if held.month in (8, 12) else 0.0)
        if rng.random() < (slips / 4 if usual < 28 else slips):  # the ASYE is protected
            gap += rng.randint(usual // 3, usual + 14)
        held += timedelta(days=max(gap, 5))
    return rows


def _allowed(rules: FrequencyRules, facts: StaffFacts, on: date) -> int:
    """The most days the profile allows after a session on `on`, and few enough to reach
    its yearly minimum."""
    allowed = required_interval_days(rules, facts, on)
    minimum = rules.category_rule(facts).yearly_minimum
    return min(allowed, 365 // minimum - 2) if minimum else allowed


def _session(
    person: Row,
    supervisor: str,
    held: date,
    kind: str,
    rng: random.Random,
    today: date,
    diligence: float,
) -> Row:
    on_time = rng.random() < diligence
    recorded = held + timedelta(days=rng.randint(0, 2) if on_time else rng.randint(4, 15))
    signed = recorded + timedelta(days=rng.randint(0, 4) if on_time else rng.randint(10, 25))
    countersigned = signed + timedelta(days=rng.randint(0, 4))
    formal = kind in ("case", "personal")
    return {
        "supervisee_id": person["staff_id"],
        "supervisor_id": supervisor,
        "session_date": held.isoformat(),
        "type": kind,
        "recorded_date": _upto(recorded, today),
        "signed_by_supervisor": _upto(signed, today) if rng.random() < 0.98 else "",
        "signed_by_supervisee": (
            _upto(countersigned, today) if formal and rng.random() < 0.96 else ""
        ),
        "length_minutes": str(rng.choice(LENGTHS[kind])),
    }


def _ad_hoc(person: Row, rng: random.Random, today: date, window_start: date) -> list[Row]:
    """Short unplanned sessions for case holders: in about one month in three."""
    if person["case_holding"] != "yes":
        return []
    started = max(_day(person["start_date"]) or window_start, window_start)
    end = min(_day(person["leaving_date"]) or today, today - timedelta(days=1))
    rows = []
    day = started + timedelta(days=rng.randint(5, 30))
    while day <= end:
        if rng.random() < 0.35:
            rows.append(_session(person, person["line_manager_id"], day, "ad_hoc", rng, today, 1))
        day += timedelta(days=rng.randint(25, 35))
    return rows


def _groups(staff: list[Row], rng: random.Random, today: date, window_start: date) -> list[Row]:
    """Monthly group supervision, led by the team manager, for the teams that hold it."""
    rows: list[Row] = []
    by_id = {person["staff_id"]: person for person in staff}
    for team in sorted(GROUP_TEAMS):
        members = [p for p in staff if p["team"] == team]
        leader = next(
            p["staff_id"]
            for p in members
            if p["role"] == Role.TEAM_MANAGER and by_id[p["line_manager_id"]]["team"] != team
        )
        month = date(window_start.year, window_start.month, 1)
        while month < today:
            held = month + timedelta(days=rng.randint(7, 20))
            for person in members:
                if person["role"] not in (Role.PRACTITIONER, Role.SENIOR_PRACTITIONER):
                    continue
                if not _in_post(person, held) or held >= today or rng.random() < 0.15:
                    continue
                rows.append(_session(person, leader, held, "group", rng, today, 0.95))
            month = add_months(month, 1)
    return rows


def _in_post(person: Row, on: date) -> bool:
    started, left = _day(person["start_date"]), _day(person["leaving_date"])
    return (started is None or started <= on) and (left is None or on < left)


def _agreement(person: Row, rules: FrequencyRules, rng: random.Random, today: date) -> Row | None:
    """The current agreement: most reviewed when due, some overdue, a few missing."""
    months = rules.agreement_review.amount
    end = min(_day(person["leaving_date"]) or today, today)
    started = _day(person["start_date"]) or end
    signed = started + timedelta(days=rng.randint(3, 25))
    if signed > end:
        return None
    while add_months(signed, months) <= end:
        signed = add_months(signed, months)
    chance = rng.random()
    if chance < 0.03:
        return None
    if chance < 0.12 and signed > started + timedelta(days=60):
        signed = max(started, add_months(signed, -months))  # the last review was missed
    return {
        "supervisee_id": person["staff_id"],
        "supervisor_id": person["line_manager_id"],
        "signed_by_supervisor": signed.isoformat(),
        "signed_by_supervisee": signed.isoformat() if rng.random() < 0.95 else "",
        "review_due": add_months(signed, months).isoformat(),
    }


def _upto(day: date, today: date) -> str:
    return day.isoformat() if day <= today else ""
