"""Real Great Expectations validations of small frames read from DuckDB, as the core layer hands them over."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import duckdb
import pandas as pd
import pytest

from pipelines.quality.gx_suites import (
    COLUMNS,
    EXAMPLE_CHARS,
    MAX_EXAMPLES,
    SUITE_KINDS,
    _gx_friendly,
    build_suite,
    validate_frames,
)

POSTS_SQL = """
select * from (values
    ('p1', 'linkedin', 'org1', timestamp '2024-03-01 10:00', 'Flu shots available now', 10, 2, 1, 1000,
     'https://example.org/1', 'en', 'posts.csv', 1, 'load-1'),
    ('p2', 'x', 'org2', timestamp '2004-01-01 00:00', 'Join our webinar', null, null, null, null,
     null, null, 'posts.csv', 2, 'load-1'),
    ('p3', 'facebook_pages', 'org1', timestamp '2019-07-04 18:30', 'New study published', 0, 0, 0, 5,
     'https://example.org/3', 'es', 'posts.csv', 3, 'load-1')
) as t(post_id, platform, org_id, posted_at, text, likes, shares, comments, views,
       url, lang, _source_file, _source_row, _load_id)
"""
ORGANIZATIONS_SQL = """
select * from (values
    ('org1', 'General Hospital', 'hospital', 'US', 'Ohio'),
    ('org2', 'Health Agency', 'public_health_agency', 'GB', null),
    ('org3', 'Med News', 'health_media', null, null)
) as t(org_id, org_name, org_type, country, region)
"""
USER_GROWTH_SQL = """
select * from (values
    ('linkedin', '2023', date '2023-01-01', 'year', 'global', 930.0, 'annual report', null),
    ('linkedin', '2024-Q2', date '2024-04-01', 'quarter', 'global', 1000.5, 'annual report', 'CC-BY'),
    ('x', '2024-11', date '2024-11-01', 'month', 'US', 95.25, 'survey', null)
) as t(platform, period, period_start, period_grain, region, users, source, license)
"""
REFERENCE_SQL = """
select * from (values
    ('hospitals', 'facebook', '2012', date '2012-01-01', 'year', 'US', 'hospitals_present', 3351.0, 'hospitals',
     3371.0, 3351.0 / 3371, 'Griffis et al.', null),
    ('us_adults', 'youtube', '2023', date '2023-01-01', 'year', 'US', 'share_of_adults', 0.83, 'fraction', null, 0.83,
     'Pew Research Center', null),
    ('physicians', 'sermo', '2016-05', date '2016-05-01', 'month', 'World', 'members', 600000.0, 'people', null, null,
     'Sermo company statements', 'not stated')
) as t(subject, platform, period, period_start, period_grain, region, metric, value, unit, denominator, share,
       source, license)
