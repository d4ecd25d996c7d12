"""Which files a policy's population takes in, from the scope it names.

A policy may narrow its population to its supervisees' roles, service areas, teams and case
holding (an ad-hoc or thematic audit of care leavers' workers, say). A scope that names none
of these takes in every file; each one it names must hold.
"""

from __future__ import annotations

from collections.abc import Mapping


def names(value: object) -> frozenset[str]:
    """A scope entry as a set of names: a list or tuple of them, or nothing."""
    return (
        frozenset(str(item) for item in value) if isinstance(value, tuple | list) else frozenset()
    )


def in_population(
    scope: Mapping[str, object],
    *,
    role: str,
    service_area: str,
    team: str,
    case_holding: bool,
) -> bool:
    """Whether a file whose supervisee has this role, area, team and case holding is in the
    population the scope describes.

    >>> in_population({"roles": ["team_manager"]}, role="practitioner", service_area="North",
    ...               team="N1", case_holding=True)
    False
    >>> in_population({"areas": ["North"], "case_holding": True}, role="practitioner",
    ...               service_area="North", team="N1", case_holding=True)
    True
    >>> in_population({}, role="practitioner", service_area="South", team="S1",
    ...               case_holding=False)
    True
    """
    wanted = scope.get("case_holding")
    return (
        _allows(names(scope.get("roles")), role)
        and _allows(names(scope.get("areas")), service_area)
        and _allows(names(scope.get("teams")), team)
        and (wanted is None or wanted == case_holding)
    )


def takes_in_everyone(scope: Mapping[str, object]) -> bool:
    """Whether the scope names nothing, so every file is in the population.

    >>> takes_in_everyone({})
    True
    >>> takes_in_everyone({"roles": [], "case_holding": False})
    False
    """
    return scope.get("case_holding") is None and not any(
        names(scope.get(entry)) for entry in ("roles", "areas", "teams")
    )


def _allows(chosen: frozenset[str], value: str) -> bool:
    return not chosen or value in chosen
