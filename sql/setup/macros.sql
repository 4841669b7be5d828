-- Parsing helpers shared by the core models: every raw value is text and may be anything.
create or replace macro hcsm_text(x) as nullif(trim(x), '');

-- A count: an integer, or a float with no fraction ("12.0" from spreadsheets); else null.
create or replace macro hcsm_count(x) as coalesce(
    try_cast(hcsm_text(x) as bigint),
    case when try_cast(hcsm_text(x) as double) = floor(try_cast(hcsm_text(x) as double))
         then try_cast(try_cast(hcsm_text(x) as double) as bigint) end
);

-- A count is bad when present but not a whole number.
create or replace macro hcsm_bad_count(x) as hcsm_text(x) is not null and hcsm_count(x) is null;

-- Timestamps: ISO 8601 with or without offset (naive = UTC), or a few common export formats; returned in UTC.
create or replace macro hcsm_ts(x) as coalesce(
    try_cast(try_cast(hcsm_text(x) as timestamptz) as timestamp),
    -- Twitter API v1 style: "Thu Mar 04 10:02:11 +0000 2021"
    try_cast(try_strptime(hcsm_text(x), '%a %b %d %H:%M:%S %z %Y') as timestamp),
    -- spreadsheet exports, US month-first, taken as UTC
    try_strptime(hcsm_text(x), ['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%Y/%m/%d %H:%M:%S'])
);

-- Periods: YYYY, YYYY-MM or YYYY-Qn -> first day of the period.
create or replace macro hcsm_period_start(p) as case
    when regexp_full_match(p, '\d{4}') then make_date(p::int, 1, 1)
    when regexp_full_match(p, '\d{4}-(0[1-9]|1[0-2])') then make_date(p[1:4]::int, p[6:7]::int, 1)
    when regexp_full_match(p, '\d{4}-Q[1-4]') then make_date(p[1:4]::int, (p[7:7]::int - 1) * 3 + 1, 1)
end;

create or replace macro hcsm_period_grain(p) as case
    when regexp_full_match(p, '\d{4}') then 'year'
    when regexp_full_match(p, '\d{4}-(0[1-9]|1[0-2])') then 'month'
    when regexp_full_match(p, '\d{4}-Q[1-4]') then 'quarter'
end;
