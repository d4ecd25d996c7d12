"""The scheduler: APScheduler 3 running the jobs on their triggers.

Production runs a scheduler process, `flask --app qa scheduler`, beside the web server on
each app host; web workers never start one. Of those processes only the leader runs the jobs
(qa.jobs.leader): the others wait, asking every LEADER_POLL_SECONDS, and one of them takes
over when the leader's process dies. In development `make run` starts a
BackgroundScheduler inside the development server (RUN_SCHEDULER=1 with `flask run
--no-reload`, so the reloader cannot start a second in another process).

The job store is APScheduler's memory store, on purpose: APScheduler 3 cannot share a job
store between processes (two schedulers on one SQLAlchemy job store would each run every
job), and the jobs are defined here in code with stable ids, so there is nothing to keep
between restarts. The state that matters is in the database: the selections, the outbox and
the JobRun history. Jobs coalesce (a backlog of missed runs runs once), never overlap
(max_instances=1), run one after another on one worker thread, and still run when the
scheduler wakes up to a few hours late. The daily jobs also run once soon after start, in
their usual order, so a scheduler that was down catches up straight away.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask

from qa.clock import LONDON
from qa.extensions import db
from qa.jobs import settings
from qa.jobs.jobs import JOBS
from qa.jobs.leader import Leadership
from qa.jobs.schedule import trigger_for
from qa.jobs.service import run_job

log = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 60 * 60}
_started: list[BaseScheduler] = []


def build(app: Flask, kind: type[BaseScheduler]) -> BaseScheduler:
    """A scheduler of the given kind with every job on its trigger."""
    scheduler = kind(
        timezone=LONDON,
        job_defaults=JOB_DEFAULTS,
        executors={"default": ThreadPoolExecutor(max_workers=1)},
    )
    with app.app_context():
        started = datetime.now(LONDON)
        for job in JOBS.values():
            # A daily job also runs soon after start, at its usual distance from the others,
            # to catch up. (None here would mean "paused", so the monthly job passes nothing.)
            first = {} if job.monthly else {"next_run_time": started + job.offset}
            scheduler.add_job(
                _runner(app, job.id),
                trigger=trigger_for(job),
                id=job.id,
                name=job.title,
                replace_existing=True,
                **first,
            )
    return scheduler


def _runner(app: Flask, job_id: str) -> Callable[[], None]:
    def run() -> None:
        with app.app_context():
            try:
                run_job(job_id)
            except Exception:  # e.g. the database is down: log it and try at the next run
                log.exception("The scheduler could not run or record job %s", job_id)
            finally:
                db.session.remove()

    return run


def start_in_web_process(app: Flask) -> BaseScheduler | None:
    """Start a background scheduler when RUN_SCHEDULER is set (`make run` sets it), once per
    process."""
    with app.app_context():
        wanted = settings.flag("RUN_SCHEDULER")
    if not wanted or _started:
        return None
    scheduler = build(app, BackgroundScheduler)
    scheduler.start()
    _started.append(scheduler)
    atexit.register(_stop, scheduler)
    log.info("Background scheduler started with jobs %s", ", ".join(JOBS))
    return scheduler


def _stop(scheduler: BaseScheduler) -> None:
    if scheduler.running:
        scheduler.shutdown(wait=False)


def run_blocking(app: Flask, stop: threading.Event | None = None) -> None:
    """Run the production scheduler in this process until it is stopped: the jobs run while
    this process leads, and stop if it loses the lead."""
    stop = stop or threading.Event()
    with app.app_context():
        leadership = Leadership(db.engine)
        poll = float(app.config.get("LEADER_POLL_SECONDS", 5))
    scheduler: BaseScheduler | None = None
    try:
        while True:
            with app.app_context():
                leads = leadership.hold()
            if leads and scheduler is None:
                scheduler = build(app, BackgroundScheduler)
                scheduler.start()
                log.info("%s leads: it runs the jobs", leadership.name)
            elif not leads and scheduler is not None:
                _stop(scheduler)
                scheduler = None
                log.warning("%s no longer leads: its jobs are stopped", leadership.name)
            if stop.wait(poll):
                break
    except (KeyboardInterrupt, SystemExit):
        log.info("Scheduler stopped")
    finally:
        if scheduler is not None:
            _stop(scheduler)
        with app.app_context():
            leadership.release()
