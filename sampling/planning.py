"""Planning: how many files to audit, with the reasoning in plain English.

Following jfa's vocabulary, planning answers "how many", selection answers "which ones" and
evaluation answers "what the sample says". Every size here is capped at the number of files
available, and comes with a sentence a manager can read at the top of a selection run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import stats

from sampling.likelihoods import (
    LIKELIHOOD_WORDS,
    LIKELIHOODS,
    MOST_FILES,
    Plan,
    check_expected_rate,
)

RULE_KINDS = ("attribute", "fixed", "fraction", "proportion")


class RuleError(ValueError):
    """A sample size rule or policy that cannot be used, with a message saying why."""


@dataclass(frozen=True)
class SampleSize:
    """How many files to audit and why, in words for a non-technical manager."""

    n: int
    reasoning: str


def fixed_size(n: int, population: int) -> SampleSize:
    """Audit a fixed number of files chosen by policy."""
    _check_whole(n, "The number of files")
    _check_whole(population, "The number of files available")
    reason = f"The policy sets a fixed sample of {_files(n)}."
    return _capped(n, population, reason)


def fraction_size(fraction: float, minimum: int, maximum: int, population: int) -> SampleSize:
    """Audit a fraction of the files, rounded up, kept between a minimum and a maximum."""
    _check_rate(fraction, "The fraction", allow_one=True)
    _check_whole(minimum, "The minimum")
    _check_whole(maximum, "The maximum")
    _check_whole(population, "The number of files available")
    if minimum > maximum:
        raise ValueError(f"The minimum ({minimum}) cannot be more than the maximum ({maximum})")
    raw = math.ceil(Fraction(str(fraction)) * population)
    n = min(max(raw, minimum), maximum)
    reason = f"The policy asks for {_percent(fraction)} of the {_files(population)}"
    if n == raw:
        reason += f", rounded up: {_files(n)}."
    elif n == minimum:
        reason += f", but at least {_files(minimum)}."
    else:
        reason += f", but no more than {_files(maximum)}."
    return _capped(n, population, reason)


def proportion_size(
    margin: float, confidence: float, population: int, expected: float = 0.5
) -> SampleSize:
    """Files needed to estimate a rate to within ``margin`` at the given confidence.

    Uses the normal approximation n0 = z^2 p (1 - p) / margin^2 with the finite population
    correction n = n0 / (1 + (n0 - 1) / N) (Cochran, Sampling Techniques, 4.2), rounded up.
    ``expected = 0.5`` is the cautious choice when nothing is known about the rate.
    """
    _check_rate(margin, "The margin")
    _check_rate(confidence, "The confidence")
    _check_rate(expected, "The expected rate")
    _check_whole(population, "The number of files available")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    n0 = z * z * expected * (1 - expected) / (margin * margin)
    n = _ceil(n0 / (1 + (n0 - 1) / population)) if population else 0
    reason = (
        f"To estimate the share of files that meet the standard to within "
        f"{_percent(margin)} either way, with {_percent(confidence)} confidence, "
        f"from {_files(population)}, we need {_files(n)}."
    )
    return _capped(n, population, reason)


def attribute_size(
    tolerable_rate: float,
    confidence: float,
    population: int | None = None,
    expected_deviations: int = 0,
    *,
    expected_rate: float | None = None,
    likelihood: str | None = None,
) -> SampleSize:
    """Smallest n that shows, at the confidence, that the shortfall rate is below tolerable.

    That is the smallest n such that, if the true rate of files falling short were the
    tolerable rate, finding the tolerated number or fewer would have probability at most
    1 - confidence. The tolerated number is ``expected_deviations``, or, given an
    ``expected_rate``, that share of n rounded up (as jfa and the AICPA tables do, so it
    grows with n; the Poisson takes it unrounded). The ``likelihood``: "binomial" (the
    default without a frame), "hypergeometric" (the default with a ``population``, where the
    tolerable number of failing files is the tolerable rate of the frame, rounded up) or
    "poisson" (the cautious approximation, as jfa offers). Matches published attribute
    sampling tables (59 files for 5% at 95% with none expected).
    """
    _check_rate(tolerable_rate, "The tolerable rate")
    _check_rate(confidence, "The confidence")
    _check_whole(expected_deviations, "The expected number of files falling short")
    if expected_rate is not None:
        check_expected_rate(expected_rate, tolerable_rate, expected_deviations)
    if population is not None:
        _check_whole(population, "The number of files available")
    chosen = likelihood or ("binomial" if population is None else "hypergeometric")
    if chosen not in LIKELIHOODS:
        raise ValueError(f"Unknown likelihood {chosen!r}: use one of {', '.join(LIKELIHOODS)}")
    if chosen == "hypergeometric" and population is None:
        raise ValueError("The hypergeometric likelihood needs the number of files available")
    plan = Plan(tolerable_rate, 1 - confidence, population, expected_deviations, expected_rate)
    if population is not None and (
        population == 0 or (chosen == "hypergeometric" and not plan.possible())
    ):
        return _capped(population, population, _census_reason(population))
    n = plan.smallest(chosen)
    if n is None:
        if population is None or (expected_rate is not None and population > MOST_FILES):
            raise ValueError(
                f"No sample of up to {MOST_FILES:,} files can show this: expect fewer files "
                f"to fall short, or tolerate more"
            )
        return _capped(population, population, _census_reason(population))
    reason = _attribute_reason(
        tolerable_rate, confidence, _tolerated_text(plan, n, chosen), n, population
    )
    reason += f" {LIKELIHOOD_WORDS[chosen].format(files=_files(population or 0))}"
    if population is None:
        return SampleSize(n, reason)
    return _capped(n, population, reason)


def size_from_rule(rule: Mapping[str, object], population: int) -> SampleSize:
    """Apply a sample size rule stored as JSON-able data to a frame of ``population`` files.

    Raises RuleError, naming the problem, for an unknown kind, a missing or unknown setting
    or a value out of range.
    """
    check_rule(rule)
    kind = rule["kind"]
    try:
        if kind == "fixed":
            return fixed_size(_int(rule["n"]), population)
        if kind == "fraction":
            low, high = _int(rule["minimum"]), _int(rule["maximum"])
            return fraction_size(_num(rule["fraction"]), low, high, population)
        confidence = _num(rule["confidence"])
        if kind == "proportion":
            margin, expected = _num(rule["margin"]), _num(rule.get("expected", 0.5))
            return proportion_size(margin, confidence, population, expected)
        deviations = _int(rule.get("expected_deviations", 0))
        rate = _num(rule["expected_rate"]) if "expected_rate" in rule else None
        likelihood = rule.get("likelihood")
        return attribute_size(
            _num(rule["tolerable_rate"]),
            confidence,
            population,
            deviations,
            expected_rate=rate,
            likelihood=likelihood if isinstance(likelihood, str) else None,
        )
    except RuleError:
        raise
    except ValueError as error:
        raise RuleError(str(error)) from error


_RULE_SETTINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fixed": (("n",), ()),
    "fraction": (("fraction", "minimum", "maximum"), ()),
    "proportion": (("margin", "confidence"), ("expected",)),
    "attribute": (
        ("tolerable_rate", "confidence"),
        ("expected_deviations", "expected_rate", "likelihood"),
    ),
}

_WHOLE_SETTINGS = {"n", "minimum", "maximum", "expected_deviations"}


def check_rule(rule: Mapping[str, object]) -> None:
    """Check a sample size rule's shape and ranges without a frame; raise RuleError if bad."""
    if not isinstance(rule, Mapping):
        raise RuleError("A sample size rule must be a set of named settings")
    kind = rule.get("kind")
    if not isinstance(kind, str) or kind not in _RULE_SETTINGS:
        raise RuleError(f"Sample size rule kind {kind!r} is not one of: {', '.join(RULE_KINDS)}")
    required, optional = _RULE_SETTINGS[kind]
    for name in required:
        if name not in rule:
            raise RuleError(f"Sample size rule {kind!r} needs the setting {name!r}")
    for name in rule:
        if name != "kind" and name not in required + optional:
            raise RuleError(f"Sample size rule {kind!r} has an unknown setting {name!r}")
    for name, value in rule.items():
        if name == "kind":
            continue
        _check_setting(name, value)
    if kind == "fraction" and _int(rule["minimum"]) > _int(rule["maximum"]):
        raise RuleError("Sample size rule 'fraction' has a minimum above its maximum")


