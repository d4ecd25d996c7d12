"""A believable demo council, the same every time: 3 service areas, 12 teams, about 250 staff,
24 months of supervision sessions with realistic gaps and late sign-offs.

The demo goes through the same import as a council's own files, so it is checked by the
same rules.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from qa.auth.passwords import hash_password
from qa.extensions import db
from qa.org.importing import import_bytes
from qa.org.models import Staff
from qa.roles import Role

DEMO_PASSWORD = "demo-supervision-2026"  # noqa: S105 (printed for the demo organisation only)
DOMAIN = "democity.org.uk"
SEED = 20261101

AREAS = {
    "Children in Need and Child Protection": [
        "Duty and Assessment",
        "Safeguarding North",
        "Safeguarding South",
        "Court and Pre-proceedings",
    ],
    "Children in Care and Care Leavers": [
        "Children in Care East",
        "Children in Care West",
        "Leaving Care",
        "Fostering Support",
    ],
    "Early Help and Family Support": [
        "Early Help Central",
        "Early Help Outreach",
        "Family Support",
        "Youth Justice",
    ],
}
FIRST = [
    "Amina",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Farah",
    "George",
    "Hannah",
    "Imran",
    "Jade",
    "Kwame",
    "Laura",
    "Mohammed",
    "Nadia",
    "Owen",
    "Priya",
    "Rachel",
    "Sam",
    "Tariq",
    "Uma",
    "Victoria",
    "Will",
    "Yasmin",
    "Zoe",
    "Aaron",
    "Bethany",
    "Callum",
    "Deborah",
    "Emeka",
    "Fiona",
]
LAST = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Francis",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Shah",
    "Taylor",
    "Usman",
    "Walsh",
    "Young",
    "Zielinski",
    "Begum",
    "Campbell",
    "Doherty",
    "Edwards",
    "Fraser",
    "Gill",
]

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
]


@dataclass
class DemoOrganisation:
    staff: list[dict[str, str]] = field(default_factory=list)
    sessions: list[dict[str, str]] = field(default_factory=list)
    agreements: list[dict[str, str]] = field(default_factory=list)


class _People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.count = 0

    def new(self) -> tuple[str, str, str]:
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.used:
                break
        self.used.add(name)
        self.count += 1
        email = name.lower().replace(" ", ".") + "@" + DOMAIN
        return f"S{self.count:04d}", name, email


def build(today: date, seed: int = SEED) -> DemoOrganisation:
    """The demo organisation's rows, ending today. Same seed, same organisation."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    people = _People(rng)
    org = DemoOrganisation()

    def add(
        role: Role, team: str, area: str, manager: str, case_holding: bool, **dates: str
    ) -> str:
        staff_id, name, email = people.new()
        start = today - timedelta(days=rng.randint(400, 4000))
        org.staff.append(
            {
                "staff_id": staff_id,
                "name": name,
                "email": email,
                "role": role,
                "team": team,
                "service_area": area,
                "line_manager_id": manager,
                "case_holding": "yes" if case_holding else "no",
                "asye_start": dates.get("asye_start", ""),
                "start_date": dates.get("start_date", start.isoformat()),
                "leaving_date": dates.get("leaving_date", ""),
            }
        )
        return staff_id

    for area, teams in AREAS.items():
        head = add(Role.HEAD_OF_SERVICE, "", area, "", False)
        for pair in (teams[:2], teams[2:]):
            manager = add(Role.SERVICE_MANAGER, "", area, head, False)
            for team in pair:
                team_manager = add(Role.TEAM_MANAGER, team, area, manager, False)
                for _ in range(2):
                    add(Role.SENIOR_PRACTITIONER, team, area, team_manager, True)
                for i in range(15):
                    if i == 0:
                        asye = today - timedelta(days=rng.randint(20, 150))
                        add(
                            Role.PRACTITIONER,
                            team,
                            area,
                            team_manager,
                            True,
                            asye_start=asye.isoformat(),
                            start_date=asye.isoformat(),
                        )
                    elif i == 1 and rng.random() < 0.5:
                        left = today - timedelta(days=rng.randint(30, 300))
                        add(
                            Role.PRACTITIONER,
                            team,
                            area,
                            team_manager,
                            True,
                            leaving_date=left.isoformat(),
                            start_date=(left - timedelta(days=900)).isoformat(),
                        )
                    else:
                        add(Role.PRACTITIONER, team, area, team_manager, rng.random() < 0.9)
    add(Role.QA_OFFICER, "", "", "", False)
    add(Role.ADMINISTRATOR, "", "", "", False)
    _sessions(org, rng, today)
    return org


def _sessions(org: DemoOrganisation, rng: random.Random, today: date) -> None:
    """Sessions every few weeks, with some long gaps, late records and missing signatures."""
    window_start = today - timedelta(days=730)
    # each supervisor is consistently better or worse at recording on time
    diligence: dict[str, float] = {}
    for person in org.staff:
        manager = person["line_manager_id"]
        if not manager:
            continue
        skill = diligence.setdefault(manager, rng.uniform(0.55, 0.97))
        start = max(date.fromisoformat(person["start_date"]), window_start)
        end = date.fromisoformat(person["leaving_date"]) if person["leaving_date"] else today
        interval = 28 if person["case_holding"] == "yes" else 56
        held = start + timedelta(days=rng.randint(3, 20))
        last_agreement = None
        while held <= end and held < today:
            recorded = held + timedelta(
                days=rng.randint(0, 2) if rng.random() < skill else rng.randint(4, 15)
            )
            signed_sup = recorded + timedelta(
                days=rng.randint(0, 6) if rng.random() < skill else rng.randint(12, 30)
            )
            signed_see = signed_sup + timedelta(days=rng.randint(0, 5))
            org.sessions.append(
                {
                    "supervisee_id": person["staff_id"],
                    "supervisor_id": manager,
                    "session_date": held.isoformat(),
                    "type": "case" if rng.random() < 0.8 else "personal",
                    "recorded_date": _upto(recorded, today),
                    "signed_by_supervisor": _upto(signed_sup, today) if rng.random() < 0.95 else "",
                    "signed_by_supervisee": _upto(signed_see, today) if rng.random() < 0.9 else "",
                }
            )
            last_agreement = last_agreement or held
            gap = interval + rng.randint(-6, 8)
            if rng.random() > skill * 0.9 + 0.08:
                gap += rng.randint(20, 60)
            held += timedelta(days=gap)
        if last_agreement and rng.random() < 0.92:
            signed = last_agreement + timedelta(days=rng.randint(0, 10))
            org.agreements.append(
                {
                    "supervisee_id": person["staff_id"],
                    "supervisor_id": manager,
                    "signed_by_supervisor": signed.isoformat(),
                    "signed_by_supervisee": signed.isoformat() if rng.random() < 0.9 else "",
                    "review_due": (signed + timedelta(days=365)).isoformat(),
                }
            )


def _upto(day: date, today: date) -> str:
    return day.isoformat() if day <= today else ""


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def load(today: date, seed: int = SEED) -> DemoOrganisation:
    """Import the demo organisation and give every demo person the demo password."""
    org = build(today, seed)
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
    password = hash_password(DEMO_PASSWORD)
    for person in db.session.scalars(select(Staff).where(Staff.email.like(f"%@{DOMAIN}"))):
        person.password_hash = password
    db.session.commit()
    return org


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
