"""The demo council looks like a real one: teams of different kinds and sizes, supervisors
below the team manager, part-time, agency and business support staff, group and ad hoc
sessions, and supervision that mostly keeps to the council profile it is loaded under."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from audit_tools.frequency import SessionFacts, assess_sessions
from audit_tools.profile import load_profile
from qa.demo import organisation as demo
from qa.demo.sessions import GROUP_TEAMS, staff_facts
from qa.extensions import db
from qa.org.importing import import_bytes
from qa.org.models import Staff, SupervisionSession
from qa.roles import Role

TODAY = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[3]


def _in_post(org: demo.DemoOrganisation) -> list[dict[str, str]]:
    return [p for p in org.staff if not p["leaving_date"] or p["leaving_date"] > str(TODAY)]


def _six_month_answers(profile: str, who: Callable[[dict[str, str]], bool]) -> Counter[str]:
    """The suggested frequency answer over the last six months for each person `who` picks."""
    rules = load_profile(profile).frequency_rules()
    org = demo.build(TODAY, profile=profile)
    held: dict[str, list[SessionFacts]] = {}
    for row in org.sessions:
        day = date.fromisoformat(row["session_date"])
        facts = SessionFacts(day, day, day, day, row["type"])
        held.setdefault(row["supervisee_id"], []).append(facts)
    answers: Counter[str] = Counter()
    for person in _in_post(org):
        if person["line_manager_id"] and who(person):
            start = TODAY - timedelta(days=183)
            found = assess_sessions(
                rules, staff_facts(person), held[person["staff_id"]], start, TODAY
            )
            answers[found.suggested.get("frequency", "none")] += 1
    return answers


def test_the_demo_council_is_the_same_every_time():
    first, second = demo.build(TODAY, profile="coventry"), demo.build(TODAY, profile="coventry")
    assert first.staff == second.staff
    assert first.sessions == second.sessions and first.agreements == second.agreements


def test_the_demo_council_has_teams_of_different_kinds_and_sizes():
    org = demo.build(TODAY, profile="coventry")
    sizes = Counter(p["team"] for p in _in_post(org) if p["team"])
    assert {"Safeguarding North", "Children in Care", "Early Help North", "Disabled Children"} < (
        set(sizes)
    )
    assert {"Care Leavers", "Youth Justice", "Business Support (Children in Need)"} < set(sizes)
    assert len(sizes) == 15  # 12 teams of social work and early help, 3 of business support
    assert min(sizes.values()) <= 6 and max(sizes.values()) >= 20
    assert len(set(sizes.values())) >= 8
    roles = Counter(p["role"] for p in org.staff)
    assert set(roles) == set(Role)
    assert 170 <= len(org.staff) <= 220
    names = [p["name"] for p in org.staff]
    assert len(set(names)) == len(names)
    assert len({name.split()[0] for name in names}) > 100  # varied, not a handful repeated


def test_team_managers_supervise_six_to_ten_people_and_practice_supervisors_the_rest():
    org = demo.build(TODAY, profile="coventry")
    people = {p["staff_id"]: p for p in org.staff}
    reports = Counter(p["line_manager_id"] for p in _in_post(org) if p["line_manager_id"])
    team_managers = [
        p
        for p in org.staff
        if p["role"] == Role.TEAM_MANAGER
        and people[p["line_manager_id"]]["role"] == Role.SERVICE_MANAGER
    ]
    assert len(team_managers) == 12
    assert all(6 <= reports[p["staff_id"]] <= 10 for p in team_managers)
    practice_supervisors = [
        p for p in org.staff if p["role"] == Role.SENIOR_PRACTITIONER and reports[p["staff_id"]]
    ]
    assistant_managers = [
        p
        for p in org.staff
        if p["role"] == Role.TEAM_MANAGER and people[p["line_manager_id"]]["role"] == "team_manager"
    ]
    assert len(practice_supervisors) >= 12 and len(assistant_managers) >= 3
    below = sum(reports[p["staff_id"]] for p in [*practice_supervisors, *assistant_managers])
    practitioners = sum(1 for p in _in_post(org) if p["role"] == Role.PRACTITIONER)
    assert below > practitioners / 3  # over a third are supervised below the team manager


def test_the_demo_has_part_time_agency_and_business_support_staff():
    org = demo.build(TODAY, profile="coventry")
    part_time = [float(p["fte"]) for p in org.staff if p["fte"]]
    assert len(part_time) >= 15 and set(part_time) >= {0.5, 0.6, 0.8}
    short_contracts = [
        p
        for p in org.staff
        if p["leaving_date"]
        and date.fromisoformat(p["leaving_date"]) - date.fromisoformat(p["start_date"])
        < timedelta(days=310)
    ]
    assert len(short_contracts) >= 3  # agency social workers whose contracts have ended
    support = [p for p in org.staff if p["team"].startswith("Business Support")]
    assert len(support) >= 12 and {p["role"] for p in support} == {Role.ADMINISTRATOR}
    assert all(p["line_manager_id"] and p["case_holding"] == "no" for p in support)


def test_the_demo_has_group_and_ad_hoc_sessions_with_their_lengths():
    org = demo.build(TODAY, profile="coventry")
    kinds = Counter(row["type"] for row in org.sessions)
    assert kinds["group"] > 500 and kinds["ad_hoc"] > 500
    assert kinds["case"] > kinds["personal"] > 1000
    teams = {p["staff_id"]: p["team"] for p in org.staff}
    assert {teams[row["supervisee_id"]] for row in org.sessions if row["type"] == "group"} == (
        GROUP_TEAMS
    )
    lengths = {row["type"]: set() for row in org.sessions}
    for row in org.sessions:
        lengths[row["type"]].add(int(row["length_minutes"]))
    assert max(lengths["ad_hoc"]) < min(lengths["case"]) and 90 in lengths["case"]


def test_most_case_holding_practitioners_keep_to_coventry_over_six_months():
    answers = _six_month_answers(
        "coventry",
        lambda p: p["role"] == Role.PRACTITIONER and p["case_holding"] == "yes",
    )
    assert answers["yes"] > answers["partly"] + answers["no"]
    assert answers["partly"] > 0  # but not everyone, every time


def test_newly_qualified_social_workers_mostly_get_havering_asye_cadence():
    answers = _six_month_answers("havering", lambda p: bool(p["asye_start"]))
    assert sum(answers.values()) >= 8
    assert answers["yes"] > answers["partly"] + answers["no"]


def test_most_agreements_are_current_and_reviewed_as_the_profile_says():
    for profile, months in (("coventry", 12), ("blackpool", 3)):
        org = demo.build(TODAY, profile=profile)
        with_files = [p for p in _in_post(org) if p["line_manager_id"]]
        current = [a for a in org.agreements if a["review_due"] >= str(TODAY)]
        assert len(current) > 0.8 * len(with_files)
        assert len(current) < len(with_files)  # a few are overdue or missing
        longest = max(
            date.fromisoformat(a["review_due"]) - date.fromisoformat(a["signed_by_supervisor"])
            for a in org.agreements
        )
        assert longest <= timedelta(days=31 * months)


def _readme_example(kind: str) -> bytes:
    """The CSV example under the README's `kind` heading in 'Importing the organisation'."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Importing the organisation", 1)[1].split("\n## ", 1)[0]
    match = re.search(rf"^`{kind}`.*?```csv\n(.*?)```", section, re.DOTALL | re.MULTILINE)
    assert match, f"no {kind} example in the README"
    return match.group(1).encode("utf-8")


