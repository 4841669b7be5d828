-- scorecard: each organization against what guidance for healthcare social media recommends, over all its posts.
-- Summed from the monthly cells of core.post_cube, not from the posts.
with per_org as (
    select
        org_id,
        sum(posts)::bigint as posts,
        -- guidance: keep institutional use to networking, education and research, and promotion
        sum(recommended_use_posts)::bigint as recommended_use_posts,
        sum(claim_posts)::bigint as claim_posts,
        sum(sourced_claim_posts)::bigint as sourced_claim_posts,
        sum(phi_posts)::bigint as patient_information_posts,
        sum(unprofessional_posts)::bigint as unprofessional_posts,
        -- posts the theme rules could not place (theme other, or none): a use cannot be judged from them
        sum(unclassified_posts)::bigint as unclassified_posts
    from core.post_cube
    group by 1
),

measured as (
    select
        o.org_id,
        o.org_name,
        o.org_type,
        coalesce(m.posts, 0) as posts,
        m.recommended_use_posts / m.posts as recommended_use_share,
        hcsm_wilson_low(m.recommended_use_posts, m.posts) as recommended_use_low,
        hcsm_wilson_high(m.recommended_use_posts, m.posts) as recommended_use_high,
        coalesce(m.claim_posts, 0) as claim_posts,
        m.sourced_claim_posts / nullif(m.claim_posts, 0) as sourced_claim_share,
        coalesce(m.patient_information_posts, 0) as patient_information_posts,
        coalesce(m.unprofessional_posts, 0) as unprofessional_posts,
        1000.0 * m.unprofessional_posts / m.posts as unprofessional_per_1000,
        coalesce(m.unclassified_posts, 0) / nullif(m.posts, 0) as unclassified_share
    from core.organizations as o
    left join per_org as m on m.org_id = o.org_id
),

-- the targets: at least half of posts in recommended uses, at least 90% of health claims sourced,
-- no exposed patient information, at most one unprofessional post per thousand. A criterion is judged only where the
-- organization's data can support it (see not_judged): the recommended uses are guidance for care providers, so
-- health media are not judged on them, nor is an organization whose posts the theme rules mostly cannot place;
-- sourced claims need at least 5 claims; rates need at least 30 posts. Patient privacy is always judged.
judgeable as (
    select
        *,
        case
            when org_type = 'health_media' then 'recommended use: guidance written for care providers, not news media'
            when unclassified_share > 0.5 then 'recommended use: themes place only '
                || cast(round(100 * (1 - unclassified_share)) as integer) || '% of posts'
            when posts < 30 then 'recommended use: fewer than 30 posts'
        end as use_not_judged,
        case
            when claim_posts = 0 then 'sourced claims: no health claims'
            when claim_posts = 1 then 'sourced claims: only 1 claim'
            when claim_posts < 5 then 'sourced claims: only ' || claim_posts || ' claims'
        end as claims_not_judged,
        case when posts < 30 then 'professionalism: fewer than 30 posts' end as conduct_not_judged
    from measured
),

judged as (
    select
        *,
        case when use_not_judged is null then recommended_use_share >= 0.5 end as meets_recommended_use,
        case when claims_not_judged is null then sourced_claim_share >= 0.9 end as meets_sourced_claims,
        patient_information_posts = 0 as meets_patient_privacy,
        case when conduct_not_judged is null then unprofessional_per_1000 <= 1.0 end as meets_professionalism,
        nullif(concat_ws('; ', use_not_judged, claims_not_judged, conduct_not_judged), '') as not_judged
    from judgeable
),

final as (
    select
        *,
        -- a criterion the data cannot support is left out rather than counted as met or failed
        coalesce(meets_recommended_use::int, 0) + coalesce(meets_sourced_claims::int, 0)
            + coalesce(meets_patient_privacy::int, 0) + coalesce(meets_professionalism::int, 0) as criteria_met,
        (meets_recommended_use is not null)::int + (meets_sourced_claims is not null)::int
            + (meets_patient_privacy is not null)::int + (meets_professionalism is not null)::int as criteria_judged,
        posts < 30 as small_sample
    from judged
    where posts > 0
)

select * from final
order by criteria_met::double / nullif(criteria_judged, 0), patient_information_posts desc, org_name
