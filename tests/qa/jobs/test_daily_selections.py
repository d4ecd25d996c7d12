"""The daily selections job: each cadence's selections appear on the first day of the
period, a gap is caught up, and nothing is ever made twice, even by two processes."""

from __future__ import annotations

import multiprocessing
import os
from datetime import date, datetime

import pytest
from sqlalchemy import select

import qa.selections.service as selection_service
from qa.audits.models import Audit
from qa.extensions import db
from qa.jobs.jobs import daily_selections
from qa.jobs.models import JobRun
from qa.jobs.service import outcome_label, run_job
from qa.org.models import Staff
from qa.selections.models import SelectionRun
from qa.selections.policies import ensure_default_policies, save_new_version
from tests.qa.jobs.helpers import at, count, expected, selections


def test_each_cadence_is_selected_on_the_first_day_of_its_period(app, org):
    at(app, date(2026, 6, 30))
    run_job("daily-selections")
    june = expected("2026-06", "2026-Q2", "2026-H1")
    assert selections() == june

    at(app, date(2026, 7, 1))
    run_job("daily-selections")
    july = expected("2026-07", "2026-Q3", "2026-H2")
    assert selections() == june | july

    at(app, date(2026, 7, 2))
    run_job("daily-selections")
    assert selections() == june | july

    at(app, date(2026, 10, 1))
    run_job("daily-selections")
    october = expected("2026-10", "2026-Q4", "2026-H2")
    assert selections() == june | july | october

    at(app, date(2026, 11, 1))
    run = run_job("daily-selections")
    november = expected("2026-11", "2026-Q4", "2026-H2")
    assert selections() == june | july | october | november
    assert run.outcome == "ok" and run.detail == "Selections made: 2, already made: 3"


def test_the_monthly_audits_made_on_the_first_are_due_at_the_end_of_the_month(app, org):
    at(app, date(2026, 11, 1))
    run_job("daily-selections")
    monthly = db.session.scalars(
        select(Audit).join(SelectionRun).where(SelectionRun.policy_key == "monthly-team-manager")
    ).all()
    assert {a.auditor.external_id for a in monthly} == {
        "T-service_manager",
        "T-service_manager_south",
    }
    assert {a.due_on for a in monthly} == {date(2026, 11, 30)}
    assert all(a.state == "selected" for a in monthly)


def test_a_gap_of_days_is_caught_up_by_the_next_run(app, org):
    at(app, date(2026, 9, 28))
    run_job("daily-selections")
    at(app, date(2026, 10, 5))  # the scheduler was down from 29 September to 4 October
    run = run_job("daily-selections")
    assert selections() == expected("2026-09", "2026-Q3", "2026-H2") | expected(
        "2026-10", "2026-Q4", "2026-H2"
    )
    assert run.detail == "Selections made: 4, already made: 1"


def test_a_new_selector_gets_their_selection_at_the_next_run(app, org):
    at(app, date(2026, 11, 1))
    run_job("daily-selections")
    newcomer = Staff(
        external_id="T-new_service_manager",
        name="New Service Manager",
        email="new.sm@council.org.uk",
        role="service_manager",
        service_area=org.areas["South"],
        line_manager=org.people["head_south"],
        start_date=date(2026, 11, 2),
    )
    db.session.add(newcomer)
    db.session.commit()
    at(app, date(2026, 11, 3))
    run_job("daily-selections")
    assert ("monthly-team-manager", "2026-11", "T-new_service_manager") in selections()


def test_a_policy_switched_on_starts_at_its_current_period(app, org):
    admin = org.people["qa_officer"]
    ensure_default_policies()
    save_new_version("monthly-team-manager", {"active": False}, "Paused for the pilot", admin)
    at(app, date(2026, 9, 1))
    run_job("daily-selections")
    assert not [s for s in selections() if s[0] == "monthly-team-manager"]

    save_new_version("monthly-team-manager", {"active": True}, "Pilot over", admin)
    at(app, date(2026, 11, 23))
    run_job("daily-selections")
    monthly = {s[1] for s in selections() if s[0] == "monthly-team-manager"}
    assert monthly == {"2026-11"}


def test_running_the_job_twice_makes_nothing_twice(app, org):
    first = run_job("daily-selections")
    runs, audits = count(SelectionRun), count(Audit)
    second = run_job("daily-selections")
    assert (count(SelectionRun), count(Audit)) == (runs, audits)
    assert first.detail == "Selections made: 5"
    assert second.detail == "Already made: 5" and second.outcome == "ok"


def test_a_failure_before_commit_leaves_no_half_written_selection(app, org, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # record() is called after the run and its audits are inserted, before the commit.
    monkeypatch.setattr(selection_service, "record", fail)
    run = run_job("daily-selections")
    assert run.outcome == "failed" and "the disk is full" in run.detail
    assert "Failed: 5" in run.detail
    assert count(SelectionRun) == 0 and count(Audit) == 0

    monkeypatch.undo()
    assert run_job("daily-selections").detail == "Selections made: 5"


def _killed(url: str) -> None:  # runs in a child process, which dies mid-transaction
    from qa import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "x"})
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 6, 0)
    selection_service.record = lambda *args, **kwargs: os._exit(9)
    with app.app_context():
        run_job("daily-selections")


def test_a_scheduler_killed_mid_selection_leaves_nothing_behind(app, org):
    ensure_default_policies()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    child = multiprocessing.get_context("fork").Process(target=_killed, args=(url,))
    child.start()
    child.join(60)
    assert child.exitcode == 9
    assert count(SelectionRun) == 0 and count(Audit) == 0
    killed = db.session.scalar(select(JobRun))
    assert killed.outcome == "running" and killed.finished_at is None
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 13, 0)
    assert outcome_label(killed) == "Did not finish"
    assert run_job("daily-selections").detail == "Selections made: 5"


def _race(url: str, barrier, results, whole_job: bool) -> None:  # runs in a child process
    from qa import create_app

    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "x"})
        app.config["FIXED_NOW"] = datetime(2026, 11, 23, 6, 0)
        with app.app_context():
            barrier.wait()
            if whole_job:
                run = run_job("daily-selections")
                results.put((run.outcome, run.detail))
            else:
                results.put(("made", daily_selections(None).counts.get("selections made", 0)))
    except Exception as exc:  # reported to the parent, which fails the test with it
        results.put(("error", repr(exc)))


def _two_processes(app, whole_job: bool) -> list[tuple[str, object]]:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("Two processes at once are tested on PostgreSQL")
    ensure_default_policies()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_race, args=(url, barrier, results, whole_job)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    outcomes = [results.get(timeout=5) for _ in workers]
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    return outcomes


@pytest.mark.postgres
def test_two_schedulers_running_the_job_at_once_make_each_selection_once(app, org):
    outcomes = _two_processes(app, whole_job=True)
    assert {outcome for outcome, _ in outcomes} <= {"ok", "skipped"}, outcomes
    assert selections() == expected("2026-11", "2026-Q4", "2026-H2")
    assert count(SelectionRun) == 5


@pytest.mark.postgres
def test_without_the_lock_the_unique_key_still_makes_each_selection_once(app, org):
    outcomes = _two_processes(app, whole_job=False)
    assert sum(made for _, made in outcomes) == 5, outcomes
    assert count(SelectionRun) == 5
    assert selections() == expected("2026-11", "2026-Q4", "2026-H2")
