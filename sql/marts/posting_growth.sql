-- posting_growth: posts per day on each platform per year and the growth on the year before, with 95% rate-ratio intervals.
with span as (
    select min(posted_at) as data_start, max(posted_at) as data_end from core.posts
),

yearly as (
    select
        platform,
        date_trunc('year', posted_at)::date as period_start,
        count(*) as posts
    from core.posts
    group by 1, 2
),

exposed as (
    -- days of each year the data covers, so a partial first or last year is compared per day, not in total
    select
        y.*,
        greatest(
            date_diff('second', greatest(y.period_start::timestamp, s.data_start),
                      least((y.period_start + interval 1 year)::timestamp, s.data_end + interval 1 second)) / 86400.0,
            1.0
        ) as days_covered
    from yearly as y
    cross join span as s
),

compared as (
    select
        *,
        lag(posts) over w as prev_posts,
        lag(days_covered) over w as prev_days_covered,
        lag(period_start) over w as prev_period_start
    from exposed
    window w as (partition by platform order by period_start)
),

final as (
    select
        c.platform,
        coalesce(n.platform_name, c.platform) as platform_name,
        c.period_start,
        year(c.period_start) as year,
        c.posts,
        c.days_covered,
        c.posts / c.days_covered as posts_per_day,
        -- growth only against the calendar year right before
        case when c.prev_period_start = c.period_start - interval 1 year then
            100 * ((c.posts / c.days_covered) / (c.prev_posts / c.prev_days_covered) - 1) end as growth_pct,
        case when c.prev_period_start = c.period_start - interval 1 year then
            100 * (hcsm_rate_ratio_low(c.prev_posts, c.prev_days_covered, c.posts, c.days_covered) - 1) end as growth_low,
        case when c.prev_period_start = c.period_start - interval 1 year then
            100 * (hcsm_rate_ratio_high(c.prev_posts, c.prev_days_covered, c.posts, c.days_covered) - 1) end as growth_high,
        c.posts < 30 or coalesce(c.prev_posts, 0) < 30 as small_sample
    from compared as c
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = c.platform
)

select
    *,
    coalesce(growth_low > 0 or growth_high < 0, false) as change_significant
from final
order by platform, period_start
