"""A service with records of every kind in both areas, built through the services, and a
plain statement of who must NOT see which of them (the spec the matrix test checks).

North and South each get audits in every state, actions, replies and selection runs; QA
officers moderate. Everyone gets a distinctive name, so a page that shows another area's
people can be caught by looking for their names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from qa.actions import service as actions
from qa.audits import moderation, service, workflow
from qa.audits.models import Audit, AuditAnswer
from qa.audits.states import move
from qa.audits.tools import ensure_default_tools, get_tool
from qa.auth.passwords import hash_password
from qa.extensions import db
from qa.jobs.jobs import JOBS
from qa.jobs.models import OutboxMessage
from qa.org.models import Staff
from qa.selections import service as selections
from qa.selections.policies import current_policies
from tests.factories import PASSWORD, Org

SEED = "20261123202611232026"
STATES = ("selected", "in_progress", "submitted", "returned", "signed_off", "cancelled")
SERVICE_WIDE = ("administrator", "qa_officer")
PRACTITIONERS = ("practitioner", "senior_practitioner")
CREATED = datetime(2026, 11, 1, 6, 0)


@dataclass
class Record:
    kind: str
    id: int
    area: str | None  # "North", "South" or None (service-wide)
    label: str = ""
    # People linked to the record who may see it whatever their area (auditor, owner...).
    linked: frozenset[int] = frozenset()
    state: str = ""
    team: str | None = None  # the team name for staff, files and audits
    file_people: frozenset[int] = frozenset()  # an audit's supervisee and supervisor


@dataclass
class World:
    org: Org
    records: list[Record] = field(default_factory=list)
    moderator_2: Staff | None = None

    def of(self, kind: str) -> list[Record]:
        return [r for r in self.records if r.kind == kind]

    def area_of(self, key: str) -> str | None:
        person = self.org.people[key]
        return person.service_area.name if person.service_area else None

    def units_outside(self, key: str) -> list[str]:
        """The `unit` filter values of the other area and its teams."""
        return _units_outside(self, key)

    def names_outside(self, key: str) -> list[str]:
        """Names of the other area, its teams and its people: a page shown to `key` must not
        contain them."""
        area = self.area_of(key)
        if area is None:
            return []
        other = next(name for name in self.org.areas if name != area)
        teams = [t.name for t in self.org.teams.values() if t.service_area.name == other]
        people = [
            p.name
            for p in self.org.people.values()
            if p.service_area is not None and p.service_area.name == other
        ]
        return [f"{other} service area", *teams, *people]


def _units_outside(world: World, key: str) -> list[str]:
    area = world.area_of(key)
    if area is None:
        return []
    return [f"area-{a.id}" for n, a in world.org.areas.items() if n != area] + [
        f"team-{t.id}" for t in world.org.teams.values() if t.service_area.name != area
    ]


def build(org: Org) -> World:
    """Make the records; returns the world with every record's id, area and links."""
    current_policies()
    ensure_default_tools()
    for number, person in enumerate(org.people.values(), start=1):
        person.name = f"{'Nora' if _north(person) else 'Sam'} Zed{number:02d}"
    world = World(org)
    world.moderator_2 = Staff(
        external_id="T-qa_officer_2",
        name="Quinn Zed99",
        email="qa_officer_2@council.org.uk",
        role="qa_officer",
        start_date=date(2020, 1, 6),
        password_hash=hash_password(PASSWORD),
    )
    db.session.add(world.moderator_2)
    db.session.commit()
    _runs(world)
    for area, auditor, supervisee, head in (
        ("North", "service_manager", "practitioner", "head_of_service"),
        ("South", "service_manager_south", "practitioner_south", "head_south"),
    ):
        made = {state: _audit_in(org, state, auditor, supervisee, head) for state in STATES}
        owner = org.file_of(supervisee).supervisor
        for state in ("submitted", "signed_off"):
            actions.raise_action(
                made[state],
                org.people[auditor],
                f"Record the child's views from the visit in the {state} audit's file",
                owner.id,
                date(2026, 12, 18),
                accept_vague=True,
            )
        workflow.reply(made["submitted"], org.people[supervisee], "acknowledged", "")
        moderation.choose(made["signed_off"], org.people["qa_officer"])
        moderation.choose(made["submitted"], world.moderator_2)
    for head in ("head_of_service", "head_south"):
        _report_request(org.people[head])
    person = org.people["team_manager_south"]
    db.session.add(
        OutboxMessage(
            event_key="security-test",
            recipient_id=person.id,
            to_address=person.email,
            subject=f"An action for {person.name}",
            body="Record the child's views.",
            created_at=CREATED,
            status="outbox",
        )
    )
    db.session.commit()
    _collect(world)
    return world


def _report_request(head: Staff) -> None:
    """A period report request, saved as one that could not be made (no PDF needed here)."""
    from qa.reports.models import PeriodReport

    db.session.add(
        PeriodReport(
            period_kind="half",
            period_key="2026-H2",
            area_id=head.service_area_id,
            unit_label=f"{head.service_area.name} service area",
            tool_id="supervision-file-audit",
            status="failed",
            error="Not made in this test",
            requested_by_id=head.id,
            requested_at=CREATED,
        )
    )


def _north(person: Staff) -> bool:
    return person.service_area is not None and person.service_area.name == "North"


