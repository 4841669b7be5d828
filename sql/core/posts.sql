-- core.posts: type the raw rows of the loads in _scope, list the checks each row must pass and the notes on how a
-- value was read. pipelines/warehouse/core.py turns failed checks into _reject_column (the first) and
-- _reject_reason (all of them), and reports the notes per file as warnings. One check per column, its reason
-- computed, keeps the per-row work small. A time without zone is UTC by the input contract: no note.
with source as (
    select
        r._load_id,
        r._source_file,
        r._source_row,
        l.loaded_at as _loaded_at,
        hcsm_text(r.post_id) as post_id,
        r.platform as raw_platform,
        hcsm_text(r.org_id) as org_id,
        r.posted_at as raw_posted_at,
        r.text as raw_text,
        hcsm_text(r.url) as url,
        lower(hcsm_text(r.lang)) as lang,
        -- only a value with a slash can be a slash date; the others skip the regex
        case
            when contains(r.posted_at, '/')
                then regexp_extract(hcsm_text(r.posted_at), '^(\d{1,2})/(\d{1,2})/\d{4}', ['first', 'second'])
        end as slash,
        -- counts: "n/a" and "-" are empty; thousands separators (1,234 or 1 234) are dropped (macros.sql)
        hcsm_count_text(r.likes) as likes_text,
        hcsm_count_text(r.shares) as shares_text,
        hcsm_count_text(r.comments) as comments_text,
        hcsm_count_text(r.views) as views_text,
        -- C0 and C1 control characters other than tab and LF (CR included)
        regexp_matches(r.text, '[\x00-\x08\x0b-\x1f\x7f-\x9f]') as text_has_controls
    from raw.posts as r
    inner join _scope as s on s.load_id = r._load_id
    inner join audit.loads as l on l.load_id = r._load_id
),

-- Slash dates are month-first (US) unless some row of the same file has a first part above 12 and none has a
-- second part above 12; a file where no row decides is read month-first and reported as guessed.
date_order as (
    select
        _load_id,
        bool_or(try_cast(slash.first as int) > 12) and not bool_or(try_cast(slash.second as int) > 12) as day_first,
        not bool_or(try_cast(slash.first as int) > 12) and not bool_or(try_cast(slash.second as int) > 12) as guessed
    from source
    where slash.first <> ''
    group by _load_id
),

-- organizations quarantined by their own checks: a post of one of them is a dependent rejection and says why
rejected_orgs as (
    select
        hcsm_text(raw_record ->> 'org_id') as org_id,
        arg_max(reason, rejected_at) as reason
    from quarantine.rejected_rows
    where kind = 'organizations' and hcsm_text(raw_record ->> 'org_id') is not null
    group by 1
),

typed as (
    select
        s.* exclude (slash),
        coalesce(p.platform, regexp_replace(lower(hcsm_text(s.raw_platform)), '[^a-z0-9]+', '_', 'g')) as platform,
        hcsm_ts(s.raw_posted_at, day_first := coalesce(d.day_first, false)) as posted_at,
        -- line ends become LF; other control characters (NUL, ESC, C1 codes from mis-decoded bytes) are dropped
        case
            when s.text_has_controls
                then regexp_replace(regexp_replace(s.raw_text, '\r\n?', chr(10), 'g'), '[\x00-\x08\x0b-\x1f\x7f-\x9f]', '', 'g')
            else s.raw_text
        end as text,
        hcsm_count_value(s.likes_text) as likes,
        hcsm_count_value(s.shares_text) as shares,
        hcsm_count_value(s.comments_text) as comments,
        hcsm_count_value(s.views_text) as views,
        s.slash.first <> '' as is_slash_date,
        coalesce(d.guessed, false) as date_order_guessed,
        coalesce(d.day_first, false) as day_first,
        o.org_id is null as unknown_org,
        ro.reason as org_rejected_reason
    from source as s
    left join date_order as d on d._load_id = s._load_id
    left join core.platforms as p on p.alias = lower(trim(s.raw_platform))
    left join core.organizations as o on o.org_id = s.org_id
    left join rejected_orgs as ro on ro.org_id = s.org_id and o.org_id is null
),

