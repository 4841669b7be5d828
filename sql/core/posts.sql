-- core.posts: type the raw rows of the loads in _scope, list the checks each row must pass and the notes on how a
-- value was read. pipelines/warehouse/core.py turns failed checks into _reject_column (the first) and
-- _reject_reason (all of them), and reports the notes per file as warnings. One check per column, its reason
-- computed, keeps the per-row work small. A time without zone is UTC by the input contract: no note. A native
-- export's post carries its platform account instead of an org_id (mapped through the account columns of
-- organizations.csv, _hcsm_account_columns) and, where the export writes local times, time_zone 'local' (read in
-- the organization's time_zone or the HCSM_EXPORT_TIME_ZONE setting, _hcsm_settings, with a note).
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
        hcsm_text(r.account) as account,
        hcsm_text(r.account_id) as account_id,
        hcsm_text(r.time_zone) as raw_time_zone,
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

-- each account an organization names in organizations.csv, normalized; one account named by two organizations is
-- ambiguous and maps to neither
org_accounts as (
    select
        platform,
        field,
        key,
        min(org_id) as org_id,
        count(distinct org_id) as n_orgs,
        string_agg(distinct org_id, ', ' order by org_id) as org_ids
    from (
        select o.org_id, c.platform, c.field, hcsm_account(json_extract_string(to_json(o), c.col)) as key
        from core.organizations as o
        cross join _hcsm_account_columns as c
    )
    where key is not null
    group by all
),

account_columns as (
    select platform, string_agg(col, ' or ' order by field, col) as cols
    from _hcsm_account_columns
    group by platform
),

zones as (
    select lower(name) as lname, min(name) as name from pg_timezone_names() group by 1
),

located as (
    select
        s.*,
        coalesce(p.platform, regexp_replace(lower(hcsm_text(s.raw_platform)), '[^a-z0-9]+', '_', 'g')) as platform,
        coalesce(s.org_id, a1.org_id, a2.org_id) as resolved_org_id,
        coalesce(a1.n_orgs, 0) > 1 or coalesce(a2.n_orgs, 0) > 1 as account_ambiguous,
        coalesce(a1.org_ids, a2.org_ids) as account_org_ids,
        case
            when s.raw_time_zone is null then null
            when lower(s.raw_time_zone) = 'local' then coalesce(o.time_zone, st.export_time_zone)
            else s.raw_time_zone
        end as zone_wanted,
        case
            when lower(s.raw_time_zone) <> 'local' then null
            when o.time_zone is not null then 'the time_zone of ' || o.org_id || ' in organizations.csv'
            when st.zone_from_setting then 'the HCSM_EXPORT_TIME_ZONE setting'
            else 'the default; set time_zone in organizations.csv or HCSM_EXPORT_TIME_ZONE if it is wrong'
        end as zone_source
    from source as s
    cross join _hcsm_settings as st
    left join core.platforms as p on p.alias = lower(trim(s.raw_platform))
    left join org_accounts as a1
        on s.org_id is null and a1.platform = p.platform and a1.field = 'account' and a1.key = hcsm_account(s.account)
    left join org_accounts as a2
        on s.org_id is null and a2.platform = p.platform and a2.field = 'account_id'
        and a2.key = hcsm_account(s.account_id)
    left join core.organizations as o on o.org_id = coalesce(s.org_id, a1.org_id, a2.org_id)
),

typed as (
    select
        s.* exclude (slash, org_id, resolved_org_id),
        s.resolved_org_id as org_id,
        s.org_id is null and (s.account is not null or s.account_id is not null) as by_account,
        z.name as zone,
        case
            when s.zone_wanted is null then hcsm_ts(s.raw_posted_at, day_first := coalesce(d.day_first, false))
            when z.name is not null
                then timezone('UTC', timezone(z.name, hcsm_ts(s.raw_posted_at, day_first := coalesce(d.day_first, false))))
        end as posted_at,
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
        ro.reason as org_rejected_reason,
        ac.cols as account_cols
    from located as s
    left join date_order as d on d._load_id = s._load_id
    left join zones as z on z.lname = lower(s.zone_wanted)
    left join core.organizations as o on o.org_id = s.resolved_org_id
    left join rejected_orgs as ro on ro.org_id = s.resolved_org_id and o.org_id is null
    left join account_columns as ac on ac.platform = s.platform
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
            when by_account then null
            when org_id is null then 'missing org_id'
            when unknown_org and org_rejected_reason is not null
                then 'held back: ' || case when starts_with(org_rejected_reason, 'org ') then '' else 'org ' || org_id || ': ' end
                || regexp_replace(org_rejected_reason, ': use [^;]*', '', 'g')
                || ' in organizations.csv; fix that row, then load this posts file again (re-export it)'
            when unknown_org then 'unknown org_id ''' || left(org_id, 60)
                || ''' (not in organizations.csv): add the organization or correct the org_id'
        end as org_id_why,
        case
            when not by_account then null
            when account_ambiguous
                then 'account ''' || left(coalesce(account, account_id), 60) || ''' (' || platform
                || ') is named by several organizations in organizations.csv (' || account_org_ids
                || '): keep it in one row'
            when org_id is null
                then 'account ''' || left(coalesce(account, account_id), 60) || ''''
                || case when account is not null and account_id is not null then ' (id ' || left(account_id, 40) || ')' else '' end
                || ' (' || platform || ') maps to no organization: fill '
                || coalesce(account_cols, 'org_id') || ' of its organization in organizations.csv'
            when unknown_org and org_rejected_reason is not null
                then 'held back: ' || case when starts_with(org_rejected_reason, 'org ') then '' else 'org ' || org_id || ': ' end
                || regexp_replace(org_rejected_reason, ': use [^;]*', '', 'g')
                || ' in organizations.csv; fix that row, then load this posts file again (re-export it)'
        end as account_why,
        case
            when hcsm_text(raw_posted_at) is null then 'missing posted_at'
            when zone_wanted is not null and zone is null
                then 'unknown time zone ''' || hcsm_shown(zone_wanted, 60) || ''''
                || case when lower(raw_time_zone) = 'local' then ' (from ' || zone_source || ')' else '' end
                || ': use an IANA name such as America/New_York'
            when posted_at is null then 'unparseable posted_at ''' || hcsm_shown(hcsm_text(raw_posted_at), 40)
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
        account,
        [
            {'col': 'post_id', 'why': post_id_why, 'bad': post_id_why is not null},
            {'col': 'platform', 'why': 'missing platform', 'bad': hcsm_text(raw_platform) is null},
            {'col': 'org_id', 'why': org_id_why, 'bad': org_id_why is not null},
            {'col': 'account', 'why': account_why, 'bad': account_why is not null},
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
                when lower(raw_time_zone) = 'local' and zone is not null
                    then 'the export writes times without a zone: read in ' || zone || ' (' || zone_source || ')'
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
