"""The home page's figures: counts by stage, overdue, completion, who sees what, and that
every figure's link leads to a list of exactly that many."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape

import pytest

from qa.extensions import db
from qa.main.figures import figures_for
from tests.qa.audits.helpers import make_audit, raise_an_action


def audit(
    org,
    supervisee,
    state,
    created=datetime(2026, 11, 1, 6),
    due=date(2026, 11, 30),
    auditor="service_manager",
    run=None,
):
    made = make_audit(org, auditor=auditor, supervisee=supervisee)
    made.state, made.created_at, made.due_on, made.run_id = state, created, due, run
    db.session.commit()
    return made


@pytest.fixture
def audits(org):
    made = [
        audit(org, "practitioner", "selected", due=date(2026, 11, 20)),  # overdue
        audit(org, "senior_practitioner", "in_progress"),
        audit(org, "practitioner_n2", "submitted"),
        audit(org, "team_manager", "signed_off"),
        audit(org, "team_manager_n2", "returned"),
        audit(org, "practitioner", "signed_off", created=datetime(2026, 8, 3, 6)),  # last quarter
        audit(org, "practitioner_south", "cancelled", auditor="service_manager_south"),
        audit(org, "team_manager_south", "submitted", auditor="head_south"),
    ]
    raise_an_action(org, made[2].id)
    from qa.selections.policies import current_policies

    (row, _), *_ = current_policies()
    run = a_run(org, row.key)
    for drawn in (made[0], made[3]):
        drawn.run_id = run.id
    db.session.commit()
    return made


def test_the_quarters_audits_are_counted_by_stage_with_their_completion_rate(org, audits):
    figures = figures_for(org.people["qa_officer"])
    assert figures.period.key == "2026-Q4"
    total = figures.totals
    assert (total.drawn, total.started, total.submitted, total.signed_off) == (6, 5, 3, 1)
    assert total.completion == pytest.approx(1 / 6)
    areas = {row.label: (row.drawn, row.signed_off) for row in figures.by_unit}
    assert areas == {"North": (5, 1), "South": (1, 0)}
    assert figures.unit_word == "service area"


def test_overdue_and_waiting_count_what_is_late_and_what_waits_for_sign_off(org, audits):
    figures = figures_for(org.people["qa_officer"])
    assert figures.overdue_audits.count == 1
    assert figures.awaiting_sign_off.count == 2
    assert figures.overdue_actions.count == 0


def test_an_action_past_its_due_date_is_overdue(org, audits):
    from qa.actions.models import Action

    action = db.session.scalars(db.select(Action)).one()
    action.due_on = date(2026, 11, 1)
    db.session.commit()
    assert figures_for(org.people["qa_officer"]).overdue_actions.count == 1
    assert figures_for(org.people["head_south"]).overdue_actions.count == 0


def test_a_head_of_service_sees_their_own_area_by_team(org, audits):
    figures = figures_for(org.people["head_south"])
    assert figures.totals.drawn == 1
    assert figures.unit_word == "team"
    assert [row.label for row in figures.by_unit] == ["South Safeguarding"]
    assert figures.awaiting_sign_off.count == 1


def test_practitioners_and_administrators_have_no_figures(org, audits):
    assert figures_for(org.people["practitioner"]) is None
    assert figures_for(org.people["administrator"]) is None


def test_no_audits_drawn_shows_no_completion_rate(org):
    figures = figures_for(org.people["qa_officer"])
    assert figures.by_policy == [] and figures.totals is None


LINK = re.compile(
    r'<a class="govuk-link" href="(/(?:audits/list|actions/)[^"]*)">(\d+)(?: \w+)?</a>'
)


def list_count(client, href: str) -> int:
    response = client.get(unescape(href))
    assert response.status_code == 200, href
    body = response.get_data(as_text=True)
    if href.startswith("/actions/"):
        body = body[body.index('id="all"') :]
    found = re.search(r"<caption[^>]*>\s*(?:\d+ to \d+ of )?(\d+) (?:audit|action)", body)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize(
    "who", ["qa_officer", "head_of_service", "service_manager", "team_manager"]
)
def test_each_figure_links_to_a_list_of_exactly_that_many(org, audits, sign_in_as, who):
    client = sign_in_as(who)
    body = client.get("/").get_data(as_text=True)
    links = LINK.findall(body)
    assert len(links) >= 3
    for href, shown in links:
        assert list_count(client, href) == int(shown), (who, href)


def test_the_home_page_shows_the_figures_and_the_things_to_do(org, audits, sign_in_as):
    body = sign_in_as("service_manager").get("/").get_data(as_text=True)
    assert "Your audits to do" in body
    assert "Audits drawn this quarter" in body
    assert "1 October 2026 to 31 December 2026" in body
    assert "Compliance: the latest verdict" in body


def test_a_team_manager_counts_only_the_audits_they_may_read(org, audits):
    figures = figures_for(org.people["team_manager"])
    assert figures is not None
    assert figures.totals is not None and figures.totals.drawn == 1  # their own file's
    assert [(row.label, row.drawn) for row in figures.by_unit] == [("North Safeguarding", 1)]
    assert figures.overdue_audits.count == 0  # the overdue audit is not yet theirs to read


def test_a_figure_for_another_area_cannot_be_reached_by_changing_the_address(
    org, audits, sign_in_as
):
    response = sign_in_as("head_south").get(
        f"/audits/list?area={org.areas['North'].id}&state=drawn"
    )
    assert response.status_code == 400
    assert "Practitioner N2" not in response.get_data(as_text=True)


def a_run(org, policy_key: str):
    from qa.selections.models import SelectionRun

    run = SelectionRun(
        policy_key=policy_key,
        policy_version=1,
        period_key="2026-11",
        selector_key="service_manager",
        selector_id=org.people["service_manager"].id,
        seed="12345678901234567890",
        algorithm="consistent sampling",
        algorithm_version="1",
        frame_hash="0" * 64,
        frame_size=3,
        draws="[]",
        exclusions="[]",
        notes="",
        ran_at=datetime(2026, 11, 1, 6),
    )
    db.session.add(run)
    db.session.commit()
    return run


def test_each_policy_has_its_row_named_by_its_title_and_audits_not_drawn_have_theirs(org):
    from qa.selections.policies import current_policies

    (row, policy), *_ = current_policies()
    run = a_run(org, row.key)
    audit(org, "practitioner", "signed_off", run=run.id)
    audit(org, "senior_practitioner", "selected", run=run.id)
    audit(org, "practitioner_n2", "in_progress")
    figures = figures_for(org.people["qa_officer"])
    rows = {r.label: (r.drawn, r.started, r.signed_off, r.completion) for r in figures.by_policy}
    assert rows == {
        policy.title: (2, 1, 1, 0.5),
        "Not drawn in a selection (such as re-audits)": (1, 1, 0, 0.0),
    }
    assert figures.by_policy[0].link_filters("signed_off") == {
        "period": "2026-Q4",
        "policy": row.key,
        "state": "signed_off",
    }
