-- reference_adoption: published healthcare adoption figures (hospitals, health departments, physicians, the public) beside the tracked organizations' yearly share active per platform and on any platform.
with span as (
    select min(posted_at) as data_start, max(posted_at) as data_end from core.posts
),

platform_names as (
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

tracked as (
    select count(*) as orgs_tracked from core.organizations
),

any_platform as (
    -- organizations active on at least one platform in a year (the reference "any" series count the same way)
    select date_trunc('year', posted_at)::date as period_start, count(distinct org_id) as orgs_active
    from core.posts
    group by 1
),

tracked_any as (
    select
        'any' as platform,
        a.period_start,
        a.orgs_active,
        t.orgs_tracked,
        hcsm_is_partial(s.data_start, s.data_end, a.period_start, a.period_start + interval 1 year) as is_partial
    from any_platform as a
    cross join tracked as t
    cross join span as s
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
        'hcsm-insights: organizations in organizations.csv with at least one post on the platform that year' as source
    from tracked_rows as t
    left join platform_names as n on n.platform = t.platform
    where t.orgs_tracked > 0
)

select * from published
union all
select * from tracked_series
order by series_group, subject, platform, period_start, metric, source
