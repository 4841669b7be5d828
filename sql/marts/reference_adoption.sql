-- reference_adoption: published healthcare adoption figures (hospitals, health departments, physicians, the public) beside the tracked organizations' yearly share active per platform and on any platform.
with platform_names as (
    select distinct platform, platform_name from core.platforms
),

published as (
    select
        'reference' as series_group,
        r.subject,
        r.platform,
        coalesce(n.platform_name, r.platform) as platform_name,
        r.region,
        r.period,
        r.period_start,
        year(r.period_start) as year,
        r.metric,
        r.value,
        r.unit,
        r.denominator,
        r.share,
        cast(null as double) as share_low,
        cast(null as double) as share_high,
        cast(null as bigint) as orgs_active,
        cast(null as bigint) as orgs_tracked,
        false as is_partial,
        r.source
    from core.reference as r
    left join platform_names as n on n.platform = r.platform
),

tracked_any as (
    -- organizations active on at least one platform in a year, among those whose data cover the year in full
    -- (marts.org_coverage; the reference "any" series count the same way)
    select
        'any' as platform,
        c.year_start as period_start,
        count(distinct c.org_id) filter (where c.covered and p.org_id is not null) as orgs_active,
        count(distinct c.org_id) filter (where c.covered) as orgs_tracked,
        count(distinct c.org_id) filter (where c.covered) = 0 as is_partial
    from marts.org_coverage as c
    left join (select distinct org_id, date_trunc('year', month)::date as year_start from core.post_cube) as p
        on p.org_id = c.org_id and p.year_start = c.year_start
    group by c.year_start
),

tracked_rows as (
    select platform, period_start, orgs_active, orgs_tracked, is_partial from marts.org_platform_adoption
    union all
    select platform, period_start, orgs_active, orgs_tracked, is_partial from tracked_any
),

tracked_series as (
    select
        'tracked' as series_group,
        'tracked_organizations' as subject,
        t.platform,
        coalesce(n.platform_name, t.platform) as platform_name,
        'tracked' as region,
        cast(year(t.period_start) as varchar) as period,
        t.period_start,
        year(t.period_start) as year,
        'share_active' as metric,
        t.orgs_active / nullif(t.orgs_tracked, 0) as value,
        'fraction' as unit,
        cast(t.orgs_tracked as double) as denominator,
        t.orgs_active / nullif(t.orgs_tracked, 0) as share,
        hcsm_wilson_low(t.orgs_active, t.orgs_tracked) as share_low,
        hcsm_wilson_high(t.orgs_active, t.orgs_tracked) as share_high,
        t.orgs_active,
        t.orgs_tracked,
        t.is_partial,
        'hcsm-insights: organizations whose data cover the year in full, with at least one post on the platform that year' as source
    from tracked_rows as t
    left join platform_names as n on n.platform = t.platform
    where t.orgs_tracked > 0
)

select * from published
union all
select * from tracked_series
order by series_group, subject, platform, period_start, metric, source
