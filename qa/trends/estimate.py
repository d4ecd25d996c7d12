"""The service-wide estimate from the latest six-monthly random sample (DESIGN.md section 4).

The sample is drawn separately in each service area, so the estimate weights each area's
rate by its share of the files in the frame (the stratified estimator in
`sampling.evaluation`). A file counts as meeting the standard when its audit's outcome is
good or outstanding.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.selections.models import SelectionRun
from qa.selections.policies import current_policies
from qa.trends.context import Context
from qa.trends.filters import period_long_label
from qa.trends.queries import latest_sample_run, sample_results
from sampling.cadences import AREA_DRAW
from sampling.evaluation import StratifiedEstimate, Stratum, stratified_proportion
from trend_maths.statistics import format_value


@dataclass(frozen=True)
class SampleEstimate:
    """The estimate (None when there is none to give), why, and the run it came from."""

    estimate: StratifiedEstimate | None
    text: str
    run: SelectionRun | None
    sampled: int
    population: int


def sample_estimate(ctx: Context) -> SampleEstimate:
    if ctx.unit.team_id is not None:
        return SampleEstimate(
            None,
            "The six-monthly random sample is drawn by service area, so it gives an estimate "
            "for a service area or the whole service, not for one team.",
            None,
            0,
            0,
        )
    keys = [row.key for row, policy in current_policies() if policy.population == "all_open_files"]
    run = latest_sample_run(ctx.scope, keys)
    if run is None:
        return SampleEstimate(
            None,
            "No six-monthly random sample has a signed-off audit yet: the estimate appears "
            "once one has.",
            None,
            0,
            0,
        )
    strata, waiting = _strata(ctx, run)
    sampled = sum(s.sampled for s in strata.values())
    population = sum(s.population for s in strata.values())
    label = period_long_label(run.period_key)
    if waiting or not strata:
        areas = ", ".join(waiting) or "any service area"
        return SampleEstimate(
            None,
            f"The estimate from the random sample for {label} appears once an audit in every "
            f"service area is signed off: none is yet in {areas}.",
            run,
            sampled,
            population,
        )
    estimate = stratified_proportion(strata)
    where = (
        f"in the {ctx.unit.area_name} service area" if ctx.unit.area_name else "across the service"
    )
    text = (
        f"From the random sample for {label}, an estimated {format_value(estimate.estimate)} "
        f"of supervision files {where} were good or outstanding (95% range "
        f"{format_value(estimate.low)} to {format_value(estimate.high)}). {sampled} of the "
        f"{population} files in the frame were audited and signed off. {estimate.method}; a "
        "file counts as meeting the standard when its audit's outcome is good or outstanding."
    )
    return SampleEstimate(estimate, text, run, sampled, population)


def _strata(ctx: Context, run: SelectionRun) -> tuple[dict[str, Stratum], list[str]]:
    """Each service area's stratum (files in the frame, audited, good or better), and the
    areas with files but no signed-off audit yet."""
    results = sample_results(ctx.scope, run)
    strata: dict[str, Stratum] = {}
    waiting: list[str] = []
    for draw in run.draw_records:
        if draw.kind != AREA_DRAW:
            continue
        label, area = draw.label, draw.subject
        if ctx.unit.area_name is not None and area != ctx.unit.area_name:
            continue
        population = len(draw.frame)
        sampled, good = results.get(label, (0, 0))
        if population == 0:
            continue
        if sampled == 0:
            waiting.append(area)
            continue
        strata[area] = Stratum(population, sampled, good)
    return strata, waiting
