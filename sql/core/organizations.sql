-- core.organizations: type the raw rows of the loads in _scope and list the checks each row must pass.
-- pipelines/warehouse/core.py turns failed checks into _reject_column (the first) and _reject_reason (all of them).
with typed as (
    select
        hcsm_text(r.org_id) as org_id,
        trim(r.org_name) as org_name,
        regexp_replace(lower(hcsm_text(r.org_type)), '[^a-z]+', '_', 'g') as org_type,
        hcsm_text(r.country) as country,
        hcsm_text(r.region) as region,
        z.name as time_zone,
        hcsm_text(r.x_handle) as x_handle,
        hcsm_text(r.x_user_id) as x_user_id,
        hcsm_text(r.facebook_page) as facebook_page,
        hcsm_text(r.facebook_page_id) as facebook_page_id,
        hcsm_text(r.instagram_username) as instagram_username,
        hcsm_text(r.instagram_account_id) as instagram_account_id,
        hcsm_text(r.linkedin_page) as linkedin_page,
        hcsm_text(r.youtube_channel_id) as youtube_channel_id,
        hcsm_text(r.tiktok_username) as tiktok_username,
        hcsm_text(r.reddit_username) as reddit_username,
        hcsm_text(r.bluesky_handle) as bluesky_handle,
        hcsm_text(r.bluesky_did) as bluesky_did,
        hcsm_text(r.mastodon_account) as mastodon_account,
        [
            {'col': 'org_id', 'why': 'missing org_id', 'bad': hcsm_text(r.org_id) is null},
            {'col': 'org_name', 'why': 'missing org_name', 'bad': hcsm_text(r.org_name) is null},
            {'col': 'org_type', 'why': 'missing org_type', 'bad': hcsm_text(r.org_type) is null},
            {'col': 'org_type',
             'why': 'org ' || coalesce(hcsm_text(r.org_id), '(no org_id)') || ' has unknown org_type '''
                    || hcsm_shown(hcsm_text(r.org_type), 60) || ''': use hospital, health_system, clinic, pharma, insurer, '
                    || 'public_health_agency, professional_association, health_media or other',
             'bad': hcsm_text(r.org_type) is not null
                    and regexp_replace(lower(hcsm_text(r.org_type)), '[^a-z]+', '_', 'g') not in (
                        'hospital', 'health_system', 'clinic', 'pharma', 'insurer', 'public_health_agency',
                        'professional_association', 'health_media', 'other')},
            {'col': 'time_zone',
             'why': 'org ' || coalesce(hcsm_text(r.org_id), '(no org_id)') || ' has unknown time_zone '''
                    || hcsm_shown(hcsm_text(r.time_zone), 60) || ''': use an IANA name such as America/New_York',
             'bad': hcsm_text(r.time_zone) is not null and z.name is null}
        ] as checks,
        cast([] as varchar[]) as _notes,
        r._source_file,
        r._source_row,
        r._load_id,
        l.loaded_at as _loaded_at
    from raw.organizations as r
    inner join _scope as s on s.load_id = r._load_id
    inner join audit.loads as l on l.load_id = r._load_id
    left join (select lower(name) as lname, min(name) as name from pg_timezone_names() group by 1) as z
        on z.lname = lower(hcsm_text(r.time_zone))
),

final as (
    select
        *,
        org_id as _key
    from typed
)

select * from final
