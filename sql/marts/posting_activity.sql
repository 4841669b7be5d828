-- posting_activity: posts and engagement by platform, organization type and month.
-- Summed from the monthly cells of core.post_cube, not from the posts.
with monthly as (
    select
        c.platform,
        o.org_type,
        c.month as period_start,
        sum(c.posts)::bigint as posts,
        sum(c.likes)::bigint as likes,
        sum(c.shares)::bigint as shares,
        sum(c.comments)::bigint as comments,
        sum(c.views)::bigint as views
    from core.post_cube as c
    inner join core.organizations as o on o.org_id = c.org_id
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
