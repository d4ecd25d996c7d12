"""SPC against the published test cases of NHSRplotthedots, the NHS-R community's
implementation of "Making Data Count" (github.com/nhs-r-community/NHSRplotthedots, tests read
at commit 050b07d). The inputs and expected values are copied as data; the file each comes
from is named above its test. Where NHSRplotthedots tests an internal step (a vector of flags
for one rule), the same input is given to our chart as values, and the points the rule flags
are compared.
"""

import pytest

from trend_maths.statistics import ASSURANCE, Point, Rebase, assurance, xmr_chart

# R: set.seed(123); rnorm(20), the data of tests/testthat/test-ptd_spc_standard.R and
# test-ptd_spc.R (the first values are printed in tests/testthat/_snaps/ptd_spc_standard.md).
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip
PASS, HIT_AND_MISS, FAIL = ASSURANCE


def points(values):
    return [Point(str(i + 1), v) for i, v in enumerate(values)]


def flagged(values, rule, centre, sigma):
    """Positions (from 1, as in R) the rule flags when the limits are centre ± 3 sigma.

    The limits come from a baseline of three points before the values (centre − a,
    centre + a, centre, with a = 2 sigma / 2.66 so that 2.66 mean moving ranges are 3
    sigma); the last is on the centre line, so no run carries on from the baseline.
    """
    a = 2 * sigma / 2.66
    chart = xmr_chart(points([centre - a, centre + a, centre, *values]), baseline=3)
    assert chart.points[3].upper == pytest.approx(centre + 3 * sigma)
    return [i - 2 for i, p in enumerate(chart.points) if i >= 3 and rule in p.special_cause]


# tests/testthat/_snaps/ptd_spc_standard.md ("it returns expected values")


@pytest.mark.parametrize(
    ("outlier", "screen", "mean", "lower", "upper"),
    [
        (False, True, 0.1416238, -3.01138, 3.294627),  # r1
        (True, True, 0.6694159, -2.383666, 3.722497),  # r2: y[15] = 10, screened
        (True, False, 0.6694159, -4.596625, 5.935457),  # r3: y[15] = 10, not screened
    ],
)
def test_xmr_limits_match_nhsrplotthedots_with_and_without_screening(
    outlier, screen, mean, lower, upper
):
    values = list(RNORM_123)
    if outlier:
        values[14] = 10.0
    chart = xmr_chart(points(values), screen_outliers=screen)

    assert chart.centre == pytest.approx(mean, abs=1e-6)
    assert chart.points[0].lower == pytest.approx(lower, abs=1e-5)
    assert chart.points[0].upper == pytest.approx(upper, abs=1e-5)
    assert chart.segments[0].screened == (2 if outlier and screen else 0)


# tests/testthat/_snaps/ptd_spc.md ("it outputs expected content"): the two halves of the
# data (facet = rep(c(0, 1), each = 10)) each get their own limits, as a rebase at point 11
# gives them here.


def test_limits_recalculated_at_a_rebase_match_nhsrplotthedots_for_each_half():
    chart = xmr_chart(points(RNORM_123), rebases=[Rebase("11", "New supervision policy")])

    first, second = chart.segments
    assert (first.centre, second.centre) == (pytest.approx(0.0746, abs=5e-5),
                                              pytest.approx(0.209, abs=5e-4))  # fmt: skip
    assert chart.points[0].lower == pytest.approx(-2.60, abs=5e-3)
    assert chart.points[0].upper == pytest.approx(2.75, abs=5e-3)
    assert chart.points[19].lower == pytest.approx(-3.28, abs=5e-3)
    assert chart.points[19].upper == pytest.approx(3.70, abs=5e-3)
    assert second.reason == "New supervision policy"


# tests/testthat/test-ptd_spc_standard.R ("it only reports special cause for 2of3 points
# close to limits when they are on the same side of the mean")


def test_two_points_near_opposite_limits_are_common_cause_as_in_nhsrplotthedots():
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5

    chart = xmr_chart(points(values))

    assert [p.direction for p in chart.points[-2:]] == ["", ""]