"""
SQL = {"posts": POSTS_SQL, "organizations": ORGANIZATIONS_SQL, "user_growth": USER_GROWTH_SQL,
       "reference": REFERENCE_SQL}


def read(kind: str) -> pd.DataFrame:
    with duckdb.connect() as con:
        return con.execute(SQL[kind]).fetch_df()


def failed(outcome) -> set[tuple[str, tuple[str, ...]]]:
    return {(r.expectation_type, r.columns) for r in outcome.failures()}


NOT_NULL = "expect_column_values_to_not_be_null"
BETWEEN = "expect_column_values_to_be_between"
REGEX = "expect_column_values_to_match_regex"
IN_SET = "expect_column_values_to_be_in_set"
COLUMN_SET = ("expect_table_columns_to_match_set", ())


@pytest.mark.parametrize("kind", SUITE_KINDS)
def test_valid_frame_passes(kind):
    frame = read(kind)
    outcome = validate_frames(kind, [frame])
    assert outcome.success, outcome.summary_markdown()
    assert outcome.rows == len(frame) == 3
    assert len(outcome.results) == len(build_suite(kind).expectations)


def test_duckdb_dtypes_are_the_awkward_ones():
    # The fixtures must look like DuckDB output, or the dtype handling goes untested.
    dtypes = read("posts").dtypes
    assert str(dtypes["likes"]) == "Int32" and str(dtypes["posted_at"]) == "datetime64[us]"


def test_frames_reach_gx_in_dtypes_it_checks_vectorised():
    # GX checks Int32 or datetime64[us] one Python call per value: 9 s instead of 1.1 s per million posts.
    frame = read("posts")
    dtypes = _gx_friendly(frame).dtypes
    numeric = ("likes", "shares", "comments", "views", "_source_row")
    assert {str(dtypes[c]) for c in numeric} <= {"int64", "float64"}
    assert str(dtypes["posted_at"]) == "datetime64[ns]"
    assert str(frame.dtypes["likes"]) == "Int32"  # the caller's frame is left alone


def test_timezone_aware_timestamps_are_compared_in_utc():
    frame = read("posts")
    frame["posted_at"] = frame["posted_at"].dt.tz_localize("UTC")
    assert validate_frames("posts", [frame]).success
    # 2004-01-01 00:30 in Paris is 2003-12-31 23:30 UTC: before the earliest allowed post.
    paris = pd.Series(pd.to_datetime(["2004-01-01 00:30"] * 3)).dt.tz_localize("Europe/Paris")
    frame["posted_at"] = paris
    assert failed(validate_frames("posts", [frame])) == {(BETWEEN, ("posted_at",))}


def _set(column, value, row=0):
    def mutate(frame):
        frame.loc[row, column] = value
        return frame

    return mutate


DEFECTS = [
    ("posts", "null post_id", _set("post_id", None), (NOT_NULL, ("post_id",))),
    ("posts", "negative likes", _set("likes", -3), (BETWEEN, ("likes",))),
    ("posts", "negative views", _set("views", -1, row=2), (BETWEEN, ("views",))),
    ("posts", "post before 2004", _set("posted_at", pd.Timestamp("2003-12-31")), (BETWEEN, ("posted_at",))),
    ("posts", "post in year 1000", _set("posted_at", pd.Timestamp("1000-01-01")), (BETWEEN, ("posted_at",))),
    (
        "posts",
        "post in the future",
        _set("posted_at", pd.Timestamp(datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=3))),
        (BETWEEN, ("posted_at",)),
    ),
    ("posts", "platform not a slug", _set("platform", "LinkedIn"), (REGEX, ("platform",))),
    ("posts", "missing column", lambda f: f.drop(columns=["lang"]), COLUMN_SET),
    ("posts", "extra column", lambda f: f.assign(author="someone"), COLUMN_SET),
    ("organizations", "unknown org_type", _set("org_type", "spa"), (IN_SET, ("org_type",))),
    (
        "organizations",
        "duplicate org_id",
        _set("org_id", "org2"),
        ("expect_column_values_to_be_unique", ("org_id",)),
    ),
    ("organizations", "null org_name", _set("org_name", None), (NOT_NULL, ("org_name",))),
    ("user_growth", "month 13", _set("period", "2024-13"), (REGEX, ("period",))),
    ("user_growth", "quarter without dash", _set("period", "2024Q1"), (REGEX, ("period",))),
    ("user_growth", "unknown grain", _set("period_grain", "week"), (IN_SET, ("period_grain",))),
    ("user_growth", "zero users", _set("users", 0.0), (BETWEEN, ("users",))),
    ("user_growth", "negative users", _set("users", -5.0), (BETWEEN, ("users",))),
    (
        "user_growth",
        "duplicate key",
        lambda f: pd.concat([f, f.iloc[[1]].assign(users=2.0)], ignore_index=True),
        ("expect_compound_columns_to_be_unique", ("platform", "period", "region", "source")),
    ),
]


@pytest.mark.parametrize(("kind", "defect", "mutate", "expected"), DEFECTS, ids=[d[1] for d in DEFECTS])
def test_each_defect_fails_exactly_its_expectation(kind, defect, mutate, expected):
    outcome = validate_frames(kind, [mutate(read(kind))])
    assert not outcome.success
    assert failed(outcome) == {expected}, outcome.summary_markdown()


def test_column_set_failure_names_the_drifted_columns():
    frame = read("posts").drop(columns=["lang"]).assign(author="x")
    (result,) = validate_frames("posts", [frame]).failures()
    assert result.examples == ["unexpected: author", "missing: lang"]


def test_chunks_are_added_up():
    frame = pd.concat([read("posts")] * 4, ignore_index=True)  # 12 rows
    frame.loc[[0, 4, 5, 11], "likes"] = -1
    long_slug = "Not A Slug " * 10
    frame.loc[[1, 7], "platform"] = long_slug
    outcome = validate_frames("posts", [frame.iloc[:4], frame.iloc[4:8], frame.iloc[8:]])
    assert (outcome.rows, outcome.chunks) == (12, 3)
    by_key = {(r.expectation_type, r.columns): r for r in outcome.results}
    likes = by_key[(BETWEEN, ("likes",))]
    assert (likes.success, likes.unexpected_count, likes.element_count) == (False, 4, 12)
    assert likes.examples == ["-1"]  # repeated values are listed once
    platform = by_key[(REGEX, ("platform",))]
    assert platform.unexpected_count == 2
    assert platform.examples == [long_slug[: EXAMPLE_CHARS - 1] + "…"]
    assert by_key[(NOT_NULL, ("post_id",))].success  # a chunk that passed everywhere stays passed


def test_examples_are_capped():
    frame = pd.concat([read("organizations")] * 4, ignore_index=True)
    frame["org_type"] = [f"type_{i}" for i in range(len(frame))]
    outcome = validate_frames("organizations", [frame.iloc[:6], frame.iloc[6:]])
    (result,) = [r for r in outcome.failures() if r.expectation_type == IN_SET]
    assert result.unexpected_count == 12
    assert result.examples == [f"type_{i}" for i in range(MAX_EXAMPLES)]


def _stream(cursor):
    while len(frame := cursor.fetch_df_chunk(1)):
        yield frame


def test_chunks_streamed_from_duckdb():
    # The lead's real path: fetch_df_chunk streams 2,048-row vectors; defects land in several chunks.
    with duckdb.connect() as con:
        con.execute(f"create table posts as {POSTS_SQL}")
        con.execute("create table many as select posts.* replace (post_id || '-' || i as post_id, "
                    "case when i % 1000 = 0 then -1 else likes end as likes) "
                    "from posts, range(2000) r(i)")  # 6,000 rows, 6 negative likes
        cursor = con.execute("select * from many order by _source_row, post_id")
        outcome = validate_frames("posts", _stream(cursor))
    assert (outcome.rows, outcome.chunks) == (6000, 3)
    assert failed(outcome) == {(BETWEEN, ("likes",))}
    (likes,) = outcome.failures()
    assert (likes.unexpected_count, likes.element_count) == (6, 6000)


def test_empty_table_still_checks_columns():
    empty = read("posts").iloc[:0]
    assert validate_frames("posts", [empty]).success
    assert failed(validate_frames("posts", [empty.drop(columns=["url"])])) == {COLUMN_SET}
    with pytest.raises(ValueError, match="no frames"):
        validate_frames("posts", [])
    with pytest.raises(ValueError, match="unknown suite kind"):
        build_suite("comments")


def test_metadata_and_markdown_for_the_dagster_ui():
    frame = read("posts")
    frame.loc[0, "likes"] = -7
    outcome = validate_frames("posts", [frame])
    meta = outcome.to_metadata()
    json.dumps(meta)  # Dagster metadata must serialise
    assert meta["rows"] == 3 and meta["expectations_failed"] == 1
    assert meta["expectations_evaluated"] == len(outcome.results) > 10
    assert meta["failed: column_values_to_be_between(likes)"] == "1 of 3 unexpected, e.g. -7"
    markdown = outcome.summary_markdown()
    lines = markdown.splitlines()
    assert lines[0].startswith("**posts**: 3 rows")
    assert lines[4].startswith("| **FAIL** | column_values_to_be_between(likes) | 1 | -7 |")  # failures first
    assert len(lines) == 4 + len(outcome.results)


def test_suites_cover_every_column_set():
    for kind in SUITE_KINDS:
        column_sets = [e.column_set for e in build_suite(kind).expectations if hasattr(e, "column_set")]
        assert column_sets == [list(COLUMNS[kind])]


def test_gx_prints_nothing(capfd):
    # Default GX contexts draw tqdm progress bars on stderr; ours must not.
    validate_frames("posts", [read("posts")])
    assert capfd.readouterr() == ("", "")


def test_a_missing_checked_column_is_reported_not_raised():
    outcome = validate_frames("posts", [read("posts").drop(columns=["likes"])])
    assert failed(outcome) == {COLUMN_SET, (BETWEEN, ("likes",))}
    (likes,) = [r for r in outcome.failures() if r.columns == ("likes",)]
    assert likes.error and "likes" in likes.error
    assert outcome.to_metadata()["failed: column_values_to_be_between(likes)"].startswith("error: ")


PRELOAD_SCRIPT = """
import sys
from pathlib import Path

