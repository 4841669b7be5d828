-- org_platform_adoption: share of tracked organizations active on each platform per year, with 95% Wilson intervals and the change from the year before.
with span as (
    select min(posted_at) as data_start, max(posted_at) as data_end from core.posts
),

tracked as (
    -- every organization in the organizations file counts as tracked in every year
    select count(*) as orgs_tracked from core.organizations
),

active as (
    select
        platform,
        date_trunc('year', posted_at)::date as period_start,
        count(distinct org_id) as orgs_active,
        count(*) as posts
    from core.posts
    group by 1, 2
),

years as (
    -- every platform in every year of the data, so a year with no active organization reads as 0, not missing
    select
        p.platform,
        y.period_start
    from (select distinct platform from core.posts) as p
    cross join (
        select unnest(generate_series(date_trunc('year', data_start), date_trunc('year', data_end), interval 1 year))::date as period_start
        from span
    ) as y
),

shares as (
    select
        y.platform,
        y.period_start,
        coalesce(a.orgs_active, 0) as orgs_active,
        coalesce(a.posts, 0) as posts,
        t.orgs_tracked,
        -- a year the data covers only in part (the first and the last) understates activity; the data covers a
        -- year when it starts within a day of its first moment and ends within a day of its last (posts up to
        -- 18:25 on 31 December cover the year: nobody posts every hour), see hcsm_is_partial in macros.sql
        hcsm_is_partial(s.data_start, s.data_end, y.period_start, y.period_start + interval 1 year) as is_partial
    from years as y
    cross join tracked as t
    cross join span as s
    left join active as a on a.platform = y.platform and a.period_start = y.period_start
),

compared as (
    select
        *,
        lag(orgs_active) over w as prev_orgs_active,
        lag(orgs_tracked) over w as prev_orgs_tracked,
        lag(is_partial) over w as prev_is_partial
    from shares
    window w as (partition by platform order by period_start)
),

final as (
    select
        c.platform,
        coalesce(n.platform_name, c.platform) as platform_name,
        c.period_start,
        year(c.period_start) as year,
        c.orgs_active,
        c.orgs_tracked,
        c.posts,
        c.orgs_active / nullif(c.orgs_tracked, 0) as share_active,
        hcsm_wilson_low(c.orgs_active, c.orgs_tracked) as share_low,
        hcsm_wilson_high(c.orgs_active, c.orgs_tracked) as share_high,
        hcsm_small_sample(c.orgs_active, c.orgs_tracked) as small_sample,
        c.is_partial,
        c.prev_is_partial,
        c.orgs_active / nullif(c.orgs_tracked, 0) - c.prev_orgs_active / nullif(c.prev_orgs_tracked, 0) as change,
        hcsm_newcombe_low(c.prev_orgs_active, c.prev_orgs_tracked, c.orgs_active, c.orgs_tracked) as change_low,
        hcsm_newcombe_high(c.prev_orgs_active, c.prev_orgs_tracked, c.orgs_active, c.orgs_tracked) as change_high
    from compared as c
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = c.platform
)

select
    * exclude (prev_is_partial),
    -- a change is flagged only when its 95% interval excludes zero and neither year is partial
    coalesce((change_low > 0 or change_high < 0) and not is_partial and not prev_is_partial, false) as change_significant
from final
order by platform, period_start
