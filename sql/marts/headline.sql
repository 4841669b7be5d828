-- headline: one row of figures for the index page.
-- The post figures are summed from the monthly cells of core.post_cube, not from the posts.
with posts as (
    select
        coalesce(sum(posts), 0)::bigint as posts,
        count(distinct org_id) as organizations,
        count(distinct platform) as platforms,
        min(first_post) as first_post,
        max(last_post) as last_post,
        sum(sum_score) / sum(analysed) as mean_sentiment,
        sum(n_negative) / sum(posts) as share_negative,
        sum(n_positive) / sum(posts) as share_positive,
        coalesce(sum(n_negative), 0)::bigint as negative_posts,
        -- the three label counts, which the reports correct for the scorer's confusion (pipelines/analytics/calibration.py)
        coalesce(sum(n_neutral), 0)::bigint as neutral_posts,
        coalesce(sum(n_positive), 0)::bigint as positive_posts,
        coalesce(sum(phi_posts), 0)::bigint as patient_information_posts,
        count(distinct org_id) filter (where phi_posts > 0) as patient_information_orgs,
        coalesce(sum(unsourced_claims), 0)::bigint as unsourced_claim_posts,
        coalesce(sum(unprofessional_posts), 0)::bigint as unprofessional_posts
    from core.post_cube
),

quarantined as (
    select
        count(*) as rows_quarantined,
        -- organizations rows of the current organizations.csv that were rejected (their posts are held back)
        count(*) filter (where kind = 'organizations' and load_id = (
            select max_by(load_id, loaded_at) from audit.loads where kind = 'organizations'
        )) as organizations_rejected
    from quarantine.rejected_rows
),

world as (
    select
        max(case when period = '2017' then users end) as world_users_2017,
        max(case when period = '2018' then users end) as world_users_2018
    from core.user_growth
    where platform = 'all' and region = 'World'
),

final as (
    select
        *,
        hcsm_wilson_low(negative_posts, posts) as share_negative_low,
        hcsm_wilson_high(negative_posts, posts) as share_negative_high
    from posts cross join quarantined cross join world
)

select * from final
