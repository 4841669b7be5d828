-- sentiment_trend: mean sentiment and label counts by platform, organization type and quarter, with 95% intervals for the mean and the negative share.
-- Summed from the monthly cells of core.post_cube, not from the posts.
with summed as (
    select
        c.platform,
        o.org_type,
        date_trunc('quarter', c.month)::date as period_start,
        sum(c.posts)::bigint as posts,
        -- sums let a page combine rows (platform over organization types) with an exact interval
        sum(c.sum_score) as sum_score,
        sum(c.sum_sq_score) as sum_sq_score,
        sum(c.n_negative)::bigint as n_negative,
        sum(c.n_neutral)::bigint as n_neutral,
        sum(c.n_positive)::bigint as n_positive
    from core.post_cube as c
    inner join core.organizations as o on o.org_id = c.org_id
    group by 1, 2, 3
),

quarterly as (
    select
        platform,
        org_type,
        period_start,
        posts,
        sum_score / posts as mean_score,
        -- the sample standard deviation from the sums (none for a single post, as stddev_samp)
        case when posts > 1
            then sqrt(greatest((sum_sq_score - sum_score * sum_score / posts) / (posts - 1), 0)) end as sd_score,
        sum_score,
        sum_sq_score,
        n_negative,
        n_neutral,
        n_positive
    from summed
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
