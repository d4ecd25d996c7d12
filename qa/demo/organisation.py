"""A believable demo council, the same every time: 3 service areas, 12 teams of different
kinds and sizes, about 210 staff, and two years of supervision sessions and agreements.

Team managers supervise 6 to 10 people: their assistant team managers and practice
supervisors (senior practitioners), who supervise the other practitioners, and a few
practitioners of their own. Some staff work part time, some are agency social workers on
short contracts, and each area has its business support staff (administrators, supervised
less often where the council's policy allows). Sessions follow the council profile the demo
is loaded under (`qa.demo.sessions`). The demo goes through the same import as a council's
own files, so it is checked by the same rules.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from audit_tools.frequency_rules import FrequencyRules
from qa.auth.passwords import hash_password
from qa.demo.names import Names
from qa.demo.sessions import make_sessions
from qa.extensions import db
from qa.org.importing import import_bytes
from qa.org.models import Staff
from qa.profiles.service import in_force, shipped_profile, use_profile
from qa.roles import Role

DEMO_PASSWORD = "demo-supervision-2026"  # noqa: S105 (printed for the demo organisation only)
DOMAIN = "democity.org.uk"
SEED = 20261101
HISTORY_DAYS = 730
PART_TIME = (0.4, 0.5, 0.6, 0.6, 0.8, 0.8, 0.8)


@dataclass(frozen=True)
class TeamPlan:
    """One team: its kind of work, how many practitioners it has and who supervises them."""

    name: str
    practitioners: int
    practice_supervisors: int
    assistant_managers: int = 0
    newly_qualified: int = 1
    part_time_share: float = 0.15
    agency: int = 0
    case_holding: bool = True


@dataclass(frozen=True)
class ServicePlan:
    """A service manager's teams, and the business support staff they manage (if any)."""

    teams: tuple[TeamPlan, ...]
    business_support: int = 0


AREAS: dict[str, tuple[ServicePlan, ...]] = {
    "Children in Need and Child Protection": (
        ServicePlan(
            (
                TeamPlan("Front Door and Assessment", 15, 2, 1, newly_qualified=2, agency=2),
                TeamPlan("Safeguarding North", 12, 2, newly_qualified=2, agency=1),
            ),
            business_support=6,
        ),
        ServicePlan(
            (
                TeamPlan("Safeguarding South", 10, 1, 1, agency=2),
                TeamPlan("Disabled Children", 7, 1, part_time_share=0.35),
            )
        ),
    ),
    "Children in Care and Care Leavers": (
        ServicePlan(
            (
                TeamPlan("Children in Care", 13, 2, 1, newly_qualified=2),
                TeamPlan("Fostering", 7, 1, newly_qualified=0, part_time_share=0.3),
            ),
            business_support=4,
        ),
        ServicePlan(
            (
                TeamPlan("Care Leavers", 9, 1, newly_qualified=0),
                TeamPlan("Permanence and Adoption", 7, 1, newly_qualified=0),
            )
        ),
    ),
    "Early Help and Family Support": (
        ServicePlan(
            (
                TeamPlan("Early Help North", 10, 1, newly_qualified=0, part_time_share=0.4),
                TeamPlan("Early Help South", 8, 1, newly_qualified=0, part_time_share=0.3),
            ),
            business_support=3,
        ),
        ServicePlan(
            (
                TeamPlan("Youth Justice", 7, 1, newly_qualified=0),
                TeamPlan("Family Group Conferencing", 6, 0, newly_qualified=0),
            )
        ),
    ),
}
BUSINESS_SUPPORT = {
    "Children in Need and Child Protection": "Business Support (Children in Need)",
    "Children in Care and Care Leavers": "Business Support (Children in Care)",
    "Early Help and Family Support": "Business Support (Early Help)",
}

STAFF_COLUMNS = [
    "staff_id",
    "name",
    "email",
    "role",
    "team",
    "service_area",
    "line_manager_id",
    "case_holding",
    "asye_start",
    "start_date",
    "leaving_date",
    "fte",
]


