-- org_platform_adoption: share of tracked organizations active on each platform per year, with 95% Wilson intervals and the change from the year before.
-- The denominator of a year is the organizations whose data cover that year in full (marts.org_coverage); one
-- whose export stops before the year, or starts after it, is "not covered" that year, never "inactive".
with coverage as (
    select year, year_start as period_start, org_id, covered, touched from marts.org_coverage
),

tracked as (
    select
        period_start,
        count(*) filter (where covered) as orgs_tracked,
        count(*) filter (where touched and not covered) as orgs_partly_covered,
        count(*) filter (where not touched) as orgs_not_covered
    from coverage
    group by 1
),

active as (
    -- organizations active on the platform in the year, among those that cover it in full
    select
        p.platform,
        date_trunc('year', p.month)::date as period_start,
        count(distinct p.org_id) filter (where c.covered) as orgs_active,
        sum(p.posts)::bigint as posts
    from core.post_cube as p
    inner join coverage as c on c.org_id = p.org_id and c.period_start = date_trunc('year', p.month)::date
    group by 1, 2
),

shares as (
    -- every platform in every year of the data, so a year with no active organization reads as 0, not missing
    select
        p.platform,
        t.period_start,
        coalesce(a.orgs_active, 0) as orgs_active,
        coalesce(a.posts, 0) as posts,
        t.orgs_tracked,
        t.orgs_partly_covered,
        t.orgs_not_covered,
        -- a year no organization's data cover in full has no fair share (the first and last year of an export)
        t.orgs_tracked = 0 as is_partial
    from (select distinct platform from core.post_cube) as p
    cross join tracked as t
    left join active as a on a.platform = p.platform and a.period_start = t.period_start
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
        c.orgs_partly_covered,
        c.orgs_not_covered,
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