def _check_setting(name: str, value: object) -> None:
    if name == "likelihood":
        if not isinstance(value, str) or value not in LIKELIHOODS:
            raise RuleError(f"Setting 'likelihood' must be one of {', '.join(LIKELIHOODS)}")
        return
    if name == "expected_rate":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
            raise RuleError(f"Setting 'expected_rate' must be 0 or more and below 1, not {value!r}")
        return
    if name in _WHOLE_SETTINGS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RuleError(f"Setting {name!r} must be a whole number of 0 or more, not {value!r}")
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"Setting {name!r} must be a number, not {value!r}")
    upper_ok = value <= 1 if name == "fraction" else value < 1
    if not (0 < value and upper_ok):
        upper = "no more than 1" if name == "fraction" else "less than 1"
        raise RuleError(f"Setting {name!r} must be more than 0 and {upper}, not {value!r}")


def allocate(total: int, strata_sizes: Mapping[str, int]) -> dict[str, int]:
    """Share ``total`` files between strata in proportion to their sizes.

    Largest remainder (Hamilton) on exact fractions, with at least one file for every
    non-empty stratum and never more than a stratum holds; ties go by stratum name so the
    result is the same every time. A stratum whose proportional share is below one gets
    exactly one and the rest is shared again among the others. The total is capped at the
    number of files; if it is smaller than the number of non-empty strata, the largest
    strata (then by name) get one each.
    """
    _check_whole(total, "The total sample size")
    for name, size in strata_sizes.items():
        _check_whole(size, f"The size of stratum {name!r}")
    result = {name: 0 for name in strata_sizes}
    open_strata = {name: size for name, size in strata_sizes.items() if size > 0}
    total = min(total, sum(open_strata.values()))
    if total < len(open_strata):
        largest = sorted(open_strata, key=lambda name: (-open_strata[name], name))
        result.update({name: 1 for name in largest[:total]})
        return result
    while open_strata:
        quotas = {
            name: Fraction(total * size, sum(open_strata.values()))
            for name, size in open_strata.items()
        }
        small = [name for name, quota in quotas.items() if quota < 1]
        if not small:
            result.update(_largest_remainder(total, quotas))
            break
        for name in small:
            result[name] = 1
            del open_strata[name]
        total -= len(small)
    return result


