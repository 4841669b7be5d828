-- adoption_vs_growth: healthcare adoption of each platform against the platform's worldwide users, both indexed to 100 in the first year both exist.
with adoption as (
    select platform, platform_name, year, share_active, share_low, share_high, is_partial, small_sample
    from marts.org_platform_adoption
    where share_active > 0
),

users as (
    -- yearly worldwide users; a platform with monthly or quarterly figures uses the last figure of the year
    select
        platform,
        year(period_start) as year,
        arg_max(users, period_start) as users
    from core.user_growth
    where region = 'World'
    group by 1, 2
),

joined as (
    select
        a.*,
        u.users
    from adoption as a
    inner join users as u on u.platform = a.platform and u.year = a.year
),

based as (
    -- the base year is the first complete year with both series; partial years cannot be a fair base
    select
        *,
        first_value(share_active) over w as base_share,
        first_value(users) over w as base_users,
        first_value(year) over w as base_year
    from joined
    where not is_partial
    window w as (partition by platform order by year rows between unbounded preceding and unbounded following)
),

final as (
    select
        platform,
        platform_name,
        year,
        base_year,
        share_active,
        users,
        100 * share_active / base_share as adoption_index,
        -- the base share is treated as fixed: the interval reflects the uncertainty of this year's share only
        100 * share_low / base_share as adoption_index_low,
        100 * share_high / base_share as adoption_index_high,
        100 * users / base_users as users_index,
        (share_active / base_share) / (users / base_users) as relative_to_public,
        small_sample
    from based
)

select * from final
order by platform, year
