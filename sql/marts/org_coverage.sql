-- org_coverage: the years each organization's data covers in full (its first to last post, less silences of over a year), so shares count an organization only where its export reaches.
-- How far an organization's data reach: from its first to its last post, stretched to the start or end of all the
-- data when the post is within the organization's own slack of it (four times its median gap between posts, at
-- least 31 days, at most a year): an organization that posts every few weeks and last posted on 20 December is
-- covered to the end of an export that ends on 31 December; one whose posts stop in 2015 in an export that runs to
-- 2020 is not covered after 2015. A year wholly inside a silence longer than a year (and than four median gaps) is
-- not covered either.
-- An organization in organizations.csv with no post at all is tracked and silent: covered by the whole data window.
with span as (
    select min(posted_at) as data_start, max(posted_at) as data_end from core.posts
),

steps as (
    select org_id, posted_at, lead(posted_at) over (partition by org_id order by posted_at) as next_post
    from core.posts
),

rates as (
    select
        org_id,
        min(posted_at) as first_post,
        max(posted_at) as last_post,
        count(*) as posts,
        -- seconds: four median gaps, within 31 days .. 365 days
        least(greatest(4 * coalesce(median(epoch(next_post) - epoch(posted_at)), 0), 31 * 86400), 365 * 86400) as slack_s
    from steps
    group by org_id
),

gaps as (
    select s.org_id, s.posted_at as gap_start, s.next_post as gap_end
    from steps as s
    inner join rates as r on r.org_id = s.org_id
    where epoch(s.next_post) - epoch(s.posted_at) > greatest(365 * 86400, r.slack_s)
),

windows as (
    select
        o.org_id,
        coalesce(r.posts, 0) as posts,
        r.first_post,
        r.last_post,
        case when r.org_id is null or epoch(r.first_post) - epoch(s.data_start) <= r.slack_s
             then s.data_start else r.first_post end as covered_from,
        case when r.org_id is null or epoch(s.data_end) - epoch(r.last_post) <= r.slack_s
             then s.data_end else r.last_post end as covered_to
    from core.organizations as o
    cross join span as s
    left join rates as r on r.org_id = o.org_id
    where s.data_start is not null
),

years as (
    select
        w.*,
        y.year_start::date as year_start
    from windows as w
    cross join (
        select unnest(generate_series(date_trunc('year', min(data_start)), date_trunc('year', max(data_end)),
                                      interval 1 year)) as year_start
        from span
    ) as y
),

final as (
    select
        y.org_id,
        year(y.year_start) as year,
        y.year_start,
        y.posts,
        y.first_post,
        y.last_post,
        y.covered_from,
        y.covered_to,
        -- covered in full: the window reaches both ends of the year (within a day, as hcsm_is_partial) and the year
        -- does not lie wholly inside a long silence (a year the organization posted in is one its export reaches)
        not hcsm_is_partial(y.covered_from, y.covered_to, y.year_start, y.year_start + interval 1 year)
            and not exists (
                select 1 from gaps as g
                where g.org_id = y.org_id and g.gap_start < y.year_start and g.gap_end >= y.year_start + interval 1 year
            ) as covered,
        -- covered in part: some of the year lies inside the window (the year the export starts or stops)
        y.covered_from < y.year_start + interval 1 year and y.covered_to >= y.year_start as touched
    from years as y
)

select * from final
order by org_id, year
