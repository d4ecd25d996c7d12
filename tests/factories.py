"""A small organisation for tests: two service areas with a full line-management tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from werkzeug.security import generate_password_hash

from qa.extensions import db
from qa.org.models import (
    ServiceArea,
    Staff,
    SupervisionAgreement,
    SupervisionFile,
    SupervisionSession,
    Team,
)

PASSWORD = "correct-horse-battery"  # noqa: S105


@lru_cache(maxsize=1)
def _hash() -> str:
    """A scrypt hash with a small work factor: the same check as production's, made cheap
    so that hundreds of test sign-ins stay fast."""
    return generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


@dataclass
class Org:
    password: str = PASSWORD
    people: dict[str, Staff] = field(default_factory=dict)
    areas: dict[str, ServiceArea] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)

    def file_of(self, key: str) -> SupervisionFile:
        supervision_file = self.people[key].file
        assert supervision_file is not None
        return supervision_file


def make_org() -> Org:
    """North and South areas. Keys name each person; the first of each role is in North."""
    org = Org()
    for name in ("North", "South"):
        org.areas[name] = ServiceArea(name=name)
    org.teams["N1"] = Team(name="North Safeguarding", service_area=org.areas["North"])
    org.teams["N2"] = Team(name="North Children in Care", service_area=org.areas["North"])
    org.teams["S1"] = Team(name="South Safeguarding", service_area=org.areas["South"])

    def person(
        key: str, role: str, area: str | None, team: str | None, manager: str | None
    ) -> Staff:
        staff = Staff(
            external_id=f"T-{key}",
            name=key.replace("_", " ").title(),
            email=f"{key}@council.org.uk",
            role=role,
            service_area=org.areas[area] if area else None,
            team=org.teams[team] if team else None,
            line_manager=org.people[manager] if manager else None,
            case_holding=role in ("practitioner", "senior_practitioner"),
            start_date=date(2020, 1, 6),
            password_hash=_hash(),
        )
        db.session.add(staff)
        org.people[key] = staff
        return staff

    person("administrator", "administrator", None, None, None)
    person("qa_officer", "qa_officer", None, None, None)
    person("head_of_service", "head_of_service", "North", None, None)
    person("service_manager", "service_manager", "North", None, "head_of_service")
    person("team_manager", "team_manager", "North", "N1", "service_manager")
    person("team_manager_n2", "team_manager", "North", "N2", "service_manager")
    person("practitioner", "practitioner", "North", "N1", "team_manager")
    person("senior_practitioner", "senior_practitioner", "North", "N1", "team_manager")
    person("practitioner_n2", "practitioner", "North", "N2", "team_manager_n2")
    person("head_south", "head_of_service", "South", None, None)
    person("service_manager_south", "service_manager", "South", None, "head_south")
    person("team_manager_south", "team_manager", "South", "S1", "service_manager_south")
    person("practitioner_south", "practitioner", "South", "S1", "team_manager_south")
    db.session.flush()
    for staff in list(org.people.values()):
        if staff.line_manager is not None:
            db.session.add(
                SupervisionFile(
                    supervisee=staff, supervisor=staff.line_manager, opened_on=date(2020, 1, 6)
                )
            )
    db.session.flush()
    practitioner_file = org.file_of("practitioner")
    for held, recorded, signed in (
        (date(2026, 9, 1), date(2026, 9, 2), date(2026, 9, 8)),
        (date(2026, 9, 29), date(2026, 10, 6), None),
        (date(2026, 10, 27), date(2026, 10, 28), date(2026, 10, 30)),
    ):
        db.session.add(
            SupervisionSession(
                file=practitioner_file,
                supervisor=org.people["team_manager"],
                held_on=held,
                kind="case",
                recorded_on=recorded,
                signed_by_supervisor_on=signed,
                signed_by_supervisee_on=signed,
            )
        )
    db.session.add(
        SupervisionAgreement(
            file=practitioner_file,
            supervisor=org.people["team_manager"],
            signed_by_supervisor_on=date(2026, 1, 12),
            signed_by_supervisee_on=date(2026, 1, 12),
            review_due=date(2027, 1, 12),
        )
    )
    db.session.commit()
    return org
