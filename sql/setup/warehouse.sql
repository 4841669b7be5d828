-- The warehouse's fixed tables: raw landing, quarantine and audit. Idempotent; run before every write.
create schema if not exists raw;
create schema if not exists core;
create schema if not exists marts;
create schema if not exists quarantine;
create schema if not exists audit;

-- One row per file load: the unit of lineage, idempotency (file_sha256) and reconciliation.
create table if not exists audit.loads (
    load_id varchar primary key,
    kind varchar not null,
    source_file varchar not null,
    file_sha256 varchar not null,
    file_bytes bigint not null,
    file_format varchar not null,
    loaded_at timestamp not null,
    rows_read bigint not null,
    status varchar not null,          -- raw: landed, not yet typed; processed: typed into core; failed: unreadable
    processed_at timestamp,
    batch_id varchar                  -- the core run that processed it
);

-- Problems with a whole file (unreadable, missing required columns, unknown extra columns).
create table if not exists audit.file_issues (
    load_id varchar not null,
    source_file varchar not null,
    severity varchar not null,        -- error: blocks reports; warning: shown on the quality page
    issue varchar not null,
    detail varchar not null,
    recorded_at timestamp not null
);

create table if not exists audit.load_reconciliation (
    load_id varchar primary key,
    kind varchar not null,
    source_file varchar not null,
    loaded_at timestamp not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    rows_duplicate bigint not null,
    -- rows_read = loaded + quarantined + duplicate, enforced here so an unbalanced load cannot be written
    check (rows_read = rows_loaded + rows_quarantined + rows_duplicate)
);

create table if not exists audit.check_results (
    check_name varchar not null,
    asset varchar not null,
    passed boolean not null,
    severity varchar not null,
    message varchar not null,
    checked_at timestamp not null
);

-- loads whose core.posts rows passed the Great Expectations posts suite of this version: a refresh validates only
-- the rows of newer loads (the posts suite checks each row on its own, so earlier results stay true)
create table if not exists audit.gx_validated_loads (
    kind varchar not null,
    suite_version varchar not null,
    load_id varchar not null,
    validated_at timestamp not null
);

-- What each input file was (size, times, inode) when its bytes were last hashed: a refresh hashes only a file whose
-- stat differs, or whose last change was too close to that hash to tell (pipelines/warehouse/loader.py).
create table if not exists audit.file_fingerprints (
    kind varchar not null,
    source_file varchar not null,
    file_bytes bigint not null,
    mtime_ns bigint not null,
    ctime_ns bigint not null,
    inode bigint not null,
    file_sha256 varchar not null,
    hashed_at_ns bigint not null,
    primary key (kind, source_file)
);

create table if not exists quarantine.rejected_rows (
    kind varchar not null,
    load_id varchar not null,
    source_file varchar not null,
    source_row bigint,
    column_name varchar,
    reason varchar not null,
    raw_record json,
    rejected_at timestamp not null
);

-- Raw layers: every contract column as text, exactly as read, plus lineage.
create table if not exists raw.posts (
    post_id varchar, platform varchar, org_id varchar, posted_at varchar, text varchar,
    likes varchar, shares varchar, comments varchar, views varchar, url varchar, lang varchar,
    _extra json, _source_file varchar not null, _source_row bigint not null, _load_id varchar not null
);

create table if not exists raw.organizations (
    org_id varchar, org_name varchar, org_type varchar, country varchar, region varchar,
    _extra json, _source_file varchar not null, _source_row bigint not null, _load_id varchar not null
);

create table if not exists raw.user_growth (
    platform varchar, period varchar, region varchar, users varchar, source varchar, license varchar,
    _extra json, _source_file varchar not null, _source_row bigint not null, _load_id varchar not null
);

create table if not exists core.platforms (
    alias varchar primary key,
    platform varchar not null,
    platform_name varchar not null
);

create table if not exists core.posts (
    post_id varchar not null,         -- unique by construction (core merge); checked by the posts checks
    platform varchar not null,
    org_id varchar not null,
    posted_at timestamp not null,     -- UTC
    text varchar not null,
    likes bigint, shares bigint, comments bigint, views bigint,
    url varchar, lang varchar,
    content_hash ubigint not null,
    _source_file varchar not null, _source_row bigint not null, _load_id varchar not null
);

create table if not exists core.organizations (
    org_id varchar not null,
    org_name varchar not null,
    org_type varchar not null,
    country varchar, region varchar,
    _source_file varchar not null, _source_row bigint not null, _load_id varchar not null
);

