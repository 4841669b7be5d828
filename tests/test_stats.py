"""Trend statistics: published and hand-computed values, and the SQL macros equal to the Python to 1e-12.

Hand computations use z = 1.959963984540054, z² = 3.841458820694126 (z_spike = 3.090232306167813, z² = 9.549535706083243)
and Wilson's interval as centre ± half, centre = (k + z²/2) / (n + z²), half = z·sqrt(k(n−k)/n + z²/4) / (n + z²).
"""

from __future__ import annotations

import math
from math import comb

import duckdb
import pytest

from pipelines.analytics.stats import (
    Z95,
    Z_SPIKE,
    Interval,
    change_is_significant,
    growth_rate,
    mean_interval,
    newcombe_diff,
    rate_ratio,
    small_sample,
    spike,
    wilson,
)
from pipelines.warehouse.sql import read_sql, setup_warehouse

# Newcombe 1998 prints four decimals
PUBLISHED = 5e-5
# our hand computations carry eight; z = 1.96 instead of Z95 moves 4/20's bounds by 1.3e-6 and 4.3e-6
HAND = 5e-7


def test_z_is_the_normal_quantile():
    from statistics import NormalDist

    # the 0.975 quantile is 1.95996398454005423...; NormalDist lands one ulp below, hence the literal
    assert Z95 == pytest.approx(NormalDist().inv_cdf(0.975), abs=1e-15)
    assert Z_SPIKE == pytest.approx(NormalDist().inv_cdf(0.999), abs=1e-15)


# --- Wilson ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # Newcombe 1998, Stat Med 17:857, table I, method 3 (score interval without continuity correction)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    # 0/10: Newcombe 1998, Stat Med 17:873, table II example (f), the upper bound of the difference 0/10 - 0/10
    (0, 10, 0.0, 0.2775),
])
def test_wilson_matches_published_values(k, n, low, high):
    got = wilson(k, n)
    assert got.estimate == pytest.approx(k / n)
    assert (got.low, got.high) == pytest.approx((low, high), abs=PUBLISHED)


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    # 8/10: centre (8 + 1.920729) / 13.841459 = 0.71674016, half 1.959964·sqrt(1.6 + 0.960365) / 13.841459
    #       = 1.959964 · 1.600114 / 13.841459 = 0.22657769
    (8, 10, 0.49016247, 0.94331785),
    # 4/20: centre (4 + 1.920729) / 23.841459 = 0.24833755, half 1.959964·sqrt(0.8 + 0.960365) / 23.841459
    #       = 1.959964 · 1.326788 / 23.841459 = 0.16767988
    (4, 20, 0.08065766, 0.41601743),
    # 16/20 mirrors 4/20: 1 − 0.41601743, 1 − 0.08065766
    (16, 20, 0.58398257, 0.91934234),
    # 0/10: centre = half = 1.920729 / 13.841459 = 0.13876640; the low bound is exactly 0
    (0, 10, 0.0, 0.27753280),
    # 10/10 mirrors 0/10 and the high bound is exactly 1
    (10, 10, 0.72246720, 1.0),
])
def test_wilson_matches_hand_computation(k, n, low, high):
    got = wilson(k, n)
    assert (got.low, got.high) == pytest.approx((low, high), abs=HAND)


def test_hand_tolerance_catches_a_rounded_z():
    # the same 4/20 with z = 1.96 would fail the test above
    assert wilson(4, 20, z=1.96).high != pytest.approx(0.41601743, abs=HAND)


def test_wilson_bounds_are_exact_at_the_edges_and_none_without_trials():
    assert wilson(0, 7).estimate == 0.0 and wilson(0, 7).low == 0.0
    assert wilson(7, 7).estimate == 1.0 and wilson(7, 7).high == 1.0
    assert wilson(0, 0) == Interval(None, None, None)


