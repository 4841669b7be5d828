-- Parsing helpers shared by the core models: every raw value is text and may be anything.
create or replace macro hcsm_text(x) as nullif(trim(x), '');

-- An account as posts and organizations.csv may spell it, compared lower-case: '@MayoClinic', 'mayoclinic',
-- 'https://www.linkedin.com/company/mayo-clinic/' (-> 'mayo-clinic'), '@user@mastodon.social' (-> 'user@mastodon.social').
create or replace macro hcsm_account(x) as nullif(lower(regexp_replace(regexp_replace(trim(x),
    '^(https?://)?(www\.|m\.)?(x|twitter|facebook|instagram|linkedin|youtube|tiktok|reddit|bsky)\.(com|app)/'
    || '(company/|school/|channel/|user/|u/|profile/)?@?', '', 'i'), '^@|/+$', '', 'g')), '');

-- A count: an integer, or a float with no fraction ("12.0" from spreadsheets); else null.
create or replace macro hcsm_count(x) as coalesce(
    try_cast(hcsm_text(x) as bigint),
    case when try_cast(hcsm_text(x) as double) = floor(try_cast(hcsm_text(x) as double))
         then try_cast(try_cast(hcsm_text(x) as double) as bigint) end
);

-- A count's text as the posts model reads it: thousands separators dropped (1,234 and 1 234 are 1234);
-- "n/a", "na", "-", "null" and "none" are empty.
create or replace macro hcsm_count_text(x) as case
    when regexp_full_match(hcsm_text(x), '\d{1,3}([, ]\d{3})+') then regexp_replace(hcsm_text(x), '[, ]', '', 'g')
    when lower(hcsm_text(x)) not in ('n/a', 'na', '-', 'null', 'none') then hcsm_text(x)
end;

-- The count of such a text: a whole number, signed, possibly written "12.0"; else null.
create or replace macro hcsm_count_value(t) as
    case when regexp_full_match(t, '[+-]?\d+(\.0*)?') then hcsm_count(t) end;

-- Why the count `name` is rejected, saying what to fix; null when it is empty or fine.
-- A bad value as a quarantine reason shows it: cut to n characters, with what could be patient information masked
-- first (e-mail addresses, phone and social-security numbers, record numbers), since a misaligned row can put post
-- text into any column and reasons are shown on the quality page and in logs.
create or replace macro hcsm_shown(x, n) as left(
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(x,
        '[^\s@]+@[^\s@]+\.[A-Za-z]{2,}', '[e-mail]', 'g'),
        '(?i)\b(mrn|medical record|record|patient|chart)\s*(no\.?|number|num|id|#)?\s*[:#]?\s*[A-Z]{0,3}\d{4,}', '[record number]', 'g'),
        '\b\d{3}-\d{2}-\d{4}\b', '[ssn]', 'g'),
        '(\+?1[-. ]?)?\(?\b\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\b', '[phone]', 'g'),
    n);

create or replace macro hcsm_count_why(t, value, name) as case
    when t is null then null
    when value is not null then case when value < 0 then 'negative ' || name end
    when regexp_full_match(lower(t), '\d+([.,]\d+)?\s*[km]')
        then name || ' is abbreviated (like 12k); export exact counts'
    when regexp_full_match(t, '[+-]?\d+(\.\d+)?[eE][+-]?\d+')
        then name || ' is in scientific notation, which spreadsheets round; export exact counts'
    else name || ' ''' || hcsm_shown(t, 40) || ''' is not a whole number; export counts as plain integers'
end;

-- Timestamps, returned in UTC (the session time zone is UTC, so a naive time is taken as UTC):
-- ISO 8601 with Z, an offset or a zone name; Twitter API v1 ("Thu Mar 04 10:02:11 +0000 2021") and RFC 2822;
-- Unix epoch seconds (10 digits) or milliseconds (13 digits); slash dates month-first (US) unless day_first,
-- which the posts model decides per file; year-first slash dates.
create or replace macro hcsm_ts(x, day_first := false) as coalesce(
    try_cast(try_cast(regexp_replace(hcsm_text(x), '\s+([+-]\d{2}:?\d{2})$', '\1') as timestamptz) as timestamp),
    try_cast(try_strptime(hcsm_text(x), ['%a %b %d %H:%M:%S %z %Y', '%a, %d %b %Y %H:%M:%S %z']) as timestamp),
    case
        when regexp_full_match(hcsm_text(x), '\d{10}') then make_timestamp(hcsm_text(x)::bigint * 1000000)
        when regexp_full_match(hcsm_text(x), '\d{13}') then make_timestamp(hcsm_text(x)::bigint * 1000)
    end,
    case
        when day_first then try_strptime(hcsm_text(x), [
            '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y %I:%M:%S %p', '%d/%m/%Y %I:%M %p', '%d/%m/%Y'])
        else try_strptime(hcsm_text(x), [
            '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p', '%m/%d/%Y'])
    end,
    try_strptime(hcsm_text(x), ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d'])
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

-- A period [period_start, period_end) is partial when the data's coverage of it is partial: the data starts more
-- than PARTIAL_TOLERANCE (one day) after the period starts, or ends more than one day before the period ends.
create or replace macro hcsm_is_partial(data_start, data_end, period_start, period_end) as
    data_start > period_start::timestamp + interval 1 day or data_end < period_end::timestamp - interval 1 day;
