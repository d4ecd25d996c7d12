"""When each job runs: a cron trigger in Europe/London from SCHEDULER_HOUR and
SCHEDULER_MINUTE, the same trigger the scheduler uses and the page describes in words."""

from __future__ import annotations

from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from qa.clock import LONDON
from qa.jobs import settings
from qa.jobs.jobs import Job


def trigger_for(job: Job) -> CronTrigger:
    start = job.start_time(settings.integer("SCHEDULER_HOUR"), settings.integer("SCHEDULER_MINUTE"))
    if job.hourly:
        return CronTrigger(minute=start.minute, timezone=LONDON)
    return CronTrigger(
        day=1 if job.monthly else "*", hour=start.hour, minute=start.minute, timezone=LONDON
    )


def next_run(job: Job, after: datetime) -> datetime:
    """The next time the job is due after a London wall-clock time, as London wall-clock."""
    fire = trigger_for(job).get_next_fire_time(None, after.replace(tzinfo=LONDON))
    assert fire is not None, "a cron trigger without an end date always fires again"
    return fire.astimezone(LONDON).replace(tzinfo=None)


def schedule_in_words(job: Job) -> str:
    start = job.start_time(settings.integer("SCHEDULER_HOUR"), settings.integer("SCHEDULER_MINUTE"))
    hour = start.hour % 12 or 12
    clock = f"{hour}:{start.minute:02d}{'am' if start.hour < 12 else 'pm'}"
    if job.hourly:
        return f"Every hour at {start.minute} minutes past"
    if job.monthly:
        return f"On the 1st of every month at {clock}"
    return f"Every day at {clock}"
