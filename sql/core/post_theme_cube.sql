-- core.post_theme_cube: posts on each theme per organization, platform and month (a post can have several themes),
-- kept up to date with core.post_cube, cell by cell (pipelines/warehouse/cube.py; _cube_scope holds the cells).
select
    p.org_id,
    p.platform,
    date_trunc('month', p.posted_at)::date as month,
    t.theme,
    count(*) as posts_with_theme
from core.posts as p
inner join core.posts_enriched as e on e.post_id = p.post_id and e.content_hash = p.content_hash
semi join _cube_scope as s
    on s.org_id = p.org_id and s.platform = p.platform and s.month = date_trunc('month', p.posted_at)::date
cross join unnest(e.themes) as t(theme)
group by 1, 2, 3, 4
