"""Making, reading, verifying and replacing within selection runs.

A run is written once, with its audits, in one transaction. The unique key (policy, period,
selector) makes a second attempt return the first run instead of drawing again, whether the
attempt comes from the same process or a second scheduler racing it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import null, select
from sqlalchemy.exc import IntegrityError

from audit_tools.working_days import add_working_days
from qa.access import audits_other_lines, draws_for_the_service, may_draw, may_read_run, run_scope
from qa.audits.models import Audit
from qa.audits.states import EDITABLE, AuditState, move
from qa.clock import now, today
from qa.events.service import record
from qa.extensions import db
from qa.formatting import long_date
from qa.org.models import Staff
from qa.profiles.service import stamp as profile_stamp
from qa.roles import MANAGER_ROLES, Role
from qa.selections.frames import Organisation, file_id_of, load_organisation
from qa.selections.models import SelectionRun, draw_records
from qa.selections.policies import current_policies, current_policy
from qa.trends.filters import period_long_label
from sampling import selection as draw_lib
from sampling.cadences import AUDITOR_RULE_NOTE, TEAM_MANAGER_DRAW, WORKLOAD_DRAW, DrawRecord
from sampling.periods import period_bounds
from sampling.planning import SampleSize, allocate, size_from_rule
from sampling.policies import (
    DEFAULT_WORKING_DAYS,
    WORKLOAD_POPULATIONS,
    Exclusion,
    FileUnit,
    Policy,
    Selection,
    apply_exclusions,
    assign_auditors,
    due_date,
    monthly_team_manager,
    next_reserve,
    parse_period,
    period_key,
    quarterly_service_manager,
    six_monthly_random,
    working_days_allowed,
)
from sampling.population import in_population, takes_in_everyone
from sampling.verify import Verification, selection_frame_hash, verify

SERVICE_WIDE = "service"


class SelectionError(Exception):
    """A selection cannot be made or changed; the message says why and what to do."""


@dataclass(frozen=True)
class Frame:
    """What one selection was drawn from, before the draw."""

    policy: Policy
    period_key: str
    selector: Staff | None
    eligible: list[FileUnit]
    exclusions: list[Exclusion]
    workloads: dict[str, list[str]]
    size: SampleSize | None
    # For a policy drawn from managers' workloads: the size rule applied to each workload.
    sizes: dict[str, SampleSize] = field(default_factory=dict)


def selector_key(selector: Staff | None) -> str:
    return selector.external_id if selector is not None else SERVICE_WIDE


def selectors_for(policy: Policy, on: date) -> list[Staff | None]:
    """Who makes this policy's selections: each service manager, each head of service, or
    the service as a whole.

    The people read here are let go of by the session, keeping what was read, so that in a
    batch each selection's commit neither expires nor reads them again; anyone the session
    already held (the person signed in, say) stays in it.
    """
    if draws_for_the_service(policy):
        return [None]
    held = {id(instance) for instance in db.session.identity_map.values()}
    people = db.session.scalars(
        select(Staff).where(Staff.role == policy.selector_role).order_by(Staff.external_id)
    ).all()
    for person in people:
        if id(person) not in held:
            db.session.expunge(person)
    return [p for p in people if not p.has_left(on)]


def in_scope(policy: Policy, org: Organisation, units: list[FileUnit]) -> list[FileUnit]:
    """The files of the policy's population: its supervisees' roles, service areas, teams and
    case holding, when the policy names them (`sampling.population`)."""
    people = org.people()
    if takes_in_everyone(policy.scope):
        return [unit for unit in units if unit.supervisee_id in people]
    kept = []
    for unit in units:
        person = people.get(unit.supervisee_id)
        if person is not None and in_population(
            policy.scope,
            role=person.role,
            service_area=unit.service_area,
            team=unit.team,
            case_holding=person.case_holding,
        ):
            kept.append(unit)
    return kept


def _service_wide_units(policy: Policy, org: Organisation) -> list[FileUnit]:
    if policy.population == "chosen_files":
        chosen = policy.scope.get("files") or ()
        assert isinstance(chosen, tuple)
        return [org.units[f] for f in chosen if f in org.units]
    return list(org.units.values())


def build_frame(
    policy: Policy, period_key: str, selector: Staff | None, org: Organisation, on: date
) -> Frame:
    """The eligible files, the excluded ones with reasons, and the workloads to draw from,
    with the policy's size rule applied to the frame (or to each workload)."""
    auditor = selector.external_id if selector is not None else None
    workloads: dict[str, list[str]] = {}
    excluded: list[Exclusion] = []
    eligible: list[FileUnit] = []
    sizes: dict[str, SampleSize] = {}
    size = None
    if policy.population not in WORKLOAD_POPULATIONS:
        units = in_scope(policy, org, _service_wide_units(policy, org))
        eligible, excluded = apply_exclusions(units, policy.exclusions, on, None)
        size = size_from_rule(policy.size_rule, len(eligible))
    else:
        if selector is None:
            raise SelectionError("This policy needs a selector")
        role = (
            Role.TEAM_MANAGER
            if policy.population == "team_manager_workloads"
            else Role.SERVICE_MANAGER
        )
        for manager in org.reports(selector.id, role, on):
            units = in_scope(policy, org, org.workload(manager.id))
            kept, left_out = apply_exclusions(units, policy.exclusions, on, auditor)
            workloads[manager.external_id] = [u.file_id for u in kept]
            sizes[manager.external_id] = size_from_rule(policy.size_rule, len(kept))
            eligible += kept
            excluded += left_out
    return Frame(policy, period_key, selector, eligible, excluded, workloads, size, sizes)


