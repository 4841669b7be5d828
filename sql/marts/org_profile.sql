-- org_profile: each tracked organization's posts, engagement, sentiment and risk flags by platform and quarter (one row without platform for an organization with no posts), for the organization pages.
-- Summed from the monthly cells of core.post_cube, not from the posts.
with quarterly as (
    select
        org_id,
        platform,
        date_trunc('quarter', month)::date as period_start,
        sum(posts)::bigint as posts,
        -- as on the benchmark page: likes, shares and comments; engagement rate only on posts that report views
        sum(likes + shares + comments)::bigint as interactions,
        sum(interactions_viewed)::bigint as interactions_viewed,
        sum(views_viewed)::bigint as views,
        -- sums let a page combine rows (quarters over platforms) with an exact interval, as sentiment_trend
        sum(sum_score) as sum_score,
        sum(sum_sq_score) as sum_sq_score,
        sum(n_negative)::bigint as n_negative,
        sum(n_neutral)::bigint as n_neutral,
        sum(n_positive)::bigint as n_positive,
        -- as on the risk page and the scorecard
        sum(phi_posts)::bigint as phi_posts,
        sum(unsourced_claims)::bigint as unsourced_claims,
        sum(unprofessional_posts)::bigint as unprofessional_posts
    from core.post_cube
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
