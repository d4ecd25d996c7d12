"""`flask --app qa scheduler`, `run-job JOB_ID` and `retention [--dry-run]`."""

from __future__ import annotations

import click
from flask import current_app

from qa.jobs import retention
from qa.jobs.jobs import JOBS
from qa.jobs.retention_rules import RetentionRulesError
from qa.jobs.schedule import schedule_in_words
from qa.jobs.scheduler import run_blocking
from qa.jobs.service import OUTCOME_LABELS, run_job


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduler in this process (one on each app host: the one that leads runs the
    jobs, and another takes over when it stops)."""
    for job in JOBS.values():
        click.echo(f"{job.id}: {schedule_in_words(job)}")
    click.echo("Scheduler running. Press Ctrl+C to stop.")
    run_blocking(current_app._get_current_object())  # type: ignore[attr-defined]


@click.command("run-job")
@click.argument("job_id", type=click.Choice(list(JOBS)))
def run_job_command(job_id: str) -> None:
    """Run one scheduled job now and print what it did."""
    run = run_job(job_id)
    click.echo(f"{job_id}: {OUTCOME_LABELS[run.outcome]}. {run.detail}")
    if run.outcome == "failed":
        raise SystemExit(1)


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would change, changing nothing.")
def retention_command(dry_run: bool) -> None:
    """Apply the retention rules, or with --dry-run list what they would change."""
    try:
        report = retention.plan() if dry_run else retention.apply(None)
    except RetentionRulesError as exc:
        raise click.ClickException(str(exc)) from exc
    for rule_report in report.reports:
        rule = rule_report.rule
        click.echo(
            f"{rule.records_label}, kept {rule.keep_years} years {rule.counted_from}, then "
            f"{rule.outcome} ({rule_report.reach}): {rule_report.count}"
        )
        for item in rule_report.items:
            click.echo(f"  {item.description}")
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    else:
        click.echo(f"Done: {report.total} records changed, and the event log records it.")


COMMANDS = (scheduler_command, run_job_command, retention_command)
