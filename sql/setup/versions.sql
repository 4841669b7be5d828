-- Versions of the tables marts read, so a mart whose inputs and SQL are unchanged is not rebuilt.
-- Writers set a table's version when they change it (pipelines/warehouse/versions.py); a table with no version
-- here is treated as changed on every run.
create table if not exists audit.table_versions (
    table_name varchar primary key,
    version varchar not null,
    changed_at timestamp not null
);

-- Values computed from whole tables (a count, a summary) kept while those tables' versions are unchanged, so a
-- refresh with nothing new does not scan 10M rows to say what it said last time (versions.remembered).
create table if not exists audit.memo (
    name varchar primary key,
    input_key varchar not null,
    value json not null,
    computed_at timestamp not null
);
