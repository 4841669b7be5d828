-- org_themes: share of each organization's posts on each theme against its organization type's share (all platforms and years, as on the themes page), with 95% Wilson intervals; a post can have several themes.
-- Summed from the monthly cells of core.post_cube and core.post_theme_cube, not from the posts.
with org_posts as (
    select c.org_id, o.org_type, sum(c.posts)::bigint as posts
    from core.post_cube as c
    inner join core.organizations as o on o.org_id = c.org_id
    group by 1, 2
),

org_tagged as (
    select org_id, theme, sum(posts_with_theme)::bigint as posts_with_theme
    from core.post_theme_cube
    group by 1, 2
),

-- peers: every organization of the type, the organization itself included (the themes page's org_type rows)
type_posts as (
    select org_type, sum(posts)::bigint as peer_posts
    from org_posts
    group by 1
),

type_tagged as (
    select o.org_type, t.theme, sum(t.posts_with_theme)::bigint as peer_posts_with_theme
    from core.post_theme_cube as t
    inner join core.organizations as o on o.org_id = t.org_id
    group by 1, 2
),

final as (
    select
        o.org_id,
        o.org_type,
        t.theme,
        coalesce(ot.posts_with_theme, 0) as posts_with_theme,
        o.posts,
        coalesce(ot.posts_with_theme, 0) / o.posts as share,
        hcsm_wilson_low(coalesce(ot.posts_with_theme, 0), o.posts) as share_low,
        hcsm_wilson_high(coalesce(ot.posts_with_theme, 0), o.posts) as share_high,
        hcsm_small_sample(coalesce(ot.posts_with_theme, 0), o.posts) as small_sample,
        t.peer_posts_with_theme,
        tp.peer_posts,
        t.peer_posts_with_theme / tp.peer_posts as peer_share
    from org_posts as o
    -- every theme the type posts about, zero for the organization when it never does
    inner join type_tagged as t on t.org_type = o.org_type
    inner join type_posts as tp on tp.org_type = o.org_type
    left join org_tagged as ot on ot.org_id = o.org_id and ot.theme = t.theme
)

select * from final
order by org_id, theme
