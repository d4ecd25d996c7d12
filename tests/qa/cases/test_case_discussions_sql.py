"""The case discussion figures the database works out are the figures the Python rules gave
(tests/qa/cases/case_reference.py): for generated cases (transfers, changes of status,
closures and reopenings, cases allocated during the year, discussions on the last day in
time and a day either side) under each council profile and a change of profile during the
year, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from audit_tools.case_rules import ALL_STATUSES, CLOSED
from audit_tools.working_days import add_months
from qa.cases.models import Case, CaseAllocation, CaseDiscussion, CaseStatus
from qa.cases.service import _month_ends, case_discussions
from qa.extensions import db
from qa.profiles.models import ProfileChoice
from qa.trends.filters import Filters
from tests.qa.cases.case_reference import Figures, reference_case_discussions
from tests.qa.cases.helpers import add_case

PROFILES = ("leicester", "havering", "haringey", "coventry")
WORKERS = ("practitioner", "senior_practitioner", "practitioner_n2", "practitioner_south")
FIRST = date(2025, 6, 1)
DAYS = 760  # dates from FIRST to about the end of June 2027
BACK = (0, 1, 13, 14, 15, 27, 28, 29, 30, 31, 55, 56, 57, 58, 59, 60, 61, 62, 89, 90, 91, 92)
ASKED = [date(2026, 11, 23), date(2026, 3, 31), date(2027, 2, 28), date(2026, 12, 1)]


def day(offset: int) -> date:
    return FIRST + timedelta(days=offset)


@st.composite
def council(draw):
    """The day asked about, and cases whose dates fall on any day or on an interval (14, 28
    or 56 days, one or three months) or a day more or less before a month end: where
    "within" and "overdue" meet."""
    on = draw(st.sampled_from(ASKED) | st.integers(400, DAYS).map(day))
    ends = _month_ends(on)
    edges = {end - timedelta(days=back) for end in ends for back in BACK}
    edges |= {
        add_months(end, -months) + timedelta(days=d)
        for end in ends
        for months in (1, 3)
        for d in (-1, 0, 1)
    }
    dates = st.integers(0, DAYS).map(day) | st.sampled_from(sorted(edges))
    return on, draw(st.lists(a_case(dates), min_size=1, max_size=8))


@st.composite
def a_case(draw, dates):
    """A case's holders, then statuses and discussions on any day or on the day of an
    allocation or transfer, or an interval (or a day more or less) after it."""
    holders = draw(
        st.lists(
            st.tuples(dates, st.sampled_from(WORKERS)),
            min_size=1,
            max_size=3,
            unique_by=lambda holder: holder[0],
        )
    )
    after = sorted(
        {held_from + timedelta(days=back) for held_from, _ in holders for back in BACK}
        | {add_months(held_from, months) for held_from, _ in holders for months in (1, 3)}
    )
    near = dates | st.sampled_from([held_from for held_from, _ in holders]) | st.sampled_from(after)
    return {
        "holders": holders,
        "statuses": draw(
            st.lists(
                st.tuples(near, st.sampled_from(ALL_STATUSES) | st.just(CLOSED)),  # and reopened
                max_size=4,
                unique_by=lambda status: status[0],
            )
        ),
        "discussions": draw(st.lists(st.tuples(near, st.sampled_from(WORKERS)), max_size=6)),
    }


def figures(user, on: date, filters: Filters | None = None) -> Figures:
    found = case_discussions(user, on, filters)
    return Figures(found.cases, found.over_time)


def shape(org, cases: list[dict], profiles: tuple[str, str], change: datetime) -> None:
    """The generated cases, and one profile in force until `change` and another from then."""
    for table in (CaseDiscussion, CaseStatus, CaseAllocation, Case, ProfileChoice):
        db.session.execute(delete(table))
    for number, facts in enumerate(cases):
        add_case(
            f"10{number:04d}",
            [(held_from, org.people[who]) for held_from, who in facts["holders"]],
            facts["statuses"],
            sorted(
                {
                    (held_on, org.people[who], org.people["team_manager"])
                    for held_on, who in facts["discussions"]
                },
                key=lambda talk: (talk[0], talk[1].id),
            ),
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
    change=st.integers(300, DAYS).map(lambda n: datetime.combine(day(n), datetime.min.time())),
)
def test_the_database_gives_the_figures_the_rules_give(org, drawn, profiles, change):
    on, cases = drawn
    shape(org, cases, profiles, change)
    for who in ("qa_officer", "team_manager", "practitioner"):
        user = org.people[who]
        assert figures(user, on) == reference_case_discussions(user, on)
    team = Filters("month", date(2026, 10, 1), date(2026, 11, 30), team_id=org.teams["N1"].id)
    qa = org.people["qa_officer"]
    assert figures(qa, on, team) == reference_case_discussions(qa, on, team)


def test_a_discussion_exactly_one_interval_before_the_day_is_within_it(org):
    """Leicester: a child protection case is discussed every 28 days."""
    talk = {"holders": [(date(2026, 9, 1), "practitioner")]}
    talk |= {"statuses": [(date(2026, 9, 1), "child_protection")]}
    on_time = talk | {"discussions": [(date(2026, 10, 26), "practitioner")]}  # 28 days before
    late = talk | {"discussions": [(date(2026, 10, 25), "practitioner")]}
    shape(org, [on_time, late], ("leicester", "leicester"), datetime(2026, 1, 1))
    found = figures(org.people["qa_officer"], date(2026, 11, 23))
    assert [(line.due, line.within, line.days_over) for line in found.cases] == [
        (date(2026, 11, 23), True, 0),
        (date(2026, 11, 22), False, 1),
    ]
    assert found == reference_case_discussions(org.people["qa_officer"], date(2026, 11, 23))


def test_a_discussion_on_the_day_of_a_transfer_counts_for_the_new_worker(org):
    """Leicester: a child in need case is discussed within 28 days of a transfer, and every 28."""
    moved = {
        "holders": [(date(2026, 9, 1), "senior_practitioner"), (date(2026, 11, 2), "practitioner")]
    }
    moved |= {"statuses": [(date(2026, 9, 1), "child_in_need")]}
    moved |= {"discussions": [(date(2026, 11, 2), "practitioner")]}
    shape(org, [moved], ("leicester", "leicester"), datetime(2026, 1, 1))
    found = figures(org.people["qa_officer"], date(2026, 11, 23))
    assert [(line.last_discussion, line.due) for line in found.cases] == [
        (date(2026, 11, 2), date(2026, 11, 30))
    ]
    assert found == reference_case_discussions(org.people["qa_officer"], date(2026, 11, 23))
