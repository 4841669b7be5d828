-- Trend statistics for the marts: the formulas of pipelines/analytics/stats.py, operation for operation (see there
-- for the methods and the rules). NULL where there is nothing to estimate (no trials, no exposure); invalid counts
-- raise. Persisted in the warehouse file and re-created on every setup, so a changed formula reaches old files.
-- z defaults are double literals (e0): a plain 1.96... literal is a DECIMAL in DuckDB.

-- Wilson's interval is centre +- half.
create or replace macro hcsm__wilson_centre(k, n, z) as (k::double + z * z / 2) / (n::double + z * z);

create or replace macro hcsm__wilson_half(k, n, z) as
    z * sqrt(k::double * (n - k) / n + z * z / 4) / (n::double + z * z);

-- A share's Wilson score interval; exactly 0 at k = 0 and 1 at k = n, where the formula leaves rounding error.
create or replace macro hcsm_wilson_low(k, n, z := 1.959963984540054e0) as case
    when k < 0 or k > n then error(format('hcsm_wilson_low: need 0 <= k <= n, got k={}, n={}', k, n))
    when n > 0 and k = 0 then 0.0e0
    when n > 0 then hcsm__wilson_centre(k, n, z) - hcsm__wilson_half(k, n, z)
end;

create or replace macro hcsm_wilson_high(k, n, z := 1.959963984540054e0) as case
    when k < 0 or k > n then error(format('hcsm_wilson_high: need 0 <= k <= n, got k={}, n={}', k, n))
    when n > 0 and k = n then 1.0e0
    when n > 0 then hcsm__wilson_centre(k, n, z) + hcsm__wilson_half(k, n, z)
end;

-- p2 - p1 (compared minus reference share) with Newcombe's hybrid score interval (method 10).
create or replace macro hcsm_newcombe_low(k1, n1, k2, n2, z := 1.959963984540054e0) as
    (k2::double / n2 - k1::double / n1) - sqrt(
        (k2::double / n2 - hcsm_wilson_low(k2, n2, z := z)) * (k2::double / n2 - hcsm_wilson_low(k2, n2, z := z))
        + (hcsm_wilson_high(k1, n1, z := z) - k1::double / n1) * (hcsm_wilson_high(k1, n1, z := z) - k1::double / n1)
    );

create or replace macro hcsm_newcombe_high(k1, n1, k2, n2, z := 1.959963984540054e0) as
    (k2::double / n2 - k1::double / n1) + sqrt(
        (hcsm_wilson_high(k2, n2, z := z) - k2::double / n2) * (hcsm_wilson_high(k2, n2, z := z) - k2::double / n2)
        + (k1::double / n1 - hcsm_wilson_low(k1, n1, z := z)) * (k1::double / n1 - hcsm_wilson_low(k1, n1, z := z))
    );

-- Rate ratio (c2/t2) / (c1/t1). A count of 0 on either side adds 0.5 to both; none on both sides is NULL.
create or replace macro hcsm__rr_count(c, other) as
    case when c = 0 or other = 0 then c::double + 0.5e0 else c::double end;

create or replace macro hcsm__rr_valid(c1, t1, c2, t2) as case
    when c1 < 0 or c2 < 0 or t1 < 0 or t2 < 0
        then error(format('hcsm rate ratio: counts and exposures must be >= 0, got {}, {}, {}, {}', c1, t1, c2, t2))
    else t1 > 0 and t2 > 0 and (c1 > 0 or c2 > 0)
end;

create or replace macro hcsm_rate_ratio(c1, t1, c2, t2) as case when hcsm__rr_valid(c1, t1, c2, t2) then
    (hcsm__rr_count(c2, c1) / t2) / (hcsm__rr_count(c1, c2) / t1)
end;

create or replace macro hcsm_rate_ratio_low(c1, t1, c2, t2, z := 1.959963984540054e0) as
    hcsm_rate_ratio(c1, t1, c2, t2) / exp(z * sqrt(1 / hcsm__rr_count(c1, c2) + 1 / hcsm__rr_count(c2, c1)));

create or replace macro hcsm_rate_ratio_high(c1, t1, c2, t2, z := 1.959963984540054e0) as
    hcsm_rate_ratio(c1, t1, c2, t2) * exp(z * sqrt(1 / hcsm__rr_count(c1, c2) + 1 / hcsm__rr_count(c2, c1)));

-- Growth in percent: 100 * (rate ratio - 1), and its bounds the same way.
create or replace macro hcsm_growth_pct(c1, t1, c2, t2) as 100 * (hcsm_rate_ratio(c1, t1, c2, t2) - 1);

create or replace macro hcsm_growth_pct_low(c1, t1, c2, t2, z := 1.959963984540054e0) as
    100 * (hcsm_rate_ratio_low(c1, t1, c2, t2, z := z) - 1);

create or replace macro hcsm_growth_pct_high(c1, t1, c2, t2, z := 1.959963984540054e0) as
    100 * (hcsm_rate_ratio_high(c1, t1, c2, t2, z := z) - 1);

-- A mean's normal interval; NULL below 2 observations, where the sample standard deviation is undefined.
create or replace macro hcsm_mean_low(mean, sd, n, z := 1.959963984540054e0) as case
    when n < 0 then error(format('hcsm_mean_low: n must be >= 0, got {}', n))
    when n >= 2 then mean - z * sd / sqrt(n)
end;

create or replace macro hcsm_mean_high(mean, sd, n, z := 1.959963984540054e0) as case
    when n < 0 then error(format('hcsm_mean_high: n must be >= 0, got {}', n))
    when n >= 2 then mean + z * sd / sqrt(n)
end;

-- An interval excludes the value of no change: 0 for a difference or a growth, 1 for a ratio. False when NULL.
create or replace macro hcsm_significant(low, high, null_value := 0) as coalesce(low > null_value or high < null_value, false);

-- Too few trials (< 30), events (< 5) or non-events (< 5) to read the share on its own; k NULL: trials only.
create or replace macro hcsm_small_sample(k, n) as n < 30 or coalesce(k < 5 or n - k < 5, false);

-- Recent share k/n significantly above the baseline k0/n0: one-sided at 0.001 (z 3.09), with at least 5 flagged
-- posts recently and 10 posts in the baseline. False when there is no baseline.
create or replace macro hcsm_spike(k, n, k0, n0, min_k := 5, min_n0 := 10, z := 3.090232306167813e0) as
    coalesce(k >= min_k and n0 >= min_n0 and hcsm_newcombe_low(k0, n0, k, n, z := z) > 0, false);