# --- Newcombe's difference -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "estimate", "low", "high"), [
    # Newcombe 1998, Stat Med 17:873, table II, method 10; the paper's difference is first minus second (a − b),
    # ours is newcombe_diff(b..., a...) = p_a − p_b
    ((56, 70), (48, 80), 0.2, 0.0524, 0.3339),       # (a)
    ((9, 10), (3, 10), 0.6, 0.1705, 0.8090),         # (b)
    ((5, 56), (0, 29), 0.0893, -0.0381, 0.1926),     # (d)
    ((0, 10), (0, 20), 0.0, -0.1611, 0.2775),        # (e)
    ((0, 10), (0, 10), 0.0, -0.2775, 0.2775),        # (f)
    ((10, 10), (0, 20), 1.0, 0.6791, 1.0),           # (g)
    ((10, 10), (0, 10), 1.0, 0.6075, 1.0),           # (h)
])
def test_newcombe_matches_published_values(a, b, estimate, low, high):
    got = newcombe_diff(*b, *a)
    assert tuple(got) == pytest.approx((estimate, low, high), abs=PUBLISHED)


def test_newcombe_6_of_7_against_2_of_7_by_hand():
    # example (c) of the same table, worked here: p1 = 2/7 = 0.28571429 (Wilson 0.08221892 .. 0.64106555),
    # p2 = 6/7 = 0.85714286 (Wilson 0.48687217 .. 0.97432038), d = 0.57142857;
    # low  = d − sqrt((p2 − l2)² + (u1 − p1)²) = d − sqrt(0.37027069² + 0.35535126²) = d − 0.51320064 = 0.05822793
    # high = d + sqrt((u2 − p2)² + (p1 − l1)²) = d + sqrt(0.11717752² + 0.20349537²) = d + 0.23482107 = 0.80624964
    assert tuple(newcombe_diff(2, 7, 6, 7)) == pytest.approx((0.57142857, 0.05822793, 0.80624964), abs=HAND)


def test_newcombe_pairs_each_bound_with_the_right_wilson_side():
    # 4/20 -> 16/20: p1 = 0.2 (0.08065766 .. 0.41601743), p2 = 0.8 (0.58398257 .. 0.91934234).
    # low = 0.6 − sqrt((0.8 − 0.58398257)² + (0.41601743 − 0.2)²) = 0.6 − 0.30549478 = 0.29450522
    # high = 0.6 + sqrt((0.91934234 − 0.8)² + (0.2 − 0.08065766)²) = 0.6 + 0.16877555 = 0.76877555
    # (pairing the sides the other way gives 0.431224 .. 0.905495, which exceeds 0.919 − 0.081 = 0.839 at the top)
    assert tuple(newcombe_diff(4, 20, 16, 20)) == pytest.approx((0.6, 0.29450522, 0.76877555), abs=HAND)


def test_newcombe_is_antisymmetric_and_none_without_trials():
    forward, backward = newcombe_diff(5, 56, 0, 29), newcombe_diff(0, 29, 5, 56)
    assert tuple(forward) == pytest.approx((-backward.estimate, -backward.high, -backward.low), abs=1e-15)
    assert newcombe_diff(0, 0, 3, 10) == Interval(None, None, None)
    assert newcombe_diff(3, 10, 0, 0) == Interval(None, None, None)


def test_change_is_significant_when_the_interval_excludes_the_null_value():
    assert change_is_significant(newcombe_diff(48, 80, 56, 70))         # 0.0524 .. 0.3339
    assert not change_is_significant(newcombe_diff(0, 29, 5, 56))       # −0.0381 .. 0.1926
    assert change_is_significant(Interval(-0.5, -0.9, -0.1))
    assert not change_is_significant(Interval(None, None, None))
    assert change_is_significant(Interval(2.0, 1.2, 3.0), null_value=1.0)
    assert not change_is_significant(Interval(2.0, 0.9, 3.0), null_value=1.0)


# --- rates, growth and means -----------------------------------------------------------------------------------

