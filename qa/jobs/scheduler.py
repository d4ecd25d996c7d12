"""The scheduler: APScheduler 3 running the jobs on their triggers.

Production runs exactly one scheduler process, `flask --app qa scheduler` (a
BlockingScheduler); web workers never start one. In development `make run` starts a
BackgroundScheduler inside the development server (RUN_SCHEDULER=1 with `flask run
--no-reload`, so the reloader cannot start a second in another process).

The job store is APScheduler's memory store, on purpose: APScheduler 3 cannot share a job
store between processes (two schedulers on one SQLAlchemy job store would each run every
job), and the jobs are defined here in code with stable ids, so there is nothing to keep
between restarts. The state that matters is in the database: the selections, the outbox and
the JobRun history. Jobs coalesce (a backlog of missed runs runs once), never overlap
(max_instances=1), and still run when the scheduler wakes up to a few hours late. The daily
jobs also run once at start, so a scheduler that was down catches up at once.
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from qa.clock import LONDON
from qa.extensions import db
from qa.jobs import settings
from qa.jobs.jobs import JOBS
from qa.jobs.schedule import trigger_for
from qa.jobs.service import run_job

log = logging.getLogger(__name__)

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 60 * 60}
_started: list[BaseScheduler] = []


def build(app: Flask, kind: type[BaseScheduler]) -> BaseScheduler:
    """A scheduler of the given kind with every job on its trigger."""
    scheduler = kind(timezone=LONDON, job_defaults=JOB_DEFAULTS)
    with app.app_context():
        for job in JOBS.values():
            scheduler.add_job(
                _runner(app, job.id),
                trigger=trigger_for(job),
                id=job.id,
                name=job.title,
                replace_existing=True,
                next_run_time=None if job.monthly else datetime.now(LONDON),
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
    atexit.register(scheduler.shutdown, wait=False)
    log.info("Background scheduler started with jobs %s", ", ".join(JOBS))
    return scheduler


def run_blocking(app: Flask) -> None:
    """Run the production scheduler in this process until it is stopped."""
    scheduler = build(app, BlockingScheduler)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("Scheduler stopped")