@dataclass(frozen=True)
class EarlierRun:
    """A run already made for the same policy and selector; `draws` (its stored draws) only
    for a policy that rotates between team managers, the one that needs them."""

    id: int
    period_key: str
    ran_at: datetime
    draws: str | None


def _earlier_runs(policy: Policy, selector: Staff | None) -> list[EarlierRun]:
    """The runs already made for this policy and selector, oldest first: one read that says
    whether the period's run is among them and when each team manager was last chosen."""
    rotates = policy.population == "team_manager_workloads"
    draws = SelectionRun.draws if rotates else null()
    rows = db.session.execute(
        select(SelectionRun.id, SelectionRun.period_key, SelectionRun.ran_at, draws)
        .where(
            SelectionRun.policy_key == policy.key,
            SelectionRun.selector_key == selector_key(selector),
        )
        .order_by(SelectionRun.ran_at)
    )
    return [EarlierRun(*row) for row in rows]


def _last_sampled(earlier: list[EarlierRun]) -> dict[str, date | None]:
    """When each team manager's workload was last chosen, from earlier monthly runs."""
    found: dict[str, date | None] = {}
    for run in earlier:
        for draw in draw_records(run.draws or "[]"):
            if draw.kind == TEAM_MANAGER_DRAW and draw.selected:
                found[draw.selected[0]] = run.ran_at.date()
    return found


def _draw(
    frame: Frame,
    seed: str,
    on: date,
    org: Organisation,
    actor: Staff | None,
    earlier: list[EarlierRun],
) -> Selection:
    policy = frame.policy
    sizes = {manager: size.n for manager, size in frame.sizes.items()}
    if policy.population == "team_manager_workloads":
        assert frame.selector is not None
        result = monthly_team_manager(
            seed,
            frame.workloads,
            _last_sampled(earlier),
            frame.selector.external_id,
            sizes,
        )
    elif policy.population == "service_manager_workloads":
        assert frame.selector is not None
        result = quarterly_service_manager(seed, frame.workloads, frame.selector.external_id, sizes)
    else:
        assert frame.size is not None
        return six_monthly_random(
            seed, frame.eligible, frame.size.n, _auditors(policy, frame.selector, actor, on)
        )
    if policy.auditor_rule == "selector":
        return result
    return _to_independent_managers(result, seed, org, on)


