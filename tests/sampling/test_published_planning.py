"""Sample sizes against the published planning tests of jfa, the R package for audit sampling
(github.com/koenderks/jfa, tests read at commit f3723cc). The settings and expected sizes are
copied as data from the file named above each test; the Bayesian cases are left out, as the
service plans classically.
"""

import pytest

from sampling.planning import attribute_size

# tests/testthat/test-planning.R, the frequentist cases (ids f5-v0.1.0-t1 to t4, t7 to t10,
# t13 to t16): materiality (our tolerable rate), expected (a rate below 1, else a count),
# likelihood, N.units, and jfa's n.
JFA_PLANNING = [
    ("t1", 0.01, 0, "poisson", None, 300),
    ("t2", 0.05, 0, "poisson", None, 60),
    ("t3", 0.05, 0.025, "poisson", None, 231),
    ("t4", 0.05, 2, "poisson", None, 126),
    ("t7", 0.01, 0, "binomial", None, 299),
    ("t8", 0.05, 0, "binomial", None, 59),
    ("t9", 0.05, 0.025, "binomial", None, 234),
    ("t10", 0.05, 2, "binomial", None, 124),
    ("t13", 0.01, 0, "hypergeometric", 1000, 258),
    ("t14", 0.05, 0, "hypergeometric", 1000, 57),
    ("t15", 0.05, 0.025, "hypergeometric", 1000, 197),
    ("t16", 0.05, 2, "hypergeometric", 1000, 119),
]


@pytest.mark.parametrize(
    ("case", "tolerable", "expected", "likelihood", "files", "n"), JFA_PLANNING
)
def test_sample_sizes_match_jfa_planning(case, tolerable, expected, likelihood, files, n):
    if expected and expected < 1:
        size = attribute_size(tolerable, 0.95, files, expected_rate=expected, likelihood=likelihood)
    else:
        size = attribute_size(tolerable, 0.95, files, int(expected), likelihood=likelihood)

    assert size.n == n, case


# tests/testthat/test-aicpa-appendix-a.R (AICPA Audit Sampling guide, 2017, Table A-1: 5%
# risk of overreliance): binomial sizes by expected deviation rate, for tolerable rates of
# 2%, 5% and 10% (three of the table's eleven columns).
EXPECTED_RATES = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5,
                  3.75, 4, 5, 6, 7, 8]  # fmt: skip
AICPA_TABLE_A1 = {
    0.02: [149, 236, 313, 386, 590, 1030],
    0.05: [59, 93, 93, 93, 93, 124, 124, 153, 181, 208, 234, 286, 361, 458, 624, 877, 1348],
    0.10: [29, 46, 46, 46, 46, 46, 46, 46, 46, 61, 61, 61, 61, 61, 76, 76, 89, 116, 179, 298,
           649],
}  # fmt: skip


@pytest.mark.parametrize("tolerable", sorted(AICPA_TABLE_A1))
def test_sizes_for_an_expected_rate_match_the_aicpa_table_as_jfa_tests_them(tolerable):
    sizes = AICPA_TABLE_A1[tolerable]
    rates = EXPECTED_RATES[: len(sizes)]

    assert [attribute_size(tolerable, 0.95, expected_rate=r / 100).n for r in rates] == sizes