def test_rate_ratio_by_hand():
    # 8 posts in 365 days, then 32 in 366: ratio (32/366) / (8/365) = 3.98907104;
    # half-width on the log scale 1.959964 · sqrt(1/8 + 1/32) = 1.959964 · 0.39528471 = 0.77474379, exp = 2.17003607
    # -> 3.98907104 / 2.17003607 = 1.83825103 .. 3.98907104 · 2.17003607 = 8.65642805
    assert tuple(rate_ratio(8, 365, 32, 366)) == pytest.approx((3.98907104, 1.83825103, 8.65642805), abs=HAND)
    assert tuple(growth_rate(8, 365, 32, 366)) == pytest.approx((298.907104, 83.825103, 765.642805), abs=100 * HAND)
    assert change_is_significant(rate_ratio(8, 365, 32, 366), null_value=1.0)
    assert change_is_significant(growth_rate(8, 365, 32, 366))


def test_rate_ratio_zero_count_rule():
    # 0 posts in 10 days, then 4 in 10: 0.5 is added to both counts, ratio 4.5 / 0.5 = 9;
    # 1.959964 · sqrt(1/0.5 + 1/4.5) = 1.959964 · 1.49071198 = 2.92174180, exp = 18.57361085 -> 0.48455845 .. 167.16249767
    assert tuple(rate_ratio(0, 10, 4, 10)) == pytest.approx((9.0, 0.48455845, 167.16249767), abs=1e-6)
    # the rule is symmetric: the reverse comparison is the reciprocal
    assert tuple(rate_ratio(4, 10, 0, 10)) == pytest.approx((1 / 9, 1 / 167.16249767, 1 / 0.48455845), rel=1e-7)
    assert rate_ratio(0, 10, 0, 10) == Interval(None, None, None)
    assert rate_ratio(3, 0, 4, 10) == Interval(None, None, None)
    assert growth_rate(0, 10, 0, 10) == Interval(None, None, None)


def test_mean_interval_is_normal_based():
    # 0.1 ± 1.959964 · 0.5 / sqrt(100) = 0.1 ± 0.09799820
    assert tuple(mean_interval(0.1, 0.5, 100)) == pytest.approx((0.1, 0.00200180, 0.19799820), abs=HAND)
    assert mean_interval(0.3, None, 1) == Interval(0.3, None, None)
    assert mean_interval(None, None, 0) == Interval(None, None, None)


# --- small samples and spikes ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("n", "k", "small"), [
    (29, 15, True), (30, 15, False),   # trials
    (40, 4, True), (40, 5, False),     # events
    (40, 36, True), (40, 35, False),   # non-events
    (0, 0, True), (29, None, True), (30, None, False), (30, 0, True),
])
def test_small_sample_thresholds(n, k, small):
    assert small_sample(n, k) is small


def test_a_clear_spike_by_hand():
    # 10 of 10 negative after 0 of 36, at z_spike: Wilson 10/10 low = 10 / (10 + 9.549536) = 0.51152086,
    # Wilson 0/36 high = 9.549536 / (36 + 9.549536) = 0.20965245 (both ≈ 0.511521 and 0.209652 by the formula);
    # low = 1 − sqrt(0.48847914² + 0.20965245²) = 1 − 0.531569 = 0.468431 > 0
    result = spike(10, 10, 0, 36)
    assert result.is_spike
    assert result.difference.low == pytest.approx(0.468431, abs=1e-6)


def test_spike_level_is_stricter_than_95_percent():
    # 8 of 20 after 30 of 200 (40% against 15%): at 95% the difference is 0.25 (0.060334 .. 0.467680), significant;
    # at z_spike: Wilson 8/20 = 0.151951 .. 0.712683, 30/200 = 0.088073 .. 0.243827,
    # low = 0.25 − sqrt((0.4 − 0.151951)² + (0.243827 − 0.15)²) = 0.25 − 0.265202 = −0.015202: no spike
    assert newcombe_diff(30, 200, 8, 20).low == pytest.approx(0.060334, abs=1e-6)
    result = spike(8, 20, 30, 200)
    assert not result.is_spike and result.difference.low == pytest.approx(-0.015202, abs=1e-6)
    # 9 of 20: low = 0.3 − 0.283118 = 0.016882 > 0
    assert spike(9, 20, 30, 200).difference.low == pytest.approx(0.016882, abs=1e-6)
    assert spike(9, 20, 30, 200).is_spike