def _auditors(policy: Policy, selector: Staff | None, actor: Staff | None, on: date) -> list[str]:
    """Who may be given the files of a service-wide draw: managers from another line, or the
    person who draws (every quality assurance officer when the scheduler draws)."""
    if policy.auditor_rule == "independent_manager":
        roles: tuple[str, ...] = MANAGER_ROLES
    elif selector is not None:
        return [selector.external_id]
    elif actor is not None and may_draw(actor, policy):
        return [actor.external_id]
    else:
        roles = (policy.selector_role,)
    return sorted(
        s.external_id
        for s in db.session.scalars(select(Staff).where(Staff.role.in_(roles)))
        if not s.has_left(on)
    )


def _to_independent_managers(
    result: Selection, seed: str, org: Organisation, on: date
) -> Selection:
    """The same draws, each selected file given to a manager outside its line instead of the
    selector."""
    chosen = [org.units[file_id_of(ref)] for ref, _ in result.assignments]
    managers = [
        p.external_id
        for p in org.staff.values()
        if audits_other_lines(p.role) and not p.has_left(on)
    ]
    assignments, unassigned = assign_auditors(seed, chosen, sorted(managers))
    notes = [note for note in result.notes if "audits the file" not in note]
    notes.append(AUDITOR_RULE_NOTE)
    notes += [
        f"No auditor could be given file {ref}: each manager is its supervisor, its supervisee "
        "or in the supervisee's line of management."
        for ref in unassigned
    ]
    return Selection(result.draws, assignments, tuple(notes))


def size_reasoning(frame: Frame, result: Selection | None = None) -> str:
    """Why the selection is the size it is, in words: for the whole frame, or for each
    workload that was drawn from."""
    if frame.size is not None:
        return frame.size.reasoning
    drawn = (
        [d.subject for d in result.draws if d.kind == WORKLOAD_DRAW]
        if result is not None
        else sorted(frame.sizes)
    )
    return " ".join(
        f"From {manager}'s {len(frame.workloads[manager])} eligible files: "
        f"{frame.sizes[manager].reasoning}"
        for manager in drawn
        if manager in frame.sizes
    )


def existing_run(policy_key: str, period_key: str, selector: Staff | None) -> SelectionRun | None:
    return db.session.scalar(
        select(SelectionRun).where(
            SelectionRun.policy_key == policy_key,
            SelectionRun.period_key == period_key,
            SelectionRun.selector_key == selector_key(selector),
        )
    )


def run_selection(
    policy_key: str,
    period_key: str,
    selector: Staff | None,
    actor: Staff | None,
    *,
    seed: str | None = None,
    org: Organisation | None = None,
) -> tuple[SelectionRun, bool]:
    """Make the selection for a policy, period and selector, or return the one already made.

    Returns (run, created). Everything (run, audits, event) is one transaction.
    """
    _, policy = current_policy(policy_key)
    period = parse_period(period_key)
    if period.cadence != policy.cadence:
        raise SelectionError(
            f"{policy.title} is {policy.cadence}: enter a period like "
            f"{_example(policy.cadence)}, not {period_key}"
        )
    earlier = _earlier_runs(policy, selector)
    made = next((run.id for run in earlier if run.period_key == period.key), None)
    if made is not None:
        return db.session.get_one(SelectionRun, made), False
    on = today()
    _refuse_future(period.key, on)
    org = org or load_organisation()
    frame = build_frame(policy, period.key, selector, org, on)
    seed = seed or draw_lib.new_seed()
    result = _draw(frame, seed, on, org, actor, earlier)
    try:
        run = _store(frame, result, seed, actor, org)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        found = existing_run(policy.key, period.key, selector)
        if found is None:
            raise
        return found, False
    return run, True


def audits_due_on(policy: Policy, period_key: str, drawn_on: date) -> date:
    """The later of the policy's due date for the period and the draw date plus the policy's
    working days, so an audit drawn late is never overdue on the day it is made."""
    earliest = add_working_days(drawn_on, working_days_allowed(policy))
    return due_date(policy, period_key, earliest=earliest)


def _refuse_future(period_key: str, on: date) -> None:
    """A period may be drawn once it has begun (or within the configured lead time before);
    a later one is the scheduler's, on its first day."""
    first, _ = period_bounds(period_key)
    lead = int(current_app.config.get("DRAW_LEAD_DAYS", 0))
    opens = first - timedelta(days=lead)
    if on < opens:
        raise SelectionError(
            f"The selection for {period_long_label(period_key)} cannot be drawn yet: it can be "
            f"drawn from {long_date(opens)}. The scheduler draws it on that day."
        )


