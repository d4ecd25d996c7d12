"""The trend statistics against values worked by hand or published, one rule per test.

SPC series start from a fixed baseline of a year (6, 4, 6, 4, ...: mean 5, mean moving range
2, limits 5 ± 5.32, two sigma 3.55, ending below the mean) so each special-cause rule can be
fired by a crafted run after it and shown not to fire on a near miss.
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trend_maths.statistics import (
    Point,
    Rebase,
    SpcChart,
    design_effect,
    drift,
    format_value,
    funnel,
    p_chart,
    two_proportion_change,
    weighted_kappa,
    wilson,
    xmr_chart,
)

BASELINE = [6.0, 4.0] * 6
B = len(BASELINE)  # the index of the first point after the baseline


def series(values, n=0):
    return [Point(f"{2025 + i // 12}-{i % 12 + 1:02d}", v, n) for i, v in enumerate(values)]


def after_baseline(values, higher_is_better=True):
    return xmr_chart(series(BASELINE + values), higher_is_better, baseline=B)


def flagged(chart: SpcChart, rule):
    return [i for i, p in enumerate(chart.points) if rule in p.special_cause]


def pairs_from(table):
    return [
        (i, j) for i, row in enumerate(table) for j, count in enumerate(row) for _ in range(count)
    ]


# XmR charts


def test_xmr_limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges():
    values = [72.0, 65.0, 70.0, 68.0, 75.0, 71.0, 69.0, 66.0, 73.0, 70.0, 67.0, 74.0]
    mean = sum(values) / 12  # 840 / 12 = 70
    ranges = [7, 5, 2, 7, 4, 2, 3, 7, 3, 3, 7]  # |differences| of neighbours
    mean_range = sum(ranges) / 11  # 50 / 11 = 4.545...

    chart = xmr_chart(series(values))

    assert chart.kind == "xmr"
    assert chart.centre == pytest.approx(70.0) == pytest.approx(mean)
    for point in chart.points:
        assert point.lower == pytest.approx(mean - 2.66 * mean_range)  # 57.91
        assert point.upper == pytest.approx(mean + 2.66 * mean_range)  # 82.09
    assert not any(p.special_cause for p in chart.points)
    assert chart.verdict == "no significant change"


def test_xmr_baseline_fixes_the_limits_from_the_first_periods():
    chart = after_baseline([5.5, 4.5])

    assert chart.centre == pytest.approx(5.0)
    assert chart.points[-1].lower == pytest.approx(5 - 2.66 * 2)
    assert chart.points[-1].upper == pytest.approx(5 + 2.66 * 2)


def test_xmr_skips_periods_without_a_value_and_joins_the_moving_range_across_them():
    chart = xmr_chart(series([10.0, None, 14.0, 12.0]))

    assert chart.centre == pytest.approx(12.0)
    assert chart.points[0].upper == pytest.approx(12 + 2.66 * 3)  # ranges 4 and 2
    assert chart.points[1].value is None
    assert chart.points[1].special_cause == ()


@pytest.mark.parametrize("values", [[], [None, None], [3.0], [None, 3.0]])
def test_xmr_with_fewer_than_two_values_has_not_enough_data(values):
    chart = xmr_chart(series(values))

    assert chart.verdict == "not enough data"
    assert "not enough data" in chart.verdict_text
    assert all(p.lower is None and p.upper is None for p in chart.points)


def test_xmr_with_fewer_than_a_dozen_points_says_its_limits_are_provisional():
    eleven = xmr_chart(series([5.0, 6.0] * 5 + [5.0]))
    twelve = xmr_chart(series([5.0, 6.0] * 6))

    assert "provisional, from only 11 months" in eleven.verdict_text
    assert "provisional" not in twelve.verdict_text


def test_a_baseline_shorter_than_two_periods_is_refused():
    with pytest.raises(ValueError, match="baseline"):
        xmr_chart(series([1.0, 2.0, 3.0]), baseline=1)


def test_a_value_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError, match="not a number"):
        xmr_chart(series([1.0, math.nan, 3.0]))


# Special-cause rules


def test_a_point_outside_the_limits_is_a_special_cause():
    chart = after_baseline([5.5, 10.5, 5.5])

    assert flagged(chart, "outside_limits") == [B + 1]
    assert chart.points[B + 1].direction == "improvement"


def test_a_point_just_inside_the_limits_is_not_outside_them():
    chart = after_baseline([5.5, 10.3, 4.5])

    assert flagged(chart, "outside_limits") == []


def test_seven_points_on_one_side_of_the_centre_are_a_shift():
    chart = after_baseline([5.5, 6.0, 5.5, 6.0, 5.5, 6.0, 5.5])

    assert flagged(chart, "shift") == list(range(B, B + 7))
    assert all(chart.points[i].direction == "improvement" for i in range(B, B + 7))


def test_six_points_on_one_side_of_the_centre_are_not_a_shift():
    chart = after_baseline([5.5, 6.0, 5.5, 6.0, 5.5, 6.0, 4.5])

    assert flagged(chart, "shift") == []


def test_a_point_on_the_centre_line_breaks_a_shift():
    chart = after_baseline([5.5, 6.0, 5.5, 5.0, 6.0, 5.5, 6.0, 5.5])

    assert flagged(chart, "shift") == []


def test_the_shift_length_can_be_configured():
    chart = xmr_chart(
        series(BASELINE + [5.5, 6.0, 5.5, 6.0, 5.5, 6.0, 4.5]), baseline=B, shift_length=6
    )

    assert flagged(chart, "shift") == list(range(B, B + 6))


def test_runs_shorter_than_two_points_are_refused():
    with pytest.raises(ValueError, match="at least 2 points"):
        xmr_chart(series([1.0]), shift_length=1)
    with pytest.raises(ValueError, match="at least 2 points"):
        p_chart([], trend_length=0)


def test_seven_points_each_higher_than_the_last_are_a_trend():
    chart = after_baseline([3.9, 4.3, 4.7, 5.1, 5.5, 5.9, 6.3])

    assert flagged(chart, "trend") == list(range(B, B + 7))
    assert flagged(chart, "shift") == []


def test_six_rising_points_are_not_a_trend():
    chart = after_baseline([3.9, 4.3, 4.7, 5.1, 5.5, 5.9, 5.0])

    assert flagged(chart, "trend") == []


def test_a_repeated_value_breaks_a_trend():
    chart = after_baseline([3.9, 4.3, 4.3, 4.7, 5.1, 5.5, 5.9])

    assert flagged(chart, "trend") == []


def test_seven_falling_points_are_a_downward_trend():
    chart = after_baseline([5.9, 5.7, 5.5, 5.3, 5.1, 4.9, 4.7, 6.0])

    assert flagged(chart, "trend") == list(range(B, B + 7))
    assert chart.points[B + 6].direction == "concern"


def test_two_of_three_points_near_the_same_limit_are_a_special_cause():
    chart = after_baseline([9.0, 5.5, 9.5])

    assert flagged(chart, "two_of_three") == [B, B + 2]
    assert flagged(chart, "outside_limits") == []


def test_near_limit_points_three_apart_or_on_opposite_sides_are_not_two_of_three():
    three_apart = after_baseline([9.0, 5.5, 4.5, 9.5])
    opposite = after_baseline([9.0, 1.0, 5.5])

    assert flagged(three_apart, "two_of_three") == []
    assert flagged(opposite, "two_of_three") == []


def test_when_lower_is_better_a_rise_is_a_concern():
    chart = after_baseline([5.5, 6.0, 5.5, 6.0, 5.5, 6.0, 5.5], higher_is_better=False)

    assert {chart.points[i].direction for i in range(B, B + 7)} == {"concern"}
    assert chart.verdict == "concerning"
    assert chart.higher_is_better is False


def test_a_point_flagged_both_ways_takes_its_type_from_the_rule_with_priority():
    # Above the mean (a shift, improvement) but falling (a trend, concern): as published,
    # a trend comes before a shift, so each point is a concern and so is the verdict.
    chart = after_baseline([8.4, 7.9, 7.4, 6.9, 6.4, 5.9, 5.6])

    assert chart.points[-1].special_cause == ("trend", "shift")
    assert {chart.points[i].direction for i in range(B, B + 7)} == {"concern"}
    assert chart.verdict == "concerning"
    assert chart.verdict_text.startswith("The average score is getting worse: it fell steadily")


def test_common_cause_points_have_no_rules_and_no_direction():
    chart = after_baseline([5.5, 4.5])

    assert chart.points[-1].special_cause == ()
    assert chart.points[-1].direction == ""


# Verdicts


def test_a_recent_shift_reads_as_improving_with_the_run_and_the_average():
    chart = after_baseline([5.5, 6.0, 5.5, 6.0, 5.5, 6.0, 5.5])

    assert chart.verdict == "improving"
    assert chart.verdict_text == (
        "The average score is improving: the last 7 months are all above the average of 5."
    )


def test_a_rate_falling_below_its_limit_reads_as_getting_worse():
    points = series([0.8, 0.82, 0.78, 0.8, 0.81, 0.79, 0.2], n=50)

    chart = p_chart(points, measure="Supervision within policy timescales")

    assert chart.verdict == "concerning"
    assert chart.verdict_text.startswith(
        "Supervision within policy timescales is getting worse: 2025-07 (20%) was below "
        "the lower limit of "
    )


def test_a_special_cause_older_than_the_last_seven_points_does_not_decide_the_verdict():
    chart = after_baseline([10.5, 5.5, 4.5, 5.5, 4.5, 5.5, 4.5, 5.5])

    assert flagged(chart, "outside_limits") == [B]
    assert chart.verdict == "no significant change"
    assert chart.verdict_text == (
        "The average score shows no significant change: the latest month is within the "
        "expected range around the average of 5."
    )


def test_verdict_wording_uses_the_measure_and_period_given():
    chart = xmr_chart(
        series(BASELINE + [3.9, 4.3, 4.7, 5.1, 5.5, 5.9, 6.3]),
        baseline=B,
        measure="The quality score",
        period="quarter",
    )

    assert chart.verdict_text == (
        "The quality score is improving: it rose steadily over the 7 quarters from 2026-01 "
        "to 2026-07."
    )


# p-charts


def test_p_chart_centre_is_pooled_and_limits_vary_with_each_n():
    points = [Point("Jan", 0.5, 10), Point("Feb", 0.6, 20), Point("Mar", 0.7, 40)]
    pooled = (5 + 12 + 28) / 70

    chart = p_chart(points)

    assert chart.kind == "p"
    assert chart.centre == pytest.approx(pooled)
    for point in chart.points:
        sigma = math.sqrt(pooled * (1 - pooled) / point.n)
        assert point.lower == pytest.approx(max(0.0, pooled - 3 * sigma))
        assert point.upper == pytest.approx(min(1.0, pooled + 3 * sigma))
    assert chart.points[0].upper == 1.0  # 0.643 + 3 × 0.152 is clipped
    assert chart.points[2].upper == pytest.approx(0.8701, abs=1e-4)


def test_design_effect_of_answers_that_always_go_together_is_the_answers_per_audit():
    # Every audit is all "yes" or all "no", 10 answers each: each audit is one observation.
    audits = [("Jan", 10, 10), ("Jan", 0, 10), ("Jan", 10, 10), ("Feb", 0, 10), ("Feb", 10, 10)]
    jan = 3 / 2 * (2 * (10 - 20 / 3) ** 2 + (0 - 20 / 3) ** 2)
    feb = 2 * 2 * 25
    assert design_effect(audits) == pytest.approx((jan + feb) / (30 * 2 / 9 + 20 * 0.25))
    many = [(month, 10 * (i % 2), 10) for month in ("Jan", "Feb") for i in range(20)]
    assert design_effect(many) == pytest.approx(10 * 20 / 19)  # m / (m - 1) times n


def test_design_effect_of_independent_answers_is_about_one():
    rng = np.random.default_rng(20261202)
    audits = [(i % 12, int(rng.binomial(33, 0.7)), 33) for i in range(600)]

    assert 0.85 < design_effect(audits) < 1.15


def test_design_effect_leaves_out_periods_it_cannot_measure():
    assert design_effect([]) == 1.0
    assert design_effect([("Jan", 3, 10)]) == 1.0  # one audit: no spread to see
    assert design_effect([("Jan", 10, 10), ("Jan", 5, 5)]) == 1.0  # a rate of 100%
    assert design_effect([("Jan", 0, 0), ("Jan", 0, 0)]) == 1.0
    with pytest.raises(ValueError, match="not a possible count"):
        design_effect([("Jan", 11, 10)])


def test_p_chart_limits_widen_by_the_root_of_the_design_effect():
    rates = [0.6, 0.8, 0.65, 0.75, 0.7, 0.62, 0.78, 0.7]
    points = [Point(f"M{i}", rate, 2000) for i, rate in enumerate(rates)]
    centre = sum(rates) / len(rates)
    sigma = math.sqrt(centre * (1 - centre) / 2000)

    plain, clustered = p_chart(points), p_chart(points, design_effect=25.0)

    assert clustered.widened == pytest.approx(5.0) and plain.widened == 1.0
    assert clustered.points[0].upper == pytest.approx(centre + 3 * 5 * sigma)
    assert clustered.points[0].lower == pytest.approx(centre - 3 * 5 * sigma)
    assert any("outside_limits" in p.special_cause for p in plain.points)
    assert not any("outside_limits" in p.special_cause for p in clustered.points)
    assert "answers of one audit tend to go together" in clustered.verdict_text
    assert p_chart(points, design_effect=0.5).points[0].upper == plain.points[0].upper


def test_p_chart_period_with_no_audits_has_no_limits_and_is_never_flagged():
    points = series([0.9] * 7 + [0.0, 0.2], n=30)
    points[7] = Point(points[7].label, 0.0, 0)

    chart = p_chart(points)

    assert chart.points[7].lower is None and chart.points[7].upper is None
    assert chart.points[7].special_cause == ()
    assert chart.centre == pytest.approx((0.9 * 7 + 0.2) * 30 / (8 * 30))


def test_p_chart_of_all_yes_or_all_no_flags_nothing():
    for rate in (1.0, 0.0):
        chart = p_chart(series([rate] * 10, n=5))

        assert chart.centre == rate
        assert all(p.lower == p.upper == rate for p in chart.points)
        assert chart.verdict == "no significant change"


def test_p_chart_refuses_a_rate_outside_zero_to_one():
    with pytest.raises(ValueError, match="between 0 and 1"):
        p_chart([Point("Jan", 1.2, 10), Point("Feb", 0.5, 10)])


def test_p_chart_with_one_audited_period_has_not_enough_data():
    chart = p_chart([Point("Jan", 0.5, 10), Point("Feb", None, 0)])

    assert chart.verdict == "not enough data"
    assert chart.centre == 0.5


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=30))
def test_p_chart_limits_are_always_within_zero_and_one(counts):
    points = [Point(str(i), min(k, n) / n if n else None, n) for i, (k, n) in enumerate(counts)]

    chart = p_chart(points)

    for point in chart.points:
        if point.lower is not None and point.upper is not None:
            assert 0.0 <= point.lower <= chart.centre + 1e-12
            assert chart.centre - 1e-12 <= point.upper <= 1.0


# Funnel plots


def lower_limit_by_hand(n, target, tail):
    """Spiegelhalter (2005) appendix A.1.1, from binomial probabilities summed by hand."""
    probability = [math.comb(n, r) * target**r * (1 - target) ** (n - r) for r in range(n + 1)]
    r = next(r for r in range(n + 1) if sum(probability[: r + 1]) >= tail)
    alpha = (sum(probability[: r + 1]) - tail) / probability[r]
    return min(1.0, max(0.0, (r - alpha) / n))


def test_funnel_limits_match_the_interpolated_binomial_worked_by_hand():
    # n = 10, target 80%: P(R ≤ 4) = 0.0064 < 0.025 ≤ P(R ≤ 5) = 0.0328, P(R = 5) = 0.0264,
    # so α = (0.0328 - 0.025) / 0.0264 = 0.295 and the lower 95% limit is (5 - 0.295) / 10.
    result = funnel([("A", 8, 10), ("B", 30, 50), ("C", 150, 200)], target=0.8, method="exact")

    n10 = result.curve[9]
    assert n10[0] == 10
    assert n10[2] == pytest.approx(0.4705, abs=1e-4)
    for n in (1, 10, 50, 200):
        row = result.curve[n - 1]
        assert row[1] == pytest.approx(lower_limit_by_hand(n, 0.8, 0.001))
        assert row[2] == pytest.approx(lower_limit_by_hand(n, 0.8, 0.025))
        assert row[3] == pytest.approx(1 - lower_limit_by_hand(n, 0.2, 0.025))
        assert row[4] == pytest.approx(1 - lower_limit_by_hand(n, 0.2, 0.001))
        assert row[1] <= row[2] <= 0.8 <= row[3] <= row[4]


def test_funnel_places_each_team_against_the_limits_for_its_size():
    result = funnel(
        [("Steady", 40, 50), ("Low", 30, 50), ("Very low", 100, 200), ("None yet", 0, 0)],
        target=0.8,
        method="exact",
    )
    by_label = {p.label: p for p in result.points}

    assert by_label["Steady"].position == "within limits"
    assert by_label["Steady"].within_95 is True
    assert by_label["Low"].position == "below 99.8% limits"  # 60% against 64.5%
    assert by_label["Very low"].within_998 is False
    assert by_label["None yet"].position == "no audits"
    assert by_label["None yet"].rate is None and by_label["None yet"].within_95 is None


def test_funnel_flags_a_team_above_the_95_but_within_the_998_limits():
    result = funnel(
        [("High", 47, 50)], target=0.8, method="exact"
    )  # 94%: upper 95% is 90%, 99.8% is 94.3%

    assert result.points[0].position == "above 95% limits"
    assert (result.points[0].within_95, result.points[0].within_998) == (False, True)


def test_a_small_team_at_100_percent_is_not_flagged_for_being_at_the_top():
    result = funnel([("Small", 10, 10)], target=0.8, method="exact")  # P(10 of 10) = 0.107

    assert result.points[0].position == "within limits"


def test_funnel_target_defaults_to_the_pooled_rate():
    result = funnel([("A", 3, 4), ("B", 5, 16)])

    assert result.target == pytest.approx(8 / 20)
    assert len(result.curve) == 16


def test_funnel_with_no_audits_has_no_curve():
    result = funnel([("A", 0, 0)])

    assert result.target == 0.0
    assert result.curve == ()
    assert result.points[0].position == "no audits"


def test_funnel_limits_widen_by_the_root_of_the_design_effect():
    teams = [(f"T{i}", round(300 * (0.55 + 0.3 * i / 19)), 300) for i in range(20)]
    target = sum(k for _, k, _ in teams) / 6000
    plain, clustered = funnel(teams), funnel(teams, design_effect=4.0)

    assert clustered.dispersion == 4.0 and plain.dispersion == 1.0
    n300 = clustered.curve[299]
    sigma = math.sqrt(target * (1 - target) / 300)
    assert n300[3] == pytest.approx(target + 1.959964 * 2 * sigma)
    assert n300[1] == pytest.approx(target - 3.090232 * 2 * sigma)
    flagged = [p for p in plain.points if p.position != "within limits"]
    still = [p for p in clustered.points if p.position != "within limits"]
    assert 0 < len(still) < len(flagged)  # the most extreme teams are still flagged


def test_a_design_effect_of_one_or_less_keeps_the_exact_binomial_limits():
    teams = [("A", 8, 10), ("B", 30, 50), ("C", 150, 200)]
    exact = funnel(teams, 0.8, method="exact")
    assert funnel(teams, 0.8, design_effect=0.7, method="exact").curve == exact.curve
    assert funnel(teams, 0.8, design_effect=1.0).dispersion == 1.0


def test_funnel_limits_are_wilson_by_default_and_differ_from_exact_for_a_small_team():
    # Ten audits at a target of 80%: Wilson's lower 95% limit is 0.8 - 1.96 × √(0.016) =
    # 55.2%, the interpolated exact binomial's 47.1%: about 8 points apart.
    teams = [("A", 8, 10), ("B", 30, 50)]
    wilson_limits, exact = funnel(teams, 0.8), funnel(teams, 0.8, method="exact")

    assert wilson_limits.method == "wilson" and exact.method == "exact"
    assert wilson_limits.curve[9][2] == pytest.approx(0.8 - 1.959964 * math.sqrt(0.016))
    assert wilson_limits.curve[9][2] - exact.curve[9][2] == pytest.approx(0.081, abs=0.001)
    assert "Wilson score limits" in wilson_limits.method_text
    assert "exact binomial limits" in exact.method_text


def test_an_unknown_funnel_method_is_refused():
    with pytest.raises(ValueError, match="Unknown funnel method 'normal'"):
        funnel([("A", 1, 2)], method="normal")


def test_funnel_refuses_impossible_counts_and_targets():
    with pytest.raises(ValueError, match="not a possible count"):
        funnel([("A", 5, 4)])
    with pytest.raises(ValueError, match="target"):
        funnel([("A", 1, 4)], target=1.5)


# Change between periods


def test_a_small_change_is_tested_with_fishers_exact_test():
    # 1 of 5 then 4 of 5: the hypergeometric probabilities of 0..5 in the first period are
    # 1, 25, 100, 100, 25, 1 (/ 252); as or less likely than 25/252: (1 + 25 + 25 + 1) / 252.
    change = two_proportion_change(1, 5, 4, 5)

    assert change.difference == pytest.approx(0.6)
    assert change.p_value == pytest.approx(52 / 252)
    assert change.significant is False
    assert "Fisher" in change.method


def test_a_large_change_is_tested_with_the_two_proportion_z_test():
    # 50% then 70% of 100: pooled 60%, SE = √(0.6 × 0.4 × (1/100 + 1/100)), z = 2.887.
    change = two_proportion_change(50, 100, 70, 100)
    z = 0.2 / math.sqrt(0.6 * 0.4 * 0.02)

    assert change.difference == pytest.approx(0.2)
    assert change.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert change.significant is True
    assert "z test" in change.method


def test_a_period_with_no_audits_shows_no_significant_change():
    change = two_proportion_change(0, 0, 5, 10)

    assert (change.difference, change.p_value, change.significant) == (0.0, 1.0, False)


def test_a_change_between_all_yes_periods_is_not_significant():
    assert two_proportion_change(20, 20, 30, 30).p_value == pytest.approx(1.0)


def test_impossible_counts_are_refused_for_a_change():
    with pytest.raises(ValueError):
        two_proportion_change(6, 5, 1, 5)


# Agreement (weighted kappa)


def test_perfect_agreement_across_categories_is_kappa_one():
    kappa = weighted_kappa([(0, 0), (1, 1), (2, 2), (3, 3), (1, 1)], categories=4)

    assert kappa.value == pytest.approx(1.0)
    assert kappa.observed_agreement == 1.0
    assert kappa.low == pytest.approx(1.0) and kappa.high == pytest.approx(1.0)


@pytest.mark.parametrize("weights", ["linear", "quadratic", "unweighted"])
def test_ratings_independent_of_each_other_give_kappa_zero(weights):
    kappa = weighted_kappa(pairs_from([[2, 2, 2], [2, 2, 2], [2, 2, 2]]), 3, weights)

    assert kappa.value == pytest.approx(0.0, abs=1e-12)


def test_unweighted_kappa_matches_the_textbook_two_by_two_example():
    # 50 applications read by two readers: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    # pₒ = 35/50 = 0.7, pₑ = 0.5 × 0.6 + 0.5 × 0.4 = 0.5, κ = 0.2 / 0.5 = 0.4.
    pairs = pairs_from([[20, 5], [10, 15]])

    kappa = weighted_kappa(pairs, 2, "unweighted")

    assert kappa.value == pytest.approx(0.4)
    assert kappa.observed_agreement == pytest.approx(0.7)
    assert weighted_kappa(pairs, 2, "linear").value == pytest.approx(0.4)


def test_weighted_kappa_on_a_three_by_three_table_worked_by_hand():
    # Rows: auditor (inadequate, requires improvement, good); columns: moderator. n = 30,
    # row totals 12, 13, 5; column totals 13, 11, 6; 22 exact agreements, 8 one step apart.
    table = [[10, 2, 0], [3, 8, 2], [0, 1, 4]]
    # Linear: near misses agree 1/2. pₒ = (22 + 8/2) / 30 = 13/15.
    # pₑ = (329 + 434/2) / 900 = 91/150 (diagonal products 156 + 143 + 30 = 329,
    # one-apart products 132 + 169 + 78 + 55 = 434), κ = (13/15 - 91/150) / (59/150) = 39/59.
    # Quadratic: near misses agree 3/4. pₒ = 14/15, pₑ = (329 + 434 × 3/4) / 900 = 1309/1800,
    # κ = (1680 - 1309) / (1800 - 1309) = 371/491.
    pairs = pairs_from(table)

    linear = weighted_kappa(pairs, 3, "linear")
    quadratic = weighted_kappa(pairs, 3, "quadratic")

    assert linear.value == pytest.approx(float(Fraction(39, 59)))
    assert quadratic.value == pytest.approx(float(Fraction(371, 491)))
    assert linear.observed_agreement == pytest.approx(22 / 30)
    assert linear.n == 30


def test_kappa_and_its_interval_match_sas_proc_freq_for_a_published_table():
    # SAS PROC FREQ (AGREE) output for this table, as used in statsmodels' own tests:
    # simple kappa 0.4842, ASE 0.1380, 95% 0.2137 to 0.7547; weighted (Cicchetti-Allison,
    # i.e. linear) 0.4701, ASE 0.1457, 95% 0.1845 to 0.7558.
    pairs = pairs_from([[0, 4, 1], [0, 8, 0], [0, 1, 5]])

    simple = weighted_kappa(pairs, 3, "unweighted")
    linear = weighted_kappa(pairs, 3, "linear")

    assert (simple.value, simple.low, simple.high) == pytest.approx(
        (0.4842, 0.2137, 0.7547), abs=1e-4
    )
    assert (linear.value, linear.low, linear.high) == pytest.approx(
        (0.4701, 0.1845, 0.7558), abs=1e-4
    )


def test_complete_disagreement_at_the_ends_of_the_scale_is_kappa_minus_one():
    assert weighted_kappa([(2, 0), (0, 2)], 3, "linear").value == -1.0
    assert weighted_kappa([(1, 0), (0, 1)], 2, "unweighted").value == -1.0


def test_kappa_with_no_pairs_is_undefined():
    kappa = weighted_kappa([], 3)

    assert (kappa.value, kappa.n, kappa.observed_agreement) == (None, 0, 0.0)
    assert kappa.low is None and kappa.high is None


@pytest.mark.parametrize("score", [0, 2])
def test_everyone_agreeing_on_one_answer_has_full_agreement_but_no_kappa(score):
    kappa = weighted_kappa([(score, score)] * 8, 3, "quadratic")

    assert kappa.value is None
    assert kappa.observed_agreement == 1.0
    assert kappa.n == 8


def test_kappa_when_one_rater_gives_the_same_score_every_time_is_undefined_and_says_so():
    # The moderator always answers 2; the auditor varies. The formula would give κ = 0 with
    # a range of 0 to 0, but no agreement beyond chance can be measured against a constant.
    kappa = weighted_kappa([(0, 2), (1, 2), (2, 2), (2, 2)], 3, "linear")

    assert (kappa.value, kappa.low, kappa.high) == (None, None, None)
    assert kappa.observed_agreement == 0.5
    assert "the moderator gave the same score every time" in kappa.undefined_because


def test_kappa_refuses_scores_outside_the_scale_and_unknown_weights():
    with pytest.raises(ValueError, match="Scores must be 0 to 2"):
        weighted_kappa([(0, 3)], 3)
    with pytest.raises(ValueError, match="Unknown weights"):
        weighted_kappa([(0, 1)], 3, "cubic")


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda c: st.tuples(
            st.just(c),
            st.lists(st.tuples(st.integers(0, c - 1), st.integers(0, c - 1)), max_size=40),
            st.sampled_from(["linear", "quadratic", "unweighted"]),
        )
    )
)
def test_kappa_and_its_interval_are_always_between_minus_one_and_one(case):
    categories, pairs, weights = case

    kappa = weighted_kappa(pairs, categories, weights)

    if kappa.value is not None:
        assert kappa.low is not None and kappa.high is not None
        assert -1.0 - 1e-9 <= kappa.low <= kappa.value + 1e-9
        assert kappa.value - 1e-9 <= kappa.high <= 1.0 + 1e-9
    assert 0.0 <= kappa.observed_agreement <= 1.0


# Drift from moderators


def test_an_auditor_scoring_higher_than_moderators_marks_more_generously():
    # mean 1, s = √(0.5 / 3) = 0.4082, t(3, 0.975) = 3.1824, half width 0.6496.
    result = drift([1.0, 1.5, 0.5, 1.0])

    assert result.mean == pytest.approx(1.0)
    assert result.low == pytest.approx(1 - 3.182446 * math.sqrt(0.5 / 3) / 2, abs=1e-6)
    assert result.high == pytest.approx(1 + 3.182446 * math.sqrt(0.5 / 3) / 2, abs=1e-6)
    assert result.reading == "marks more generously than moderators"


def test_an_auditor_scoring_lower_than_moderators_marks_more_harshly():
    assert drift([-1.0, -0.5, -1.0, -1.5]).reading == "marks more harshly than moderators"


def test_differences_either_side_of_zero_are_in_line_with_moderators():
    result = drift([0.5, -0.5, 0.0, 1.0, -1.0])

    assert result.low < 0 < result.high
    assert result.reading == "in line with moderators"


@pytest.mark.parametrize("differences", [[], [2.0], [2.0, 2.5]])
def test_fewer_than_three_moderated_audits_are_too_few_to_say(differences):
    result = drift(differences)

    assert result.reading == "too few moderated audits to say"
    assert result.n == len(differences)
    assert (result.mean is None) == (not differences)


def test_identical_differences_give_a_zero_width_interval():
    result = drift([1.0, 1.0, 1.0])

    assert result.low == result.high == 1.0
    assert result.reading == "marks more generously than moderators"


# Small helpers


def test_wilson_interval_matches_the_worked_value_and_is_zero_to_one_with_no_audits():
    assert wilson(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_values_are_formatted_as_whole_percentages_or_short_scores():
    assert format_value(0.643) == "64%"
    assert format_value(-0.001) == "0%"
    assert format_value(2.5, "score") == "2.5"
    assert format_value(3.0, "score") == "3"
    assert format_value(-0.001, "score") == "0"
    with pytest.raises(ValueError):
        format_value(1.0, "money")


# Making Data Count's further parts: direction, rebasing, target


def test_when_neither_direction_is_better_a_special_cause_reads_as_changing():
    chart = xmr_chart(series(BASELINE + [5.5, 6.0, 5.5, 6.0, 5.5, 6.0, 5.5]), None, baseline=B)

    assert chart.points[-1].direction == "neutral"
    assert chart.verdict == "changing"
    assert chart.verdict_text.startswith("The average score has risen: the last 7 months")
    assert chart.assurance == ""


def test_a_point_at_the_turn_of_two_trends_takes_the_direction_of_the_later_one():
    chart = after_baseline([3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 5.6, 5.2, 4.8, 4.4, 4.0, 3.6])

    assert chart.points[B + 6].special_cause[0] == "trend"
    assert chart.points[B + 5].direction == "improvement"
    assert chart.points[B + 6].direction == "concern"


def test_a_p_chart_rebase_gives_each_segment_its_own_average_and_says_why():
    points = series([0.5, 0.52, 0.48, 0.5, 0.8, 0.82, 0.78, 0.8], n=100)

    chart = p_chart(points, rebases=[Rebase("2025-05", "New recording system")])

    assert [s.centre for s in chart.segments] == [pytest.approx(0.5), pytest.approx(0.8)]
    assert chart.segments[1].reason == "New recording system"
    assert chart.points[0].centre == pytest.approx(0.5)
    assert chart.points[-1].centre == pytest.approx(0.8)
    assert chart.verdict == "no significant change"
    assert "provisional, from only 4 months" in chart.verdict_text


def test_a_rebase_at_a_period_not_on_the_chart_is_refused():
    with pytest.raises(ValueError, match="no period '2030-01'"):
        xmr_chart(series([1.0, 2.0, 3.0]), rebases=[Rebase("2030-01", "")])


def test_a_target_within_the_limits_is_hit_and_miss_and_the_sentence_names_the_limits():
    chart = p_chart(series([0.8, 0.82, 0.78, 0.8] * 3, n=50), target=0.8)

    assert chart.assurance == "hit and miss"
    assert chart.assurance_text == (
        "Compliance will sometimes meet the target of 80% and sometimes miss it: the target "
        "lies between the process limits (63% to 97%)."
    )


def test_a_rebase_with_only_one_period_after_it_has_not_enough_data_yet():
    chart = xmr_chart(series([5.0, 6.0, 5.0, 9.0]), rebases=[Rebase("2025-04", "New policy")])

    assert chart.verdict == "not enough data"
    assert "since the limits were recalculated from 2025-04" in chart.verdict_text
    assert chart.points[-1].upper is None and chart.points[0].upper is not None


def test_a_slight_widening_is_stated_with_two_decimals_so_it_does_not_read_as_none():
    points = [Point(m, 0.5, 40) for m in ("Jan", "Feb", "Mar")]

    assert "1.02 times as wide" in p_chart(points, design_effect=1.02**2).verdict_text
    assert "1.4 times as wide" in p_chart(points, design_effect=1.96).verdict_text


def test_the_design_effect_from_each_periods_sums_is_the_one_from_each_audit():
    from fractions import Fraction

    from trend_maths.statistics import ClusterSums, design_effect_of_sums

    audits = [("Jan", 3, 10), ("Jan", 7, 9), ("Jan", 0, 4), ("Jan", 0, 0), ("Feb", 5, 5)]
    audits += [("Feb", 1, 8), ("Feb", 6, 7), ("Mar", 4, 6)]
    sums: dict[str, ClusterSums] = {}
    for period, k, n in audits:
        sums[period] = sums.get(period, ClusterSums()) + ClusterSums.of(k, n)
    spread = expected = Fraction(0)
    for period in ("Jan", "Feb"):  # March has one audit: no spread to see
        counts = [(k, n) for p, k, n in audits if p == period and n > 0]
        m, big_k, big_n = len(counts), sum(k for k, _ in counts), sum(n for _, n in counts)
        rate = Fraction(big_k, big_n)
        spread += Fraction(m, m - 1) * sum((k - rate * n) ** 2 for k, n in counts)
        expected += big_n * rate * (1 - rate)
    assert design_effect_of_sums(sums.values()) == design_effect(audits)
    assert design_effect(audits) == pytest.approx(float(spread / expected), rel=1e-15)
    assert design_effect_of_sums(reversed(list(sums.values()))) == design_effect(audits)