-- native exports (issue 12): the account a post came from and the zone of a time written without one
alter table raw.posts add column if not exists account varchar;
alter table raw.posts add column if not exists account_id varchar;
alter table raw.posts add column if not exists time_zone varchar;
alter table core.posts add column if not exists account varchar;  -- the platform account (handle) of a native export
-- organizations.csv: the page's time zone (for exports without one) and its accounts per platform
alter table raw.organizations add column if not exists time_zone varchar;
alter table raw.organizations add column if not exists x_handle varchar;
alter table raw.organizations add column if not exists x_user_id varchar;
alter table raw.organizations add column if not exists facebook_page varchar;
alter table raw.organizations add column if not exists facebook_page_id varchar;
alter table raw.organizations add column if not exists instagram_username varchar;
alter table raw.organizations add column if not exists instagram_account_id varchar;
alter table raw.organizations add column if not exists linkedin_page varchar;
alter table raw.organizations add column if not exists youtube_channel_id varchar;
alter table raw.organizations add column if not exists tiktok_username varchar;
alter table raw.organizations add column if not exists reddit_username varchar;
alter table raw.organizations add column if not exists bluesky_handle varchar;
alter table raw.organizations add column if not exists bluesky_did varchar;
alter table raw.organizations add column if not exists mastodon_account varchar;
alter table core.organizations add column if not exists time_zone varchar;
alter table core.organizations add column if not exists x_handle varchar;
alter table core.organizations add column if not exists x_user_id varchar;
alter table core.organizations add column if not exists facebook_page varchar;
alter table core.organizations add column if not exists facebook_page_id varchar;
alter table core.organizations add column if not exists instagram_username varchar;
alter table core.organizations add column if not exists instagram_account_id varchar;
alter table core.organizations add column if not exists linkedin_page varchar;
alter table core.organizations add column if not exists youtube_channel_id varchar;
alter table core.organizations add column if not exists tiktok_username varchar;
alter table core.organizations add column if not exists reddit_username varchar;
alter table core.organizations add column if not exists bluesky_handle varchar;
alter table core.organizations add column if not exists bluesky_did varchar;
alter table core.organizations add column if not exists mastodon_account varchar;

create table if not exists core.user_growth (
    platform varchar not null,
    period varchar not null,
    period_start date not null,
    period_grain varchar not null,
    region varchar not null,
    users double not null,
    source varchar not null,
    license varchar,
    _source_file varchar not null, _source_row bigint not null, _load_id varchar not null
);

-- reference figures (issue 15): published healthcare adoption figures, one a row with its source
create table if not exists raw.reference (
    subject varchar, platform varchar, period varchar, region varchar, metric varchar, value varchar,
    unit varchar, source varchar, denominator varchar, license varchar,
    _extra json, _source_file varchar not null, _source_row bigint not null, _load_id varchar not null
);

create table if not exists core.reference (
    subject varchar not null,
    platform varchar not null,
    period varchar not null,
    period_start date not null,
    period_grain varchar not null,
    region varchar not null,
    metric varchar not null,
    value double not null,
    unit varchar not null,
    denominator double,
    share double,                     -- the figure as a fraction: a share, or a count over its denominator
    source varchar not null,
    license varchar,
    _source_file varchar not null, _source_row bigint not null, _load_id varchar not null
);

-- Cells (organization, platform, month) of core.post_cube to sum again: marked by the core merge and the enrichment
-- in the transaction that changes their posts, cleared when the cubes are refreshed (pipelines/warehouse/cube.py).
create table if not exists core.post_cube_dirty (
    org_id varchar not null,
    platform varchar not null,
    month date not null
);

create table if not exists core.posts_enriched (
    post_id varchar not null,         -- unique by construction (core merge); checked by the posts checks
    content_hash ubigint not null,
    sentiment_score double not null,
    sentiment_label varchar not null,
    scorer varchar not null           -- analyzer id: sentiment scorer, themes config and risk rules versions
);
-- Added with themes and risk flags; a warehouse from before gets them here and its posts are re-analysed
-- because their analyzer id differs.
alter table core.posts_enriched add column if not exists themes varchar[];
alter table core.posts_enriched add column if not exists phi_kinds varchar[];   -- patient-information kinds found
alter table core.posts_enriched add column if not exists health_claim boolean;    -- claim wording, sourced or not
alter table core.posts_enriched add column if not exists unsourced_claim boolean;
alter table core.posts_enriched add column if not exists unprofessional boolean;
alter table core.posts_enriched add column if not exists risk_reasons varchar[]; -- never contain the detected value
alter table core.posts_enriched add column if not exists text_redacted varchar;  -- null when nothing was redacted

-- Results of the sentiment evaluation command (data/eval/results.json), loaded with the platforms at setup.
create table if not exists core.sentiment_evaluation (
    dataset varchar not null,
    scorer varchar not null,
    scorer_version varchar not null,
    n bigint not null,
    accuracy double not null,
    macro_f1 double not null,
    macro_recall double
);
-- the confusion matrix as text: true negative, neutral, positive rows, each "predicted neg neu pos"
alter table core.sentiment_evaluation add column if not exists confusion varchar;

-- Every labelled sentiment set present at build time scored by every scorer (pipelines/defs/validation.py): one row
-- per set, scorer, true and predicted label, zeros included. scores_posts marks the scorer that scored
-- core.posts_enriched, whose confusion corrects the reported shares (pipelines/analytics/calibration.py).
create table if not exists core.sentiment_validation (
    dataset varchar not null,
    source varchar not null,
    scorer varchar not null,
    scorer_version varchar not null,
    scores_posts boolean not null,
    true_label varchar not null,
    pred_label varchar not null,
    posts bigint not null
);

-- every publication of the report site: 'ok' after a full build, 'stopped' when a run stopped and the pages were
-- republished with a banner (the marts of the last 'ok' build, or none yet) and the reason
create table if not exists audit.site_builds (
    built_at timestamp not null,
    status varchar not null,
    reason varchar
);