@dataclass
class DemoOrganisation:
    staff: list[dict[str, str]] = field(default_factory=list)
    sessions: list[dict[str, str]] = field(default_factory=list)
    agreements: list[dict[str, str]] = field(default_factory=list)


class _Builder:
    """Adds people to the demo organisation, one row each, in the order they are made."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.names = Names(rng, DOMAIN)
        self.org = DemoOrganisation()

    def add(
        self,
        role: Role,
        area: str,
        manager: str,
        *,
        team: str = "",
        case_holding: bool = False,
        fte: float | None = None,
        started: date | None = None,
        left: date | None = None,
        asye: date | None = None,
    ) -> str:
        staff_id = f"S{len(self.org.staff) + 1:04d}"
        name, email = self.names.new()
        started = started or self.today - timedelta(days=self.rng.randint(400, 6000))
        self.org.staff.append(
            {
                "staff_id": staff_id,
                "name": name,
                "email": email,
                "role": role,
                "team": team,
                "service_area": area,
                "line_manager_id": manager,
                "case_holding": "yes" if case_holding else "no",
                "asye_start": asye.isoformat() if asye else "",
                "start_date": started.isoformat(),
                "leaving_date": left.isoformat() if left else "",
                "fte": f"{fte:g}" if fte is not None else "",
            }
        )
        return staff_id

    def fte(self, share: float) -> float | None:
        return self.rng.choice(PART_TIME) if self.rng.random() < share else None

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def team(self, plan: TeamPlan, area: str, service_manager: str) -> None:
        """The team manager, then the people who supervise, then the practitioners."""
        manager = self.add(Role.TEAM_MANAGER, area, service_manager, team=plan.name)
        supervisors = [
            self.add(Role.TEAM_MANAGER, area, manager, team=plan.name)
            for _ in range(plan.assistant_managers)
        ]
        supervisors += [
            self.add(
                Role.SENIOR_PRACTITIONER,
                area,
                manager,
                team=plan.name,
                case_holding=True,
                fte=self.fte(plan.part_time_share / 2),
            )
            for _ in range(plan.practice_supervisors)
        ]
        for line_manager in self._line_managers(plan, manager, supervisors):
            self._practitioner(plan, area, line_manager)
        for _ in range(plan.agency):
            self._agency(plan, area, self.rng.choice(supervisors or [manager]))
        if self.rng.random() < 0.8:  # someone left in the last year and a half
            started = self.days_ago(900, 3000)
            self.add(
                Role.PRACTITIONER,
                area,
                self.rng.choice([manager, *supervisors]),
                team=plan.name,
                case_holding=plan.case_holding,
                started=started,
                left=self.days_ago(30, 540),
            )

    def _line_managers(self, plan: TeamPlan, manager: str, supervisors: list[str]) -> list[str]:
        """Each practitioner's line manager: the team manager takes enough to supervise 6 to
        10 people in all; practice supervisors and assistant managers share the rest, at
        least 2 each."""
        wanted = self.rng.randint(6, 9) - len(supervisors)
        own = max(wanted, plan.practitioners - 5 * len(supervisors), 0)
        own = min(own, plan.practitioners - 2 * len(supervisors), 10 - len(supervisors))
        rest = plan.practitioners - own
        others = [supervisors[i % len(supervisors)] for i in range(rest)] if supervisors else []
        return [manager] * (plan.practitioners - len(others)) + others

    def _practitioner(self, plan: TeamPlan, area: str, line_manager: str) -> None:
        count = sum(1 for row in self.org.staff if row["team"] == plan.name and row["asye_start"])
        if count < plan.newly_qualified:
            started = self.days_ago(20, 330)
            self.add(
                Role.PRACTITIONER,
                area,
                line_manager,
                team=plan.name,
                case_holding=True,
                started=started,
                asye=started,
            )
            return
        self.add(
            Role.PRACTITIONER,
            area,
            line_manager,
            team=plan.name,
            case_holding=plan.case_holding and self.rng.random() < 0.95,
            fte=self.fte(plan.part_time_share),
            started=self.days_ago(200, 5000),
        )

    def _agency(self, plan: TeamPlan, area: str, line_manager: str) -> None:
        """A locum social worker on a contract of a few months; some have already gone."""
        started = self.days_ago(60, 500)
        length = timedelta(days=self.rng.randint(90, 300))
        left = started + length if started + length < self.today else None
        self.add(
            Role.PRACTITIONER,
            area,
            line_manager,
            team=plan.name,
            case_holding=True,
            started=started,
            left=left,
        )

    def business_support(self, area: str, service_manager: str, officers: int) -> None:
        team = BUSINESS_SUPPORT[area]
        manager = self.add(Role.ADMINISTRATOR, area, service_manager, team=team)
        for _ in range(officers):
            self.add(Role.ADMINISTRATOR, area, manager, team=team, fte=self.fte(0.4))


def build(today: date, seed: int = SEED, profile: str | None = None) -> DemoOrganisation:
    """The demo organisation's rows, ending today, with sessions following `profile` (the
    one in force when None). Same seed, same organisation."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    builder = _Builder(rng, today)
    builder.add(Role.QA_OFFICER, "", "")
    builder.add(Role.ADMINISTRATOR, "", "")
    for area, services in AREAS.items():
        head = builder.add(Role.HEAD_OF_SERVICE, area, "")
        for service in services:
            manager = builder.add(Role.SERVICE_MANAGER, area, head)
            for plan in service.teams:
                builder.team(plan, area, manager)
            if service.business_support:
                builder.business_support(area, manager, service.business_support)
    builder.add(Role.QA_OFFICER, "", "", fte=0.6)
    org = builder.org
    rules = shipped_profile(profile).frequency_rules() if profile else _rules_in_force()
    org.sessions, org.agreements = make_sessions(org.staff, rules, rng, today, HISTORY_DAYS)
    return org


