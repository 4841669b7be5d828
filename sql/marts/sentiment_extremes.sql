-- sentiment_extremes: the ten most positive and ten most negative posts.
-- The top ten of each side are taken from the scores alone (a top-N, no sort of every post with its text),
-- then joined to their posts: at 10M posts this is a fraction of a second instead of two full window sorts.
with positive as (
    select 'positive' as polarity, post_id, sentiment_score,
        row_number() over (order by sentiment_score desc, post_id) as rank
    from (
        select post_id, sentiment_score from core.posts_enriched
        where sentiment_score > 0
        order by sentiment_score desc, post_id
        limit 10
    )
),

negative as (
    select 'negative' as polarity, post_id, sentiment_score,
        row_number() over (order by sentiment_score asc, post_id) as rank
    from (
        select post_id, sentiment_score from core.posts_enriched
        where sentiment_score < 0
        order by sentiment_score asc, post_id
        limit 10
    )
),

final as (
    select
        x.polarity,
        x.rank,
        p.post_id,
        coalesce(n.platform_name, p.platform) as platform_name,
        o.org_name,
        o.org_type,
        p.posted_at,
        -- redacted wherever something was found; a patient-information post is never shown in full
        case
            when len(e.phi_kinds) > 0 then coalesce(e.text_redacted, '[text withheld: patient information]')
            else coalesce(e.text_redacted, p.text)
        end as text,
        x.sentiment_score
    from (select * from positive union all select * from negative) as x
    inner join core.posts_enriched as e on e.post_id = x.post_id
    inner join core.posts as p on p.post_id = x.post_id
    inner join core.organizations as o on o.org_id = p.org_id
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = p.platform
)

select * from final
order by polarity, rank
