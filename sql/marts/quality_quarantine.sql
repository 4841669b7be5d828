-- quality_quarantine: quarantined rows by file, reason and column.
with final as (
    select
        source_file,
        reason,
        column_name,
        count(*) as rows
    from quarantine.rejected_rows
    group by 1, 2, 3
)

select * from final
order by rows desc, source_file, reason
