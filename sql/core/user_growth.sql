-- core.user_growth: type the raw rows of the loads in _scope, normalize platform names, parse periods, and list
-- the checks each row must pass; pipelines/warehouse/core.py turns failed checks into _reject_column and _reject_reason.
with typed as (
    select
        coalesce(p.platform, regexp_replace(lower(hcsm_text(r.platform)), '[^a-z0-9+]+', '_', 'g')) as platform,
        upper(hcsm_text(r.period)) as period,
        hcsm_period_start(upper(hcsm_text(r.period))) as period_start,
        hcsm_period_grain(upper(hcsm_text(r.period))) as period_grain,
        hcsm_text(r.region) as region,
        try_cast(replace(hcsm_text(r.users), ',', '') as double) as users,
        hcsm_text(r.source) as source,
        hcsm_text(r.license) as license,
        [
            {'col': 'platform', 'why': 'missing platform', 'bad': hcsm_text(r.platform) is null},
            {'col': 'period', 'why': 'period is not YYYY, YYYY-MM or YYYY-Qn',
             'bad': hcsm_period_start(upper(hcsm_text(r.period))) is null},
            {'col': 'region', 'why': 'missing region', 'bad': hcsm_text(r.region) is null},
            {'col': 'users', 'why': 'users is not a number',
             'bad': try_cast(replace(hcsm_text(r.users), ',', '') as double) is null},
            {'col': 'users', 'why': 'users is not positive',
             'bad': try_cast(replace(hcsm_text(r.users), ',', '') as double) <= 0},
            {'col': 'source', 'why': 'missing source', 'bad': hcsm_text(r.source) is null}
        ] as checks,
        cast([] as varchar[]) as _notes,
        r._source_file,
        r._source_row,
        r._load_id,
        l.loaded_at as _loaded_at
    from raw.user_growth as r
    inner join _scope as s on s.load_id = r._load_id
    inner join audit.loads as l on l.load_id = r._load_id
    left join core.platforms as p on p.alias = lower(trim(r.platform))
),

final as (
    select
        *,
        concat_ws('|', platform, period, region, source) as _key
    from typed
)

select * from final
