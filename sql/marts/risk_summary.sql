-- risk_summary: posts flagged for patient information (by kind), unsourced health claims and unprofessional content, by organization type, platform and year (roll-ups marked 'all'), with 95% Wilson intervals.
with flags as (
    select
        p.platform,
        o.org_type,
        year(p.posted_at) as year,
        len(e.phi_kinds) > 0 as phi,
        list_contains(e.phi_kinds, 'phone') as phone,
        list_contains(e.phi_kinds, 'email') as email,
        list_contains(e.phi_kinds, 'record_number') as record_number,
        list_contains(e.phi_kinds, 'dob') as dob,
        list_contains(e.phi_kinds, 'address') as address,
        list_contains(e.phi_kinds, 'name_condition') as name_condition,
        e.unsourced_claim,
        e.unprofessional
    from core.posts as p
    inner join core.posts_enriched as e on e.post_id = p.post_id
    inner join core.organizations as o on o.org_id = p.org_id
),

counted as (
    select
        coalesce(platform, 'all') as platform,
        coalesce(org_type, 'all') as org_type,
        coalesce(year::varchar, 'all') as year,
        count(*) as posts,
        count(*) filter (where phi) as phi_posts,
        count(*) filter (where phone) as phone,
        count(*) filter (where email) as email,
        count(*) filter (where record_number) as record_number,
        count(*) filter (where dob) as dob,
        count(*) filter (where address) as address,
        count(*) filter (where name_condition) as name_condition,
        count(*) filter (where unsourced_claim) as unsourced_claims,
        count(*) filter (where unprofessional) as unprofessional_posts
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