def test_spike_minimum_counts():
    # 4 of 4 after 0 of 100 clears the test (low 0.289843) but has fewer than 5 flagged posts
    assert spike(4, 4, 0, 100).difference.low == pytest.approx(0.289843, abs=1e-6)
    assert not spike(4, 4, 0, 100).is_spike
    assert not spike(1, 2, 0, 100).is_spike
    # 5 of 5 clears the test after 0 of 9 (low 0.165840) and 0 of 10 (0.181830); a baseline needs 10 posts
    assert spike(5, 5, 0, 9).difference.low == pytest.approx(0.165840, abs=1e-6)
    assert not spike(5, 5, 0, 9).is_spike
    assert spike(5, 5, 0, 10).is_spike
    # no baseline at all
    assert spike(10, 10, 0, 0) == (False, Interval(None, None, None))


def test_spike_false_alarm_rate_under_no_change():
    # exact binomial enumeration: a 15% negative share, 20 posts in the month, 240 in the year before, no change
    p, n, n0 = 0.15, 20, 240
    recent = [comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]
    base = [comb(n0, k) * p**k * (1 - p) ** (n0 - k) for k in range(n0 + 1)]

    def false_alarm(z):
        return sum(recent[k] * base[k0] for k in range(5, n + 1) for k0 in range(n0 + 1)
                   if spike(k, n, k0, n0, z=z).is_spike)

    # ~240 org-metric-months per run (40 organizations, 2 metrics, 3 months): 0.8 false alarms, against 8.9 at 95%
    assert false_alarm(Z_SPIKE) == pytest.approx(0.00331, abs=5e-5)
    assert false_alarm(Z95) == pytest.approx(0.03696, abs=5e-5)


@pytest.mark.parametrize("call", [
    lambda: wilson(3, 2), lambda: wilson(-1, 2), lambda: wilson(0, -1), lambda: newcombe_diff(1, 2, 5, 4),
    lambda: rate_ratio(-1, 1, 1, 1), lambda: rate_ratio(1, -1, 1, 1), lambda: mean_interval(0.1, 0.2, -1),
])
def test_invalid_counts_raise(call):
    with pytest.raises(ValueError):
        call()


# --- the SQL macros equal the Python ---------------------------------------------------------------------------

def _same(sql_value, py_value, tol=1e-12) -> bool:
    if sql_value is None or py_value is None:
        return sql_value is None and py_value is None
    return not math.isnan(sql_value) and abs(sql_value - py_value) <= tol * max(1.0, abs(py_value))


def _mismatches(rows, python, width):
    return [r for r in rows if not all(_same(s, p) for s, p in zip(r[-width:], python(*r[:-width]), strict=True))]


@pytest.fixture(scope="module")
def conn():
    with duckdb.connect() as c:
        c.execute(read_sql("setup/stats_macros.sql"))
        yield c


# every (k, n) with n <= 60, and a few large n
WILSON_GRID = """
    select k, n from range(0, 61) as t(n), range(0, 61) as s(k) where k <= n
    union all select unnest([0, 1, 5, 500, 995, 999, 1000]), 1000
    union all select unnest([0, 1, 37, 6_000_000, 12_345_677, 12_345_678]), 12_345_678
"""
# every k for a few n, and every pair of those
SMALL_GRID = "select k, n from unnest([0, 1, 2, 3, 5, 7, 9, 10, 20, 29, 30, 100]) as t(n), range(0, 101) as s(k) where k <= n"