# tests/testthat/test-ptd_calculate_point_type.R: ptd_seven_point_one_side_mean and
# ptd_part_of_seven_trend (which points belong to a run of seven on one side)


@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        ([1] * 6, []),
        ([1] * 6 + [-1], []),
        ([1] * 8 + [-1], [1, 2, 3, 4, 5, 6, 7, 8]),
        ([-1] * 8 + [1], [1, 2, 3, 4, 5, 6, 7, 8]),
    ],
)
def test_seven_points_on_one_side_are_a_shift_as_in_nhsrplotthedots(sides, expected):
    assert flagged([0.5 * s for s in sides], "shift", 0.0, 1.0) == expected


# tests/testthat/test-ptd_calculate_point_type.R: ptd_seven_point_trend with
# ptd_part_of_seven_trend


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (list(range(1, 7)), []),
        ([1, 2, 3, 3, 4, 5, 6], []),
        (list(range(1, 8)), [1, 2, 3, 4, 5, 6, 7]),
        ([2, *range(1, 8), 3], [2, 3, 4, 5, 6, 7, 8]),
        (list(range(7, 0, -1)), [1, 2, 3, 4, 5, 6, 7]),
        ([2, *range(7, 0, -1), 3], [2, 3, 4, 5, 6, 7, 8]),
    ],
)
def test_seven_rising_or_falling_points_are_a_trend_as_in_nhsrplotthedots(values, expected):
    assert flagged([float(v) for v in values], "trend", 4.0, 10.0) == expected


# tests/testthat/test-ptd_calculate_point_type.R: ptd_two_in_three with
# ptd_part_of_two_in_three (close: between two sigma and the limit; sides: of the mean)


@pytest.mark.parametrize(
    ("close", "sides", "expected"),
    [
        ([1, 0, 1], [1, 1, 1], [1, 3]),
        ([0, 1, 1], [1, 1, 1], [2, 3]),
        ([1, 1, 0], [1, 1, 1], [1, 2]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [3, 5]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [3, 4]),
        ([1, 0, 0, 1], [1] * 4, []),
        ([1, 0, 0, 1, 1], [1] * 5, [4, 5]),
        ([1, 0, 1], [1, -1, 1], []),
        ([0, 1, 1], [1, -1, 1], []),
        ([1, 1, 0], [1, -1, 1], []),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], []),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], []),
    ],
)
def test_two_of_three_near_a_limit_on_one_side_as_in_nhsrplotthedots(close, sides, expected):
    values = [(2.5 if near else 0.5) * side for near, side in zip(close, sides, strict=True)]

    assert flagged(values, "two_of_three", 0.0, 1.0) == expected


# tests/testthat/test-ptd_calculate_assurance_type.R: (lower, upper) limits with a target of 4


@pytest.mark.parametrize(
    ("direction", "expected"),
    [
        (True, [FAIL, PASS, HIT_AND_MISS]),  # improvement_direction = "increase"
        (False, [PASS, FAIL, HIT_AND_MISS]),  # "decrease"
        (None, ["", "", ""]),  # "neutral": no assurance
    ],
)
def test_assurance_matches_nhsrplotthedots(direction, expected):
    limits = [(1.0, 3.0), (5.0, 7.0), (1.0, 5.0)]

    assert [assurance(4.0, low, high, direction) for low, high in limits] == expected


def test_assurance_reads_the_latest_limits_after_a_rebase():
    # As "it returns correct values for assurance when rebase": the last group decides.
    # Lower is better; the limits before are about 5.5 to 6.5 (failing a target of 4), after
    # about 1.5 to 2.5 (passing it).
    before, after = [5.9, 6.1] * 5, [1.9, 2.1] * 5
    chart = xmr_chart(points(before + after), False, rebases=[Rebase("11", "")], target=4.0)

    assert chart.assurance == PASS
    assert chart.assurance_text.startswith("The average score will consistently meet the target")
