"""Funnel limits against the published test data of PHEindicatormethods, the UKHSA (formerly
Public Health England) R package for public-health indicators (github.com/ukhsa-collaboration/
PHEindicatormethods, tests read at commit 093fd28). Values are copied as data, in percent as
the package gives them, from the file named above each test.
"""

import pytest

from trend_maths.statistics import funnel

AVERAGE = 0.80642448  # the "Baseline" column: the pooled proportion of all 303 areas

# tests/testthat/testdata_funnel_prop_outputs.csv: Population, Lower2s0025limit,
# Upper2s0025limit, Lower3s0001limit, Upper3s0001limit (rows 1 to 11, 68 and 539 of 100).
PROPORTION_LIMITS = [
    (1, 3.204264, 100, 0, 100),
    (2, 25.885383, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (4, 41.923356, 100, 19.594903, 100),
    (5, 46.011039, 100, 26.039864, 100),
    (6, 49.028442, 100, 30.797336, 100),
    (7, 51.373565, 100, 34.494842, 100),
    (8, 53.263915, 100, 37.475315, 100),
    (9, 54.82972, 100, 39.944085, 100),
    (10, 56.154344, 100, 42.03259, 100),
    (11, 57.293957, 100, 43.829393, 100),
    (68, 71.251689, 90.033207, 65.836243, 95.448652),
    (539, 77.306949, 83.977947, 75.38344, 85.901456),
]


@pytest.mark.parametrize(("n", "lower95", "upper95", "lower998", "upper998"), PROPORTION_LIMITS)
def test_wilson_funnel_limits_match_phe_indicator_methods(n, lower95, upper95, lower998, upper998):
    result = funnel([("Area", n // 2, n)], target=AVERAGE)

    size, low998, low95, high95, high998 = result.curve[n - 1]
    assert size == n
    assert 100 * low95 == pytest.approx(lower95, abs=1e-5)
    assert 100 * high95 == pytest.approx(upper95, abs=1e-5)
    assert 100 * low998 == pytest.approx(lower998, abs=1e-5)
    assert 100 * high998 == pytest.approx(upper998, abs=1e-5)


# tests/testthat/testdata_funnel_prop_inputs.csv: Area, numerator, denominator and the
# significance assign_funnel_significance gives (all 11 areas significant at 0.025 only, and
# the first five of each other kind). The numerators are given to three decimals there;
# rounded to whole numbers here, which moves no area across a limit.
SIGNIFICANCE = {
    "High (0.001)": "above 99.8% limits",
    "High (0.025)": "above 95% limits",
    "Not significant": "within limits",
    "Low (0.025)": "below 95% limits",
    "Low (0.001)": "below 99.8% limits",
}
AREAS = [
    ("New Forest PCT", 35078, 41980, "High (0.001)"),
    ("Havering PCT", 48686, 59804, "High (0.001)"),
    ("Bromley PCT", 66970, 80002, "High (0.001)"),
    ("Daventry and South Northamptonshire PCT", 22506, 25932, "High (0.001)"),
    ("South Peterborough PCT", 19847, 23684, "High (0.001)"),
    ("Norwich PCT", 24804, 31824, "Low (0.001)"),
    ("Kingston PCT", 35796, 45449, "Low (0.001)"),
    ("Greenwich PCT", 48514, 64755, "Low (0.001)"),
    ("Barnet PCT", 70670, 93122, "Low (0.001)"),
    ("South Manchester PCT", 26029, 33708, "Low (0.001)"),
    ("South Gloucestershire PCT", 50051, 61921, "Not significant"),
    ("Central Derby PCT", 24649, 30521, "Not significant"),
    ("North East Lincolnshire PCT", 31759, 39350, "Not significant"),
    ("Blackburn with Darwen PCT", 29562, 36627, "Not significant"),
    ("Hertsmere PCT", 18551, 22905, "Not significant"),
    ("West Norfolk PCT", 26789, 33012, "High (0.025)"),
    ("North Tees PCT", 36850, 45449, "High (0.025)"),
    ("Mid-Hampshire PCT", 34502, 42485, "High (0.025)"),
    ("Sheffield West PCT", 23910, 29457, "High (0.025)"),
    ("East Devon PCT", 21139, 25992, "High (0.025)"),
    ("South East Hertfordshire PCT", 38045, 46958, "High (0.025)"),
    ("Royston, Buntingford and Bishop's Stortford PCT", 16924, 20776, "High (0.025)"),
    ("North Norfolk PCT", 18505, 22739, "High (0.025)"),
    ("South Tyneside PCT", 29709, 36583, "High (0.025)"),
    ("Witham, Braintree and Halstead Care Trust", 28537, 35201, "High (0.025)"),
    ("North Devon PCT", 30278, 37828, "Low (0.025)"),
]


def test_each_area_falls_against_the_limits_where_phe_indicator_methods_puts_it():
    result = funnel([(area, k, n) for area, k, n, _ in AREAS], target=AVERAGE)

    assert [p.position for p in result.points] == [SIGNIFICANCE[s] for *_, s in AREAS]
