"""Intervals agree with scipy; the stratified estimator agrees with the textbook formula."""

import math

import pytest
from scipy import stats

from sampling.evaluation import (
    Interval,
    StratifiedEstimate,
    Stratum,
    clopper_pearson,
    stratified_proportion,
    wilson,
)

CASES = [(k, n) for n in (1, 2, 5, 12, 30, 59, 200) for k in sorted({0, 1, n // 2, n - 1, n})]


@pytest.mark.parametrize(("k", "n"), CASES)
@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_wilson_interval_matches_scipy(k, n, confidence):
    ours = wilson(k, n, confidence)
    theirs = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    assert ours.estimate == pytest.approx(k / n)
    assert ours.low == pytest.approx(theirs.low, abs=1e-10)
    assert ours.high == pytest.approx(theirs.high, abs=1e-10)


@pytest.mark.parametrize("n", [1, 3, 7, 10, 59, 1000])
def test_wilson_range_reaches_exactly_0_when_none_pass_and_exactly_1_when_all_pass(n):
    assert wilson(0, n).low == 0.0
    assert wilson(n, n).high == 1.0


@pytest.mark.parametrize(("k", "n"), CASES)
@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_clopper_pearson_interval_matches_scipy_exact(k, n, confidence):
    ours = clopper_pearson(k, n, confidence)
    theirs = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
    assert ours.low == pytest.approx(theirs.low, abs=1e-9)
    assert ours.high == pytest.approx(theirs.high, abs=1e-9)


def test_59_clean_files_show_at_least_95_percent_pass_as_the_attribute_plan_promised():
    # A two-sided 90% interval has a one-sided 95% lower bound: (0.05) ** (1 / n) when k = n.
    assert clopper_pearson(59, 59, 0.90).low == pytest.approx(0.05 ** (1 / 59))
    assert clopper_pearson(59, 59, 0.90).low > 0.95
    assert clopper_pearson(58, 58, 0.90).low < 0.95


def test_intervals_with_no_files_audited_have_no_estimate_and_span_zero_to_one():
    for interval in (wilson(0, 0), clopper_pearson(0, 0)):
        assert math.isnan(interval.estimate)
        assert (interval.low, interval.high) == (0.0, 1.0)


def test_interval_method_says_which_interval_and_what_confidence():
    assert wilson(3, 10).method == "Wilson score interval, 95% confidence"
    assert clopper_pearson(3, 10, 0.9).method == "Clopper-Pearson exact interval, 90% confidence"


def test_interval_is_a_plain_frozen_value():
    interval = wilson(3, 10)
    assert isinstance(interval, Interval)
    assert all(type(value) is float for value in (interval.estimate, interval.low, interval.high))
    with pytest.raises(AttributeError):
        interval.low = 0.0


@pytest.mark.parametrize(
    ("k", "n", "confidence", "message"),
    [
        (-1, 5, 0.95, "successes must be a whole number"),
        (6, 5, 0.95, "more successes"),
        (1, 2.0, 0.95, "files audited must be a whole number"),
        (1, 5, 1.0, "confidence must be more than 0 and less than 1"),
        (1, 5, 0, "confidence must be more than 0 and less than 1"),
    ],
)
def test_intervals_reject_impossible_counts_and_confidences(k, n, confidence, message):
    for interval in (wilson, clopper_pearson):
        with pytest.raises(ValueError, match=message):
            interval(k, n, confidence)


def test_stratified_estimate_matches_the_textbook_formula_with_finite_population_correction():
    strata = {
        "North": Stratum(population=340, sampled=30, successes=24),
        "South": Stratum(population=120, sampled=12, successes=11),
        "East": Stratum(population=40, sampled=5, successes=2),
    }
    total = 500
    estimate = sum(s.population / total * s.successes / s.sampled for s in strata.values())
    variance = sum(
        (s.population / total) ** 2
        * (1 - s.sampled / s.population)
        * (s.successes / s.sampled)
        * (1 - s.successes / s.sampled)
        / (s.sampled - 1)
        for s in strata.values()
    )
    result = stratified_proportion(strata)
    assert result.estimate == pytest.approx(estimate)
    assert result.standard_error == pytest.approx(math.sqrt(variance))
    z = stats.norm.ppf(0.975)
    assert result.low == pytest.approx(estimate - z * math.sqrt(variance))
    assert result.high == pytest.approx(estimate + z * math.sqrt(variance))
    assert "finite population correction" in result.method


def test_stratified_estimate_of_a_census_has_no_sampling_error():
    result = stratified_proportion({"a": Stratum(10, 10, 7), "b": Stratum(5, 5, 5)})
    assert isinstance(result, StratifiedEstimate)
    assert result.estimate == pytest.approx(0.8)
    assert result.standard_error == 0.0
    assert result.low == result.high == result.estimate


def test_stratified_estimate_of_one_stratum_equals_the_simple_rate():
    result = stratified_proportion({"only": Stratum(100, 20, 15)})
    assert result.estimate == pytest.approx(0.75)


def test_stratified_estimate_gives_a_stratum_with_one_file_audited_the_widest_spread():
    result = stratified_proportion({"a": Stratum(100, 1, 1)})
    assert result.standard_error == pytest.approx(math.sqrt(0.99 * 0.25))


def test_stratified_estimate_stays_within_zero_and_one():
    result = stratified_proportion({"a": Stratum(100, 10, 10), "b": Stratum(100, 3, 3)})
    assert result.high == 1.0
    assert 0.0 <= result.low <= 1.0


def test_stratified_estimate_ignores_strata_with_no_files():
    with_empty = stratified_proportion({"a": Stratum(50, 10, 8), "empty": Stratum(0, 0, 0)})
    assert with_empty == stratified_proportion({"a": Stratum(50, 10, 8)})


@pytest.mark.parametrize(
    ("strata", "message"),
    [
        ({}, "no files in any stratum"),
        ({"a": Stratum(10, 0, 0)}, "none was audited"),
        ({"a": Stratum(10, 11, 1)}, "more files audited than it has"),
        ({"a": Stratum(10, 5, 6)}, "more files passed than were audited"),
        ({"a": Stratum(-1, 0, 0)}, "population must be a whole number"),
    ],
)
def test_stratified_estimate_rejects_impossible_strata(strata, message):
    with pytest.raises(ValueError, match=message):
        stratified_proportion(strata)
