-- core.post_cube: the posts of each organization, platform and month, summed: counts, engagement, sentiment sums and
-- label counts, and risk and theme-use counts. The marts over all time read it instead of the posts (about one row
-- per seven posts at 1M, and no join of the posts with their analysis). pipelines/warehouse/cube.py keeps it up to
-- date: a refresh re-sums only the cells (organization, platform, month) that new, changed or re-analysed posts
-- fall in, read from _cube_scope; a full build sums every cell (_cube_scope holds every cell then).
-- Every current post is analysed before the cube is built (core.posts_enriched), so the left join finds each post's
-- analysis and `analysed` equals `posts` in every cell; cube.py refuses to publish a cube where it does not.
select
    p.org_id,
    p.platform,
    date_trunc('month', p.posted_at)::date as month,
    count(*) as posts,
    count(e.post_id) as analysed,
    min(p.posted_at) as first_post,
    max(p.posted_at) as last_post,
    -- engagement: a missing count is zero, as on the activity and benchmark pages; views stay null when none report
    sum(coalesce(p.likes, 0))::bigint as likes,
    sum(coalesce(p.shares, 0))::bigint as shares,
    sum(coalesce(p.comments, 0))::bigint as comments,
    sum(p.views)::bigint as views,
    -- interactions and views of the posts that report views (the engagement rate per impression)
    sum(coalesce(p.likes, 0) + coalesce(p.shares, 0) + coalesce(p.comments, 0))
        filter (where p.views > 0)::bigint as interactions_viewed,
    sum(p.views) filter (where p.views > 0)::bigint as views_viewed,
    -- sums, so any roll-up of cells has an exact mean and standard deviation
    sum(e.sentiment_score) as sum_score,
    sum(e.sentiment_score * e.sentiment_score) as sum_sq_score,
    count(*) filter (where e.sentiment_label = 'negative') as n_negative,
    count(*) filter (where e.sentiment_label = 'neutral') as n_neutral,
    count(*) filter (where e.sentiment_label = 'positive') as n_positive,
    count(*) filter (where len(e.phi_kinds) > 0) as phi_posts,
    count(*) filter (where list_contains(e.phi_kinds, 'phone')) as phone,
    count(*) filter (where list_contains(e.phi_kinds, 'email')) as email,
    count(*) filter (where list_contains(e.phi_kinds, 'record_number')) as record_number,
    count(*) filter (where list_contains(e.phi_kinds, 'dob')) as dob,
    count(*) filter (where list_contains(e.phi_kinds, 'address')) as address,
    count(*) filter (where list_contains(e.phi_kinds, 'name_condition')) as name_condition,
    count(*) filter (where e.health_claim) as claim_posts,
    count(*) filter (where e.health_claim and not e.unsourced_claim) as sourced_claim_posts,
    count(*) filter (where e.unsourced_claim) as unsourced_claims,
    count(*) filter (where e.unprofessional) as unprofessional_posts,
    count(*) filter (where len(e.phi_kinds) > 0 or e.unsourced_claim or e.unprofessional) as risk_flagged_posts,
    -- guidance's recommended institutional uses (the scorecard), and posts the theme rules could not place
    count(*) filter (
        where list_has_any(e.themes, ['networking', 'education_research', 'promotion_events'])
    ) as recommended_use_posts,
    count(*) filter (where len(e.themes) = 0 or e.themes = ['other']) as unclassified_posts
from core.posts as p
-- the analysis of the post's current text: a post re-sent with new text counts as not analysed until it is again
left join core.posts_enriched as e on e.post_id = p.post_id and e.content_hash = p.content_hash
semi join _cube_scope as s
    on s.org_id = p.org_id and s.platform = p.platform and s.month = date_trunc('month', p.posted_at)::date
group by 1, 2, 3
