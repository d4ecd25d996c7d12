"""Scale data: a large council, or a county, on PostgreSQL, for `make bench` and for plans.

The council (the default profile): 10 service areas and 500 teams with a proper
line-management tree (10 heads of service -> 200 service managers -> 500 team managers ->
99,300 practitioners): 100,000 supervision files, three years of supervision sessions at
about the required interval with late records and gaps (about 2.7 million), one agreement
for most files, and 1,000,008 answers (yes 61%, partly 15%, no 12%, not applicable 10%; 30%
with an evidence comment) in 29,412 signed-off audits of the default tool
(`supervision-file-audit`), with actions and some moderation.

The county (`--county`): 10,000 staff over ten years: 20 heads of service (10 services in
two localities) -> 120 service managers -> 960 team managers -> 8,887 practitioners, with 12
QA officers; ten years of sessions and audits made the same way, 5,000,006 answers in
147,059 audits.

Everything is loaded with COPY into a database that `flask db upgrade` has just migrated,
then the per-audit summary the trends read is written as sign-offs would have;
SCALE_DATA_VERBOSE=1 prints each table's and step's time. The data depends only on the
profile, the seed and the "as of" date (the last day of the years covered), so two loads
with the same three give the same rows.

    .venv/bin/python scripts/scale_data.py                  # creates and fills qa_scale
    .venv/bin/python scripts/scale_data.py --county         # creates and fills qa_county
    .venv/bin/python scripts/scale_data.py --database qa_x --as-of 2026-11-23
    psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE qa_scale'   # when done
"""

from __future__ import annotations

import argparse
import io
import math
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit_tools.schema import SCALES, Question, Tool, default_tools  # noqa: E402
from audit_tools.scoring import score  # noqa: E402

SERVER = os.environ.get("QA_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432")
SEED = 20261123
TOOL_ID = "supervision-file-audit"
DOMAIN = "scale.example"

AREAS = (
    "Assessment and Intervention",
    "Child Protection",
    "Children in Care",
    "Care Leavers",
    "Disabled Children",
    "Early Help",
    "Fostering and Adoption",
    "Youth Justice",
    "Court and Permanence",
    "Edge of Care",
)
LOCALITIES = ("North", "South", "East", "West")
FIRST = (
    "Aisha Ali Amir Ben Chloe Daniel Ella Fatima Grace Hannah Isaac Jack Jade Kai Laila Leo "
    "Maya Mohammed Nia Noah Olivia Priya Rhys Ruby Sam Sofia Tom Yusuf Zara Zoe"
).split()
LAST = (
    "Ahmed Baker Begum Brown Clarke Davies Evans Green Hall Hughes Jones Khan Lewis Martin "
    "Morgan Patel Roberts Robinson Shah Smith Taylor Thomas Turner Walker Ward White Wilson "
    "Wood Wright Young"
).split()
# How much easier (+) or harder (-) each question is to meet than the team's level.
EASE = {
    "child_safe": 0.15,
    "agreement_on_file": 0.12,
    "decisions_recorded": 0.06,
    "sessions_at_interval": 0.04,
    "views_shaped_plan": -0.22,
    "disagreement_escalated": -0.18,
    "equality_discussed": -0.16,
    "anti_discriminatory_practice": -0.12,
    "signed_by_both": -0.12,
    "recorded_on_time": -0.1,
    "impact_on_child": -0.08,
}
OFTEN_NOT_APPLICABLE = {
    "disagreement_recorded": 0.45,
    "disagreement_action": 0.5,
    "disagreement_escalated": 0.6,
    "asye_support": 0.9,
}
SHORT = (
    "Recorded, but the reasons are not written down.",
    "Only some of the case discussions show this.",
    "Not evident in the last three sessions.",
    "The record is brief and does not say what was decided.",
    "Mentioned once; no follow-up recorded.",
    "Actions lack owners and dates.",
    "The child's own words are not recorded.",
    "No evidence on file for this period.",
)
GOOD = (
    "Clear and consistent throughout the file.",
    "Good example: the plan changed after the child's views were heard.",
    "Well evidenced in each session record.",
)
PRIVATE = "Discussed; the content is kept private."
ACTIONS = (
    "Record the child's views in the next case discussion and show how they shaped the plan.",
    "Agree SMART actions with named owners and due dates at the next supervision.",
    "Sign and date the supervision records within 10 working days.",
    "Review the supervision agreement and sign it with the supervisee.",
    "Record the disagreement and the proposed way to resolve it.",
)


