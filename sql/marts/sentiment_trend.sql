-- sentiment_trend: mean sentiment and label counts by platform, organization type and quarter, with 95% intervals for the mean and the negative share.
with quarterly as (
    select
        p.platform,
        o.org_type,
        date_trunc('quarter', p.posted_at)::date as period_start,
        count(*) as posts,
        avg(e.sentiment_score) as mean_score,
        stddev_samp(e.sentiment_score) as sd_score,
        -- sums let a page combine rows (platform over organization types) with an exact interval
        sum(e.sentiment_score) as sum_score,
        sum(e.sentiment_score * e.sentiment_score) as sum_sq_score,
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
        q.* exclude (platform, sd_score),
        -- normal approximation; n >= 30 is marked as a small sample otherwise
        q.mean_score - 1.959963984540054 * q.sd_score / sqrt(q.posts) as mean_low,
        q.mean_score + 1.959963984540054 * q.sd_score / sqrt(q.posts) as mean_high,
        q.n_negative / q.posts as share_negative,
        hcsm_wilson_low(q.n_negative, q.posts) as negative_low,
        hcsm_wilson_high(q.n_negative, q.posts) as negative_high,
        q.posts < 30 as small_sample
    from quarterly as q
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = q.platform
)

select * from final
order by platform, org_type, period_start
