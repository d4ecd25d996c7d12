"""The quantity figures the database works out are the figures the Python rules gave: for
generated staff, files and sessions under each council profile (and a change of profile
during the year), on SQLite and on PostgreSQL, and on the demo council."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from qa.demo import organisation as demo
from qa.extensions import db
from qa.org.models import Staff, SupervisionFile, SupervisionSession
from qa.profiles.models import ProfileChoice
from qa.trends.filters import Filters
from qa.trends.quantity import quantity
from tests.qa.trends.quantity_reference import Figures, reference_quantity

PROFILES = ("coventry", "havering", "leicester", "blackpool", "haringey")
KINDS = ("case", "personal", "group", "ad_hoc")
FIRST = date(2024, 6, 1)
DAYS = 1000  # dates from FIRST to about the end of February 2027


def day(offset: int) -> date:
    return FIRST + timedelta(days=offset)


BACK = (0, 1, 27, 28, 29, 30, 31, 32, 41, 42, 43, 59, 60, 61, 62, 63, 183, 184)
ASKED = [date(2026, 11, 23), date(2026, 3, 15), date(2027, 2, 28)]


@st.composite
def council(draw):
    """The day asked about (a month end, 28 February among them, or a day within a month),
    and people whose dates fall on any day, or a whole interval (28 or 42 days, a month,
    two, six) or a day more or less before that day or a month end: where "within" and
    "overdue" meet."""
    on = draw(st.sampled_from(ASKED) | st.integers(600, DAYS).map(day))
    ends = [on] + [day(n) for n in range(DAYS) if day(n + 1).day == 1 and day(n) < on][-12:]
    edges = sorted({end - timedelta(days=back) for end in ends for back in BACK})
    dates = st.integers(0, DAYS).map(day) | st.sampled_from(edges)
    person = st.fixed_dictionaries(
        {
            "case_holding": st.booleans(),
            "start": st.none() | dates,
            "leaving": st.none() | dates,
            "asye": st.none() | dates,
            "fte": st.sampled_from([None, 1.0, 0.5, 0.6, 0.7, 0.8, 0.3]),
            "opened": dates,
            "closed": st.none() | dates,
            "sessions": st.lists(st.tuples(dates, st.sampled_from(KINDS)), max_size=12),
            "last": st.none() | st.sampled_from([on - timedelta(days=back) for back in BACK]),
        }
    )
    return on, draw(st.lists(person, min_size=1, max_size=11))


def figures(user: Staff, on: date, filters: Filters | None = None) -> Figures:
    found = quantity(user, on, filters)
    return Figures(found.by_team, found.over_time, found.overdue)


def shape(org, people: list[dict], profiles: tuple[str, str], change: date) -> None:
    """Each member of the test council as generated, with their file and sessions, and one
    profile in force until `change` and another from then."""
    db.session.execute(delete(SupervisionSession))
    db.session.execute(delete(ProfileChoice))
    staff = sorted(
        (s for s in org.people.values() if s.line_manager_id is not None), key=lambda s: s.id
    )
    for member, facts in zip(staff, people, strict=False):
        member.case_holding = facts["case_holding"]
        member.start_date = facts["start"]
        member.leaving_date = facts["leaving"]
        member.asye_start = facts["asye"]
        member.fte = facts["fte"]
        file = db.session.scalar(
            select(SupervisionFile).where(SupervisionFile.supervisee_id == member.id)
        )
        assert file is not None
        file.opened_on = facts["opened"]
        file.closed_on = facts["closed"]
        last = [] if facts["last"] is None else [(facts["last"], "case")]
        for held_on, kind in set(facts["sessions"] + last):
            db.session.add(
                SupervisionSession(
                    file_id=file.id,
                    supervisor_id=member.line_manager_id,
                    held_on=held_on,
                    kind=kind,
                )
            )
    for name, at in ((profiles[0], datetime(2024, 1, 1)), (profiles[1], change)):
        db.session.add(
            ProfileChoice(name=name, version=1, chosen_by="Jo Head", chosen_at=at, reason="Test")
        )
    db.session.commit()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drawn=council(),
    profiles=st.tuples(st.sampled_from(PROFILES), st.sampled_from(PROFILES)),
    change=st.integers(500, DAYS).map(lambda n: datetime.combine(day(n), datetime.min.time())),
)
def test_the_database_gives_the_figures_the_rules_give(org, drawn, profiles, change):
    on, people = drawn
    shape(org, people, profiles, change)
    for who in ("qa_officer", "service_manager"):
        user = org.people[who]
        assert figures(user, on) == reference_quantity(user, on)
    team = Filters("month", date(2026, 10, 1), date(2026, 11, 30), team_id=org.teams["N1"].id)
    qa = org.people["qa_officer"]
    assert figures(qa, on, team) == reference_quantity(qa, on, team)


def test_the_database_gives_the_demo_councils_figures(app):
    demo.load(date(2026, 11, 23))
    users = [
        db.session.scalar(select(Staff).where(Staff.role == role).order_by(Staff.id).limit(1))
        for role in ("qa_officer", "head_of_service", "service_manager", "team_manager")
    ]
    for on in (date(2026, 11, 23), date(2026, 9, 30), date(2026, 2, 28)):
        for user in users:
            assert user is not None
            found = figures(user, on)
            assert found == reference_quantity(user, on)
            assert found.over_time[-1].n > 0


def test_a_session_exactly_one_interval_before_the_day_is_within_it(org):
    latest = {"sessions": [(date(2026, 10, 12), "case")], "last": None}  # 42 days before
    person = {"case_holding": True, "start": date(2020, 1, 6), "leaving": None, "asye": None}
    person |= {"fte": None, "opened": date(2020, 1, 6), "closed": None} | latest
    shape(org, [person] * 9, ("coventry", "coventry"), datetime(2026, 1, 1))  # 9 with a file
    found = figures(org.people["qa_officer"], date(2026, 11, 23))
    assert (found.over_time[-1].k, found.over_time[-1].n, found.overdue) == (9, 9, [])
    assert found == reference_quantity(org.people["qa_officer"], date(2026, 11, 23))