@dataclass(frozen=True)
class Scale:
    """How big the council is: its staff (heads of service, one per area, service managers,
    team managers, QA officers, one administrator and practitioners), the answers of its
    signed-off audits and the years its sessions and audits cover. The defaults are the
    council `make bench` quotes."""

    staff: int = 100_016
    areas: int = 10
    teams: int = 500
    service_managers: int = 200
    answers: int = 1_000_000
    years: int = 3
    qa_officers: int = 5

    @property
    def practitioners(self) -> int:
        managers = self.areas + self.service_managers + self.teams
        return self.staff - managers - self.qa_officers - 1


DATABASES = {"council": "qa_scale", "county": "qa_county"}
PROFILES = {
    "council": Scale(),
    # 20 heads of service -> 120 service managers (6 each) -> 960 team managers (8 each)
    # -> 8,887 practitioners (about 9 a team), 12 QA officers and an administrator.
    "county": Scale(
        staff=10_000,
        areas=20,
        teams=960,
        service_managers=120,
        answers=5_000_000,
        years=10,
        qa_officers=12,
    ),
}


@dataclass
class Person:
    id: int
    role: str
    area: int | None
    team: int | None
    manager: int | None
    case_holding: bool
    asye_start: date | None
    start: date
    leaving: date | None


@dataclass
class Org:
    people: list[Person] = field(default_factory=list)
    files: list[tuple[int, int, int, date, date | None]] = field(default_factory=list)
    heads: dict[int, int] = field(default_factory=dict)  # area -> head of service


@dataclass(frozen=True)
class Loaded:
    counts: dict[str, int]
    seconds: float


def london_today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


# -- the organisation --------------------------------------------------------------------


