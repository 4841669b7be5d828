"""Trend statistics: proportions, differences, rate ratios and spikes, each with a 95% interval.

sql/setup/stats_macros.sql holds the same formulas as DuckDB macros, operation for operation, so the marts and this
module agree to rounding error (tests/test_stats.py checks it). Where no interval exists (no observations) the
values are None, as the macros return NULL. Invalid counts (negative, or more events than trials) raise.
"""

from __future__ import annotations

from math import exp, sqrt
from typing import NamedTuple

# Two-sided 95%: the 0.975 normal quantile, 1.959963984540054235..., as the nearest double.
Z95 = 1.959963984540054
# Spike test: one-sided 0.001 (the 0.999 quantile); with ~240 org-metric-months a run, 1.96 gave 2-9 false alarms
# per run in exact binomial enumeration, this gives under 1 (see tests/test_stats.py).
Z_SPIKE = 3.090232306167813

# A share is marked small below 30 trials (the usual floor, and NCHS's minimum for presenting a proportion), or
# with fewer than 5 events or non-events, where one or two posts or organizations swing the figure.
SMALL_N = 30
SMALL_K = 5
# A spike needs this many flagged posts in the recent period: 1 of 2, or 4 of 4, is never an alert.
SPIKE_MIN_K = 5
# ...and this many posts in the baseline: an organization's normal is not known from fewer.
SPIKE_MIN_N0 = 10


class Interval(NamedTuple):
    estimate: float | None
    low: float | None
    high: float | None


NO_INTERVAL = Interval(None, None, None)


class Spike(NamedTuple):
    is_spike: bool
    difference: Interval  # recent share minus baseline share, at the spike test's level


def _check_counts(k: int, n: int) -> None:
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")


def wilson(k: int, n: int, z: float = Z95) -> Interval:
    """Share k/n with Wilson's score interval (Wilson 1927; method 3 in Newcombe 1998, Stat Med 17:857)."""
    _check_counts(k, n)
    if n == 0:
        return NO_INTERVAL
    zz = z * z
    denom = n + zz
    centre = (k + zz / 2) / denom
    half = z * sqrt(k * (n - k) / n + zz / 4) / denom
    # the bounds are exactly 0 and 1 there; the formula would leave rounding error
    low = 0.0 if k == 0 else centre - half
    high = 1.0 if k == n else centre + half
    return Interval(k / n, low, high)


def newcombe_diff(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> Interval:
    """p2 - p1 (the later or compared share minus the reference share) with Newcombe's hybrid score interval
    (method 10 in Newcombe 1998, Stat Med 17:873), built from the two Wilson intervals."""
    _check_counts(k1, n1)
    _check_counts(k2, n2)
    if n1 == 0 or n2 == 0:
        return NO_INTERVAL
    p1, l1, u1 = wilson(k1, n1, z)
    p2, l2, u2 = wilson(k2, n2, z)
    d = p2 - p1
    # low end: p2 as low as it plausibly is and p1 as high; high end the other way round
    low = d - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1))
    high = d + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1))
    return Interval(d, low, high)


def change_is_significant(interval: Interval, null_value: float = 0.0) -> bool:
    """True when the interval excludes the value of no change: 0 for a difference or a growth in percent, 1 for a
    ratio. False without an interval."""
    low, high = interval.low, interval.high
    return low is not None and high is not None and (low > null_value or high < null_value)


def rate_ratio(c1: float, t1: float, c2: float, t2: float, z: float = Z95) -> Interval:
    """(c2/t2) / (c1/t1): events per unit of exposure (posts per day, per org-month) against a reference period,
    with a Wald interval on the log scale, ratio * exp(+-z * sqrt(1/c1 + 1/c2)).

    Zero counts: when one count is 0, 0.5 is added to both (estimate and interval), so the ratio and its bounds
    stay finite and the estimate inside them; when both are 0 there is nothing to compare and all are None.
    """
    if c1 < 0 or c2 < 0 or t1 < 0 or t2 < 0:
        raise ValueError(f"counts and exposures must be >= 0, got {c1}, {t1}, {c2}, {t2}")
    if t1 == 0 or t2 == 0 or (c1 == 0 and c2 == 0):
        return NO_INTERVAL
    if c1 == 0 or c2 == 0:
        c1, c2 = c1 + 0.5, c2 + 0.5
    ratio = (c2 / t2) / (c1 / t1)
    spread = exp(z * sqrt(1 / c1 + 1 / c2))
    return Interval(ratio, ratio / spread, ratio * spread)


def growth_rate(c1: float, t1: float, c2: float, t2: float, z: float = Z95) -> Interval:
    """Growth in percent, 100 * (rate ratio - 1), with the rate ratio's interval mapped the same way."""
    ratio = rate_ratio(c1, t1, c2, t2, z)
    if ratio.estimate is None:
        return NO_INTERVAL
    return Interval(*(100 * (r - 1) for r in ratio))


def mean_interval(mean: float | None, sd: float | None, n: int, z: float = Z95) -> Interval:
    """Mean +- z * sd / sqrt(n), normal (z) rather than t: neither DuckDB nor the standard library has t
    quantiles, and from n = 30 (smaller samples are marked) t's interval is at most 4.3% wider.
    None bounds for n < 2, where the sample standard deviation is undefined."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if n == 0 or mean is None:
        return NO_INTERVAL
    if n < 2 or sd is None:
        return Interval(mean, None, None)
    half = z * sd / sqrt(n)
    return Interval(mean, mean - half, mean + half)


def small_sample(n: int, k: int | None = None) -> bool:
    """True when a share rests on too few observations to read on its own: marked in reports, never hidden."""
    if n < SMALL_N:
        return True
    return k is not None and (k < SMALL_K or n - k < SMALL_K)


def spike(k: int, n: int, k0: int, n0: int, *, min_k: int = SPIKE_MIN_K, min_n0: int = SPIKE_MIN_N0,
          z: float = Z_SPIKE) -> Spike:
    """Is the recent share k/n significantly above the baseline share k0/n0?

    One-sided test: the lower bound of Newcombe's interval for k/n - k0/n0 at `z` (3.09: one-sided 0.001) is above
    0, with at least `min_k` flagged posts recently and `min_n0` posts in the baseline.
    """
    difference = newcombe_diff(k0, n0, k, n, z)
    is_spike = (k >= min_k and n0 >= min_n0 and difference.low is not None and difference.low > 0)
    return Spike(is_spike, difference)
