-- risk_summary: posts flagged for patient information (by kind), unsourced health claims and unprofessional content, by organization type, platform and year (roll-ups marked 'all'), with 95% Wilson intervals.
-- Summed from the monthly cells of core.post_cube, not from the posts.
with flags as (
    select c.*, o.org_type, year(c.month) as year
    from core.post_cube as c
    inner join core.organizations as o on o.org_id = c.org_id
),

counted as (
    select
        coalesce(platform, 'all') as platform,
        coalesce(org_type, 'all') as org_type,
        coalesce(year::varchar, 'all') as year,
        sum(posts)::bigint as posts,
        sum(phi_posts)::bigint as phi_posts,
        sum(phone)::bigint as phone,
        sum(email)::bigint as email,
        sum(record_number)::bigint as record_number,
        sum(dob)::bigint as dob,
        sum(address)::bigint as address,
        sum(name_condition)::bigint as name_condition,
        sum(unsourced_claims)::bigint as unsourced_claims,
        sum(unprofessional_posts)::bigint as unprofessional_posts
    from flags
    group by grouping sets ((org_type), (platform), (year), ())
),

final as (
    select
        c.*,
        case when c.platform = 'all' then 'All platforms' else coalesce(n.platform_name, c.platform) end as platform_name,
        1000.0 * c.phi_posts / c.posts as phi_per_1000,
        1000 * hcsm_wilson_low(c.phi_posts, c.posts) as phi_per_1000_low,
        1000 * hcsm_wilson_high(c.phi_posts, c.posts) as phi_per_1000_high,
        1000.0 * c.unsourced_claims / c.posts as unsourced_per_1000,
        1000 * hcsm_wilson_low(c.unsourced_claims, c.posts) as unsourced_per_1000_low,
        1000 * hcsm_wilson_high(c.unsourced_claims, c.posts) as unsourced_per_1000_high,
        1000.0 * c.unprofessional_posts / c.posts as unprofessional_per_1000,
        1000 * hcsm_wilson_low(c.unprofessional_posts, c.posts) as unprofessional_per_1000_low,
        1000 * hcsm_wilson_high(c.unprofessional_posts, c.posts) as unprofessional_per_1000_high
    from counted as c
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = c.platform
)

select * from final
order by org_type, platform, year
