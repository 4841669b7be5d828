-- alerts: organizations whose share of negative or risk-flagged posts in one of the last three months of data is significantly above their previous 12 months, and any exposed patient information in those months.
-- Summed from the monthly cells of core.post_cube, not from the posts.
with span as (
    select date_trunc('month', max(last_post))::date as last_month from core.post_cube
),

monthly as (
    select
        org_id,
        month,
        sum(posts)::bigint as posts,
        sum(n_negative)::bigint as negative,
        sum(risk_flagged_posts)::bigint as risk_flagged,
        sum(phi_posts)::bigint as patient_information
    from core.post_cube
    group by 1, 2
),

metrics as (
    unpivot monthly on negative, risk_flagged, patient_information into name metric value flagged
),

evaluated as (
    select
        m.org_id,
        m.metric,
        m.month,
        m.posts,
        m.flagged,
        coalesce(sum(b.posts), 0) as baseline_posts,
        coalesce(sum(b.flagged), 0) as baseline_flagged
    from metrics as m
    cross join span as s
    left join metrics as b
        on b.org_id = m.org_id and b.metric = m.metric
        and b.month >= m.month - interval 12 month and b.month < m.month
    where m.month >= s.last_month - interval 2 month
    group by 1, 2, 3, 4, 5
),

tested as (
    select
        *,
        flagged / posts as share,
        baseline_flagged / nullif(baseline_posts, 0) as baseline_share,
        -- the interval shown is the one the alert is decided on: z = 3.09 (one-sided 0.001, two-sided 99.8%),
        -- strict because every organization is tested every month on two metrics
        hcsm_newcombe_low(baseline_flagged, baseline_posts, flagged, posts, z := 3.090232306167813e0) as diff_low,
        hcsm_newcombe_high(baseline_flagged, baseline_posts, flagged, posts, z := 3.090232306167813e0) as diff_high,
        case
            -- exposed patient information is an alert at any count
            when metric = 'patient_information' then flagged > 0
            else hcsm_spike(flagged, posts, baseline_flagged, baseline_posts)
        end as is_alert
    from evaluated
),

final as (
    select
        t.metric,
        o.org_id,
        o.org_name,
        o.org_type,
        strftime(t.month, '%Y-%m') as month,
        t.posts,
        t.flagged,
        t.share,
        t.baseline_posts,
        t.baseline_flagged,
        t.baseline_share,
        t.diff_low,
        t.diff_high,
        case t.metric
            when 'patient_information' then printf(
                '%s: %d %s in %s %s patient information (shown redacted on the risk page); remove %s and review the account.',
                o.org_name, t.flagged, case when t.flagged = 1 then 'post' else 'posts' end, strftime(t.month, '%Y-%m'),
                case when t.flagged = 1 then 'exposes' else 'expose' end,
                case when t.flagged = 1 then 'it' else 'them' end)
            else printf(
                '%s: %d of %d posts %s in %s (%.0f%%), against %s in the 12 months before; difference %+.0f to %+.0f points (99.8%% interval).',
                o.org_name, t.flagged, t.posts,
                case t.metric when 'negative' then 'negative' else 'risk-flagged' end,
                strftime(t.month, '%Y-%m'), 100 * t.share,
                case when t.baseline_posts > 0
                    then printf('%.0f%% of %d', 100 * t.baseline_share, t.baseline_posts) else 'no posts' end,
                100 * t.diff_low, 100 * t.diff_high)
        end as message
    from tested as t
    inner join core.organizations as o on o.org_id = t.org_id
    where t.is_alert
)

select * from final
order by metric = 'patient_information' desc, month desc, org_name
