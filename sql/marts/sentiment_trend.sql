-- sentiment_trend: mean sentiment and label counts by platform, organization type and quarter.
with quarterly as (
    select
        p.platform,
        o.org_type,
        date_trunc('quarter', p.posted_at)::date as period_start,
        count(*) as posts,
        avg(e.sentiment_score) as mean_score,
        count(*) filter (where e.sentiment_label = 'negative') as n_negative,
        count(*) filter (where e.sentiment_label = 'neutral') as n_neutral,
        count(*) filter (where e.sentiment_label = 'positive') as n_positive
    from core.posts as p
    inner join core.posts_enriched as e on e.post_id = p.post_id
    inner join core.organizations as o on o.org_id = p.org_id
    group by 1, 2, 3
),

final as (
    select
        q.platform,
        coalesce(n.platform_name, q.platform) as platform_name,
        q.* exclude (platform)
    from quarterly as q
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = q.platform
)

select * from final
order by platform, org_type, period_start
