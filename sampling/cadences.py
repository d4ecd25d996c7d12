"""The selection for each audit cadence, as labelled draws that ``verify`` can recompute.

The cadences come from Coventry's supervision policy (003_2701f8fa2326f2b4.txt, section 9):

- 9.3: "Each month service managers will select a supervision file from the workload of one
  of their team managers" (``monthly_team_manager``);
- 9.4: "On a quarterly basis the responsible head of service will select a supervision file
  from the workload of each service manager" (``quarterly_service_manager``);
- 9.2: "the auditing of a random selection of supervision files on a six-monthly basis by
  managers" (``six_monthly_random``).

Each draw is stored with its sorted frame, its size and its result, all under one seed, so a
third party can re-run it with Rivest's consistent_sampler and get the same files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sampling.exclusions import FileUnit
from sampling.periods import long_date
from sampling.planning import allocate
from sampling.selection import draw, order_by_ticket, ticket

AUDITOR_RULE_NOTE = (
    "Each file went to the auditor with the fewest files so far who is not its supervisor, "
    "its supervisee or anyone in the supervisee's line of management; ties were settled by "
    "ticket."
)


# What a draw chose from, stored beside its label so no code has to read the label's words.
TEAM_MANAGER_DRAW = "team_manager"  # which team manager's workload (monthly)
WORKLOAD_DRAW = "workload"  # a file from one manager's workload; subject: the manager's id
AREA_DRAW = "service_area"  # a file from one service area's stratum; subject: the area's name


@dataclass(frozen=True)
class DrawRecord:
    """One labelled draw: the sorted frame, how many were wanted, the result and reserves.

    ``kind`` and ``subject`` say what the draw chose from (see the ``*_DRAW`` names); the
    label is the same in words, for people.
    """

    label: str
    frame: tuple[str, ...]
    k: int
    selected: tuple[str, ...]
    reserves: tuple[str, ...]
    kind: str = ""
    subject: str = ""


def kind_from_label(label: str) -> tuple[str, str]:
    """(kind, subject) of a draw stored before draws kept them, read from its label.

    Labels were only ever "team manager", "file from <id>" and "service area <name>".
    """
    for prefix, kind in (("file from ", WORKLOAD_DRAW), ("service area ", AREA_DRAW)):
        if label.startswith(prefix):
            return kind, label[len(prefix) :]
    if label == "team manager":
        return TEAM_MANAGER_DRAW, ""
    return "", ""


@dataclass(frozen=True)
class Selection:
    """A cadence's draws, who audits each selected file, and the reasoning in plain English."""

    draws: tuple[DrawRecord, ...]
    assignments: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


def record_draw(
    seed: str, label: str, unit_ids: Sequence[str], k: int, kind: str = "", subject: str = ""
) -> DrawRecord:
    """Draw ``k`` of the units and keep the frame sorted, so the record can be re-checked."""
    frame = tuple(sorted(unit_ids))
    result = draw(seed, frame, k)
    return DrawRecord(label, frame, k, result.selected, result.reserves, kind, subject)


def next_reserve(record: DrawRecord, unavailable: Collection[str]) -> str | None:
    """The first reserve, in ticket order, that is not unavailable (or None if none is left).

    Used when a selected file has to be replaced, for example because the worker has left;
    taking reserves strictly in order keeps the replacement verifiable.
    """
    return next((unit for unit in record.reserves if unit not in unavailable), None)


