-- core.organizations: type the raw rows of the loads in _scope and list the checks each row must pass.
-- pipelines/warehouse/core.py turns failed checks into _reject_column (the first) and _reject_reason (all of them).
with typed as (
    select
        hcsm_text(r.org_id) as org_id,
        trim(r.org_name) as org_name,
        regexp_replace(lower(hcsm_text(r.org_type)), '[^a-z]+', '_', 'g') as org_type,
        hcsm_text(r.country) as country,
        hcsm_text(r.region) as region,
        [
            {'col': 'org_id', 'why': 'missing org_id', 'bad': hcsm_text(r.org_id) is null},
            {'col': 'org_name', 'why': 'missing org_name', 'bad': hcsm_text(r.org_name) is null},
            {'col': 'org_type', 'why': 'missing org_type', 'bad': hcsm_text(r.org_type) is null},
            {'col': 'org_type',
             'why': 'org ' || coalesce(hcsm_text(r.org_id), '(no org_id)') || ' has unknown org_type '''
                    || left(hcsm_text(r.org_type), 60) || ''': use hospital, health_system, clinic, pharma, insurer, '
                    || 'public_health_agency, professional_association, health_media or other',
             'bad': hcsm_text(r.org_type) is not null
                    and regexp_replace(lower(hcsm_text(r.org_type)), '[^a-z]+', '_', 'g') not in (
                        'hospital', 'health_system', 'clinic', 'pharma', 'insurer', 'public_health_agency',
                        'professional_association', 'health_media', 'other')}
        ] as checks,
        cast([] as varchar[]) as _notes,
        r._source_file,
        r._source_row,
        r._load_id,
        l.loaded_at as _loaded_at
    from raw.organizations as r
    inner join _scope as s on s.load_id = r._load_id
    inner join audit.loads as l on l.load_id = r._load_id
),

final as (
    select
        *,
        org_id as _key
    from typed
)

select * from final