def _example(cadence: str) -> str:
    return period_key(cadence, today())


def _store(
    frame: Frame, result: Selection, seed: str, actor: Staff | None, org: Organisation
) -> SelectionRun:
    policy = frame.policy
    run = SelectionRun(
        policy_key=policy.key,
        policy_version=policy.version,
        period_key=frame.period_key,
        selector_key=selector_key(frame.selector),
        selector_id=frame.selector.id if frame.selector else None,
        seed=seed,
        algorithm=draw_lib.ALGORITHM,
        algorithm_version=draw_lib.ALGORITHM_VERSION,
        frame_hash=selection_frame_hash(result.draws),
        frame_size=sum(len(d.frame) for d in result.draws),
        draws=json.dumps([_as_dict(d) for d in result.draws]),
        exclusions=json.dumps([_as_dict(e) for e in frame.exclusions]),
        notes=json.dumps(list(result.notes)),
        sample_size_reasoning=size_reasoning(frame, result),
        ran_at=now(),
        ran_by_id=actor.id if actor else None,
    )
    db.session.add(run)
    db.session.flush()
    assigned = dict(result.assignments)
    staff_by_ext = _staff_ids(set(assigned.values()), org)
    due = audits_due_on(policy, frame.period_key, run.ran_at.date())
    profile_name, profile_version = profile_stamp()
    for record_ in result.draws:
        if record_.kind == TEAM_MANAGER_DRAW:
            continue
        for ref in record_.selected:
            auditor = assigned.get(ref)
            db.session.add(
                Audit(
                    run_id=run.id,
                    draw_label=record_.label,
                    file_id=file_id_of(ref),
                    auditor_id=staff_by_ext.get(auditor) if auditor else None,
                    tool_id=policy.tool_id,
                    due_on=due,
                    state=AuditState.SELECTED,
                    created_at=run.ran_at,
                    sign_off_rule=policy.sign_off_rule,
                    profile_name=profile_name,
                    profile_version=profile_version,
                )
            )
    record(
        actor,
        "selection_made",
        "selection_run",
        run.id,
        f"{policy.title}, {frame.period_key}, drawn for "
        f"{frame.selector.name if frame.selector else 'the whole service'}, seed {seed}",
    )
    return run


