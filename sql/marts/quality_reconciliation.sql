-- quality_reconciliation: every load with its row accounting and the format detected for its file; balanced is true
-- when nothing was lost.
with final as (
    select
        r.load_id,
        r.source_file,
        l.file_format,
        r.loaded_at,
        r.rows_read,
        rows_loaded,
        rows_quarantined,
        rows_duplicate,
        r.rows_read = rows_loaded + rows_quarantined + rows_duplicate as balanced
    from audit.load_reconciliation as r
    left join audit.loads as l on l.load_id = r.load_id
)

select * from final
order by loaded_at desc, source_file
