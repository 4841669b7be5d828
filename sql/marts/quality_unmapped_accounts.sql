-- quality_unmapped_accounts: accounts in native exports that no organization in organizations.csv names, with their
-- post counts, the files they came from and the organizations.csv column to fill; a post a later load brought in
-- (once the account was added) no longer counts.
with rejected as (
    select
        source_file,
        reason,
        raw_record ->> 'platform' as platform,
        coalesce(raw_record ->> 'account', raw_record ->> 'account_id') as account,
        raw_record ->> 'post_id' as post_id
    from quarantine.rejected_rows
    where kind = 'posts' and column_name = 'account'
),

still_missing as (
    select r.*
    from rejected as r
    where not exists (select 1 from core.posts as p where p.post_id = r.post_id)
),

final as (
    select
        platform,
        account,
        count(distinct coalesce(post_id, source_file || reason)) as posts,
        string_agg(distinct source_file, ', ' order by source_file) as source_files,
        min(reason) as reason
    from still_missing
    group by 1, 2
)

select * from final
order by posts desc, platform, account