def _as_dict(record: DrawRecord | Exclusion) -> dict[str, object]:
    """A draw or exclusion's fields by name, as `dataclasses.asdict` gives them but without
    copying every id in its frame: the JSON is the same."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def _staff_ids(external_ids: set[str], org: Organisation) -> dict[str, int]:
    """The database ids of these people: from the organisation already read, and from the
    database for anyone who joined since."""
    found: dict[str, int] = {}
    for external_id in external_ids:
        person = org.person(external_id)
        if person is not None:
            found[external_id] = person.id
    missing = sorted(external_ids - set(found))
    if missing:
        found.update(
            db.session.execute(
                select(Staff.external_id, Staff.id).where(Staff.external_id.in_(missing))
            ).tuples()
        )
    return found


def verify_run(run: SelectionRun, actor: Staff | None = None) -> Verification:
    """Recompute the run from its stored frames and seed; log that it was checked."""
    result = verify(run.seed, run.draw_records, run.frame_hash)
    outcome = "matches" if result.matches else "does not match"
    record(actor, "selection_verified", "selection_run", run.id, outcome)
    db.session.commit()
    return result


def replace_file(audit: Audit, reason: str, actor: Staff | None) -> Audit:
    """Cancel a selected audit and put the next usable reserve of the same draw in its place.

    Reserves are taken strictly in ticket order, skipping files already in this run and files
    that are no longer eligible (for example the worker has left), so the replacement can be
    verified like the draw.
    """
    if not reason.strip():
        raise SelectionError("Enter why the file is being replaced")
    if audit.state not in EDITABLE:
        raise SelectionError("Only an audit that has not been submitted can be replaced")
    if audit.version_no > 1:
        raise SelectionError(
            "This audit was signed off before it was reopened for correction, so it stays on "
            "the record: finish the correction and submit it again"
        )
    run = audit.run
    if run is None:
        raise SelectionError("This audit was not drawn from a selection, so it has no reserves")
    record_ = next((d for d in run.draw_records if d.label == audit.draw_label), None)
    if record_ is None:
        raise SelectionError("The draw this audit came from is not in its run")
    on = today()
    org = load_organisation()
    used = {
        f"F{fid:06d}"
        for fid in db.session.scalars(select(Audit.file_id).where(Audit.run_id == run.id))
    }
    unavailable = set(used) | {ref for ref in record_.reserves if _not_eligible(org, ref, on)}
    ref = next_reserve(record_, unavailable)
    move(
        audit,
        AuditState.CANCELLED,
        actor,
        reason.strip() if ref else f"{reason.strip()} (no reserve left)",
    )
    audit.cancel_reason = reason.strip()
    if ref is None:
        db.session.commit()
        raise SelectionError(
            "The audit was cancelled, but this draw has no reserves left to take its place"
        )
    replacement = Audit(
        run_id=run.id,
        draw_label=audit.draw_label,
        file_id=file_id_of(ref),
        auditor_id=audit.auditor_id,
        tool_id=audit.tool_id,
        due_on=max(audit.due_on, add_working_days(today(), DEFAULT_WORKING_DAYS)),
        state=AuditState.SELECTED,
        created_at=now(),
        replaces_id=audit.id,
        sign_off_rule=audit.sign_off_rule,
    )
    replacement.profile_name, replacement.profile_version = profile_stamp()
    db.session.add(replacement)
    db.session.flush()
    record(actor, "reserve_taken", "audit", replacement.id, f"{ref} replaces audit {audit.id}")
    db.session.commit()
    return replacement


def _not_eligible(org: Organisation, ref: str, on: date) -> bool:
    unit = org.units.get(file_id_of(ref))
    return unit is None or (unit.supervisee_left_on is not None and unit.supervisee_left_on <= on)


def runs_for(user: Staff) -> list[SelectionRun]:
    """The runs a person may see: their own selections, or all for QA and administrators."""
    query = (
        select(SelectionRun)
        .where(run_scope(user))
        .order_by(SelectionRun.ran_at.desc(), SelectionRun.id.desc())
    )
    return list(db.session.scalars(query))


def get_run(user: Staff, run_id: int) -> SelectionRun | None:
    run = db.session.get(SelectionRun, run_id)
    if run is None or not may_read_run(user, run):
        return None
    return run


def audits_of_run(run: SelectionRun) -> list[Audit]:
    """The audits a run made, and the reserves that replaced any, in the order made."""
    return list(db.session.scalars(select(Audit).where(Audit.run_id == run.id).order_by(Audit.id)))


def drawn_audit(user: Staff, audit_id: int) -> Audit | None:
    """An audit drawn in a run the person may read, or None."""
    audit = db.session.get(Audit, audit_id)
    if audit is None or audit.run is None or get_run(user, audit.run.id) is None:
        return None
    return audit


def drawable_policies(user: Staff) -> list[Policy]:
    """The active policies the person draws."""
    return [p for row, p in current_policies() if row.active and may_draw(user, p)]


def draw_for(
    policy: Policy, period_key: str, user: Staff, *, seed: str | None = None
) -> tuple[SelectionRun, bool]:
    """The person's selection for a policy and period: theirs, or the service's when the
    policy is drawn for the whole service."""
    selector = None if draws_for_the_service(policy) else user
    return run_selection(policy.key, period_key, selector, user, seed=seed)


def plan_sample(policy_key: str) -> tuple[Policy, Frame, dict[str, int]]:
    """What a six-monthly draw would use today: eligible files, the size and why, by area."""
    _, policy = current_policy(policy_key)
    on = today()
    frame = build_frame(policy, "", None, load_organisation(), on)
    by_area: dict[str, int] = {}
    for unit in frame.eligible:
        by_area[unit.service_area] = by_area.get(unit.service_area, 0) + 1
    allocation = allocate(frame.size.n if frame.size else 0, by_area)
    return policy, frame, allocation
