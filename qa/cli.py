"""Command-line tasks: `flask --app qa import staff FILE`, `flask --app qa demo`, ..."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from audit_tools.profile import profile_names
from qa.auth.cli import set_password_command
from qa.clock import today
from qa.demo import organisation as demo
from qa.demo.history import load_history
from qa.extensions import db
from qa.jobs.cli import COMMANDS as JOB_COMMANDS
from qa.org.importing import KINDS, import_bytes
from qa.org.models import Staff
from qa.profiles.cli import profile_command
from qa.selections.cli import sample_size_command, select_command, verify_command
from qa.trends.cli import quantity_command


def register(app: Flask) -> None:
    app.cli.add_command(import_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(sign_ins_command)
    app.cli.add_command(set_password_command)
    app.cli.add_command(select_command)
    app.cli.add_command(verify_command)
    app.cli.add_command(sample_size_command)
    app.cli.add_command(profile_command)
    app.cli.add_command(quantity_command)
    for command in JOB_COMMANDS:
        app.cli.add_command(command)


@click.command("import")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, changing nothing.")
def import_command(kind: str, path: Path, dry_run: bool) -> None:
    """Import staff, sessions or agreements from a CSV or XLSX file (all or nothing)."""
    data = path.read_bytes()
    with click.progressbar(length=1, label=f"Checking {path.name}") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        report = import_bytes(kind, data, path.name, None, dry_run=dry_run, progress=progress)
    if not report.ok:
        click.echo(
            f"Nothing was imported. The file has {report.problem_count} problem(s):", err=True
        )
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        if report.more_problems:
            click.echo(f"  ... and {report.more_problems} more, not listed", err=True)
        raise SystemExit(1)
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb} {report.rows} rows: {report.created} added, {report.updated} changed, "
        f"{report.unchanged} unchanged."
    )


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load the demo when there are no staff yet.")
@click.option(
    "--profile",
    type=click.Choice(profile_names()),
    help="The council profile to load the demo under, in force from the start of its history "
    "(without it, the profile in force now).",
)
def demo_command(if_empty: bool, profile: str | None) -> None:
    """Load the demo organisation (the same every time) and print demo sign-ins."""
    if if_empty and (db.session.scalar(select(func.count(Staff.id))) or 0) > 0:
        click.echo("The database already has an organisation; the demo was not loaded.")
    else:
        org = demo.load(today(), profile=profile)
        if profile is not None:
            click.echo(f"The demo council is under the {profile} council profile.")
        click.echo(
            f"Loaded the demo organisation: {len(org.staff)} staff, "
            f"{len(org.sessions)} sessions, {len(org.agreements)} agreements."
        )
        history = load_history(today())
        click.echo(
            f"Added two years of audits: {history.runs} selections, {history.signed_off} "
            f"audits signed off, {history.to_do} still to do, {history.moderated} moderated, "
            f"{history.actions} actions."
        )
    _print_sign_ins()


@click.command("sign-ins")
def sign_ins_command() -> None:
    """Print one demo sign-in per role."""
    _print_sign_ins()


def _print_sign_ins() -> None:
    rows = demo.sign_ins()
    if not rows:
        return
    click.echo(f"\nDemo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
    for role, email, _ in rows:
        click.echo(f"  {role:<28} {email}")
