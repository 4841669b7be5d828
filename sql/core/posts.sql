-- core.posts: type the raw rows of the loads in _scope and list the checks each row must pass.
-- pipelines/warehouse/core.py turns failed checks into _reject_column (the first) and _reject_reason (all of them).
with typed as (
    select
        hcsm_text(r.post_id) as post_id,
        coalesce(p.platform, regexp_replace(lower(hcsm_text(r.platform)), '[^a-z0-9]+', '_', 'g')) as platform,
        hcsm_text(r.org_id) as org_id,
        hcsm_ts(r.posted_at) as posted_at,
        r.text as text,
        hcsm_count(r.likes) as likes,
        hcsm_count(r.shares) as shares,
        hcsm_count(r.comments) as comments,
        hcsm_count(r.views) as views,
        hcsm_text(r.url) as url,
        lower(hcsm_text(r.lang)) as lang,
        [
            {'col': 'post_id', 'why': 'missing post_id', 'bad': hcsm_text(r.post_id) is null},
            {'col': 'platform', 'why': 'missing platform', 'bad': hcsm_text(r.platform) is null},
            {'col': 'org_id', 'why': 'missing org_id', 'bad': hcsm_text(r.org_id) is null},
            {'col': 'org_id', 'why': 'unknown org_id (not in organizations.csv)',
             'bad': hcsm_text(r.org_id) is not null and o.org_id is null},
            {'col': 'posted_at', 'why': 'missing posted_at', 'bad': hcsm_text(r.posted_at) is null},
            {'col': 'posted_at', 'why': 'unparseable posted_at',
             'bad': hcsm_text(r.posted_at) is not null and hcsm_ts(r.posted_at) is null},
            {'col': 'posted_at', 'why': 'posted_at before 2004-01-01 or in the future',
             'bad': hcsm_ts(r.posted_at) < timestamp '2004-01-01'
                    or hcsm_ts(r.posted_at) > now()::timestamp + interval 1 day},
            {'col': 'text', 'why': 'missing text', 'bad': hcsm_text(r.text) is null},
            {'col': 'likes', 'why': 'likes is not a whole number', 'bad': hcsm_bad_count(r.likes)},
            {'col': 'likes', 'why': 'negative likes', 'bad': hcsm_count(r.likes) < 0},
            {'col': 'shares', 'why': 'shares is not a whole number', 'bad': hcsm_bad_count(r.shares)},
            {'col': 'shares', 'why': 'negative shares', 'bad': hcsm_count(r.shares) < 0},
            {'col': 'comments', 'why': 'comments is not a whole number', 'bad': hcsm_bad_count(r.comments)},
            {'col': 'comments', 'why': 'negative comments', 'bad': hcsm_count(r.comments) < 0},
            {'col': 'views', 'why': 'views is not a whole number', 'bad': hcsm_bad_count(r.views)},
            {'col': 'views', 'why': 'negative views', 'bad': hcsm_count(r.views) < 0}
        ] as checks,
        to_json(r) as _raw,
        r._source_file,
        r._source_row,
        r._load_id,
        l.loaded_at as _loaded_at
    from raw.posts as r
    inner join _scope as s on s.load_id = r._load_id
    inner join audit.loads as l on l.load_id = r._load_id
    left join core.platforms as p on p.alias = lower(trim(r.platform))
    left join core.organizations as o on o.org_id = hcsm_text(r.org_id)
),

final as (
    select
        *,
        post_id as _key,
        hash(post_id, platform, org_id, posted_at, text, likes, shares, comments, views, url, lang) as content_hash
    from typed
)

select * from final