def build_org(rng: random.Random, scale: Scale, as_of: date) -> Org:
    """Heads of service, service managers, team managers, practitioners and their files."""
    org = Org()

    def add(role: str, area: int | None, team: int | None, manager: int | None) -> Person:
        start = as_of - timedelta(days=rng.randint(30, 12 * 365))
        person = Person(len(org.people) + 1, role, area, team, manager, False, None, start, None)
        org.people.append(person)
        return person

    managers_by_area: dict[int, list[int]] = {}
    for area in range(1, scale.areas + 1):
        org.heads[area] = add("head_of_service", area, None, None).id
    per_area = scale.service_managers // scale.areas
    for area in range(1, scale.areas + 1):
        managers_by_area[area] = [
            add("service_manager", area, None, org.heads[area]).id for _ in range(per_area)
        ]
    team_managers: list[Person] = []
    for team in range(1, scale.teams + 1):
        area = (team - 1) % scale.areas + 1
        sms = managers_by_area[area]
        manager = sms[((team - 1) // scale.areas) % len(sms)]
        team_managers.append(add("team_manager", area, team, manager))
    for _ in range(scale.qa_officers):
        add("qa_officer", None, None, None)
    add("administrator", None, None, None)
    for _ in range(scale.practitioners):
        tm = team_managers[rng.randrange(len(team_managers))]
        role = "senior_practitioner" if rng.random() < 0.15 else "practitioner"
        person = add(role, tm.area, tm.team, tm.id)
        person.case_holding = rng.random() < 0.9
        if rng.random() < 0.06:
            person.start = as_of - timedelta(days=rng.randint(20, 360))
            person.asye_start = person.start
        if rng.random() < 0.04:
            person.leaving = as_of - timedelta(days=rng.randint(1, 365))
            person.start = min(person.start, person.leaving - timedelta(days=200))
    for person in org.people:
        if person.manager is not None:
            opened = person.start + timedelta(days=rng.randint(0, 14))
            org.files.append(
                (len(org.files) + 1, person.id, person.manager, opened, person.leaving)
            )
    return org


def area_name(area: int, scale: Scale) -> str:
    """The service's name; with more areas than services, each service has a locality."""
    name = AREAS[(area - 1) % len(AREAS)]
    if scale.areas <= len(AREAS):
        return name
    return f"{name} {LOCALITIES[(area - 1) // len(AREAS) % len(LOCALITIES)]}"


def team_name(team: int, scale: Scale) -> str:
    area = area_name((team - 1) % scale.areas + 1, scale)
    return f"{area} {(team - 1) // scale.areas + 1:02d}"


def staff_rows(org: Org) -> Iterator[tuple[object, ...]]:
    for p in org.people:
        first = FIRST[p.id % len(FIRST)]
        last = LAST[(p.id // len(FIRST)) % len(LAST)]
        yield (
            p.id,
            f"S{p.id:06d}",
            f"{first} {last}",
            f"{first}.{last}.{p.id}@{DOMAIN}".lower(),
            p.role,
            p.team,
            p.area,
            p.manager,
            p.case_holding,
            p.asye_start,
            p.start,
            p.leaving,
            None,
            1,
        )


# -- sessions and agreements -------------------------------------------------------------


def session_lines(rng: random.Random, org: Org, scale: Scale, as_of: date) -> Iterator[str]:
    """Sessions at roughly the required interval, with gaps, late records and signatures,
    as COPY text lines. (Written for speed: days are ordinals, dates are formatted once.)"""
    first_day = (as_of - timedelta(days=365 * scale.years)).toordinal()
    end = as_of.toordinal()
    iso = {d: date.fromordinal(d).isoformat() for d in range(first_day - 1, end + 200)}
    iso[0] = "\\N"
    people = {p.id: p for p in org.people}
    lateness = [0] * 30 + [1] * 30 + [2] * 15 + [3] * 10 + [5] * 10 + [9] * 5
    kinds = ["case"] * 72 + ["personal"] * 18 + ["group"] * 5 + ["ad_hoc"] * 5
    r = rng.random
    number = 0
    for file_id, supervisee, supervisor, opened, closed in org.files:
        person = people[supervisee]
        interval = 28 if person.case_holding else 42 if person.role == "team_manager" else 56
        day = max(opened.toordinal(), first_day) + int(r() * (interval + 1))
        last = min(end, closed.toordinal()) if closed else end
        while day <= last:
            number += 1
            recorded = day + lateness[int(r() * 100)]
            recorded = 0 if r() < 0.03 or recorded > end else recorded
            base = recorded or day
            by_supervisor = base + int(r() * 13)
            by_supervisor = 0 if r() < 0.08 or by_supervisor > end else by_supervisor
            by_supervisee = base + int(r() * 16)
            by_supervisee = 0 if r() < 0.1 or by_supervisee > end else by_supervisee
            yield (
                f"{number}\t{file_id}\t{supervisor}\t{iso[day]}\t{kinds[int(r() * 100)]}\t"
                f"{iso[recorded]}\t{iso[by_supervisor]}\t{iso[by_supervisee]}\n"
            )
            gap = interval - 7 + int(r() * 17)
            if r() < 0.05:
                gap += interval + int(r() * 2 * interval)  # a long gap: illness, leave, drift
            day += max(gap, 7)


def _maybe(rng: random.Random, missing: float, day: date, as_of: date) -> date | None:
    return None if rng.random() < missing or day > as_of else day


def agreement_rows(rng: random.Random, org: Org, as_of: date) -> Iterator[tuple[object, ...]]:
    for file_id, _, supervisor, opened, _ in org.files:
        if rng.random() < 0.05:
            continue
        signed = max(opened, as_of - timedelta(days=rng.randint(1, 500)))
        yield (
            file_id,
            file_id,
            supervisor,
            signed,
            _maybe(rng, 0.06, signed + timedelta(days=rng.randint(0, 10)), as_of),
            signed + timedelta(days=365),
        )


# -- audits, answers, actions, moderation ------------------------------------------------


@dataclass
class AuditPlan:
    id: int
    file_id: int
    supervisor: int
    auditor: int
    signer: int
    area: int
    team: int | None
    signed: datetime


def plan_audits(rng: random.Random, org: Org, scale: Scale, as_of: date, n: int) -> list[AuditPlan]:
    """Who audits which file when: service managers audit their team managers' workloads,
    heads of service their service managers' workloads, QA officers a random sample."""
    people = {p.id: p for p in org.people}
    qa = [p.id for p in org.people if p.role == "qa_officer"]
    first_day = as_of - timedelta(days=365 * scale.years)
    span = (as_of - first_day).days - 1
    plans: list[AuditPlan] = []
    while len(plans) < n:
        file_id, supervisee, supervisor, opened, closed = org.files[rng.randrange(len(org.files))]
        day = first_day + timedelta(days=rng.randint(0, span))
        if opened > day - timedelta(days=40) or (closed is not None and closed < day):
            continue
        person, holder = people[supervisee], people[supervisor]
        area = person.area or 1
        if holder.role == "team_manager" and holder.manager is not None:
            auditor = holder.manager if rng.random() < 0.93 else qa[rng.randrange(len(qa))]
        elif holder.role == "service_manager" and holder.manager is not None:
            auditor = holder.manager
        else:
            auditor = qa[rng.randrange(len(qa))]
        signer = (
            org.heads[area] if org.heads[area] != auditor else org.heads[area % scale.areas + 1]
        )
        signed = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=rng.randint(9, 16), minutes=rng.randint(0, 59)
        )
        plans.append(
            AuditPlan(
                len(plans) + 1, file_id, supervisor, auditor, signer, area, person.team, signed
            )
        )
    plans.sort(key=lambda plan: (plan.signed, plan.id))
    for number, plan in enumerate(plans, start=1):
        plan.id = number
    return plans


def _level(team: int | None, area: int, progress: float) -> float:
    """A team's chance of meeting the standard: its own level, and its area's trend."""
    own = 0.6 + 0.25 * random.Random(f"team {team}").random()  # noqa: S311 (made-up data)
    trend = (random.Random(f"area {area}").random() - 0.5) * 0.3  # noqa: S311
    return own + trend * progress


def _answer(rng: random.Random, question: Question, level: float, asye: bool) -> str:
    if question.scale == "judgement":
        u = rng.random() + (level - 0.7)
        return (
            "outstanding"
            if u > 0.92
            else "good"
            if u > 0.45
            else "requires_improvement"
            if u > 0.12
            else "inadequate"
        )
    skip = OFTEN_NOT_APPLICABLE.get(question.key, 0.03)
    if question.key == "asye_support" and asye:
        skip = 0.05
    if question.allow_not_applicable and rng.random() < skip:
        return "not_applicable"
    meet = min(0.98, max(0.05, level + EASE.get(question.key, 0.0)))
    u = rng.random()
    if u < meet:
        return "yes"
    return "partly" if u < meet + (1 - meet) * 0.55 else "no"


def _comment(rng: random.Random, question: Question, value: str) -> str:
    if question.sensitive:
        return PRIVATE if rng.random() < 0.5 else ""
    if value in ("partly", "no", "requires_improvement", "inadequate"):
        return SHORT[rng.randrange(len(SHORT))] if rng.random() < 0.85 else ""
    if value in ("yes", "outstanding", "good"):
        return GOOD[rng.randrange(len(GOOD))] if rng.random() < 0.08 else ""
    return ""


@dataclass
class AuditTables:
    """The rows of the audits, their actions and moderation; the answers are streamed
    (`answer_lines`)."""

    audits: list[tuple[object, ...]] = field(default_factory=list)
    actions: list[tuple[object, ...]] = field(default_factory=list)
    moderations: list[tuple[object, ...]] = field(default_factory=list)
    moderation_answers: list[tuple[object, ...]] = field(default_factory=list)


def answer_lines(
    rng: random.Random, org: Org, scale: Scale, as_of: date, tool: Tool, tables: AuditTables
) -> Iterator[str]:
    """Each signed-off audit's answers as COPY text lines, filling `tables` with the audit,
    its actions and any moderation on the way (so millions of answers are never held)."""
    questions = list(tool.questions())
    n = math.ceil(scale.answers / len(questions))
    plans = plan_audits(rng, org, scale, as_of, n)
    asye = {p.id for p in org.people if p.asye_start is not None}
    supervisee = {f[0]: f[1] for f in org.files}
    qa = [p.id for p in org.people if p.role == "qa_officer"]
    first_day = as_of - timedelta(days=365 * scale.years)
    number = 0
    for plan in plans:
        progress = (plan.signed.date() - first_day).days / (365 * scale.years)
        level = _level(plan.team, plan.area, progress) + rng.gauss(0, 0.07)
        values = {
            q.key: _answer(rng, q, level, supervisee[plan.file_id] in asye) for _, q in questions
        }
        result = score(tool, values)
        tables.audits.append(_audit_row(rng, plan, tool.version, result.overall, result.grade))
        for _, question in questions:
            number += 1
            value = values[question.key]
            comment = _text(_comment(rng, question, value))
            yield f"{number}\t{plan.id}\t{question.key}\t{value}\t{comment}\t\\N\t\n"
        if "no" in values.values() and rng.random() < 0.6:
            tables.actions.append(_action_row(rng, plan, len(tables.actions) + 1, as_of))
        if rng.random() < 0.05:
            _moderate(rng, tables, plan, values, qa, tool)


def _audit_row(
    rng: random.Random, plan: AuditPlan, version: int, overall: float | None, grade: str | None
) -> tuple[object, ...]:
    submitted = plan.signed - timedelta(days=rng.randint(0, 9), hours=rng.randint(1, 6))
    started = submitted - timedelta(days=rng.randint(1, 14))
    created = datetime.combine(started.date().replace(day=1), datetime.min.time()) + timedelta(
        hours=6
    )
    due = _month_end(created.date())
    return (
        plan.id,
        None,
        "",
        plan.file_id,
        plan.auditor,
        TOOL_ID,
        version,
        "signed_off",
        due,
        created,
        started,
        submitted,
        plan.signed,
        plan.signer,
        "Agreed.",
        "",
        "",
        None,
        None,
        started.date() - timedelta(days=182),
        started.date(),
        overall,
        grade,
        grade,
        "",
        rng.randint(3, 9),
        1,
        submitted.date() + timedelta(days=14),
    )


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _action_row(
    rng: random.Random, plan: AuditPlan, number: int, as_of: date
) -> tuple[object, ...]:
    due = plan.signed.date() + timedelta(days=rng.choice((14, 28, 42)))
    done = due < as_of - timedelta(days=7) and rng.random() < 0.8
    done_at = datetime.combine(due - timedelta(days=rng.randint(0, 10)), datetime.min.time())
    return (
        number,
        plan.id,
        ACTIONS[rng.randrange(len(ACTIONS))],
        plan.supervisor,
        due,
        "done" if done else "open",
        plan.signed,
        plan.auditor,
        done_at + timedelta(hours=11) if done else None,
        "Done." if done else "",
    )


def _moderate(
    rng: random.Random,
    tables: AuditTables,
    plan: AuditPlan,
    values: dict[str, str],
    qa: Sequence[int],
    tool: Tool,
) -> None:
    number = len(tables.moderations) + 1
    mine: dict[str, str] = {}
    for _, question in tool.questions():
        value = values[question.key]
        if rng.random() > 0.85 and value != "not_applicable":
            value = rng.choice(question_choices(question))[0]
        mine[question.key] = value
        tables.moderation_answers.append(
            (
                len(tables.moderation_answers) + 1,
                number,
                question.key,
                value,
                "",
                values[question.key],
                value == values[question.key],
            )
        )
    result = score(tool, mine)
    at = plan.signed + timedelta(days=rng.randint(3, 20))
    tables.moderations.append(
        (
            number,
            plan.id,
            qa[rng.randrange(len(qa))],
            "agreed",
            "officer",
            at,
            at,
            at,
            result.overall,
            result.grade,
            result.grade,
            "",
        )
    )


def question_choices(question: Question) -> tuple[tuple[str, float], ...]:
    return SCALES[question.scale].choices


# -- loading ------------------------------------------------------------------------------

TABLES = {
    "service_area": ("id", "name"),
    "team": ("id", "name", "service_area_id"),
    "staff": (
        "id",
        "external_id",
        "name",
        "email",
        "role",
        "team_id",
        "service_area_id",
        "line_manager_id",
        "case_holding",
        "asye_start",
        "start_date",
        "leaving_date",
        "password_hash",
        "session_version",
    ),
    "supervision_file": ("id", "supervisee_id", "supervisor_id", "opened_on", "closed_on"),
    "supervision_agreement": (
        "id",
        "file_id",
        "supervisor_id",
        "signed_by_supervisor_on",
        "signed_by_supervisee_on",
        "review_due",
    ),
    "supervision_session": (
        "id",
        "file_id",
        "supervisor_id",
        "held_on",
        "kind",
        "recorded_on",
        "signed_by_supervisor_on",
        "signed_by_supervisee_on",
    ),
    "audit": (
        "id",
        "run_id",
        "draw_label",
        "file_id",
        "auditor_id",
        "tool_id",
        "tool_version",
        "state",
        "due_on",
        "created_at",
        "started_at",
        "submitted_at",
        "signed_off_at",
        "signed_off_by_id",
        "sign_off_comment",
        "returned_reason",
        "cancel_reason",
        "replaces_id",
        "reaudit_of_id",
        "window_start",
        "window_end",
        "overall_score",
        "computed_grade",
        "auditor_judgement",
        "judgement_reason",
        "lock_version",
        "version_no",
        "reply_due",
    ),
    "audit_answer": (
        "id",
        "audit_id",
        "question_key",
        "answer",
        "comment",
        "prefilled",
        "prefill_reason",
    ),
    "action": (
        "id",
        "audit_id",
        "description",
        "owner_id",
        "due_on",
        "status",
        "created_at",
        "created_by_id",
        "done_at",
        "done_note",
    ),
    "moderation": (
        "id",
        "audit_id",
        "moderator_id",
        "state",
        "chosen_by",
        "created_at",
        "submitted_at",
        "agreed_at",
        "moderator_score",
        "moderator_grade",
        "agreed_grade",
        "agreed_note",
    ),
    "moderation_answer": (
        "id",
        "moderation_id",
        "question_key",
        "answer",
        "comment",
        "auditor_answer",
        "agreed",
    ),
}

# Written from the loaded answers by `summarise`, also without their indexes and keys.
SUMMARIES = ("audit_summary", "audit_question_summary")


def _text(value: object) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    if isinstance(value, date | datetime):
        return value.isoformat(" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def copy_rows(conn: psycopg.Connection, table: str, rows: Iterable[tuple[object, ...]]) -> int:
    """COPY rows in text format; returns how many."""
    return copy_lines(conn, table, ("\t".join(map(_text, row)) + "\n" for row in rows))


def copy_lines(conn: psycopg.Connection, table: str, lines: Iterable[str]) -> int:
    """COPY lines of COPY text format, in chunks of about a megabyte; returns how many."""
    columns = ", ".join(f'"{c}"' for c in TABLES[table])
    count = 0
    began = time.perf_counter()
    with conn.cursor() as cur, cur.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
        buffer = io.StringIO()
        for line in lines:
            buffer.write(line)
            count += 1
            if buffer.tell() > 1 << 20:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    if os.environ.get("SCALE_DATA_VERBOSE"):
        print(f"  {table}: {count:,} rows in {time.perf_counter() - began:.1f} s", flush=True)
    return count


def load(url: str, seed: int = SEED, as_of: date | None = None, scale: Scale = Scale()) -> Loaded:
    """Fill the migrated, empty database at `url` (a libpq URL) with the scale data."""
    started = time.perf_counter()
    as_of = as_of or london_today()
    rng = random.Random(seed)  # noqa: S311 (made-up data, seeded to be the same every time)
    org = build_org(rng, scale, as_of)
    counts: dict[str, int] = {}
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT count(*) FROM staff").fetchone() != (0,):
            raise SystemExit("The database already has staff: load scale data into an empty one")
        conn.execute("SET maintenance_work_mem = '1GB'")
        with bulk_load(conn, [*TABLES, *SUMMARIES]):
            _copy_all(conn, org, scale, seed, as_of, counts)
            conn.commit()  # the summary's own connection reads the rows, unlocked
            with step(" and ".join(SUMMARIES)):
                counts["audit_summary"] = summarise(url)
        conn.commit()
        for name in TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "  # noqa: S608 (fixed names)
                f'(SELECT coalesce(max(id), 0) + 1 FROM "{name}"), false)'
            )
        conn.commit()
        conn.autocommit = True
        with step("VACUUM ANALYZE"):
            conn.execute("VACUUM ANALYZE")
    return Loaded(counts, time.perf_counter() - started)


def summarise(url: str) -> int:
    """Write the per-audit summary the trends read (`qa.trends.summary`), as a sign-off
    would have, for every signed-off audit just loaded; returns how many audits."""
    from sqlalchemy import create_engine, func, select

    from qa.config import normalise_database_url
    from qa.trends.summary import AuditSummary, rebuild

    engine = create_engine(normalise_database_url(url))
    try:
        with engine.begin() as connection:
            rebuild(connection)
            return int(connection.scalar(select(func.count()).select_from(AuditSummary)) or 0)
    finally:
        engine.dispose()


def _copy_all(
    conn: psycopg.Connection, org: Org, scale: Scale, seed: int, as_of: date, counts: dict[str, int]
) -> None:
    tool = next(t for t in default_tools() if t.id == TOOL_ID)
    areas = ((a, area_name(a, scale)) for a in range(1, scale.areas + 1))
    counts["service_area"] = copy_rows(conn, "service_area", areas)
    teams = ((t, team_name(t, scale), (t - 1) % scale.areas + 1) for t in range(1, scale.teams + 1))
    counts["team"] = copy_rows(conn, "team", teams)
    counts["staff"] = copy_rows(conn, "staff", staff_rows(org))
    counts["supervision_file"] = copy_rows(conn, "supervision_file", org.files)
    agreements = agreement_rows(random.Random(seed + 1), org, as_of)  # noqa: S311
    counts["supervision_agreement"] = copy_rows(conn, "supervision_agreement", agreements)
    sessions = session_lines(random.Random(seed + 2), org, scale, as_of)  # noqa: S311
    counts["supervision_session"] = copy_lines(conn, "supervision_session", sessions)
    tables = AuditTables()
    answers = answer_lines(random.Random(seed + 3), org, scale, as_of, tool, tables)  # noqa: S311
    counts["audit_answer"] = copy_lines(conn, "audit_answer", answers)
    for name in ("audit", "action", "moderation", "moderation_answer"):
        counts[name] = copy_rows(conn, name, getattr(tables, _plural(name)))


@contextmanager
def bulk_load(conn: psycopg.Connection, tables: list[str]) -> Iterator[None]:
    """Load without the tables' foreign keys, unique constraints and secondary indexes, then
    put back exactly what the migrations made (PostgreSQL's "Populating a Database" advice):
    building an index once is much quicker than updating it row by row, and each foreign key
    is then checked in one pass over the table."""
    oids = [
        row[0]
        for row in conn.execute(
            "SELECT oid FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'", (tables,)
        )
    ]
    constraints = conn.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%s) AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
        (oids,),
    ).fetchall()
    indexes = conn.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = ANY(%s) AND NOT indisprimary "
        "AND indexrelid NOT IN (SELECT conindid FROM pg_constraint) ORDER BY 1",
        (oids,),
    ).fetchall()
    for table, name, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    yield
    with step(f"{len(indexes)} indexes and {len(constraints)} constraints put back"):
        for _, definition in indexes:
            conn.execute(definition)
        for table, name, definition in constraints:
            conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


