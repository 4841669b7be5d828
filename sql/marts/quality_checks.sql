-- quality_checks: the latest result of every data-quality check, plus file-level issues of current loads.
with latest as (
    select
        check_name,
        asset,
        passed,
        severity,
        message,
        checked_at
    from audit.check_results
    qualify row_number() over (partition by check_name, asset order by checked_at desc) = 1
),

file_issues as (
    select
        'file: ' || i.issue as check_name,
        l.kind as asset,
        false as passed,
        upper(i.severity) as severity,
        i.detail as message,
        i.recorded_at as checked_at
    from audit.file_issues as i
    inner join audit.loads as l on l.load_id = i.load_id
),

final as (
    select * from latest
    union all
    select * from file_issues
)

select * from final
order by passed, asset, check_name