def monthly_team_manager(
    seed: str,
    workloads: Mapping[str, Sequence[str]],
    last_sampled: Mapping[str, date | None],
    selector_id: str,
    sizes: Mapping[str, int] | None = None,
) -> Selection:
    """Choose one team manager's workload, then files from it, for the service manager.

    Rotation: among team managers with at least one eligible file, those never sampled come
    first, then those sampled longest ago. Draw 1 ("team manager") picks one of that tied tier
    by ticket. Because the chosen team manager then becomes the most recently sampled, every
    team manager's workload is covered before any is repeated. Draw 2 ("file from <id>")
    picks ``sizes[team manager]`` files from that workload (one when not given; the policy's
    size rule applied to the workload); the rest are its reserves. The selector audits.
    A team manager missing from ``last_sampled`` counts as never sampled.
    """
    _check_id(selector_id, "The service manager")
    dates = {tm: last_sampled.get(tm) for tm, files in sorted(workloads.items()) if files}
    notes = [
        f"{tm} has no eligible files this month, so was not considered."
        for tm, files in sorted(workloads.items())
        if not files
    ]
    if not dates:
        notes.append("No team manager has an eligible file this month, so no file was selected.")
        return Selection((), (), tuple(notes))
    never = [tm for tm, when in dates.items() if when is None]
    if never:
        tier = never
        why = "not been sampled before"
    else:
        known = {tm: when for tm, when in dates.items() if when is not None}
        oldest = min(known.values())
        tier = [tm for tm, when in known.items() if when == oldest]
        why = f"been sampled least recently (on {long_date(oldest)})"
    manager = record_draw(seed, "team manager", tier, 1, TEAM_MANAGER_DRAW)
    chosen = manager.selected[0]
    k = _size_for(sizes, chosen, len(workloads[chosen]))
    file_draw = record_draw(
        seed, f"file from {chosen}", workloads[chosen], k, WORKLOAD_DRAW, chosen
    )
    notes += [
        f"{len(tier)} of the {_count(len(dates), 'team manager')} with eligible files "
        f"{'has' if len(tier) == 1 else 'have'} {why}, so the choice was among them; "
        "this way every team manager's workload is covered before any is repeated.",
        f"{chosen} was chosen by ticket.",
        f"{_chosen_words(file_draw.selected)} chosen by ticket from {chosen}'s "
        f"{_count(len(file_draw.frame), 'eligible file')}; any others are reserves, in order.",
        f"{selector_id}, the service manager, audits "
        f"{'the file' if len(file_draw.selected) == 1 else 'the files'} "
        "(Coventry policy, section 9.3).",
    ]
    assignments = tuple((file_id, selector_id) for file_id in file_draw.selected)
    return Selection((manager, file_draw), assignments, tuple(notes))


def quarterly_service_manager(
    seed: str,
    workloads: Mapping[str, Sequence[str]],
    selector_id: str,
    sizes: Mapping[str, int] | None = None,
) -> Selection:
    """Choose files from each service manager's workload for the head of service to audit.

    One draw per service manager, labelled "file from <id>", in order of id, of
    ``sizes[manager]`` files (one when not given); the rest of each workload are that draw's
    reserves (Coventry policy, section 9.4).
    """
    _check_id(selector_id, "The head of service")
    _check_disjoint(workloads)
    draws: list[DrawRecord] = []
    notes: list[str] = []
    for manager, files in sorted(workloads.items()):
        if not files:
            notes.append(f"{manager} has no eligible files this quarter, so none was selected.")
            continue
        k = _size_for(sizes, manager, len(files))
        record = record_draw(seed, f"file from {manager}", files, k, WORKLOAD_DRAW, manager)
        draws.append(record)
        notes.append(
            f"{_chosen_words(record.selected)} chosen by ticket from {manager}'s "
            f"{_count(len(record.frame), 'eligible file')}; any others are reserves, in order."
        )
    assignments = tuple((file_id, selector_id) for record in draws for file_id in record.selected)
    if draws:
        notes.append(
            f"{selector_id}, the head of service, audits every selected file "
            "(Coventry policy, section 9.4)."
        )
    else:
        notes.append("No service manager has an eligible file this quarter.")
    return Selection(tuple(draws), assignments, tuple(notes))


def six_monthly_random(
    seed: str, units: Sequence[FileUnit], size: int, auditors: Sequence[str]
) -> Selection:
    """Draw a sample of ``size`` files stratified by service area and share out the audits.

    The size is split between service areas by ``planning.allocate`` (proportional, at least
    one each), each area is drawn separately ("service area <name>"), and the selected files
    are given to auditors by ``assign_auditors`` (Coventry policy, section 9.2).
    """
    _check_unique_files(units)
    by_area: dict[str, list[str]] = {}
    for unit in units:
        by_area.setdefault(unit.service_area, []).append(unit.file_id)
    allocation = allocate(size, {area: len(ids) for area, ids in by_area.items()})
    draws = tuple(
        record_draw(seed, f"service area {area}", by_area[area], allocation[area], AREA_DRAW, area)
        for area in sorted(by_area)
    )
    notes = [_sample_note(size, len(units), len(by_area))]
    notes += [
        f"Service area {area}: {allocation[area]} of {_count(len(by_area[area]), 'file')}."
        for area in sorted(by_area)
    ]
    chosen = {file_id for record in draws for file_id in record.selected}
    assignments, unassigned = assign_auditors(
        seed, [unit for unit in units if unit.file_id in chosen], auditors
    )
    if chosen:
        notes.append(AUDITOR_RULE_NOTE)
    notes += [
        f"No auditor could be given file {file_id}: each is its supervisor, its supervisee or "
        "in the supervisee's line of management. Add an auditor from another line."
        for file_id in unassigned
    ]
    return Selection(draws, assignments, tuple(notes))