@pytest.mark.parametrize("z", [Z95, 2.5758293035489004, Z_SPIKE])
def test_sql_wilson_equals_python(conn, z):
    rows = conn.execute(f"select k, n, hcsm_wilson_low(k, n, z := $z), hcsm_wilson_high(k, n, z := $z) from ({WILSON_GRID})",
                        {"z": z}).fetchall()
    assert len(rows) > 1800
    assert _mismatches(rows, lambda k, n: wilson(k, n, z)[1:], 2) == []


def test_sql_wilson_default_z_and_edges(conn):
    assert conn.execute("select hcsm_wilson_low(0, 10), hcsm_wilson_high(0, 10), hcsm_wilson_high(10, 10), "
                        "hcsm_wilson_low(0, 0), hcsm_wilson_high(null, 10)").fetchone() == (0.0, wilson(0, 10).high, 1.0,
                                                                                          None, None)
    # counts as DuckDB hands them over: hugeint from sum(), integer, and a z given as an integer
    assert conn.execute("select hcsm_wilson_low(sum(x), 20::integer) from (values (1::bigint), (3)) t(x)").fetchone()[0] \
        == pytest.approx(wilson(4, 20).low, abs=1e-15)
    assert conn.execute("select hcsm_wilson_high(4, 20, z := 2)").fetchone()[0] == pytest.approx(wilson(4, 20, 2.0).high,
                                                                                                 abs=1e-15)


def test_sql_newcombe_and_spike_equal_python(conn):
    rows = conn.execute(
        f"""select a.k, a.n, b.k, b.n,
                   hcsm_newcombe_low(a.k, a.n, b.k, b.n), hcsm_newcombe_high(a.k, a.n, b.k, b.n),
                   hcsm_spike(b.k, b.n, a.k, a.n)
            from ({SMALL_GRID}) as a, ({SMALL_GRID}) as b"""
    ).fetchall()
    assert len(rows) == 228 * 228
    assert _mismatches([r[:6] for r in rows], lambda k1, n1, k2, n2: newcombe_diff(k1, n1, k2, n2)[1:], 2) == []
    spikes = [r for r in rows if r[6]]
    assert [r for r in rows if r[6] is not spike(r[2], r[3], r[0], r[1]).is_spike] == []
    assert 0 < len(spikes) < len(rows)


def test_sql_spike_thresholds_can_be_set(conn):
    assert conn.execute("select hcsm_spike(4, 4, 0, 100), hcsm_spike(4, 4, 0, 100, min_k := 4), "
                        "hcsm_spike(5, 5, 0, 9), hcsm_spike(5, 5, 0, 10), hcsm_spike(5, 5, 0, 9, min_n0 := 9), "
                        "hcsm_spike(8, 20, 30, 200), hcsm_spike(8, 20, 30, 200, z := $z)", {"z": Z95}).fetchone() \
        == (False, True, False, True, True, False, True)


def test_sql_rate_ratio_and_growth_equal_python(conn):
    rows = conn.execute(
        """select c1, t1, c2, t2,
                  hcsm_rate_ratio(c1, t1, c2, t2), hcsm_rate_ratio_low(c1, t1, c2, t2), hcsm_rate_ratio_high(c1, t1, c2, t2),
                  hcsm_growth_pct(c1, t1, c2, t2), hcsm_growth_pct_low(c1, t1, c2, t2), hcsm_growth_pct_high(c1, t1, c2, t2)
           from unnest([0, 1, 2, 5, 30, 1000]) as a(c1), unnest([0, 0.5, 1, 365, 366.25]::double[]) as b(t1),
                unnest([0, 1, 2, 5, 30, 1000]) as c(c2), unnest([0, 0.5, 1, 365, 366.25]::double[]) as d(t2)"""
    ).fetchall()
    assert len(rows) == 900
    assert _mismatches(rows, lambda *a: (*rate_ratio(*a), *growth_rate(*a)), 6) == []
    assert sum(r[4] is not None for r in rows) == 6 * 6 * 4 * 4 - 4 * 4  # none without exposure or without any count


