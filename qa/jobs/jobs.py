"""The scheduled jobs, defined in code with stable ids: what each does and when it runs.

- ``daily-selections``: every selection that is due and missing for the current period of
  each active policy, for every selector. A missed day, or a server that was down, is caught
  up by the next run; a new policy starts at its current period.
- ``daily-reminders``: queue the reminders due today, then send what is waiting.
- ``monthly-retention``: apply the retention rules.
- ``hourly-import-files``: delete uploaded import files left unconfirmed for an hour.

Each is safe to run twice or in two processes at once: a selection is unique by policy,
period and selector, and a message by its event key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta

from qa.clock import today
from qa.extensions import db
from qa.jobs import notify, retention
from qa.org import uploads
from qa.org.models import Staff
from qa.selections.frames import load_organisation
from qa.selections.policies import current_policies
from qa.selections.service import run_selection, selectors_for
from sampling.periods import period_key

log = logging.getLogger(__name__)


@dataclass
class JobResult:
    """What a run did, as counts, and the problems that make it count as failed."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def add(self, label: str, count: int = 1) -> None:
        self.counts[label] = self.counts.get(label, 0) + count

    @property
    def detail(self) -> str:
        said = ", ".join(f"{label}: {n}" for label, n in self.counts.items()) or "nothing to do"
        return "; ".join([said[:1].upper() + said[1:], *self.problems])


@dataclass(frozen=True)
class Job:
    """A job: its stable id, what it does, and when (minutes after the scheduler's start
    time; monthly jobs run on the first day of the month, hourly ones at that many minutes
    past every hour). ``run`` is given the person who pressed "Run now", or None when the
    scheduler runs it."""

    id: str
    title: str
    purpose: str
    run: Callable[[Staff | None], JobResult]
    offset_minutes: int
    monthly: bool = False
    hourly: bool = False

    @property
    def offset(self) -> timedelta:
        return timedelta(minutes=self.offset_minutes)

    def start_time(self, hour: int, minute: int) -> time:
        minutes = (hour * 60 + minute + self.offset_minutes) % (24 * 60)
        return time(minutes // 60, minutes % 60)


def daily_selections(actor: Staff | None) -> JobResult:
    """Make each missing selection of the current period, one transaction per selection.

    A selection that fails is reported and the others are still made.
    """
    on = today()
    result = JobResult()
    for row, policy in current_policies():
        if not row.active or policy.drawn_by_hand:  # a one-off audit is drawn by a person
            continue
        period = period_key(policy.cadence, on)
        org = load_organisation()
        for selector in selectors_for(policy, on):
            who = selector.name if selector is not None else "the whole service"
            try:
                _, created = run_selection(policy.key, period, selector, actor, org=org)
            except Exception as exc:  # one bad selection must not stop the others
                db.session.rollback()
                log.exception("Selection %s %s for %s failed", policy.key, period, who)
                result.problems.append(f"{policy.title}, {period}, {who}: {exc}")
                result.add("failed")
            else:
                result.add("selections made" if created else "already made")
    return result


def daily_reminders(actor: Staff | None) -> JobResult:  # noqa: ARG001 (every job takes one)
    result = JobResult()
    for kind, count in notify.queue_reminders(today()).items():
        result.add(f"{kind.replace('-', ' ')} messages queued", count)
    for label, count in notify.deliver_pending().items():
        result.add(label, count)
    if unsent := result.counts.get("not sent"):
        result.problems.append(f"{unsent} could not be sent: the outbox says why")
    return result


def monthly_retention(actor: Staff | None) -> JobResult:
    report = retention.apply(actor)
    result = JobResult()
    for rule_report in report.reports:
        result.add(rule_report.done_label, rule_report.count)
    return result


def hourly_import_files(actor: Staff | None) -> JobResult:  # noqa: ARG001 (every job takes one)
    result = JobResult()
    result.add("unconfirmed import files deleted", uploads.remove_expired())
    return result


JOBS: dict[str, Job] = {
    job.id: job
    for job in (
        Job(
            "daily-selections",
            "Make the selections that are due",
            "Makes every selection that is due and missing for the current month, quarter "
            "and half-year of each active policy, so a missed day is caught up.",
            daily_selections,
            offset_minutes=0,
        ),
        Job(
            "daily-reminders",
            "Send reminders",
            "Tells auditors about new, due and overdue audits, heads of service about audits "
            "waiting for sign-off and owners about due and overdue actions, once per event.",
            daily_reminders,
            offset_minutes=30,
        ),
        Job(
            "monthly-retention",
            "Apply the retention rules",
            "Anonymises or deletes the records the retention rules say are no longer kept, "
            "and logs what it did.",
            monthly_retention,
            offset_minutes=60,
            monthly=True,
        ),
        Job(
            "hourly-import-files",
            "Delete unconfirmed import files",
            "Deletes uploaded staff, session and agreement files whose import was not "
            "confirmed within an hour, so personal data is not left on the server.",
            hourly_import_files,
            offset_minutes=15,
            hourly=True,
        ),
    )
}