@contextmanager
def step(what: str) -> Iterator[None]:
    """With SCALE_DATA_VERBOSE=1, say how long a step of the load took."""
    began = time.perf_counter()
    yield
    if os.environ.get("SCALE_DATA_VERBOSE"):
        print(f"  {what}: {time.perf_counter() - began:.1f} s", flush=True)


def _plural(table: str) -> str:
    return {
        "audit": "audits",
        "action": "actions",
        "moderation": "moderations",
        "moderation_answer": "moderation_answers",
    }[table]


# -- databases ----------------------------------------------------------------------------


def server_answers() -> bool:
    try:
        with psycopg.connect(f"{SERVER}/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def create_database(name: str, *, replace: bool = False) -> str:
    """Create an empty database (dropping an old one of that name if `replace`); its URL."""
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if replace:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url: str) -> None:
    """`flask db upgrade` on the database, as an installation would."""
    env = dict(os.environ, DATABASE_URL=url, QA_ENV_NAME="development")
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "qa", "db", "upgrade"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def prepare(
    name: str, seed: int = SEED, as_of: date | None = None, scale: Scale = Scale()
) -> tuple[str, Loaded]:
    """Create, migrate and fill the database `name` (replacing one left from an earlier run)."""
    url = create_database(name, replace=True)
    migrate(url)
    return url, load(url, seed, as_of, scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--county", action="store_true", help="the county, not the council")
    parser.add_argument("--database", help="qa_scale for the council, qa_county for the county")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument("--replace", action="store_true", help="drop the database first")
    args = parser.parse_args()
    profile = "county" if args.county else "council"
    database = args.database or DATABASES[profile]
    as_of = args.as_of or london_today()
    started = time.perf_counter()
    url = create_database(database, replace=args.replace)
    migrate(url)
    loaded = load(url, args.seed, as_of, PROFILES[profile])
    print(f"{database}: the {profile}, seed {args.seed}, as of {as_of.isoformat()}")
    for table, count in loaded.counts.items():
        print(f"  {table:<24} {count:>10,}")
    print(
        f"Loaded in {loaded.seconds:.1f} s (with the migrations: "
        f"{time.perf_counter() - started:.1f} s)."
    )


if __name__ == "__main__":
    main()