def _runs(world: World) -> None:
    org = world.org
    for policy, period, selector in (
        ("monthly-team-manager", "2026-11", "service_manager"),
        ("monthly-team-manager", "2026-11", "service_manager_south"),
        ("quarterly-service-manager", "2026-Q4", "head_of_service"),
        ("quarterly-service-manager", "2026-Q4", "head_south"),
    ):
        selections.run_selection(policy, period, org.people[selector], None, seed=SEED)
    run, _ = selections.run_selection("six-monthly-random", "2026-H2", None, None, seed=SEED)
    # The service-wide sample gives files to managers in either area; give each file to its
    # own area's head of service, so "another area" stays a clear line in these tests.
    heads = {"North": org.people["head_of_service"], "South": org.people["head_south"]}
    for audit in db.session.scalars(select(Audit).where(Audit.run_id == run.id)):
        area = audit.file.supervisee.service_area
        audit.auditor_id = heads[area.name].id if area else org.people["qa_officer"].id
    db.session.commit()


def _audit_in(org: Org, state: str, auditor: str, supervisee: str, head: str) -> Audit:
    who = org.people[auditor]
    audit = Audit(
        file_id=org.file_of(supervisee).id,
        auditor_id=who.id,
        tool_id="supervision-file-audit",
        due_on=date(2026, 11, 30),
        state="selected",
        created_at=CREATED,
    )
    db.session.add(audit)
    db.session.commit()
    if state == "selected":
        return audit
    if state == "cancelled":
        move(audit, "cancelled", who, "The worker left")
        audit.cancel_reason = "The worker left"
        db.session.commit()
        return audit
    service.start(audit, who)
    if state == "in_progress":
        return audit
    complete(audit, who)
    if state == "returned":
        workflow.return_audit(audit, org.people[head], "Say more about the child's voice")
    elif state == "signed_off":
        workflow.sign_off(audit, org.people[head], "A thorough file", early=True)
    return audit


def complete(audit: Audit, who: Staff, answer: str = "yes") -> None:
    """Answer every question (as the section pages would save them) and submit."""
    tool = get_tool(audit.tool_id, audit.tool_version)
    saved = service.answers_of(audit)
    for _, question in tool.questions():
        row = saved.get(question.key) or AuditAnswer(audit=audit, question_key=question.key)
        row.answer = answer if answer in question.answers else question.answers[0]
        row.comment = "Seen on the file"
        db.session.add(row)
    db.session.commit()
    grade = service.result_of(audit).grade or "good"
    values = service.answer_values(audit)
    if service.needs_an_action(tool, values, grade):
        from qa.actions.service import raise_action

        raise_action(
            audit,
            who,
            "Bring the file up to the required standard by the next supervision",
            audit.file.supervisor_id,
            date(2027, 1, 29),
            accept_vague=True,
        )
    problems = service.submit(audit, grade, "As the answers show", audit.lock_version, who)
    assert not problems, problems


def _collect(world: World) -> None:
    from qa.actions.models import Action
    from qa.audits.models import Moderation
    from qa.org.models import ServiceArea, SupervisionFile, Team
    from qa.selections.models import SelectionRun

    add = world.records.append
    for area in db.session.scalars(select(ServiceArea)):
        add(Record("area", area.id, area.name, area.name))
    for team in db.session.scalars(select(Team)):
        add(Record("team", team.id, team.service_area.name, team.name, team=team.name))
    for person in db.session.scalars(select(Staff)):
        add(
            Record(
                "staff",
                person.id,
                person.service_area.name if person.service_area else None,
                person.name,
                linked=frozenset({person.id}),
                team=person.team.name if person.team else None,
            )
        )
    for found in db.session.scalars(select(SupervisionFile)):
        supervisee = found.supervisee
        add(
            Record(
                "file",
                found.id,
                supervisee.service_area.name if supervisee.service_area else None,
                supervisee.name,
                linked=frozenset({supervisee.id, found.supervisor_id}),
                team=supervisee.team.name if supervisee.team else None,
            )
        )
    for audit in db.session.scalars(select(Audit)):
        supervisee = audit.file.supervisee
        add(
            Record(
                "audit",
                audit.id,
                supervisee.service_area.name if supervisee.service_area else None,
                f"audit {audit.id} of {supervisee.name}",
                linked=frozenset({audit.auditor_id or 0}),
                state=audit.state,
                file_people=frozenset({supervisee.id, audit.file.supervisor_id}),
                team=supervisee.team.name if supervisee.team else None,
            )
        )
    for action in db.session.scalars(select(Action)):
        area = action.audit.file.supervisee.service_area
        add(
            Record(
                "action",
                action.id,
                area.name if area else None,
                action.description,
                linked=frozenset({action.owner_id}),
            )
        )
        add(
            Record(
                "raised_action",
                action.id,
                area.name if area else None,
                action.description,
                linked=frozenset({action.created_by_id or 0}) - {action.owner_id},
            )
        )
    for found in db.session.scalars(select(Moderation)):
        add(Record("moderation", found.id, None, "", linked=frozenset({found.moderator_id})))
    for run in db.session.scalars(select(SelectionRun)):
        add(Record("run", run.id, None, run.policy_key, linked=frozenset({run.selector_id or 0})))
    for message in db.session.scalars(select(OutboxMessage)):
        add(Record("message", message.id, None))
    from qa.reports.models import PeriodReport

    for report in db.session.scalars(select(PeriodReport)):
        add(Record("report", report.id, None, linked=frozenset({report.requested_by_id})))
    for job_id in JOBS:
        add(Record("job", 0, None, job_id))
    assert db.session.scalar(select(func.count()).select_from(Audit)) >= 2 * len(STATES)