def _largest_remainder(total: int, quotas: Mapping[str, Fraction]) -> dict[str, int]:
    shares = {name: math.floor(quota) for name, quota in quotas.items()}
    extra = total - sum(shares.values())
    by_remainder = sorted(quotas, key=lambda name: (-(quotas[name] - shares[name]), name))
    for name in by_remainder[:extra]:
        shares[name] += 1
    return shares


def _tolerated_text(plan: Plan, n: int, likelihood: str) -> tuple[str, int]:
    """How many falling short the plan expects, in words, and the most it tolerates."""
    if plan.rate is None:
        return _expect_count(plan.deviations), plan.deviations
    x = math.floor(plan.tolerated(np.array([n]), likelihood)[0])
    return f"when we expect about {_percent(plan.rate)} of files to fall short", x


def _attribute_reason(
    rate: float, confidence: float, expected: tuple[str, int], n: int, population: int | None
) -> str:
    expect, d = expected
    limit = "If any of them falls short" if d == 0 else f"If more than {d} of them fall short"
    start = "" if population is None else f"From {_files(population)}: t"
    return (
        f"{start or 'T'}o be {_percent(confidence)} confident that no more than "
        f"{_percent(rate)} of files fall short, {expect}, we need {_files(n)}. "
        f"{limit}, we cannot be that confident and should look more widely."
    )


def _expect_count(d: int) -> str:
    if d == 0:
        return "when we expect to find none"
    return f"when we expect to find no more than {d} that {_verb(d)} short"


def _verb(count: int) -> str:
    return "falls" if count == 1 else "fall"


def _census_reason(population: int) -> str:
    return (
        f"There are only {_files(population)}, too few for a sample to show this with the "
        f"confidence asked for, so every file is audited."
    )


def _capped(n: int, population: int, reason: str) -> SampleSize:
    if n > population:
        return SampleSize(
            population, f"{reason} There are only {_files(population)}, so we audit them all."
        )
    return SampleSize(n, reason)


def _ceil(value: float) -> int:
    """Round up, ignoring floating-point dust so that 59.0000000001 gives 59."""
    return math.ceil(round(value, 9))


def _files(count: int) -> str:
    return f"{count:,} file" if count == 1 else f"{count:,} files"


def _percent(value: float) -> str:
    return f"{value * 100:g}%"


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"Expected a whole number, not {value!r}")
    return value


def _num(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"Expected a number, not {value!r}")
    return float(value)


def _check_whole(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, not {value!r}")
    if value < 0:
        raise ValueError(f"{what} cannot be negative, not {value}")


def _check_rate(value: float, what: str, allow_one: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if not (0 < value < 1 or (allow_one and value == 1)):
        upper = "no more than 1" if allow_one else "less than 1"
        raise ValueError(f"{what} must be more than 0 and {upper}, not {value}")
