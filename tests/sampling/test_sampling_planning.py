"""Sample sizes against published tables and independent calculations; allocation rules."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sampling.planning import (
    RuleError,
    SampleSize,
    allocate,
    attribute_size,
    fixed_size,
    fraction_size,
    proportion_size,
    size_from_rule,
)

# AICPA Audit Sampling guide, Table A-1 (5% risk of overreliance) and Table A-2 (10% risk):
# (tolerable rate, confidence, expected deviations, sample size).
PUBLISHED_ATTRIBUTE_SIZES = [
    (0.02, 0.95, 0, 149),
    (0.03, 0.95, 0, 99),
    (0.04, 0.95, 0, 74),
    (0.05, 0.95, 0, 59),
    (0.06, 0.95, 0, 49),
    (0.07, 0.95, 0, 42),
    (0.08, 0.95, 0, 36),
    (0.09, 0.95, 0, 32),
    (0.10, 0.95, 0, 29),
    (0.15, 0.95, 0, 19),
    (0.20, 0.95, 0, 14),
    (0.02, 0.95, 1, 236),
    (0.03, 0.95, 1, 157),
    (0.05, 0.95, 1, 93),
    (0.10, 0.95, 1, 46),
    (0.20, 0.95, 1, 22),
    (0.05, 0.95, 2, 124),
    (0.10, 0.95, 2, 61),
    (0.05, 0.90, 0, 45),
    (0.10, 0.90, 0, 22),
    (0.05, 0.90, 1, 77),
    (0.10, 0.90, 1, 38),
    (0.10, 0.90, 2, 52),
]


@pytest.mark.parametrize(("rate", "confidence", "deviations", "n"), PUBLISHED_ATTRIBUTE_SIZES)
def test_attribute_size_matches_published_aicpa_tables(rate, confidence, deviations, n):
    assert attribute_size(rate, confidence, None, deviations).n == n


def test_attribute_size_explains_59_files_in_plain_english():
    size = attribute_size(0.05, 0.95)
    assert size == SampleSize(59, size.reasoning)
    assert size.reasoning.startswith(
        "To be 95% confident that no more than 5% of files fall short, when we expect to "
        "find none, we need 59 files."
    )


def smallest_hypergeometric_n(population, rate, confidence, deviations):
    """Independent reference: step n up one at a time until the chance of seeing no more than
    the expected deviations, with the tolerable number failing, is at most 1 - confidence."""
    failing = math.ceil(round(rate * population, 9))
    for n in range(population + 1):
        if stats.hypergeom(population, failing, n).cdf(deviations) <= 1 - confidence:
            return n
    return population


@pytest.mark.parametrize(
    ("population", "rate", "confidence", "deviations"),
    [
        (50, 0.05, 0.95, 0),
        (100, 0.05, 0.95, 0),
        (200, 0.05, 0.95, 0),
        (500, 0.05, 0.95, 1),
        (1000, 0.10, 0.90, 2),
        (340, 0.07, 0.95, 0),
        (60, 0.10, 0.99, 1),
    ],
)
def test_attribute_size_for_a_finite_frame_matches_the_hypergeometric_directly(
    population, rate, confidence, deviations
):
    expected = smallest_hypergeometric_n(population, rate, confidence, deviations)
    assert attribute_size(rate, confidence, population, deviations).n == expected


def test_attribute_size_for_a_finite_frame_is_never_more_than_the_binomial():
    for population in (30, 100, 400, 2000):
        assert attribute_size(0.05, 0.95, population).n <= 59


def test_attribute_size_audits_every_file_when_the_frame_is_too_small_to_show_the_rate():
    size = attribute_size(0.05, 0.95, 10, 1)
    assert size.n == 10
    assert "every file is audited" in size.reasoning


def test_attribute_size_of_an_empty_frame_is_zero():
    assert attribute_size(0.05, 0.95, 0).n == 0


def test_proportion_size_matches_the_textbook_385_and_278_for_a_thousand_files():
    assert proportion_size(0.05, 0.95, 10**9).n == 385
    assert proportion_size(0.05, 0.95, 1000).n == 278


def test_proportion_size_is_cochrans_formula_with_the_finite_population_correction():
    z = stats.norm.ppf(0.995)
    n0 = z**2 * 0.3 * 0.7 / 0.04**2
    expected = math.ceil(n0 / (1 + (n0 - 1) / 750))
    assert proportion_size(0.04, 0.99, 750, expected=0.3).n == expected


def test_proportion_size_reasoning_names_the_margin_and_confidence():
    reasoning = proportion_size(0.1, 0.9, 200).reasoning
    assert "within 10% either way, with 90% confidence, from 200 files" in reasoning


def test_fixed_size_is_capped_at_the_number_of_files():
    assert fixed_size(10, 50).n == 10
    capped = fixed_size(10, 4)
    assert capped.n == 4
    assert "There are only 4 files, so we audit them all." in capped.reasoning


def test_fraction_size_rounds_up_and_keeps_between_minimum_and_maximum():
    assert fraction_size(0.1, 5, 50, 300).n == 30
    assert fraction_size(0.1, 5, 50, 301).n == 31
    assert fraction_size(0.1, 5, 50, 30).n == 5
    assert fraction_size(0.1, 5, 50, 1000).n == 50
    assert fraction_size(0.1, 5, 50, 3).n == 3


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fixed_size(-1, 10), "cannot be negative"),
        (lambda: fixed_size(2, -10), "cannot be negative"),
        (lambda: fraction_size(0, 1, 5, 10), "The fraction must be more than 0"),
        (lambda: fraction_size(1.5, 1, 5, 10), "no more than 1"),
        (lambda: fraction_size(0.5, 6, 5, 10), "minimum \\(6\\) cannot be more than the maximum"),
        (lambda: proportion_size(0, 0.95, 10), "The margin must be more than 0"),
        (lambda: proportion_size(0.05, 1, 10), "The confidence must be more than 0"),
        (lambda: attribute_size(0.05, 0.95, None, -1), "cannot be negative"),
        (lambda: attribute_size(1.0, 0.95), "The tolerable rate must be more than 0"),
        (lambda: attribute_size(math.nan, 0.95), "must be a number"),
    ],
)
def test_planning_functions_reject_values_out_of_range_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("rule", "population", "n"),
    [
        ({"kind": "fixed", "n": 10}, 100, 10),
        ({"kind": "fraction", "fraction": 0.1, "minimum": 5, "maximum": 50}, 300, 30),
        ({"kind": "proportion", "margin": 0.05, "confidence": 0.95}, 1000, 278),
        ({"kind": "proportion", "margin": 0.1, "confidence": 0.95, "expected": 0.5}, 10**6, 97),
        ({"kind": "attribute", "tolerable_rate": 0.05, "confidence": 0.95}, 10**6, 59),
        (
            {
                "kind": "attribute",
                "tolerable_rate": 0.05,
                "confidence": 0.95,
                "expected_deviations": 1,
            },
            10**7,
            93,
        ),
    ],
)
def test_size_from_rule_applies_each_kind_of_rule(rule, population, n):
    assert size_from_rule(rule, population).n == n


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "guess"}, "kind 'guess' is not one of: attribute, fixed, fraction, proportion"),
        ({}, "kind None is not one of"),
        ({"kind": ["fixed"]}, "kind \\['fixed'\\] is not one of"),
        ({"kind": "fixed"}, "'fixed' needs the setting 'n'"),
        ({"kind": "fixed", "n": 10, "m": 1}, "unknown setting 'm'"),
        ({"kind": "fixed", "n": -1}, "'n' must be a whole number of 0 or more"),
        ({"kind": "fixed", "n": 2.5}, "'n' must be a whole number"),
        ({"kind": "fixed", "n": True}, "'n' must be a whole number"),
        ({"kind": "fraction", "fraction": 1.5, "minimum": 1, "maximum": 5}, "'fraction' must be"),
        ({"kind": "fraction", "fraction": 0.5, "minimum": 9, "maximum": 5}, "minimum above"),
        ({"kind": "proportion", "margin": "5%", "confidence": 0.95}, "'margin' must be a number"),
        ({"kind": "proportion", "margin": 0.05, "confidence": 95}, "'confidence' must be more"),
        ({"kind": "attribute", "tolerable_rate": 0.05}, "needs the setting 'confidence'"),
    ],
)
def test_size_from_rule_rejects_a_bad_rule_with_a_rule_error(rule, message):
    with pytest.raises(RuleError, match=message):
        size_from_rule(rule, 100)


def test_size_from_rule_turns_a_bad_population_into_a_rule_error():
    with pytest.raises(RuleError, match="cannot be negative"):
        size_from_rule({"kind": "fixed", "n": 3}, -1)


def test_rule_error_is_a_value_error():
    assert issubclass(RuleError, ValueError)


def test_allocate_shares_proportionally_by_largest_remainder():
    assert allocate(10, {"North": 50, "South": 30, "East": 20}) == {
        "North": 5,
        "South": 3,
        "East": 2,
    }
    assert allocate(10, {"a": 35, "b": 35, "c": 30}) == {"a": 4, "b": 3, "c": 3}


def test_allocate_gives_at_least_one_to_every_non_empty_stratum_and_none_to_empty_ones():
    result = allocate(10, {"Big": 1000, "Tiny": 2, "Empty": 0})
    assert result == {"Big": 9, "Tiny": 1, "Empty": 0}


def test_allocate_breaks_ties_by_stratum_name():
    assert allocate(1, {"b": 10, "a": 10}) == {"b": 0, "a": 1}
    assert allocate(3, {"c": 5, "b": 5, "a": 5, "d": 5}) == {"c": 1, "b": 1, "a": 1, "d": 0}


def test_allocate_caps_the_total_at_the_number_of_files():
    assert allocate(100, {"a": 3, "b": 4}) == {"a": 3, "b": 4}


def test_allocate_gives_the_largest_strata_one_each_when_the_total_is_too_small():
    assert allocate(2, {"a": 5, "b": 9, "c": 7}) == {"a": 0, "b": 1, "c": 1}


def test_allocate_rejects_negative_sizes():
    with pytest.raises(ValueError, match="stratum 'a'"):
        allocate(5, {"a": -1})


@settings(max_examples=300, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=200),
    sizes=st.dictionaries(
        st.text(alphabet="abcdefgh", min_size=1, max_size=3),
        st.integers(min_value=0, max_value=120),
        max_size=8,
    ),
)
def test_allocation_sums_to_the_total_keeps_minimums_and_never_exceeds_a_stratum(total, sizes):
    result = allocate(total, sizes)
    available = sum(sizes.values())
    non_empty = [name for name, size in sizes.items() if size > 0]
    assert sum(result.values()) == min(total, available)
    assert all(0 <= result[name] <= sizes[name] for name in sizes)
    if min(total, available) >= len(non_empty):
        assert all(result[name] >= 1 for name in non_empty)
    assert result == allocate(total, dict(reversed(list(sizes.items()))))


@pytest.mark.parametrize(
    ("likelihood", "files", "words"),
    [
        ("binomial", None, "binomial distribution, which treats the files as drawn from a very"),
        ("hypergeometric", 1000, "drawing without replacement from only 1,000 files"),
        ("poisson", None, "Poisson distribution, a cautious approximation"),
    ],
)
def test_attribute_size_says_which_distribution_it_used(likelihood, files, words):
    assert words in attribute_size(0.05, 0.95, files, likelihood=likelihood).reasoning


def test_an_expected_rate_tolerates_more_files_falling_short_as_the_sample_grows():
    size = attribute_size(0.05, 0.95, expected_rate=0.025)

    assert size.n == 234  # ceil(2.5% of 234) = 6 may fall short
    assert "when we expect about 2.5% of files to fall short, we need 234 files" in size.reasoning
    assert "If more than 6 of them fall short" in size.reasoning


def test_a_rule_can_plan_from_an_expected_rate_with_a_chosen_likelihood():
    rule = {
        "kind": "attribute",
        "tolerable_rate": 0.05,
        "confidence": 0.95,
        "expected_rate": 0.025,
        "likelihood": "poisson",
    }
    assert size_from_rule(rule, 10**6).n == 231


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"likelihood": "normal"}, "'likelihood' must be one of binomial, hypergeometric"),
        ({"expected_rate": 1.5}, "'expected_rate' must be 0 or more and below 1"),
        ({"expected_rate": 0.06}, "below the tolerable rate"),
        ({"expected_rate": 0.01, "expected_deviations": 1}, "a rate, not both"),
    ],
)
def test_a_bad_expected_rate_or_likelihood_is_a_rule_error(rule, message):
    base = {"kind": "attribute", "tolerable_rate": 0.05, "confidence": 0.95}
    with pytest.raises(RuleError, match=message):
        size_from_rule(base | rule, 100)


def test_a_hypergeometric_plan_needs_a_frame_and_an_impossible_rate_is_refused():
    with pytest.raises(ValueError, match="needs the number of files available"):
        attribute_size(0.05, 0.95, likelihood="hypergeometric")
    with pytest.raises(ValueError, match="No sample of up to 5,000 files"):
        attribute_size(0.02, 0.95, expected_rate=0.019)
