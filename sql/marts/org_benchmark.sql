-- org_benchmark: each organization's share of voice and engagement rate against its organization-type peers over the last 365 days of data.
-- Peers are the organizations whose data reach the end of the data (marts.org_coverage): one whose export stopped
-- earlier is listed with window_covered false and no shares, not as a peer that fell silent.
with span as (
    select max(posted_at) as data_end from core.posts
),

recent as (
    select
        p.org_id,
        p.likes,
        p.shares,
        p.comments,
        p.views,
        coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0) as interactions
    from core.posts as p
    cross join span as s
    where p.posted_at > s.data_end - interval 365 day
),

reach as (
    select distinct org_id, covered_to from marts.org_coverage
),

per_org as (
    select
        o.org_id,
        o.org_name,
        o.org_type,
        coalesce(w.covered_to >= s.data_end - interval 1 day, false) as window_covered,
        count(r.org_id) as posts,
        coalesce(sum(r.interactions), 0) as interactions,
        -- engagement rate per impression: interactions on posts that report views, divided by those views
        sum(r.interactions) filter (where r.views > 0) as interactions_viewed,
        sum(r.views) filter (where r.views > 0) as views
    from core.organizations as o
    cross join span as s
    left join reach as w on w.org_id = o.org_id
    left join recent as r on r.org_id = o.org_id
    group by 1, 2, 3, 4
),

rated as (
    select
        *,
        interactions_viewed / nullif(views, 0) as engagement_rate,
        interactions / nullif(posts, 0) as interactions_per_post
    from per_org
),

peers as (
    select
        *,
        count(*) filter (where window_covered) over peer as peer_orgs,
        sum(posts) filter (where window_covered) over peer as peer_posts,
        sum(interactions) filter (where window_covered) over peer as peer_interactions,
        median(engagement_rate) filter (where window_covered) over peer as peer_median_engagement_rate,
        median(interactions_per_post) filter (where window_covered) over peer as peer_median_interactions_per_post
    from rated
    window peer as (partition by org_type)
),

final as (
    select
        org_id,
        org_name,
        org_type,
        posts,
        interactions,
        views,
        engagement_rate,
        interactions_per_post,
        window_covered,
        peer_orgs,
        peer_posts,
        case when window_covered then posts / nullif(peer_posts, 0) end as share_of_voice,
        case when window_covered then hcsm_wilson_low(posts, peer_posts) end as share_of_voice_low,
        case when window_covered then hcsm_wilson_high(posts, peer_posts) end as share_of_voice_high,
        case when window_covered then interactions / nullif(peer_interactions, 0) end as engagement_share_of_voice,
        peer_median_engagement_rate,
        case when window_covered then engagement_rate / nullif(peer_median_engagement_rate, 0) end
            as engagement_rate_vs_peers,
        peer_median_interactions_per_post,
        case when window_covered then interactions_per_post / nullif(peer_median_interactions_per_post, 0) end
            as interactions_per_post_vs_peers,
        not window_covered or peer_orgs < 3 or posts < 30 as small_sample
    from peers
)

select * from final
order by org_type, share_of_voice desc nulls last, org_id
