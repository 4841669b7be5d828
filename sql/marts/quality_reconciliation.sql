-- quality_reconciliation: every load with its row accounting; balanced is true when nothing was lost.
with final as (
    select
        load_id,
        source_file,
        loaded_at,
        rows_read,
        rows_loaded,
        rows_quarantined,
        rows_duplicate,
        rows_read = rows_loaded + rows_quarantined + rows_duplicate as balanced
    from audit.load_reconciliation
)

select * from final
order by loaded_at desc, source_file