def assign_auditors(
    seed: str, units: Sequence[FileUnit], auditors: Sequence[str]
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Give each file an auditor from a different line, keeping the numbers balanced.

    Files are taken in ticket order; each goes to the eligible auditor with the fewest files
    so far, ties settled by ``ticket(seed, auditor_id + ":" + file_id)``. An auditor is never
    the file's supervisor, its supervisee or anyone in ``line_above``. Returns the
    (file_id, auditor_id) pairs and, separately, the files no auditor could take.
    """
    _check_unique_files(units)
    repeated = sorted(a for a, n in Counter(auditors).items() if n > 1)
    if repeated:
        raise ValueError(f"Auditor {repeated[0]!r} is listed more than once")
    for auditor in auditors:
        _check_id(auditor, "An auditor")
    by_id = {unit.file_id: unit for unit in units}
    load = dict.fromkeys(auditors, 0)
    assignments: list[tuple[str, str]] = []
    unassigned: list[str] = []
    for file_id in order_by_ticket(seed, by_id):
        unit = by_id[file_id]
        conflicted = {unit.supervisor_id, unit.supervisee_id, *unit.line_above}
        eligible = [auditor for auditor in auditors if auditor not in conflicted]
        if not eligible:
            unassigned.append(file_id)
            continue
        auditor = min(eligible, key=lambda a: (load[a], ticket(seed, f"{a}:{file_id}"), a))
        load[auditor] += 1
        assignments.append((file_id, auditor))
    return tuple(assignments), tuple(unassigned)


def _sample_note(size: int, available: int, areas: int) -> str:
    if available == 0 or size == 0:
        return "There are no eligible files or the sample size is 0, so none was selected."
    if size >= available:
        return (
            f"The sample size ({size}) is at least the {_count(available, 'eligible file')}, "
            "so every file is selected."
        )
    if areas == 1:
        return f"The sample is {size} of the {available} eligible files, all in one service area:"
    if size < areas:
        return (
            f"The sample of {size} is smaller than the number of service areas ({areas}), "
            "so one file was taken from each of the largest areas:"
        )
    return (
        f"The sample of {size} was shared between the {areas} service areas in proportion "
        "to their eligible files, with at least one from each:"
    )


def _size_for(sizes: Mapping[str, int] | None, manager: str, available: int) -> int:
    """The files to draw from one manager's workload: the policy's size, at least one while
    the workload has an eligible file, never more than it has."""
    wanted = 1 if sizes is None else sizes.get(manager, 1)
    if isinstance(wanted, bool) or not isinstance(wanted, int) or wanted < 0:
        raise ValueError(f"The number of files to draw from {manager} must be a whole number")
    return min(max(wanted, 1), available)


def _chosen_words(selected: Sequence[str]) -> str:
    if len(selected) == 1:
        return f"File {selected[0]} was"
    return f"Files {', '.join(selected[:-1])} and {selected[-1]} were"


def _check_unique_files(units: Sequence[FileUnit]) -> None:
    repeated = sorted(f for f, n in Counter(unit.file_id for unit in units).items() if n > 1)
    if repeated:
        raise ValueError(f"File {repeated[0]!r} appears more than once")


def _check_disjoint(workloads: Mapping[str, Sequence[str]]) -> None:
    owner: dict[str, str] = {}
    for manager, files in sorted(workloads.items()):
        for file_id in files:
            if file_id in owner and owner[file_id] != manager:
                raise ValueError(
                    f"File {file_id!r} is in the workload of both {owner[file_id]} and {manager}"
                )
            owner[file_id] = manager


def _check_id(value: str, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be identified (an id was missing)")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