-- why each column fails, or null; a count's reason says what to fix
reasons as (
    select
        *,
        case
            when post_id is null then 'missing post_id'
            when regexp_matches(post_id, '[\x00-\x1f\x7f-\x9f]') then 'post_id contains control characters'
        end as post_id_why,
        case
            when org_id is null then 'missing org_id'
            when unknown_org and org_rejected_reason is not null
                then 'held back: ' || case when starts_with(org_rejected_reason, 'org ') then '' else 'org ' || org_id || ': ' end
                || regexp_replace(org_rejected_reason, ': use [^;]*', '', 'g')
                || ' in organizations.csv; fix that row, then load this posts file again (re-export it)'
            when unknown_org then 'unknown org_id ''' || left(org_id, 60)
                || ''' (not in organizations.csv): add the organization or correct the org_id'
        end as org_id_why,
        case
            when hcsm_text(raw_posted_at) is null then 'missing posted_at'
            when posted_at is null then 'unparseable posted_at ''' || left(hcsm_text(raw_posted_at), 40)
                || ''': write ISO 8601 (2021-03-04T05:06:00Z)'
            -- placeholder and mis-parsed dates (1970-01-01, 1900-01-01, year 21 for 2021) fall before the cut-off
            when posted_at < timestamp '2004-02-04'
                then 'posted_at before 2004-02-04 (Facebook''s launch), too early for a post'
            when posted_at > _loaded_at + interval 1 day then 'posted_at is in the future (more than a day after the load)'
        end as posted_at_why,
        hcsm_count_why(likes_text, likes, 'likes') as likes_why,
        hcsm_count_why(shares_text, shares, 'shares') as shares_why,
        hcsm_count_why(comments_text, comments, 'comments') as comments_why,
        hcsm_count_why(views_text, views, 'views') as views_why
    from typed
),

final as (
    select
        post_id,
        platform,
        org_id,
        posted_at,
        text,
        likes,
        shares,
        comments,
        views,
        url,
        lang,
        [
            {'col': 'post_id', 'why': post_id_why, 'bad': post_id_why is not null},
            {'col': 'platform', 'why': 'missing platform', 'bad': hcsm_text(raw_platform) is null},
            {'col': 'org_id', 'why': org_id_why, 'bad': org_id_why is not null},
            {'col': 'posted_at', 'why': posted_at_why, 'bad': posted_at_why is not null},
            {'col': 'text', 'why': 'missing text', 'bad': hcsm_text(text) is null},
            {'col': 'likes', 'why': likes_why, 'bad': likes_why is not null},
            {'col': 'shares', 'why': shares_why, 'bad': shares_why is not null},
            {'col': 'comments', 'why': comments_why, 'bad': comments_why is not null},
            {'col': 'views', 'why': views_why, 'bad': views_why is not null}
        ] as checks,
        list_filter([
            case
                when is_slash_date and date_order_guessed
                    then 'posted_at like 03/04/2021 is ambiguous and was read as month/day/year (US); '
                    || 'write ISO 8601 dates (2021-03-04T05:06:00Z) to avoid guessing'
            end,
            case
                when is_slash_date and day_first
                    then 'posted_at read as day/month/year, as rows like 25/03/2021 in the file show'
            end,
            case
                when text_has_controls and text <> regexp_replace(raw_text, '\r\n?', chr(10), 'g')
                    then 'control characters removed from text'
            end
        ], lambda n: n is not null) as _notes,
        _source_file,
        _source_row,
        _load_id,
        _loaded_at,
        post_id as _key,
        hash(post_id, platform, org_id, posted_at, text, likes, shares, comments, views, url, lang) as content_hash
    from reasons
)

select * from final
