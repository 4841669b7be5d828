-- sentiment_histogram: posts per 0.1-wide sentiment score bucket and platform.
with bucketed as (
    select
        p.platform,
        -- a score of exactly 1.0 belongs to the top bucket
        least(floor(e.sentiment_score * 10) / 10, 0.9) as bucket
    from core.posts as p
    inner join core.posts_enriched as e on e.post_id = p.post_id
),

final as (
    select
        coalesce(n.platform_name, b.platform) as platform_name,
        b.bucket,
        count(*) as posts
    from bucketed as b
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = b.platform
    group by 1, 2
)

select * from final
order by platform_name, bucket
