-- Versions of the tables marts read, so a mart whose inputs and SQL are unchanged is not rebuilt.
-- Writers set a table's version when they change it (pipelines/warehouse/versions.py); a table with no version
-- here is treated as changed on every run.
create table if not exists audit.table_versions (
    table_name varchar primary key,
    version varchar not null,
    changed_at timestamp not null
);
