"""The demo council's caseloads and their discussions in supervision.

Each case-holding practitioner in post holds about 15 to 22 cases in the safeguarding teams
(fewer elsewhere), with the statuses their team's work brings: child protection and child in
need plans in safeguarding, looked-after children in care, care leavers, early help, youth
justice. Some children's plans change (child in need to child protection and back, a
permanency plan agreed), some cases move to another worker in the team, some close. Cases are
discussed at the rhythm Leicester's guidance sets (four-weekly, eight-weekly once permanence
is agreed or a care leaver is settled), better in some teams than others, so the Case
discussions page has good teams and poor ones. Everything goes in through the cases and case
discussions import files, as a council's would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from qa.demo.organisation import DemoOrganisation, to_csv
from qa.org.importing import import_bytes
from qa.roles import Role

# Team -> (statuses with their weights, cases per worker (fewest, most))
MIX: dict[str, tuple[dict[str, int], tuple[int, int]]] = {
    "Front Door and Assessment": (
        {"child_in_need": 5, "child_protection": 2, "single_agency": 3},
        (15, 22),
    ),
    "Safeguarding North": (
        {"child_protection": 5, "child_in_need": 4, "looked_after": 1},
        (15, 22),
    ),
    "Safeguarding South": (
        {"child_protection": 5, "child_in_need": 4, "looked_after": 1},
        (15, 22),
    ),
    "Disabled Children": ({"child_in_need": 7, "child_protection": 1, "looked_after": 2}, (12, 18)),
    "Children in Care": ({"looked_after": 6, "looked_after_permanence": 4}, (12, 18)),
    "Permanence and Adoption": ({"looked_after_permanence": 8, "looked_after": 2}, (10, 15)),
    "Care Leavers": ({"care_leaver": 8, "care_leaver_unsuitable": 2}, (14, 20)),
    "Early Help North": ({"early_help": 9, "single_agency": 1}, (12, 18)),
    "Early Help South": ({"early_help": 9, "single_agency": 1}, (12, 18)),
    "Youth Justice": ({"youth_justice": 10}, (10, 15)),
}
# The share of discussions held in time, by team: some teams keep to the rhythm, some do not.
ON_TIME = {
    "Safeguarding North": 0.96,
    "Children in Care": 0.94,
    "Early Help North": 0.93,
    "Youth Justice": 0.92,
    "Disabled Children": 0.85,
    "Permanence and Adoption": 0.85,
    "Early Help South": 0.8,
    "Front Door and Assessment": 0.7,
    "Care Leavers": 0.66,
    "Safeguarding South": 0.6,
}
EIGHT_WEEKLY = frozenset({"looked_after_permanence", "care_leaver"})
HISTORY_DAYS = 540
CASE_PREFIX = 30  # references 300001 upwards: six digits, never a staff ID


@dataclass
class _Case:
    reference: str
    rows: list[dict[str, str]] = field(default_factory=list)
    talks: list[dict[str, str]] = field(default_factory=list)


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _pick(weights: dict[str, int], rng: random.Random) -> str:
    statuses = list(weights)
    return rng.choices(statuses, [weights[s] for s in statuses])[0]


def build_cases(
    org: DemoOrganisation, today: date, rng: random.Random
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(cases rows, case discussions rows) for the demo organisation on `today`."""
    workers: dict[str, list[dict[str, str]]] = {}
    for person in org.staff:
        leaving = person.get("leaving_date") or ""
        if (
            person["case_holding"] == "yes"
            and person["team"] in MIX
            and person["role"] in (Role.PRACTITIONER, Role.SENIOR_PRACTITIONER)
            and not leaving
            and person["line_manager_id"]
        ):
            workers.setdefault(person["team"], []).append(person)
    case_rows: list[dict[str, str]] = []
    talk_rows: list[dict[str, str]] = []
    number = CASE_PREFIX * 10_000
    for team in sorted(workers):
        weights, (fewest, most) = MIX[team]
        team_workers = workers[team]
        for worker in team_workers:
            for _ in range(rng.randint(fewest, most)):
                number += 1
                case = _case(str(number), worker, team_workers, weights, team, today, rng)
                case_rows += case.rows
                talk_rows += case.talks
    return case_rows, talk_rows


