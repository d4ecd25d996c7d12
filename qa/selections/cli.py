"""`flask --app qa select`, `verify` and `sample-size`."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from qa.clock import today
from qa.extensions import db
from qa.org.models import SupervisionFile
from qa.selections import service
from qa.selections.frames import load_organisation
from qa.selections.models import SelectionRun
from qa.selections.policies import current_policy
from sampling.planning import RuleError, size_from_rule


@click.command("select")
@click.option("--policy", "policy_key", required=True, help="e.g. monthly-team-manager")
@click.option("--period", "period_key", required=True, help="e.g. 2026-11, 2026-Q4, 2026-H2")
@click.option("--selector", "selector_id", help="Staff id of one selector (default: all)")
@click.option("--seed", help="At least 20 digits from a public source (default: random)")
def select_command(
    policy_key: str, period_key: str, selector_id: str | None, seed: str | None
) -> None:
    """Make a policy's selections for a period (each is made once; repeats show the first)."""
    try:
        _, policy = current_policy(policy_key)
    except LookupError as exc:
        raise click.UsageError(str(exc)) from exc
    selectors = service.selectors_for(policy, today())
    if selector_id:
        selectors = [s for s in selectors if s is not None and s.external_id == selector_id]
        if not selectors:
            raise click.UsageError(f"{selector_id} does not make {policy.title} selections")
    org = load_organisation()
    for selector in selectors:
        try:
            run, created = service.run_selection(
                policy.key, period_key.upper(), selector, None, seed=seed, org=org
            )
        except (service.SelectionError, ValueError) as exc:
            raise click.ClickException(str(exc)) from exc
        who = selector.name if selector else "the whole service"
        state = "made" if created else "already made"
        click.echo(f"Selection {run.id} for {who}, {run.period_key}: {state}, seed {run.seed}")


@click.command("verify")
@click.argument("run_id", type=int)
def verify_command(run_id: int) -> None:
    """Re-run a stored selection from its frame and seed and say whether it matches."""
    run = db.session.get(SelectionRun, run_id)
    if run is None:
        raise click.ClickException(f"There is no selection {run_id}")
    result = service.verify_run(run)
    for line in result.details:
        click.echo(line)
    click.echo("Matches." if result.matches else "Does not match.")
    if not result.matches:
        raise SystemExit(1)


@click.command("sample-size")
@click.option("--population", type=int, help="Files in the frame (default: today's open files)")
@click.option("--kind", type=click.Choice(["fixed", "fraction", "proportion", "attribute"]))
@click.option("--n", type=int)
@click.option("--fraction", type=float)
@click.option("--minimum", type=int)
@click.option("--maximum", type=int)
@click.option("--margin", type=float)
@click.option("--confidence", type=float)
@click.option("--expected", type=float)
@click.option("--tolerable-rate", type=float)
@click.option("--expected-deviations", type=int)
def sample_size_command(population: int | None, kind: str | None, **settings: object) -> None:
    """Print a sample size and the reasoning (default: the six-monthly policy's rule)."""
    _, policy = current_policy("six-monthly-random")
    rule: dict[str, object] = dict(policy.size_rule)
    if kind:
        rule = {"kind": kind, **{k: v for k, v in settings.items() if v is not None}}
    if population is None:
        population = (
            db.session.scalar(
                select(func.count(SupervisionFile.id)).where(SupervisionFile.closed_on.is_(None))
            )
            or 0
        )
    try:
        size = size_from_rule(rule, population)
    except RuleError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Sample size: {size.n} of {population} files")
    click.echo(size.reasoning)
