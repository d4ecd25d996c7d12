"""`flask --app qa profile list | show NAME | use NAME`: the council profiles and the one in
force."""

from __future__ import annotations

import getpass

import click

from audit_tools.profile import CouncilProfile, ProfileError, Rule
from qa.clock import today
from qa.formatting import long_date
from qa.profiles import service


@click.group("profile")
def profile_command() -> None:
    """The council profiles: how often each kind of staff is supervised, and the rest."""


@profile_command.command("list")
def list_command() -> None:
    """List the profiles at the version in force today, marking the one in force."""
    current = service.in_force()
    for profile in service.profiles_page().profiles:
        mark = "*" if profile.name == current.profile.name else " "
        click.echo(f"{mark} {profile.name} (version {profile.version}): {profile.policy}")
    choice = current.choice
    if choice is None:
        click.echo(f"In force: {current.profile.name}, from the COUNCIL_PROFILE setting.")
    else:
        click.echo(
            f"In force: {choice.name} version {choice.version}, chosen by {choice.chosen_by} "
            f"on {long_date(choice.chosen_at.date())}: {choice.reason}"
        )
    if current.chosen_version_differs:
        click.echo(
            f"The {current.profile.name} profile is now at version {current.profile.version}, "
            "saved since it was chosen."
        )


@profile_command.command("show")
@click.argument("name")
@click.option("--version", type=int, help="Which version (default: the one in force today).")
def show_command(name: str, version: int | None) -> None:
    """Show a profile's rules with the sections of the policy they come from."""
    try:
        if version is None:
            profile = service.profile_on(name, today())
        else:
            service.document_of(name, version)  # ProfileError for a version there is not
            profile = service.profile_version(name, version)
    except ProfileError as problem:
        raise click.UsageError(str(problem)) from problem
    for line in describe(profile):
        click.echo(line)


@profile_command.command("use")
@click.argument("name")
@click.option("--reason", required=True, help="Why the service changes to this profile.")
@click.option("--by", "chosen_by", help="Who decided (default: your user name).")
def use_command(name: str, reason: str, chosen_by: str | None) -> None:
    """Put a profile in force from now, recording who chose it and why."""
    try:
        choice = service.use_profile(name, chosen_by or getpass.getuser(), reason)
    except (ProfileError, ValueError) as problem:
        raise click.UsageError(str(problem)) from problem
    click.echo(f"The {choice.name} profile (version {choice.version}) is in force from now.")


def _rule(label: str, rule: Rule) -> list[str]:
    unit = rule.unit.replace("_", " ")
    said = rule.note if rule.silent else f"{rule.amount} {unit}"
    lines = [f"  {label}: {'not set by the policy: ' if rule.silent else ''}{said}"]
    if rule.citation.source:
        lines.append(f"    {rule.citation.source}: “{rule.citation.quote}”")
    if rule.note and not rule.silent:
        lines.append(f"    {rule.note}")
    if rule.decided:
        lines.append(f"    {rule.decided}")
    return lines


def describe(profile: CouncilProfile) -> list[str]:
    """The profile in plain lines, each rule with its source and quotation."""
    lines = [
        f"{profile.council}: {profile.policy} (profile {profile.name}, version {profile.version})"
    ]
    for category in profile.categories:
        roles = "all roles" if category.roles is None else ", ".join(sorted(category.roles))
        cases = {None: "", True: ", holding cases", False: ", not holding cases"}
        lines.append(f"{category.title} ({roles}{cases[category.case_holding]}):")
        lines += _rule("interval", category.interval)
        lines += _rule("longest gap", category.longest_gap)
        lines += _rule("yearly minimum", category.yearly_minimum)
    lines.append("Everyone:")
    for label, rule in (
        ("ASYE stages", profile.asye),
        ("agreement review", profile.agreement_review),
        ("making the agreement", profile.agreement_made),
        ("recording", profile.recording),
        ("signing", profile.signing),
        ("retention", profile.retention),
    ):
        lines += _rule(label, rule)
    for stage in profile.asye_stages:
        lines.append(f"    every {stage.interval_days} days: {stage.reason}")
    return lines