def _rules_in_force() -> FrequencyRules:
    return in_force().profile.frequency_rules()


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def load(today: date, seed: int = SEED, profile: str | None = None) -> DemoOrganisation:
    """Import the demo organisation and give every demo person the demo password.

    With `profile`, that council profile is put in force from the start of the history
    (recorded as a choice, with the reason), so every day of it is judged by that profile.
    """
    if profile is not None:
        _choose(profile, today)
    org = build(today, seed, profile)
    for kind, rows in (
        ("staff", org.staff),
        ("sessions", org.sessions),
        ("agreements", org.agreements),
    ):
        report = import_bytes(
            kind, to_csv(rows), f"demo-{kind}.csv", None, dry_run=False, today=today
        )
        if not report.ok:
            raise RuntimeError(f"The demo {kind} did not import: {report.problems[:3]}")
    from qa.demo.cases import load_cases  # it builds on this module's rows

    load_cases(org, today, seed)
    password = hash_password(DEMO_PASSWORD)
    for person in db.session.scalars(select(Staff).where(Staff.email.like(f"%@{DOMAIN}"))):
        person.password_hash = password
    db.session.commit()
    return org


def _choose(profile: str, today: date) -> None:
    """Record the choice of `profile` as made on the first day of the demo's history."""
    config = current_app.config
    saved = config.get("FIXED_NOW")
    start = today - timedelta(days=HISTORY_DAYS + 31)
    config["FIXED_NOW"] = datetime.combine(start, time(9, 0))
    try:
        use_profile(
            profile,
            "The demo council",
            f"The demo council is loaded under the {shipped_profile(profile).council} profile "
            f"(flask --app qa demo --profile {profile}).",
        )
    finally:
        if saved is None:
            config.pop("FIXED_NOW", None)
        else:
            config["FIXED_NOW"] = saved


def sign_ins() -> list[tuple[str, str, str]]:
    """One demo sign-in per role: (role label, email, password)."""
    found = []
    for role in (
        Role.PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.HEAD_OF_SERVICE,
        Role.QA_OFFICER,
        Role.ADMINISTRATOR,
    ):
        person = db.session.scalar(
            select(Staff)
            .where(Staff.role == role, Staff.leaving_date.is_(None))
            .order_by(Staff.id)
            .limit(1)
        )
        if person is not None:
            found.append((person.role_label, person.email, DEMO_PASSWORD))
    return found
