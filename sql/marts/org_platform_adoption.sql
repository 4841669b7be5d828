-- org_platform_adoption: share of tracked organizations that posted on each platform in each quarter.
with quarters as (
    select
        platform,
        date_trunc('quarter', posted_at)::date as period_start,
        count(distinct org_id) as orgs_active
    from core.posts
    group by 1, 2
),

tracked as (
    select count(*) as orgs_tracked from core.organizations
),

final as (
    select
        q.platform,
        coalesce(n.platform_name, q.platform) as platform_name,
        q.period_start,
        q.orgs_active,
        t.orgs_tracked,
        q.orgs_active / nullif(t.orgs_tracked, 0) as share_active
    from quarters as q
    cross join tracked as t
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = q.platform
)

select * from final
order by platform, period_start
