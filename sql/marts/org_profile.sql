-- org_profile: each tracked organization's posts, engagement, sentiment and risk flags by platform and quarter (one row without platform for an organization with no posts), for the organization pages.
with posts as (
    select
        p.org_id,
        p.platform,
        date_trunc('quarter', p.posted_at)::date as period_start,
        -- as on the benchmark page: likes, shares and comments; engagement rate only on posts that report views
        coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0) as interactions,
        p.views,
        e.sentiment_score,
        e.sentiment_label,
        -- as on the risk page and the scorecard
        len(e.phi_kinds) > 0 as phi,
        e.unsourced_claim,
        e.unprofessional
    from core.posts as p
    inner join core.posts_enriched as e on e.post_id = p.post_id
),

quarterly as (
    select
        org_id,
        platform,
        period_start,
        count(*) as posts,
        sum(interactions) as interactions,
        sum(interactions) filter (where views > 0) as interactions_viewed,
        sum(views) filter (where views > 0) as views,
        -- sums let a page combine rows (quarters over platforms) with an exact interval, as sentiment_trend
        sum(sentiment_score) as sum_score,
        sum(sentiment_score * sentiment_score) as sum_sq_score,
        count(*) filter (where sentiment_label = 'negative') as n_negative,
        count(*) filter (where sentiment_label = 'neutral') as n_neutral,
        count(*) filter (where sentiment_label = 'positive') as n_positive,
        count(*) filter (where phi) as phi_posts,
        count(*) filter (where unsourced_claim) as unsourced_claims,
        count(*) filter (where unprofessional) as unprofessional_posts
    from posts
    group by 1, 2, 3
),

final as (
    select
        o.org_id,
        o.org_name,
        o.org_type,
        q.platform,
        coalesce(n.platform_name, q.platform) as platform_name,
        q.period_start,
        coalesce(q.posts, 0) as posts,
        coalesce(q.interactions, 0) as interactions,
        q.interactions_viewed,
        q.views,
        q.sum_score,
        q.sum_sq_score,
        q.sum_score / q.posts as mean_score,
        coalesce(q.n_negative, 0) as n_negative,
        coalesce(q.n_neutral, 0) as n_neutral,
        coalesce(q.n_positive, 0) as n_positive,
        q.n_negative / q.posts as share_negative,
        coalesce(q.phi_posts, 0) as phi_posts,
        coalesce(q.unsourced_claims, 0) as unsourced_claims,
        coalesce(q.unprofessional_posts, 0) as unprofessional_posts
    from core.organizations as o
    left join quarterly as q on q.org_id = o.org_id
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = q.platform
)

select * from final
order by org_id, platform, period_start
