-- posting_activity: posts and engagement by platform, organization type and month.
with monthly as (
    select
        p.platform,
        o.org_type,
        date_trunc('month', p.posted_at)::date as period_start,
        count(*) as posts,
        sum(coalesce(p.likes, 0)) as likes,
        sum(coalesce(p.shares, 0)) as shares,
        sum(coalesce(p.comments, 0)) as comments,
        sum(p.views) as views
    from core.posts as p
    inner join core.organizations as o on o.org_id = p.org_id
    group by 1, 2, 3
),

final as (
    select
        m.platform,
        coalesce(n.platform_name, m.platform) as platform_name,
        m.org_type,
        m.period_start,
        m.posts,
        m.likes,
        m.shares,
        m.comments,
        m.views,
        m.likes + m.shares + m.comments as engagement,
        (m.likes + m.shares + m.comments) / m.posts as engagement_per_post
    from monthly as m
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = m.platform
)

select * from final
order by platform, org_type, period_start
