"""The roles a member of staff can have, as named things.

The stored value of each member is what the database and import files hold ("team_manager"),
so the names can be compared with a row's `role` column directly. Who may do what with each
role is decided in `qa.access`, nowhere else.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    SENIOR_PRACTITIONER = "senior_practitioner"
    TEAM_MANAGER = "team_manager"
    SERVICE_MANAGER = "service_manager"
    HEAD_OF_SERVICE = "head_of_service"
    QA_OFFICER = "qa_officer"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.PRACTITIONER: "Practitioner",
    Role.SENIOR_PRACTITIONER: "Senior practitioner",
    Role.TEAM_MANAGER: "Team manager",
    Role.SERVICE_MANAGER: "Service manager",
    Role.HEAD_OF_SERVICE: "Head of service",
    Role.QA_OFFICER: "Quality assurance officer",
    Role.ADMINISTRATOR: "Administrator",
}

# The line of management, bottom up: people who supervise others and hold a workload.
MANAGER_ROLES: tuple[Role, ...] = (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.HEAD_OF_SERVICE)


def role_label(value: str) -> str:
    """A stored role as words ("Head of service"); an unknown value as it is."""
    try:
        return Role(value).label
    except ValueError:
        return value
