-- core.reference: type the raw rows of the loads in _scope (published healthcare adoption figures), normalize
-- subjects and platforms, work out each figure as a share where it is one, and list the checks each row must pass;
-- pipelines/warehouse/core.py turns failed checks into _reject_column and _reject_reason.
with parsed as (
    select
        r.*,
        regexp_replace(lower(hcsm_text(r.subject)), '[^a-z0-9]+', '_', 'g') as subject_slug,
        coalesce(p.platform, regexp_replace(lower(hcsm_text(r.platform)), '[^a-z0-9+]+', '_', 'g')) as platform_slug,
        upper(hcsm_text(r.period)) as period_text,
        regexp_replace(lower(hcsm_text(r.metric)), '[^a-z0-9]+', '_', 'g') as metric_slug,
        try_cast(replace(hcsm_text(r.value), ',', '') as double) as value_number,
        lower(hcsm_text(r.unit)) as unit_text,
        try_cast(replace(hcsm_text(r.denominator), ',', '') as double) as denominator_number
    from raw.reference as r
    inner join _scope as s on s.load_id = r._load_id
    left join core.platforms as p on p.alias = lower(trim(r.platform))
),

typed as (
    select
        subject_slug as subject,
        platform_slug as platform,
        period_text as period,
        hcsm_period_start(period_text) as period_start,
        hcsm_period_grain(period_text) as period_grain,
        hcsm_text(region) as region,
        metric_slug as metric,
        value_number as value,
        unit_text as unit,
        denominator_number as denominator,
        case
            when unit_text = 'fraction' then value_number
            when unit_text = 'percent' then value_number / 100
            when denominator_number > 0 then value_number / denominator_number
        end as share,
        hcsm_text(source) as source,
        hcsm_text(license) as license,
        [
            {'col': 'subject', 'why': 'missing subject', 'bad': hcsm_text(subject) is null},
            {'col': 'platform', 'why': 'missing platform', 'bad': hcsm_text(platform) is null},
            {'col': 'period', 'why': 'period ''' || coalesce(hcsm_shown(period_text, 20), '') || ''' is not YYYY, YYYY-MM or YYYY-Qn',
             'bad': hcsm_period_start(period_text) is null},
            {'col': 'region', 'why': 'missing region', 'bad': hcsm_text(region) is null},
            {'col': 'metric', 'why': 'missing metric', 'bad': hcsm_text(metric) is null},
            {'col': 'value', 'why': 'value ''' || coalesce(hcsm_shown(hcsm_text(value), 30), '') || ''' is not a number',
             'bad': value_number is null},
            {'col': 'value', 'why': 'value is negative', 'bad': value_number < 0},
            {'col': 'unit', 'why': 'unit ''' || coalesce(hcsm_shown(unit_text, 30), '') || ''' is not one of fraction, '
                || 'percent, people, hospitals, departments, organizations, accounts',
             'bad': unit_text is null or unit_text not in ('fraction', 'percent', 'people', 'hospitals', 'departments',
                                                           'organizations', 'accounts')},
            {'col': 'value', 'why': 'a fraction above 1 (write 0.51 for 51%, or use unit percent)',
             'bad': unit_text = 'fraction' and value_number > 1},
            {'col': 'value', 'why': 'a percent above 100', 'bad': unit_text = 'percent' and value_number > 100},
            {'col': 'denominator', 'why': 'denominator ''' || coalesce(hcsm_shown(hcsm_text(denominator), 30), '')
                || ''' is not a positive number',
             'bad': hcsm_text(denominator) is not null and coalesce(denominator_number, 0) <= 0},
            {'col': 'value', 'why': 'value is larger than its denominator',
             'bad': denominator_number > 0 and value_number > denominator_number},
            {'col': 'source', 'why': 'missing source: every reference figure names where it comes from',
             'bad': hcsm_text(source) is null}
        ] as checks,
        cast([] as varchar[]) as _notes,
        _source_file,
        _source_row,
        _load_id,
        l.loaded_at as _loaded_at
    from parsed
    inner join audit.loads as l on l.load_id = parsed._load_id
),

final as (
    select
        *,
        concat_ws('|', subject, platform, period, region, metric, source) as _key
    from typed
)

select * from final
