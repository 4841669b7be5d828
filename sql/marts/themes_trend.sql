-- themes_trend: share of posts on each theme by platform, organization type and year (and every roll-up, marked 'all'), with 95% Wilson intervals; a post can have several themes.
-- Summed from the monthly cells of core.post_cube and core.post_theme_cube, not from the posts.
with cells as (
    select c.platform, o.org_type, year(c.month) as year, c.posts
    from core.post_cube as c
    inner join core.organizations as o on o.org_id = c.org_id
),

themed as (
    select t.platform, o.org_type, year(t.month) as year, t.theme, t.posts_with_theme
    from core.post_theme_cube as t
    inner join core.organizations as o on o.org_id = t.org_id
),

groups as (
    select
        coalesce(platform, 'all') as platform,
        coalesce(org_type, 'all') as org_type,
        coalesce(year::varchar, 'all') as year,
        sum(posts)::bigint as posts
    from cells
    group by grouping sets ((platform, org_type, year), (platform, year), (org_type, year), (year), (platform), (org_type), ())
),

tagged as (
    select
        coalesce(platform, 'all') as platform,
        coalesce(org_type, 'all') as org_type,
        coalesce(year::varchar, 'all') as year,
        theme,
        sum(posts_with_theme)::bigint as posts_with_theme
    from themed
    group by grouping sets (
        (theme, platform, org_type, year), (theme, platform, year), (theme, org_type, year), (theme, year),
        (theme, platform), (theme, org_type), (theme)
    )
),

final as (
    select
        g.platform,
        case when g.platform = 'all' then 'All platforms' else coalesce(n.platform_name, g.platform) end as platform_name,
        g.org_type,
        g.year,
        t.theme,
        t.posts_with_theme,
        g.posts,
        t.posts_with_theme / g.posts as share,
        hcsm_wilson_low(t.posts_with_theme, g.posts) as share_low,
        hcsm_wilson_high(t.posts_with_theme, g.posts) as share_high,
        hcsm_small_sample(t.posts_with_theme, g.posts) as small_sample
    from tagged as t
    inner join groups as g using (platform, org_type, year)
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = g.platform
)

select * from final
order by theme, platform, org_type, year
