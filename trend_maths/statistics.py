"""The statistics behind the quality trends: plain values in, frozen dataclasses out.

- `xmr_chart`, `p_chart`: statistical process control in the style of NHS England's "Making
  Data Count" (the code is in `trend_maths.spc`; this module is the one place to import from).
- `funnel`: teams of different sizes compared fairly with a target (Spiegelhalter 2005).
- `two_proportion_change`: whether a rate changed between two periods by more than chance.
- `weighted_kappa`, `drift`: how far auditors agree with moderators (Cohen 1968).
- `wilson`: the range a rate is likely to lie in (from `sampling.evaluation`).

Results hold floats, ints and tuples, never numpy arrays, so they can go straight into a
template, a PDF or a spreadsheet.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from scipy import stats

from sampling import evaluation
from trend_maths.spc import p_chart, xmr_chart
from trend_maths.spc_rules import RULES
from trend_maths.spc_types import Point, Rebase, Segment, SpcChart, SpcPoint
from trend_maths.spc_words import ASSURANCE, assurance, format_value

__all__ = [
    "ASSURANCE",
    "RULES",
    "ChangeTest",
    "ClusterSums",
    "Drift",
    "FUNNEL_METHODS",
    "Funnel",
    "FunnelPoint",
    "Kappa",
    "Point",
    "Rebase",
    "assurance",
    "Segment",
    "SpcChart",
    "SpcPoint",
    "drift",
    "format_value",
    "funnel",
    "design_effect",
    "design_effect_of_sums",
    "p_chart",
    "two_proportion_change",
    "weighted_kappa",
    "wilson",
    "xmr_chart",
]

KAPPA_WEIGHTS = ("linear", "quadratic", "unweighted")
FUNNEL_METHODS = ("wilson", "exact")
FUNNEL_METHOD_WORDS = {
    "wilson": (
        "The limits are Wilson score limits around the average, the method of UK public "
        "health funnel plots (Public Health England, now UKHSA, as in PHEindicatormethods)."
    ),
    "exact": (
        "The limits are exact binomial limits around the average, interpolated as in "
        "Spiegelhalter (2005)."
    ),
}
TOO_FEW = "too few moderated audits to say"
GENEROUS = "marks more generously than moderators"
HARSH = "marks more harshly than moderators"
IN_LINE = "in line with moderators"


@dataclass(frozen=True)
class FunnelPoint:
    """One team on a funnel plot: its rate and where it falls against the limits.

    `position` is "above 99.8% limits", "above 95% limits", "within limits",
    "below 95% limits", "below 99.8% limits", or "no audits" when n = 0.
    """

    label: str
    k: int
    n: int
    rate: float | None
    within_95: bool | None
    within_998: bool | None
    position: str


@dataclass(frozen=True)
class Funnel:
    """Teams against a target, and the limits for drawing: (n, lower998, lower95, upper95,
    upper998) for each n from 1 to the largest team's n. `dispersion` is the design effect
    the variance was multiplied by for clustered answers (1.0: the plain binomial limits)."""

    target: float
    points: tuple[FunnelPoint, ...]
    curve: tuple[tuple[int, float, float, float, float], ...]
    dispersion: float = 1.0
    method: str = "wilson"

    @property
    def method_text(self) -> str:
        """Which limits these are, in a sentence for the page under the plot."""
        if self.method == "exact" and self.dispersion > 1.0:
            return (
                "The limits are normal limits around the average, as clustered answers need; "
                "without clustering they would be exact binomial limits (Spiegelhalter 2005)."
            )
        return FUNNEL_METHOD_WORDS[self.method]


@dataclass(frozen=True)
class ChangeTest:
    """A change in a rate between two periods (later minus earlier) and whether it is real."""

    difference: float
    p_value: float
    significant: bool
    method: str


@dataclass(frozen=True)
class Kappa:
    """Chance-corrected agreement with its approximate 95% range, and the share of pairs that
    agree exactly (`observed_agreement`, 0.0 when there are no pairs)."""

    value: float | None
    n: int
    observed_agreement: float
    low: float | None
    high: float | None
    undefined_because: str = ""


@dataclass(frozen=True)
class Drift:
    """An auditor's mean score minus the moderators' on the same audits, with its range."""

    mean: float | None
    low: float | None
    high: float | None
    n: int
    reading: str


def funnel(
    units: Sequence[tuple[str, int, int]],
    target: float | None = None,
    *,
    design_effect: float = 1.0,
    method: str = "wilson",
) -> Funnel:
    """Compare each team's rate k / n with a target (by default the pooled rate Σk / Σn).

    Two methods, chosen by `method`. "wilson" (the default, as UK public-health funnel
    plots draw them: PHE's method, as PHEindicatormethods computes it): a rate is within
    the limits when its Wilson score interval reaches the target, so the limits are
    target ± z √(target(1 − target) / n), with z for 95% (1.96) and 99.8% (3.09), clipped
    to [0, 1]. "exact": limits are exact binomial quantiles, interpolated as in
    Spiegelhalter (2005, appendix A.1.1) so they form a smooth funnel: with r the
    p-quantile of Binomial(n, target) and
    α = (P(R ≤ r) − p) / P(R = r), the lower limit is (r − α) / n. The upper limit is the
    mirror image, 1 − the lower limit for the non-compliant share, so compliance and
    non-compliance are treated alike and a small team at 100% is not flagged merely for
    being at the top. Limits are clipped to [0, 1]. With no audits at all and no target,
    the target is 0.0 and there is no curve.

    When the counted items come in clusters (the answers of one audit go together), pass
    the `design_effect` measured between the audits of each team: above 1, the limits are
    target ± z √(design effect · target(1 − target) / n) with either method, the normal
    approximation with the variance the clustering gives (Spiegelhalter's multiplicative
    adjustment, with the factor measured inside the teams so that real differences between
    teams stay visible).
    """
    if method not in FUNNEL_METHODS:
        raise ValueError(
            f"Unknown funnel method {method!r}: use one of {', '.join(FUNNEL_METHODS)}"
        )
    for label, k, n in units:
        if n < 0 or not 0 <= k <= n:
            raise ValueError(f"{label}: {k} of {n} is not a possible count")
    total_n = sum(n for _, _, n in units)
    if target is None:
        target = sum(k for _, k, _ in units) / total_n if total_n else 0.0
    if not 0 <= target <= 1:
        raise ValueError(f"The target must be a rate between 0 and 1, not {target}")
    sizes = np.arange(1, max((n for _, _, n in units), default=0) + 1)
    factor = design_effect if design_effect > 1.0 else 1.0
    if factor > 1.0 or method == "wilson":
        spread = np.sqrt(factor * target * (1 - target) / sizes)
        z95, z998 = stats.norm.ppf(0.975), stats.norm.ppf(0.999)
        low998, low95 = target - z998 * spread, target - z95 * spread
        high95, high998 = target + z95 * spread, target + z998 * spread
        low998, low95, high95, high998 = (
            np.clip(limit, 0.0, 1.0) for limit in (low998, low95, high95, high998)
        )
    else:
        low998, low95 = _lower_limit(sizes, target, 0.001), _lower_limit(sizes, target, 0.025)
        high95, high998 = _upper_limit(sizes, target, 0.025), _upper_limit(sizes, target, 0.001)
    curve = tuple(
        (int(n), float(low998[i]), float(low95[i]), float(high95[i]), float(high998[i]))
        for i, n in enumerate(sizes)
    )
    points = tuple(_funnel_point(unit, curve) for unit in units)
    return Funnel(target, points, curve, factor, method)


def _lower_limit(
    sizes: npt.NDArray[np.int64], target: float, tail: float
) -> npt.NDArray[np.float64]:
    quantile = stats.binom.ppf(tail, sizes, target)
    below_or_at = stats.binom.cdf(quantile, sizes, target)
    alpha = (below_or_at - tail) / stats.binom.pmf(quantile, sizes, target)
    limits: npt.NDArray[np.float64] = np.clip((quantile - alpha) / sizes, 0.0, 1.0)
    return limits


def _upper_limit(
    sizes: npt.NDArray[np.int64], target: float, tail: float
) -> npt.NDArray[np.float64]:
    return 1.0 - _lower_limit(sizes, 1.0 - target, tail)


def _funnel_point(
    unit: tuple[str, int, int], curve: tuple[tuple[int, float, float, float, float], ...]
) -> FunnelPoint:
    label, k, n = unit
    if n == 0:
        return FunnelPoint(label, k, n, None, None, None, "no audits")
    rate = k / n
    _, low998, low95, high95, high998 = curve[n - 1]
    if rate > high998:
        position = "above 99.8% limits"
    elif rate > high95:
        position = "above 95% limits"
    elif rate < low998:
        position = "below 99.8% limits"
    elif rate < low95:
        position = "below 95% limits"
    else:
        position = "within limits"
    return FunnelPoint(
        label, k, n, rate, low95 <= rate <= high95, low998 <= rate <= high998, position
    )


@dataclass(frozen=True)
class ClusterSums:
    """What the design effect needs of a group of audits with answers (n > 0), as a database
    can add it up: the audits, Σk, Σn, Σk², Σkn and Σn² of their (k, n)."""

    audits: int = 0
    k: int = 0
    n: int = 0
    kk: int = 0
    kn: int = 0
    nn: int = 0

    @classmethod
    def of(cls, k: int, n: int) -> ClusterSums:
        """One audit with k of its n answers meeting the standard."""
        if n < 0 or not 0 <= k <= n:
            raise ValueError(f"{k} of {n} is not a possible count")
        return cls(1, k, n, k * k, k * n, n * n) if n > 0 else cls()

    def __add__(self, other: ClusterSums) -> ClusterSums:
        return ClusterSums(
            self.audits + other.audits,
            self.k + other.k,
            self.n + other.n,
            self.kk + other.kk,
            self.kn + other.kn,
            self.nn + other.nn,
        )


def design_effect(audits: Sequence[tuple[Hashable, int, int]]) -> float:
    """How much more a rate of answers varies than if the answers were independent, because
    the answers of one audit go together: (period, k, n) for each audit.

    Measured inside each period, so that a real change between periods does not count: for a
    period with m ≥ 2 audits, rate p = Σk / Σn and N = Σn, the cluster (ratio-estimator)
    variance of p is m / (m − 1) · Σ (kᵢ − p nᵢ)² / N², and the binomial one p(1 − p) / N.
    The design effect is their ratio, pooled over the periods:
    Σ m / (m − 1) · Σ (kᵢ − p nᵢ)²  /  Σ N p(1 − p).
    1.0 when no period has two audits with answers and a rate strictly between 0 and 1.
    """
    periods: dict[Hashable, ClusterSums] = {}
    for period, k, n in audits:
        periods[period] = periods.get(period, ClusterSums()) + ClusterSums.of(k, n)
    return design_effect_of_sums(periods.values())


def design_effect_of_sums(periods: Iterable[ClusterSums]) -> float:
    """`design_effect` from each period's sums, so the audits need not be read one by one:
    Σ (kᵢ − p nᵢ)² = (Σk² N² − 2 K Σkn N + K² Σn²) / N² with K = Σk, worked exactly in
    integers and fractions; each period's terms are rounded once and added with `math.fsum`,
    so the result does not depend on the order of the periods."""
    spread: list[float] = []
    expected: list[float] = []
    for g in periods:
        if g.audits < 2 or not 0 < g.k < g.n:
            continue
        squares = g.kk * g.n**2 - 2 * g.k * g.kn * g.n + g.k**2 * g.nn
        spread.append(float(Fraction(g.audits * squares, (g.audits - 1) * g.n**2)))
        expected.append(float(Fraction(g.k * (g.n - g.k), g.n)))
    total = math.fsum(expected)
    return math.fsum(spread) / total if total > 0 else 1.0


def two_proportion_change(k1: int, n1: int, k2: int, n2: int, alpha: float = 0.05) -> ChangeTest:
    """Is the change from k1/n1 (earlier) to k2/n2 (later) more than chance? Two-sided.

    Fisher's exact test (scipy.stats.fisher_exact) when any expected count in the 2 × 2
    table is below 5, where the normal approximation is poor; otherwise the pooled
    two-proportion z test. With no audits in a period there is nothing to compare: the
    difference is 0.0 and the p-value 1.0.
    """
    for k, n in ((k1, n1), (k2, n2)):
        if n < 0 or not 0 <= k <= n:
            raise ValueError(f"{k} of {n} is not a possible count")
    if n1 == 0 or n2 == 0:
        return ChangeTest(0.0, 1.0, False, "no comparison: a period has no audits")
    difference = k2 / n2 - k1 / n1
    pooled = (k1 + k2) / (n1 + n2)
    if min(n1, n2) * min(pooled, 1 - pooled) < 5:
        result = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])
        p_value, method = float(result.pvalue), "Fisher's exact test, two-sided"
    else:
        z = difference / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        p_value = float(2 * stats.norm.sf(abs(z)))
        method = "two-proportion z test (pooled), two-sided"
    p_value = min(1.0, p_value)
    return ChangeTest(difference, p_value, p_value < alpha, method)


def weighted_kappa(
    pairs: Sequence[tuple[int, int]],
    categories: int,
    weights: str = "linear",
    confidence: float = 0.95,
) -> Kappa:
    """Cohen's weighted kappa (Cohen 1968) for two raters' ordinal scores 0..categories-1.

    Agreement weights are 1 − |i − j| / (c − 1) ("linear"), 1 − ((i − j) / (c − 1))²
    ("quadratic", Fleiss & Cohen 1973) or 1 on the diagonal only ("unweighted", Cohen 1960),
    so a near miss on an ordinal scale counts as partial agreement. κ = (pₒ − pₑ) / (1 − pₑ).
    The range is κ ± z × SE with the large-sample SE of Fleiss, Cohen & Everitt (1969), the
    "ASE" that SAS PROC FREQ reports, clipped to [−1, 1]. Kappa is undefined (None, with
    `undefined_because` saying why) with no pairs, or when either rater gives the same score
    every time: chance then explains all the agreement there is, so there is nothing to
    correct for (the formula would give 0 with a range of 0 to 0, which means nothing).
    """
    if categories < 2:
        raise ValueError("Kappa needs at least 2 categories")
    if weights not in KAPPA_WEIGHTS:
        raise ValueError(f"Unknown weights {weights!r}: use one of {', '.join(KAPPA_WEIGHTS)}")
    table = np.zeros((categories, categories))
    for (first, second), count in Counter(pairs).items():  # each distinct pair once
        if not (0 <= first < categories and 0 <= second < categories):
            raise ValueError(f"Scores must be 0 to {categories - 1}, not {first} and {second}")
        table[first, second] += count
    n = len(pairs)
    if n == 0:
        return Kappa(None, 0, 0.0, None, None, "there are no pairs of scores")
    shares = table / n
    exact = float(np.trace(shares))
    scores = np.arange(categories)
    distance = np.abs(scores[:, None] - scores[None, :]) / (categories - 1)
    agreement = {
        "linear": 1 - distance,
        "quadratic": 1 - distance**2,
        "unweighted": (distance == 0).astype(float),
    }[weights]
    rows, columns = shares.sum(axis=1), shares.sum(axis=0)
    observed = float((agreement * shares).sum())
    expected = float((agreement * np.outer(rows, columns)).sum())
    constant = [
        who
        for who, shares_of in (("the auditor", rows), ("the moderator", columns))
        if int(np.count_nonzero(shares_of)) == 1
    ]
    if constant or 1 - expected < 1e-12:
        who = " and ".join(constant) or "the raters"
        because = f"{who} gave the same score every time, so agreement beyond chance is undefined"
        return Kappa(None, n, exact, None, None, because)
    kappa = max(-1.0, min(1.0, (observed - expected) / (1 - expected)))  # rounding can pass ±1
    row_means, column_means = agreement @ columns, rows @ agreement
    centred = agreement - (row_means[:, None] + column_means[None, :]) * (1 - kappa)
    variance = (float((shares * centred**2).sum()) - (kappa - expected * (1 - kappa)) ** 2) / (
        n * (1 - expected) ** 2
    )
    half_width = _z(confidence) * math.sqrt(max(variance, 0.0))
    return Kappa(kappa, n, exact, max(-1.0, kappa - half_width), min(1.0, kappa + half_width))


def drift(differences: Sequence[float], confidence: float = 0.95) -> Drift:
    """Whether an auditor marks differently from the moderators, from paired differences.

    Each difference is the auditor's score minus the moderators' on the same audit. The mean
    comes with a Student's t interval; the reading says which way the auditor leans only
    when the whole interval is on one side of zero, and needs at least 3 moderated audits.
    """
    values = [float(d) for d in differences]
    if not all(math.isfinite(v) for v in values):
        raise ValueError("Differences must be numbers")
    _z(confidence)
    n = len(values)
    if n == 0:
        return Drift(None, None, None, 0, TOO_FEW)
    mean = math.fsum(values) / n
    if n == 1:
        return Drift(mean, None, None, 1, TOO_FEW)
    spread = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half_width = _t(confidence, n - 1) * spread / math.sqrt(n)
    low, high = mean - half_width, mean + half_width
    if n < 3:
        reading = TOO_FEW
    elif low > 0:
        reading = GENEROUS
    elif high < 0:
        reading = HARSH
    else:
        reading = IN_LINE
    return Drift(mean, low, high, n, reading)


def wilson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval (Wilson 1927) for k of n as (low, high); (0, 1) when n = 0."""
    interval = evaluation.wilson(k, n, confidence)
    return interval.low, interval.high


# The quantiles are worked out once for each confidence (and degrees of freedom): scipy's
# distributions cost about a millisecond a call, and a dashboard asks for hundreds.
@lru_cache(maxsize=64)
def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"Confidence must be between 0 and 1, not {confidence}")
    return float(stats.norm.ppf((1 + confidence) / 2))


@lru_cache(maxsize=1024)
def _t(confidence: float, df: int) -> float:
    """Student's t quantile for a two-sided interval at `confidence` with `df` degrees."""
    return float(stats.t.ppf((1 + confidence) / 2, df))
