"""The three likelihoods of attribute planning, as jfa offers them: the binomial (files drawn
from a very large pool), the hypergeometric (drawn without replacement from a known frame)
and the Poisson (a cautious approximation), each with the number of files falling short it
tolerates, fixed or growing with the sample. `sampling.planning.attribute_size` uses them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
from scipy import stats

LIKELIHOODS = ("binomial", "hypergeometric", "poisson")
MOST_FILES = 5000  # the largest sample planned for an expected rate, as jfa's default


@dataclass(frozen=True)
class Plan:
    """An attribute plan's settings, and the test each sample size must pass."""

    tolerable: float
    alpha: float
    population: int | None
    deviations: int
    rate: float | None

    def failing(self) -> int:
        assert self.population is not None  # only the hypergeometric asks
        return math.ceil(Fraction(str(self.tolerable)) * self.population)

    def possible(self) -> bool:
        """Whether the frame holds more failing files at the tolerable rate than expected."""
        assert self.population is not None
        if self.rate is None:
            return self.failing() > self.deviations
        return math.ceil(Fraction(str(self.rate)) * self.population) < self.failing()

    def tolerated(self, sizes: npt.NDArray[np.int64], likelihood: str) -> npt.NDArray[np.float64]:
        if self.rate is None:
            return np.full(sizes.shape, float(self.deviations))
        share: npt.NDArray[np.float64] = self.rate * sizes.astype(np.float64)
        return share if likelihood == "poisson" else np.ceil(np.round(share, 9))

    def passes(self, sizes: npt.NDArray[np.int64], likelihood: str) -> npt.NDArray[np.bool_]:
        x = self.tolerated(sizes, likelihood)
        if likelihood == "binomial":
            chance = stats.binom.cdf(x, sizes, self.tolerable)
        elif likelihood == "poisson":
            chance = stats.gamma.sf(sizes * self.tolerable, x + 1)  # P(Poisson ≤ x), any x
        else:
            chance = stats.hypergeom.cdf(x, self.population, self.failing(), sizes)
        result: npt.NDArray[np.bool_] = (chance <= self.alpha) & (sizes > x)
        return result

    def smallest(self, likelihood: str) -> int | None:
        """The smallest n that passes, scanning every size (with an expected rate the
        tolerated number steps up with n, so a larger n can fail where a smaller passed)."""
        most = MOST_FILES if self.population is None else min(self.population, MOST_FILES)
        if self.rate is None:  # a fixed number tolerated: the test stays passed once passed
            n = smallest(
                lambda m: bool(self.passes(np.array([m]), likelihood)[0]),
                self.deviations + 1,
                upper=self.population,
            )
            return n if self.passes(np.array([n]), likelihood)[0] else None
        sizes = np.arange(1, most + 1)
        found = np.flatnonzero(self.passes(sizes, likelihood))
        return int(sizes[found[0]]) if found.size else None


LIKELIHOOD_WORDS = {
    "binomial": (
        "This uses the binomial distribution, which treats the files as drawn from a very "
        "large pool."
    ),
    "hypergeometric": (
        "This uses the hypergeometric distribution, which allows for drawing without "
        "replacement from only {files}."
    ),
    "poisson": (
        "This uses the Poisson distribution, a cautious approximation that asks for a few "
        "more files than the binomial."
    ),
}


def check_expected_rate(rate: float, tolerable: float, deviations: int) -> None:
    if isinstance(rate, bool) or not isinstance(rate, int | float) or math.isnan(rate):
        raise ValueError(f"The expected rate must be a number, not {rate!r}")
    if not 0 <= rate < tolerable:
        raise ValueError(
            f"The expected rate must be at least 0 and below the tolerable rate, not {rate}"
        )
    if deviations:
        raise ValueError("Give an expected number of files falling short or a rate, not both")


def smallest(passes: Callable[[int], bool], lower: int, upper: int | None = None) -> int:
    """Smallest n >= lower with passes(n), for a test that stays true once true."""
    high = lower
    while not passes(high):
        if upper is not None and high >= upper:
            return upper
        lower = high + 1
        high = high * 2 if upper is None else min(high * 2, upper)
    while lower < high:
        middle = (lower + high) // 2
        if passes(middle):
            high = middle
        else:
            lower = middle + 1
    return high
