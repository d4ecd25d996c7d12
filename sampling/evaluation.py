"""Evaluation: what an audited sample says about all the files.

Compliance rates come with a confidence interval: Wilson's score interval by default, since it
behaves well for small samples and rates near 0% or 100%, or the Clopper-Pearson "exact"
interval for the cautious. The stratified six-monthly sample uses the standard stratified
estimator, weighting each service area by its share of the files.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scipy import stats


@dataclass(frozen=True)
class Interval:
    """A rate estimated from a sample, with the range it is likely to lie in."""

    estimate: float
    low: float
    high: float
    method: str


@dataclass(frozen=True)
class Stratum:
    """One stratum's files: how many there are, how many were audited, how many passed."""

    population: int
    sampled: int
    successes: int


@dataclass(frozen=True)
class StratifiedEstimate:
    """A rate for all files from a stratified sample, with its standard error and range."""

    estimate: float
    standard_error: float
    low: float
    high: float
    method: str


def wilson(k: int, n: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval for k successes in n (Wilson 1927), without continuity correction.

    The range reaches exactly 0 when none passed and exactly 1 when all did, as the algebra
    says (rounding would otherwise leave them about 1e-16 short). With no files audited
    (n = 0) there is no estimate (nan) and the range is 0 to 1.
    """
    _check_counts(k, n)
    z = _z(confidence)
    method = f"Wilson score interval, {_percent(confidence)} confidence"
    if n == 0:
        return Interval(math.nan, 0.0, 1.0, method)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half_width = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low = 0.0 if k == 0 else max(0.0, centre - half_width)
    high = 1.0 if k == n else min(1.0, centre + half_width)
    return Interval(p, low, high, method)


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> Interval:
    """Clopper-Pearson "exact" interval from beta quantiles; never narrower than it should be.

    With no files audited (n = 0) there is no estimate (nan) and the range is 0 to 1.
    """
    _check_counts(k, n)
    _z(confidence)
    method = f"Clopper-Pearson exact interval, {_percent(confidence)} confidence"
    if n == 0:
        return Interval(math.nan, 0.0, 1.0, method)
    tail = (1 - confidence) / 2
    low = 0.0 if k == 0 else float(stats.beta.ppf(tail, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.ppf(1 - tail, k + 1, n - k))
    return Interval(k / n, low, high, method)


def stratified_proportion(
    strata: Mapping[str, Stratum], confidence: float = 0.95
) -> StratifiedEstimate:
    """Estimate the rate for all files from a sample drawn separately in each stratum.

    The estimate is the sum over strata of W_h p_h, where W_h = N_h / N is the stratum's share
    of the files and p_h its sample rate. Its variance is the sum of
    W_h^2 (1 - n_h / N_h) p_h (1 - p_h) / (n_h - 1) (Cochran, Sampling Techniques, 5.27), the
    factor (1 - n_h / N_h) being the finite population correction. A stratum with one file
    audited out of several cannot show its own spread, so it is given the largest possible
    one, p_h (1 - p_h) = 1/4, over n_h. The range is the estimate plus or minus z standard
    errors, kept within 0 to 1.
    """
    z = _z(confidence)
    total = 0
    for name, stratum in strata.items():
        _check_stratum(name, stratum)
        total += stratum.population
    if total == 0:
        raise ValueError("There are no files in any stratum, so there is nothing to estimate")
    estimate = 0.0
    variance = 0.0
    for stratum in strata.values():
        if stratum.population == 0:
            continue
        weight = stratum.population / total
        rate = stratum.successes / stratum.sampled
        estimate += weight * rate
        variance += weight * weight * _rate_variance(stratum, rate)
    error = math.sqrt(variance)
    method = (
        "Stratified estimate: each stratum's rate weighted by its share of the files, with "
        "the finite population correction; the range is the estimate plus or minus "
        f"{z:.2f} standard errors ({_percent(confidence)} confidence, normal approximation)"
    )
    low = max(0.0, estimate - z * error)
    high = min(1.0, estimate + z * error)
    return StratifiedEstimate(estimate, error, low, high, method)


def _rate_variance(stratum: Stratum, rate: float) -> float:
    remaining = 1 - stratum.sampled / stratum.population
    if remaining == 0:
        return 0.0
    if stratum.sampled < 2:
        return remaining * 0.25 / stratum.sampled
    return remaining * rate * (1 - rate) / (stratum.sampled - 1)


def _check_stratum(name: str, stratum: Stratum) -> None:
    for field in ("population", "sampled", "successes"):
        value = getattr(stratum, field)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"Stratum {name!r}: {field} must be a whole number of 0 or more")
    if stratum.sampled > stratum.population:
        raise ValueError(f"Stratum {name!r}: more files audited than it has")
    if stratum.successes > stratum.sampled:
        raise ValueError(f"Stratum {name!r}: more files passed than were audited")
    if stratum.population > 0 and stratum.sampled == 0:
        raise ValueError(f"Stratum {name!r} has files but none was audited, so its rate is unknown")


def _check_counts(k: int, n: int) -> None:
    for value, what in ((k, "The number of successes"), (n, "The number of files audited")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{what} must be a whole number of 0 or more, not {value!r}")
    if k > n:
        raise ValueError(f"There cannot be more successes ({k}) than files audited ({n})")


def _z(confidence: float) -> float:
    """Two-sided normal quantile for the confidence, after checking it lies in (0, 1)."""
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise ValueError(f"The confidence must be a number, not {confidence!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"The confidence must be more than 0 and less than 1, not {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _percent(value: float) -> str:
    return f"{value * 100:g}%"