def _case(
    reference: str,
    worker: dict[str, str],
    team: list[dict[str, str]],
    weights: dict[str, int],
    team_name: str,
    today: date,
    rng: random.Random,
) -> _Case:
    started = date.fromisoformat(_iso(worker["start_date"])) if worker["start_date"] else None
    earliest = max(today - timedelta(days=HISTORY_DAYS), started or date.min)
    allocated = earliest + timedelta(days=rng.randint(0, max(0, (today - earliest).days - 3)))
    status = _pick(weights, rng)
    # Status changes, a transfer and a closure, each at some point after allocation.
    events: list[tuple[date, str, object]] = []
    span = (today - allocated).days
    if span > 60 and rng.random() < 0.25:
        later = {"child_in_need": "child_protection", "child_protection": "child_in_need"}
        later |= {
            "looked_after": "looked_after_permanence",
            "care_leaver_unsuitable": "care_leaver",
        }
        if status in later:
            events.append(
                (allocated + timedelta(days=rng.randint(30, span - 1)), "status", later[status])
            )
    if span > 90 and len(team) > 1 and rng.random() < 0.12:
        other = rng.choice([w for w in team if w is not worker])
        events.append((allocated + timedelta(days=rng.randint(45, span - 1)), "transfer", other))
    closed = None
    if span > 120 and rng.random() < 0.12:
        closed = allocated + timedelta(days=rng.randint(90, span - 1))
    case = _Case(reference)
    holder, held_from, current = worker, allocated, status
    case.rows.append(_row(reference, holder, held_from, current, allocated))
    for day, kind, value in sorted(events, key=lambda event: event[0]):
        if closed is not None and day >= closed:
            break
        if kind == "status":
            current = str(value)
            case.rows.append(_row(reference, holder, held_from, current, day))
        else:
            _talks(case, holder, held_from, day - timedelta(days=1), current, team_name, rng)
            holder, held_from = value, day  # type: ignore[assignment]
            case.rows.append(_row(reference, holder, held_from, current, _status_from(case)))
    end = (closed - timedelta(days=1)) if closed is not None else today
    _talks(case, holder, held_from, end, current, team_name, rng)
    if closed is not None:
        case.rows.append(_row(reference, holder, held_from, "closed", closed))
    return case


def _iso(text: str) -> str:
    day, month, year = text.split("/") if "/" in text else (None, None, None)
    return f"{year}-{month}-{day}" if day else text


def _status_from(case: _Case) -> date:
    last = case.rows[-1]["status_from"]
    return date.fromisoformat(_iso(last))


def _row(
    reference: str, holder: dict[str, str], held_from: date, status: str, status_from: date
) -> dict[str, str]:
    return {
        "case_reference": reference,
        "worker_id": holder["staff_id"],
        "allocated_on": _day(held_from),
        "status": status,
        "status_from": _day(status_from),
    }


def _talks(
    case: _Case,
    holder: dict[str, str],
    start: date,
    end: date,
    status: str,
    team: str,
    rng: random.Random,
) -> None:
    """Discussions by `holder` from `start` to `end`, in time as often as the team manages."""
    interval = 56 if status in EIGHT_WEEKLY else 28
    day = start
    while True:
        if rng.random() < ON_TIME[team]:
            day += timedelta(days=rng.randint(interval // 2, interval))
        else:
            day += timedelta(days=interval + rng.randint(5, 45))
        if day > end:
            return
        case.talks.append(
            {
                "case_reference": case.reference,
                "supervisee_id": holder["staff_id"],
                "supervisor_id": holder["line_manager_id"],
                "discussed_on": _day(day),
            }
        )


def load_cases(org: DemoOrganisation, today: date, seed: int) -> tuple[int, int]:
    """Import the demo caseloads and their discussions; (cases rows, discussions)."""
    rng = random.Random(seed + 18)  # noqa: S311 (demo data, not security)
    cases, talks = build_cases(org, today, rng)
    for kind, rows in (("cases", cases), ("case_discussions", talks)):
        if not rows:
            continue
        report = import_bytes(
            kind, to_csv(rows), f"demo-{kind}.csv", None, dry_run=False, today=today
        )
        if not report.ok:
            raise RuntimeError(f"The demo {kind} did not import: {report.problems[:3]}")
    return len(cases), len(talks)
