-- headline: one row of figures for the index page.
with posts as (
    select
        count(*) as posts,
        count(distinct p.org_id) as organizations,
        count(distinct p.platform) as platforms,
        min(p.posted_at) as first_post,
        max(p.posted_at) as last_post,
        avg(e.sentiment_score) as mean_sentiment,
        avg(case when e.sentiment_label = 'negative' then 1.0 else 0.0 end) as share_negative,
        avg(case when e.sentiment_label = 'positive' then 1.0 else 0.0 end) as share_positive,
        count(*) filter (where e.sentiment_label = 'negative') as negative_posts,
        -- the three label counts, which the reports correct for the scorer's confusion (pipelines/analytics/calibration.py)
        count(*) filter (where e.sentiment_label = 'neutral') as neutral_posts,
        count(*) filter (where e.sentiment_label = 'positive') as positive_posts,
        count(*) filter (where len(e.phi_kinds) > 0) as patient_information_posts,
        count(distinct p.org_id) filter (where len(e.phi_kinds) > 0) as patient_information_orgs,
        count(*) filter (where e.unsourced_claim) as unsourced_claim_posts,
        count(*) filter (where e.unprofessional) as unprofessional_posts
    from core.posts as p
    left join core.posts_enriched as e on e.post_id = p.post_id
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
