-- posting_growth: posts per day on each platform per year and the growth on the year before, with 95% rate-ratio intervals.
-- Growth compares the same organizations: those whose data cover both years in full (marts.org_coverage), so an
-- export that stops or starts reads as neither a fall nor a rise in posting.
-- Summed from the monthly cells of core.post_cube, not from the posts.
with span as (
    select min(first_post) as data_start, max(last_post) as data_end from core.post_cube
),

yearly as (
    select
        platform,
        date_trunc('year', month)::date as period_start,
        sum(posts)::bigint as posts
    from core.post_cube
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

-- organizations whose data cover a year and the year before in full
both_covered as (
    select c.org_id, c.year_start as period_start
    from marts.org_coverage as c
    inner join marts.org_coverage as b
        on b.org_id = c.org_id and b.year_start = c.year_start - interval 1 year
    where c.covered and b.covered
),

same_orgs as (
    -- their posts in each of the two years, per platform: whole years, so days are the years' lengths
    select
        c.platform,
        bc.period_start,
        count(distinct bc.org_id) as same_orgs,
        coalesce(sum(c.posts) filter (where date_trunc('year', c.month)::date = bc.period_start), 0)::bigint as same_posts,
        coalesce(sum(c.posts) filter (where date_trunc('year', c.month)::date < bc.period_start), 0)::bigint
            as same_prev_posts
    from both_covered as bc
    inner join core.post_cube as c
        on c.org_id = bc.org_id
        and c.month >= bc.period_start - interval 1 year
        and c.month < bc.period_start + interval 1 year
    group by 1, 2
),

measured as (
    select
        c.*,
        s.same_orgs,
        s.same_posts,
        s.same_prev_posts,
        date_diff('day', c.period_start, (c.period_start + interval 1 year)::date)::double as same_days,
        date_diff('day', (c.period_start - interval 1 year)::date, c.period_start)::double as same_prev_days,
        c.prev_period_start = c.period_start - interval 1 year and s.same_prev_posts > 0 as comparable
    from compared as c
    left join same_orgs as s on s.platform = c.platform and s.period_start = c.period_start
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
        coalesce(c.same_orgs, 0) as same_orgs,
        c.same_prev_posts,
        c.same_posts,
        -- growth only against the calendar year right before, among the organizations covered in both
        case when c.comparable then
            100 * ((c.same_posts / c.same_days) / (c.same_prev_posts / c.same_prev_days) - 1) end as growth_pct,
        case when c.comparable then
            100 * (hcsm_rate_ratio_low(c.same_prev_posts, c.same_prev_days, c.same_posts, c.same_days) - 1) end as growth_low,
        case when c.comparable then
            100 * (hcsm_rate_ratio_high(c.same_prev_posts, c.same_prev_days, c.same_posts, c.same_days) - 1) end as growth_high,
        coalesce(c.same_posts, 0) < 30 or coalesce(c.same_prev_posts, 0) < 30 as small_sample
    from measured as c
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = c.platform
)

select
    *,
    coalesce(growth_low > 0 or growth_high < 0, false) as change_significant
from final
order by platform, period_start
