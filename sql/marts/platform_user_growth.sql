-- platform_user_growth: users per platform, region and period, with growth against the previous period.
with series as (
    select
        g.platform,
        coalesce(n.platform_name, g.platform) as platform_name,
        g.region,
        g.period,
        g.period_start,
        g.period_grain,
        g.users,
        g.source
    from core.user_growth as g
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = g.platform
),

final as (
    select
        *,
        100.0 * (users / lag(users) over w - 1) as growth_pct
    from series
    window w as (partition by platform, region, source, period_grain order by period_start)
)

select * from final
order by platform, region, period_start
