"""`flask --app qa quantity --as-of YYYY-MM-DD --json`: each person's supervision rule on a
day and whether they are within it, for checking the rules."""

from __future__ import annotations

import json
from datetime import date

import click

from qa.clock import today
from qa.trends.rule_check import rule_checks


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError as problem:
        raise click.BadParameter(f"give the day as YYYY-MM-DD, not {value}") from problem


@click.command("quantity")
@click.option("--as-of", "on", callback=_day, help="The day, YYYY-MM-DD (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object a person.")
def quantity_command(on: date, as_json: bool) -> None:
    """Each person with a supervision file: their category, the rule of the council profile
    in force on the day, their last formal session and whether they are within the rule."""
    checks = rule_checks(on)
    if as_json:
        click.echo(json.dumps([check.as_json() for check in checks], indent=2))
        return
    for check in checks:
        last = check.last_formal_session.isoformat() if check.last_formal_session else "none"
        within = "within" if check.within_rule else "NOT within"
        click.echo(
            f"{check.staff_id} {check.role} ({check.category}): every {check.interval_days} "
            f"days, last formal session {last}, {within} the rule"
        )