def test_sql_mean_and_small_sample_equal_python(conn):
    rows = conn.execute(
        """select m, s, n, hcsm_mean_low(m, s, n), hcsm_mean_high(m, s, n)
           from unnest([-0.4, 0.0, 0.25]::double[]) as a(m), unnest([null, 0.0, 0.37]::double[]) as b(s),
                unnest([0, 1, 2, 30, 1234]) as c(n)"""
    ).fetchall()
    assert _mismatches(rows, lambda m, s, n: mean_interval(m, s, n)[1:], 2) == []
    rows = conn.execute(f"select k, n, hcsm_small_sample(k, n) from ({WILSON_GRID}) union all "
                        "select null, n, hcsm_small_sample(null, n) from range(0, 61) as t(n)").fetchall()
    assert [r for r in rows if r[2] is not small_sample(r[1], r[0])] == []


def test_sql_significance_helper(conn):
    assert conn.execute("select hcsm_significant(0.05, 0.33), hcsm_significant(-0.04, 0.19), hcsm_significant(null, null),"
                        " hcsm_significant(1.2, 3.0, null_value := 1), hcsm_significant(0.9, 3.0, null_value := 1)"
                        ).fetchone() == (True, False, False, True, False)


@pytest.mark.parametrize("expr", [
    "hcsm_wilson_low(3, 2)", "hcsm_wilson_high(-1, 2)", "hcsm_newcombe_low(1, 2, 5, 4)", "hcsm_spike(5, 4, 0, 10)",
    "hcsm_rate_ratio_low(-1, 1, 1, 1)", "hcsm_rate_ratio(1, -1, 1, 1)", "hcsm_mean_low(0.1, 0.2, -1)",
])
def test_sql_invalid_counts_raise(conn, expr):
    with pytest.raises(duckdb.Error, match="hcsm"):
        conn.execute(f"select {expr}").fetchall()


# --- loading: persisted in the warehouse file, refreshed on every setup ----------------------------------------

STATS_MACROS = ("hcsm_wilson_low", "hcsm_newcombe_high", "hcsm_rate_ratio_low", "hcsm_small_sample", "hcsm_spike")


def _macro_catalogs(c) -> dict[str, str]:
    return dict(c.execute("select function_name, database_name from duckdb_functions() where function_name in $names",
                          {"names": list(STATS_MACROS)}).fetchall())


def test_setup_persists_the_macros_for_later_and_read_only_connections(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as c:
        setup_warehouse(c)
        setup_warehouse(c)  # idempotent
    with duckdb.connect(str(path), read_only=True) as c:
        # stored in the file's catalog, not the connection's temp one
        assert _macro_catalogs(c) == dict.fromkeys(STATS_MACROS, "warehouse")
        assert c.execute("select hcsm_wilson_high(0, 10), hcsm_newcombe_low(48, 80, 56, 70)").fetchone() == (
            wilson(0, 10).high, newcombe_diff(48, 80, 56, 70).low)


def test_setup_adds_and_refreshes_macros_in_an_existing_file(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as c:
        # a warehouse from before the stats macros, with one stale definition
        c.execute(read_sql("setup/warehouse.sql"))
        c.execute(read_sql("setup/macros.sql"))
        c.execute("create macro hcsm_wilson_low(k, n) as -1")
    with duckdb.connect(str(path)) as c:
        assert "hcsm_spike" not in _macro_catalogs(c)
        setup_warehouse(c)
    with duckdb.connect(str(path), read_only=True) as c:
        assert set(_macro_catalogs(c)) == set(STATS_MACROS)
        assert c.execute("select hcsm_wilson_low(4, 20), hcsm_spike(10, 10, 0, 36)").fetchone() == (
            wilson(4, 20).low, True)