def test_the_readme_import_examples_import_cleanly_into_the_demo(app):
    demo.load(TODAY, profile="coventry")
    before = db.session.scalar(select(func.count(Staff.id)))
    for kind in ("staff", "sessions", "agreements"):
        report = import_bytes(kind, _readme_example(kind), f"{kind}.csv", None, dry_run=False)
        assert report.ok, [str(problem) for problem in report.problems]
        assert report.created > 0
    assert db.session.scalar(select(func.count(Staff.id))) == before + 5
    lengths = db.session.scalars(
        select(SupervisionSession.length_minutes)
        .join(SupervisionSession.file)
        .join(Staff, Staff.id == SupervisionSession.supervisor_id)
        .where(Staff.external_id == "T1")
    ).all()
    assert sorted(lengths) == [60, 90]


def test_the_demo_sign_ins_are_one_person_per_role_and_the_administrator_runs_the_service(app):
    demo.load(TODAY, profile="coventry")
    sign_ins = demo.sign_ins()
    assert [role for role, _, _ in sign_ins] == [
        "Practitioner",
        "Team manager",
        "Service manager",
        "Head of service",
        "Quality assurance officer",
        "Administrator",
    ]
    administrator = db.session.scalar(select(Staff).where(Staff.email == sign_ins[-1][1]))
    assert administrator.line_manager_id is None and administrator.team_id is None
    team_manager = db.session.scalar(select(Staff).where(Staff.email == sign_ins[1][1]))
    assert team_manager.line_manager.role == Role.SERVICE_MANAGER


def test_make_run_loads_the_demo_under_the_coventry_profile():
    dry_run = subprocess.run(
        ["make", "-n", "-W", "db", "demo"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "demo --if-empty --profile coventry" in dry_run.stdout
    other = subprocess.run(
        ["make", "-n", "-W", "db", "demo", "PROFILE=havering"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "demo --if-empty --profile havering" in other.stdout
