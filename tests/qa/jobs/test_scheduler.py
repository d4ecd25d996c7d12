"""The scheduler itself: jobs with stable ids, coalescing, one instance at a time, on
Europe/London triggers; a failing job is recorded and never raised; one runner at a time."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select, text

from qa.extensions import db
from qa.jobs import scheduler as scheduler_module
from qa.jobs import service
from qa.jobs.jobs import JOBS
from qa.jobs.models import JobRun
from qa.jobs.schedule import next_run, schedule_in_words
from qa.selections.models import SelectionRun
from tests.qa.jobs.helpers import count


@pytest.fixture
def paused_scheduler(app):
    scheduler = scheduler_module.build(app, BackgroundScheduler)
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)


def test_the_scheduler_has_each_job_with_a_stable_id_coalescing_one_at_a_time(paused_scheduler):
    jobs = {job.id: job for job in paused_scheduler.get_jobs()}
    assert set(jobs) == {
        "daily-selections",
        "daily-reminders",
        "monthly-retention",
        "hourly-import-files",
    }
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time >= 60 * 60
    assert str(jobs["daily-selections"].trigger.timezone) == "Europe/London"
    assert "hour='6', minute='0'" in str(jobs["daily-selections"].trigger)
    assert "day='1', hour='7', minute='0'" in str(jobs["monthly-retention"].trigger)
    assert "cron[minute='15']" in str(jobs["hourly-import-files"].trigger)


def test_the_daily_jobs_also_run_after_start_in_order_and_the_monthly_one_waits(
    paused_scheduler,
):
    jobs = {job.id: job for job in paused_scheduler.get_jobs()}
    first = jobs["daily-selections"].next_run_time
    assert abs((first - datetime.now(first.tzinfo)).total_seconds()) < 60
    assert jobs["daily-reminders"].next_run_time - first == timedelta(minutes=30)
    assert jobs["monthly-retention"].next_run_time.day == 1


def test_the_next_runs_follow_the_configured_time_in_london(app):
    app.config.update(SCHEDULER_HOUR="22", SCHEDULER_MINUTE="45")
    after = datetime(2026, 11, 23, 10, 0)
    assert next_run(JOBS["daily-selections"], after) == datetime(2026, 11, 23, 22, 45)
    assert next_run(JOBS["daily-reminders"], after) == datetime(2026, 11, 23, 23, 15)
    assert next_run(JOBS["monthly-retention"], after) == datetime(2026, 12, 1, 23, 45)
    assert schedule_in_words(JOBS["daily-reminders"]) == "Every day at 11:15pm"
    # British Summer Time starts on 28 March 2027: the job still runs at 10:45pm London time.
    summer = next_run(JOBS["daily-selections"], datetime(2027, 3, 28, 12, 0))
    assert summer == datetime(2027, 3, 28, 22, 45)


def test_the_web_process_starts_a_scheduler_only_when_asked_and_only_once(app, monkeypatch):
    started = []
    monkeypatch.setattr(BackgroundScheduler, "start", lambda self: started.append(self))
    monkeypatch.setattr(scheduler_module, "_started", [])
    assert scheduler_module.start_in_web_process(app) is None
    app.config["RUN_SCHEDULER"] = "1"
    first = scheduler_module.start_in_web_process(app)
    second = scheduler_module.start_in_web_process(app)
    assert first is not None and second is None and started == [first]


def test_a_failing_job_is_recorded_as_failed_and_never_raised(app, monkeypatch):
    def broken(actor):
        raise RuntimeError("The database went away")

    job = dataclasses.replace(JOBS["daily-reminders"], run=broken)
    monkeypatch.setitem(JOBS, "daily-reminders", job)
    scheduler_module._runner(app, "daily-reminders")()
    run = db.session.scalar(select(JobRun))
    assert run.outcome == "failed" and run.finished_at is not None
    assert run.detail == "RuntimeError: The database went away"


def test_a_job_already_running_is_skipped(app, org):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        with db.engine.connect() as other, other.begin():
            key = service.lock_key("daily-selections")
            assert other.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar()
            run = service.run_job("daily-selections")
    else:
        with service._local_locks["daily-selections"]:
            run = service.run_job("daily-selections")
    assert run.outcome == "skipped" and run.detail == service.SKIPPED
    assert count(SelectionRun) == 0
    assert service.run_job("daily-selections").outcome == "ok"


def test_run_job_command_runs_a_job_and_reports_it(app, org):
    result = app.test_cli_runner().invoke(args=["run-job", "daily-selections"])
    assert result.exit_code == 0, result.output
    assert "daily-selections: Succeeded. Selections made: 5" in result.output


def test_run_job_command_refuses_an_unknown_job(app):
    result = app.test_cli_runner().invoke(args=["run-job", "weekly-nothing"])
    assert result.exit_code == 2 and "daily-selections" in result.output


def test_run_job_command_fails_when_the_job_fails(app, monkeypatch):
    def broken(actor):
        raise RuntimeError("no")

    monkeypatch.setitem(
        JOBS, "daily-reminders", dataclasses.replace(JOBS["daily-reminders"], run=broken)
    )
    result = app.test_cli_runner().invoke(args=["run-job", "daily-reminders"])
    assert result.exit_code == 1 and "Failed. RuntimeError: no" in result.output


def test_an_unknown_job_id_is_explained(app):
    with pytest.raises(service.UnknownJob, match="try daily-selections"):
        service.run_job("weekly-nothing")
