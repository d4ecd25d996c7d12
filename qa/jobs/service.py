"""Running a job and reading what the jobs did.

Each run writes a JobRun row in its own transaction before the job starts and finishes it
after, so a run that fails is recorded as failed with its error, and a run that was killed
is left as "running" (shown as "did not finish"). A failing job never raises into the
scheduler.

One leader: on PostgreSQL each run holds a transaction-level advisory lock for its job on a
connection of its own, so a second scheduler (or a "Run now" click) running the same job at
the same moment skips it, and a process that dies lets go of the lock with its connection.
On SQLite (one process) a lock in the process does the same for the scheduler's thread and
a web request. Whatever happens, the unique selection key and the unique outbox event key
make sure nothing is ever made twice.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text

from qa.clock import now
from qa.events.service import record
from qa.extensions import db
from qa.jobs.jobs import JOBS, Job, JobResult
from qa.jobs.models import JobRun, OutboxMessage
from qa.jobs.schedule import next_run, schedule_in_words
from qa.org.models import Staff

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=6)
OUTCOME_LABELS = {
    "ok": "Succeeded",
    "failed": "Failed",
    "skipped": "Skipped",
    "running": "Running",
    "stopped": "Did not finish",
}
SKIPPED = "Skipped: the job was already running in another process"
_local_locks = {job_id: threading.Lock() for job_id in JOBS}


class UnknownJob(LookupError):
    """There is no job with that id."""


def get_job(job_id: str) -> Job:
    try:
        return JOBS[job_id]
    except KeyError as exc:
        raise UnknownJob(f"There is no job called {job_id!r}: try {', '.join(JOBS)}") from exc


def run_job(job_id: str, actor: Staff | None = None) -> JobRun:
    """Run the job now, in this process, and return its finished JobRun row."""
    job = get_job(job_id)
    run = JobRun(
        job_id=job.id,
        started_at=now(),
        outcome="running",
        detail="",
        triggered_by_id=actor.id if actor is not None else None,
    )
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    with _job_lock(job.id) as held:
        if not held:
            return _finish(run_id, "skipped", SKIPPED, actor)
        try:
            result: JobResult = job.run(actor)
        except Exception as exc:  # recorded on the run, never raised into the scheduler
            db.session.rollback()
            log.exception("Job %s failed", job.id)
            return _finish(run_id, "failed", f"{type(exc).__name__}: {exc}", actor)
    return _finish(run_id, "failed" if result.problems else "ok", result.detail, actor)


def _finish(run_id: int, outcome: str, detail: str, actor: Staff | None) -> JobRun:
    run = db.session.get(JobRun, run_id)
    assert run is not None
    run.finished_at = now()
    run.outcome = outcome
    run.detail = detail
    if actor is not None:
        record(actor, "job_run_by_hand", "job_run", run.id, f"{run.job_id}: {outcome}")
    db.session.commit()
    return run


@contextmanager
def _job_lock(job_id: str) -> Iterator[bool]:
    local = _local_locks[job_id]
    if not local.acquire(blocking=False):
        yield False
        return
    try:
        engine = db.engine
        if engine.dialect.name != "postgresql":
            yield True
            return
        with engine.connect() as connection, connection.begin():
            held = connection.execute(
                text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(job_id)}
            ).scalar()
            yield bool(held)
    finally:
        local.release()


def lock_key(name: str) -> int:
    """A stable 64-bit advisory lock number for a name."""
    digest = hashlib.sha256(f"supervision-file-audit:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass(frozen=True)
class JobStatus:
    job: Job
    schedule: str
    next_run: datetime
    last_run: JobRun | None


def outcome_label(run: JobRun) -> str:
    if run.outcome == "running" and run.started_at < now() - STALE_AFTER:
        return OUTCOME_LABELS["stopped"]
    return OUTCOME_LABELS.get(run.outcome, run.outcome)


def job_statuses() -> list[JobStatus]:
    """Each job with its schedule in words, its next run and its last run."""
    statuses = []
    for job in JOBS.values():
        last = db.session.scalar(
            select(JobRun)
            .where(JobRun.job_id == job.id)
            .order_by(JobRun.started_at.desc(), JobRun.id.desc())
            .limit(1)
        )
        statuses.append(JobStatus(job, schedule_in_words(job), next_run(job, now()), last))
    return statuses


def recent_runs(limit: int = 30) -> list[JobRun]:
    return list(
        db.session.scalars(
            select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
        )
    )


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    page: int
    pages: int
    total: int


def outbox_page(page: int, per_page: int = 50) -> OutboxPage:
    """Messages newest first, one page at a time."""
    total = db.session.scalar(select(func.count(OutboxMessage.id))) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    messages = db.session.scalars(
        select(OutboxMessage)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return OutboxPage(list(messages), page, pages, total)


def get_message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)
