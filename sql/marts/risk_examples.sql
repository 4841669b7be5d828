-- risk_examples: the 30 most recent flagged posts, text redacted: a patient-information post is never shown unredacted.
with flagged as (
    select
        p.post_id,
        coalesce(n.platform_name, p.platform) as platform_name,
        o.org_name,
        o.org_type,
        p.posted_at,
        e.phi_kinds,
        e.unsourced_claim,
        e.unprofessional,
        array_to_string(e.risk_reasons, '; ') as reasons,
        case
            when len(e.phi_kinds) > 0 then coalesce(e.text_redacted, '[text withheld: patient information]')
            else coalesce(e.text_redacted, p.text)
        end as text_shown
    from core.posts as p
    inner join core.posts_enriched as e on e.post_id = p.post_id
    inner join core.organizations as o on o.org_id = p.org_id
    left join (select distinct platform, platform_name from core.platforms) as n on n.platform = p.platform
    where len(e.phi_kinds) > 0 or e.unsourced_claim or e.unprofessional
),

final as (
    select
        *,
        concat_ws(', ',
            case when len(phi_kinds) > 0 then 'patient information (' || array_to_string(phi_kinds, ', ') || ')' end,
            case when unsourced_claim then 'unsourced health claim' end,
            case when unprofessional then 'unprofessional content' end
        ) as flags
    from flagged
)

select * exclude (phi_kinds) from final
order by posted_at desc, post_id
limit 30