import duckdb

from pipelines.quality import gx_suites
from pipelines.warehouse.contracts import ORGANIZATIONS
from pipelines.warehouse.loader import land_new_files
from pipelines.warehouse.sql import setup_warehouse

assert "great_expectations" not in sys.modules, "GX was imported before any input landed"
data = Path(sys.argv[1])
conn = duckdb.connect(str(data / "warehouse.duckdb"))
setup_warehouse(conn)
calls = []

def hook():
    calls.append(gx_suites._preloading)  # not started yet
    gx_suites.preload()

land_new_files(conn, ORGANIZATIONS, data, on_new_file=hook)
thread = gx_suites._preloading
assert calls == [None] and thread is not None and thread.name == "gx-preload", (calls, thread)
land_new_files(conn, ORGANIZATIONS, data, on_new_file=hook)  # the same file again: nothing new, no call
assert calls == [None], calls
outcome = gx_suites.validate_frames("organizations", [conn.sql(sys.argv[2]).df()])
assert not thread.is_alive() and outcome.success and outcome.rows == 3, outcome.failures()
print("ok")
"""


def test_new_input_starts_the_gx_import_beside_the_landing(tmp_path):
    """The raw assets land new files with on_new_file=preload: the hook runs once, only when a file is new, and
    starts the GX import in a thread the validation then waits for (a fresh interpreter, where GX is not loaded)."""
    import subprocess
    import sys
    from pathlib import Path

    from hostile_corpus import organizations_csv

    (tmp_path / "organizations.csv").write_bytes(organizations_csv())
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", PRELOAD_SCRIPT, str(tmp_path), ORGANIZATIONS_SQL], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stdout + done.stderr
