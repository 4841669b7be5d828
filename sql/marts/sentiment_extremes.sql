-- sentiment_extremes: the ten most positive and ten most negative posts.
with scored as (
    select
        p.post_id,
        coalesce(n.platform_name, p.platform) as platform_name,
        o.org_name,
        o.org_type,
        p.posted_at,
        p.text,
        e.sentiment_score,
        row_number() over (order by e.sentiment_score desc, p.post_id) as rank_positive,
        row_number() over (order by e.sentiment_score asc, p.post_id) as rank_negative
    from core.posts as p
    inner join core.posts_enriched as e on e.post_id = p.post_id
    inner join core.organizations as o on o.org_id = p.org_id
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = p.platform
),

final as (
    select 'positive' as polarity, rank_positive as rank, * exclude (rank_positive, rank_negative)
    from scored where rank_positive <= 10 and sentiment_score > 0
    union all
    select 'negative' as polarity, rank_negative as rank, * exclude (rank_positive, rank_negative)
    from scored where rank_negative <= 10 and sentiment_score < 0
)

select * from final
order by polarity, rank
