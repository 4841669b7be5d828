"""Hostile input files (tests/hostile_corpus.py) through the real loader and core step, with exact outcomes.

Each case either loads correctly, lands row by row in quarantine with a reason, or fails the file with one error
naming it and what to fix; every load balances. Most tests call the loader directly on a temporary warehouse
file (fast); the last ones go through the Dagster assets and the blocking input_health check.
"""

from __future__ import annotations

import json
import os
from datetime import datetime

import dagster as dg
import pytest

import hostile_corpus as hc
from pipelines.warehouse import health
from pipelines.warehouse.contracts import POSTS


@pytest.fixture
def wh(tmp_path):
    conn, data = hc.open_warehouse(tmp_path)
    yield Warehouse(conn, data)
    conn.close()


class Warehouse:
    def __init__(self, conn, data):
        self.conn, self.data = conn, data

    def load(self, *cases: str, **files: bytes) -> None:
        """Write the named corpus cases (and name=bytes files) under posts/, land and process them."""
        for case in cases:
            name, build = hc.CASES[case]
            (self.data / "posts" / name).write_bytes(build())
        for name, data in files.items():
            (self.data / "posts" / name).write_bytes(data)
        hc.load_posts(self.conn, self.data)
        assert hc.accounting_problems(self.conn) == []

    def q(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.conn.execute(sql, params or {}).fetchall()

    def text(self, post_id: str) -> str:
        return self.q("select text from core.posts where post_id = $p", {"p": post_id})[0][0]

    def recon(self, case: str) -> tuple:
        return self.q("select l.status, r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_duplicate "
                      "from audit.loads l join audit.load_reconciliation r using (load_id) where l.source_file = $f",
                      {"f": self.source(case)})[0]

    def rejected(self, case: str) -> list[tuple]:
        return self.q("select source_row, column_name, reason from quarantine.rejected_rows where source_file = $f "
                      "order by source_row", {"f": self.source(case)})

    def issues(self, case: str, severity: str | None = None) -> list[str]:
        return [r[0] for r in self.q(
            "select detail from audit.file_issues where source_file = $f and ($s is null or severity = $s) order by all",
            {"f": self.source(case), "s": severity})]

    def problems(self) -> list[str]:
        present = [p.relative_to(self.data).as_posix() for p in POSTS.files(self.data)]
        return health.load_problems(self.conn, POSTS, present, str(self.data / "posts"))

    @staticmethod
    def source(case: str) -> str:
        return "posts/" + hc.CASES[case][0]


@pytest.mark.parametrize(("case", "post_id", "text", "issue"), [
    ("cp1252", "enc-cp1252", "Café – “open late” €5 co-pay, naïve",
     "not UTF-8: read as cp1252; save it as UTF-8 to avoid guessing"),
    ("latin1", "enc-latin1", "Ærø naïve café © 1990", "not UTF-8: read as latin-1; save it as UTF-8 to avoid guessing"),
    ("latin1_c1", "enc-latin1c1", "Zürich clinic", "not UTF-8: read as latin-1; save it as UTF-8 to avoid guessing"),
    ("utf16", "u16-1", "Grüße aus der Klinik 💙", "read as UTF-16; save it as UTF-8 to avoid conversion"),
    ("utf8_bom", "bom-1", hc.TEXTS[0], None),
    ("damaged_utf8", "dmg-2", "broken here: \ufffd",
     "1 invalid UTF-8 byte sequence(s) replaced by \ufffd; re-export the file as UTF-8"),
])
def test_encodings_are_detected_and_named(wh, case, post_id, text, issue):
    wh.load(case)
    assert wh.text(post_id) == text
    rows = 2 if case == "damaged_utf8" else 1
    assert wh.recon(case) == ("processed", rows, rows, 0, 0)
    warnings = [w for w in wh.issues(case, "warning") if "UTF" in w or "read as" in w]
    assert warnings == ([f"{wh.source(case)}: {issue}"] if issue else [])
    assert wh.issues(case, "error") == []


def test_mixed_line_ends_and_values_over_several_lines(wh):
    wh.load("mixed_newlines", "embedded_newlines")
    assert wh.recon("mixed_newlines") == ("processed", 3, 3, 0, 0)
    assert wh.text("nl-2") == "line one\nline two"
    assert wh.text("ml-1") == "para one\n\npara two"
    assert wh.text("ml-2") == "a\nb\nc"
    # a row after the multi-line values keeps its own row number
    assert _first_part(wh.rejected("embedded_newlines")) == [(4, "posted_at", "unparseable posted_at")]
    assert wh.q("select _source_row from core.posts where post_id = 'ml-3'") == [(3,)]


@pytest.mark.parametrize(("case", "said", "post_id", "text"), [
    ("pipe_delimited", "'|'", "pipe-1", "comma, inside"),
    ("tab_delimited", "tab", "tab-1", "comma, and | pipe"),
    ("semicolon_delimited", "';'", "semi-1", "prix: 3,50 €"),
])
def test_pipe_tab_and_semicolon_delimited_files_load(wh, case, said, post_id, text):
    wh.load(case)
    assert wh.recon(case) == ("processed", 2, 2, 0, 0)
    assert wh.text(post_id) == text
    assert wh.issues(case) == [f"{wh.source(case)}: read with {said} as the delimiter"]


def test_missing_required_columns_reject_the_file_with_one_message(wh):
    wh.load("missing_columns")
    source = wh.source("missing_columns")
    assert wh.recon("missing_columns") == ("rejected", 3, 0, 3, 0)
    assert wh.rejected("missing_columns") == [
        (i, "org_id", "file is missing required column(s): org_id, text") for i in (1, 2, 3)]
    [error] = wh.issues("missing_columns", "error")
    assert error.startswith(f"{source}: missing required column(s) org_id, text; found post_id, platform, posted_at")
    assert "Rename or add them (required: post_id, platform, org_id, posted_at, text)" in error
    assert error in wh.problems()
    assert wh.q("select count(*) from core.posts") == [(0,)]


def test_extra_reordered_and_repeated_columns(wh):
    wh.load("extra_columns", "reordered_columns", "repeated_headers")
    extra = wh.q("select _extra from raw.posts where post_id = 'extra-1'")[0][0]
    assert json.loads(extra) == {"Campaign": "spring", "text); drop table raw.posts; --": "x"}
    assert wh.issues("extra_columns") == [
        f"{wh.source('extra_columns')}: columns not in the contract kept in raw._extra: Campaign, "
        "text); drop table raw.posts; --"]
    assert wh.q("select likes, text from core.posts where post_id = 'order-1'") == [(5, "reordered")]
    assert wh.text("rep-1") == hc.TEXTS[0]  # the first "text" column is used
    rep = json.loads(wh.q("select _extra from raw.posts where post_id = 'rep-1'")[0][0])
    assert rep == {"text": "second text", "(blank column 7)": "blank-named"}
    assert wh.q("select likes from core.posts where post_id = 'rep-1'") == [(4,)]
    assert any("column(s) text appear more than once" in i for i in wh.issues("repeated_headers"))


def test_wrong_types_parse_what_is_unambiguous(wh):
    wh.load("wrong_types")
    got = {raw: (likes, reason) for raw, likes, reason in wh.q(
        "select r.likes, c.likes, q.reason from raw.posts r left join core.posts c on c.post_id = r.post_id "
        "left join quarantine.rejected_rows q on q.load_id = r._load_id and q.source_row = r._source_row "
        "where r.post_id like 'type-%'")}
    assert got == hc.WRONG_TYPE_OUTCOMES
    assert {c for (c,) in wh.q("select distinct column_name from quarantine.rejected_rows")} == {"likes"}
    assert wh.recon("wrong_types") == ("processed", 13, 5, 8, 0)


@pytest.mark.parametrize(("case", "what"), [
    ("empty", "is empty (0 bytes)"), ("header_only", "has no data rows"), ("whitespace_only", "has no data rows")])
def test_files_without_rows_warn_and_balance_at_zero(wh, case, what):
    wh.load(case)
    assert wh.recon(case) == ("processed", 0, 0, 0, 0)
    assert wh.issues(case) == [f"{wh.source(case)}: the file {what}"]
    assert not [p for p in wh.problems() if wh.source(case) in p]


def test_a_one_megabyte_post_loads_whole(wh):
    wh.load("huge_text")
    assert wh.q("select length(text) from core.posts where post_id = 'huge-1'") == [(1 << 20,)]
    assert wh.recon("huge_text") == ("processed", 2, 2, 0, 0)


def test_control_characters_are_dropped_from_text_and_refused_in_ids(wh):
    wh.load("control_chars")
    assert wh.text("ctl-1") == "NUL here, ESC[31m red, bell, tab\tand\nnewline kept"
    assert wh.rejected("control_chars") == [(2, "post_id", "post_id contains control characters")]
    assert wh.issues("control_chars") == [
        f"{wh.source('control_chars')}: 1 row(s): control characters removed from text (first at row 1)"]


@pytest.mark.parametrize(("case", "message"), [
    ("binary_garbage", "is binary, not text (471 control bytes in 4,096); check that it is the export itself"),
    ("zip_renamed", "is a ZIP archive (an Excel .xlsx workbook?), not text; export it as CSV UTF-8."),
    ("nul_heavy", "is mostly NUL bytes: binary, or UTF-16 text without a byte-order mark; save it as CSV UTF-8."),
    ("truncated_parquet", "could not be read as parquet (Invalid Input Error: No magic bytes found at end of file"),
])
def test_unreadable_files_fail_with_one_error_naming_them(wh, case, message):
    wh.load(case, **{"good.csv": hc.csv_text(hc.base_rows("ok", 2)).encode()})
    assert wh.recon(case) == ("failed", 0, 0, 0, 0)
    [error] = wh.issues(case)
    assert error.startswith(f"{wh.source(case)}: {message}")
    assert wh.problems() == [error]
    assert wh.q("select count(*) from core.posts") == [(2,)]


def _first_part(rejected: list[tuple]) -> list[tuple]:
    """A reason without the quoted value and the fix that follow it (asserted by test_reasons_quote_the_value)."""
    return [(row, col, why.split(" '")[0]) for row, col, why in rejected]


def test_a_file_of_mostly_unparseable_rows_blocks_with_one_message(wh):
    good = hc.csv_text([hc._row("most-1")])
    bad = "".join(f"most-{i},Facebook,h1,2021-01-01T00:00:00Z,one, two,1,1,1,,,en\n" for i in (2, 3, 4))
    wh.load(**{"mostly_bad.csv": (good + bad).encode()})
    assert wh.problems() == [
        "posts/mostly_bad.csv: 3 of 4 rows rejected (most often 'row has 12 fields, the header has 11: quote values "
        "that contain the delimiter', first at row 2); see quarantine.rejected_rows and fix the export"]


def test_duplicate_post_ids_within_and_across_files(wh):
    wh.load("duplicates_within")
    assert wh.text("dup-1") == "second, wins"
    assert wh.recon("duplicates_within") == ("processed", 3, 2, 0, 1)
    wh.load(**{"batch_1.csv": hc.duplicates_across_old()})
    wh.load(**{"batch_2.csv": hc.duplicates_across_new()})
    assert wh.text("dupx-1") == "new version"
    assert wh.q("select rows_read, rows_loaded, rows_quarantined, rows_duplicate from audit.load_reconciliation "
                "where source_file = 'posts/batch_2.csv'") == [(2, 1, 0, 1)]
    assert wh.q("select count(*) from core.posts where post_id like 'dupx-%'") == [(2,)]


def test_timestamps_in_several_formats_and_zones(wh):
    wh.load("timestamps")
    got = dict(wh.q("select r.posted_at, c.posted_at::varchar from raw.posts r "
                    "left join core.posts c on c.post_id = r.post_id where r.post_id like 'ts-%'"))
    assert got == hc.TIMESTAMPS
    assert _first_part(wh.rejected("timestamps")) == [(15, "posted_at", "unparseable posted_at"),
                                         (16, "posted_at", "unparseable posted_at"),
                                         (17, "posted_at", "unparseable posted_at")]
    src = wh.source("timestamps")
    # a time without zone is UTC by the contract and says nothing; a guessed day/month order warns
    assert wh.issues("timestamps") == [
        f"{src}: 2 row(s): posted_at like 03/04/2021 is ambiguous and was read as month/day/year (US); write ISO 8601 "
        "dates (2021-03-04T05:06:00Z) to avoid guessing (first at row 13)",
    ]


def test_day_first_dates_are_read_day_first_when_the_file_shows_it(wh):
    wh.load("day_first_dates")
    assert wh.q("select post_id, posted_at::varchar from core.posts order by post_id") == [
        ("dmy-0", "2021-03-25 10:00:00"), ("dmy-1", "2021-03-04 10:00:00"), ("dmy-2", "2020-11-12 00:00:00")]
    assert any("read as day/month/year" in i for i in wh.issues("day_first_dates"))


def test_dates_before_2004_02_04_or_in_the_future_are_quarantined(wh):
    wh.load("out_of_range_dates")
    early = "posted_at before 2004-02-04 (Facebook's launch), too early for a post"
    future = "posted_at is in the future (more than a day after the load)"
    assert wh.rejected("out_of_range_dates") == [
        (1, "posted_at", early), (2, "posted_at", early), (4, "posted_at", future), (5, "posted_at", future)]
    assert wh.q("select posted_at from core.posts") == [(datetime(2004, 2, 4),)]


def test_rows_the_parser_cannot_split_are_quarantined_with_their_row_number(wh):
    wh.load("ragged_rows")
    assert wh.rejected("ragged_rows") == [
        (3, None, "row has 12 fields, the header has 11: quote values that contain the delimiter"),
        (4, None, "row has 4 fields, the header has 11"),
        (6, None, "a quoted value is not closed, or has text after its closing quote: double every quote inside a "
                  "quoted value"),
        (8, None, "a quoted value is not closed, or has text after its closing quote: double every quote inside a "
                  "quoted value"),
    ]
    assert wh.q("select post_id, _source_row from core.posts order by 2") == [
        ("rag-1", 1), ("rag-2", 2), ("rag-5", 5), ("rag-7", 7)]
    record = json.loads(wh.q("select raw_record from quarantine.rejected_rows where source_row = 4")[0][0])
    assert record == {"record": "rag-4,Facebook,h1,2021-01-01T00:00:00Z"}
    assert wh.recon("ragged_rows") == ("processed", 8, 4, 4, 0)
    assert f"{wh.source('ragged_rows')}: 4 of 8 rows could not be parsed and are in quarantine" in wh.issues("ragged_rows")


def test_hostile_json_lines(wh):
    wh.load("jsonl_hostile")
    assert wh.q("select post_id, _source_row, text from core.posts order by 2") == [
        ("js-1", 1, hc.TEXTS[0]), ("js-2", 2, hc.TEXTS[0]), ("js-3", 5, '{"nested":true}'), ("js-5", 7, hc.TEXTS[0])]
    assert json.loads(wh.q("select _extra from raw.posts where post_id = 'js-2'")[0][0]) == {"a/b~c": "odd key", 'q"k': "1"}
    assert wh.q("select likes from core.posts where post_id = 'js-2'") == [(3,)]
    assert wh.rejected("jsonl_hostile") == [(3, None, "line is not a JSON object"), (4, None, "line is not a JSON object"),
                                            (6, None, "line is not a JSON object")]


def test_file_names_are_bound_never_pasted_or_globbed(wh):
    wh.load("sql_in_file_name", "glob_in_file_name", "glob_in_parquet_name",
            **{"ab.csv": hc.csv_text([hc._row("sibling-1")]).encode(), "p1.parquet": hc.parquet("sibling-2")})
    # a*.csv and p[1].parquet read only themselves, not the siblings their names match as globs
    assert wh.q("select _source_file, list(post_id order by post_id) from raw.posts group by 1 order by 1") == [
        ("posts/a*.csv", ["glob-1"]), ("posts/ab.csv", ["sibling-1"]), ("posts/p1.parquet", ["sibling-2"]),
        ("posts/p[1].parquet", ["globpq-1"]), ("posts/x'; drop table raw.posts; --.csv", ["name-1"])]


def test_symlinks_cannot_leave_the_data_folder(wh, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_bytes(hc.csv_text([hc._row("outside-1")]).encode())
    inside = wh.data / "posts" / "real.csv"
    inside.write_bytes(hc.csv_text([hc._row("inside-1")]).encode())
    os.symlink(inside, wh.data / "posts" / "alias.csv")  # stays inside: loaded like any file
    assert [p.name for p in POSTS.files(wh.data)] == ["alias.csv", "real.csv"]

    os.symlink(outside / "secret.csv", wh.data / "posts" / "evil.csv")
    with pytest.raises(ValueError, match=r"^posts/evil.csv: resolves outside the data folder .* copy the file into"):
        POSTS.files(wh.data)
    (wh.data / "posts" / "evil.csv").unlink()

    os.symlink(outside, wh.data / "posts" / "linked_folder")
    with pytest.raises(ValueError, match=r"^posts/linked_folder: resolves outside the data folder"):
        hc.load_posts(wh.conn, wh.data)
    assert wh.q("select count(*) from raw.posts") == [(0,)]


def test_hidden_files_are_skipped(wh):
    (wh.data / "posts" / "._export.csv").write_bytes(hc.binary_garbage())  # a macOS resource fork
    (wh.data / "posts" / ".backup").mkdir()
    (wh.data / "posts" / ".backup" / "old.csv").write_bytes(hc.csv_text([hc._row("hidden-1")]).encode())
    wh.load(**{"export.csv": hc.csv_text([hc._row("shown-1")]).encode()})
    assert wh.q("select source_file from audit.loads where kind = 'posts'") == [("posts/export.csv",)]


def test_whole_corpus_balances_and_a_rerun_adds_nothing(wh):
    wh.load(*hc.CASES)
    counts = "select (select count(*) from audit.loads), (select count(*) from quarantine.rejected_rows), " \
             "(select count(*) from audit.file_issues), (select count(*) from core.posts)"
    before = wh.q(counts)
    wh.load()
    assert wh.q(counts) == before
    statuses = dict(wh.q("select status, count(*) from audit.loads where kind = 'posts' group by 1"))
    assert statuses == {"processed": 29, "rejected": 1, "failed": 4}


# ---- through Dagster: the assets, and the blocking check that names the file --------------------------------------

def _dagster_run(workspace, *cases: str):
    from conftest import materialize_all

    for case in cases:
        name, build = hc.CASES[case]
        (workspace["data"] / "posts" / name).write_bytes(build())
    return materialize_all(workspace["data"], workspace["warehouse"], workspace["reports"], raise_on_error=False,
                           selection=dg.AssetSelection.groups("ingest", "core") - dg.AssetSelection.assets(
                               dg.AssetKey(["core", "posts_enriched"])))


def test_dagster_hostile_files_are_loaded_and_the_bad_one_is_named(workspace):
    from conftest import query

    result = _dagster_run(workspace, "cp1252", "binary_garbage", "empty", "ragged_rows")
    health_check = {(e.asset_key.to_user_string(), e.check_name): e for e in result.get_asset_check_evaluations()}[
        ("core/posts", "input_health")]
    assert not health_check.passed
    assert health_check.description.startswith("posts/binary_garbage.csv: is binary, not text")
    assert "empty.csv" not in health_check.description
    wh = workspace["warehouse"]
    assert query(wh, "select text from core.posts where post_id = 'enc-cp1252'") == [("Café – “open late” €5 co-pay, naïve",)]
    assert query(wh, "select count(*) from audit.load_reconciliation "
                     "where rows_read <> rows_loaded + rows_quarantined + rows_duplicate") == [(0,)]
    assert query(wh, "select source_row from quarantine.rejected_rows where source_file = 'posts/ragged_rows.csv' "
                     "order by 1") == [(3,), (4,), (6,), (8,)]


def test_dagster_symlink_outside_stops_the_run_with_its_name(workspace, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes(hc.csv_text([hc._row("far-1")]).encode())
    os.symlink(outside, workspace["data"] / "posts" / "far.csv")
    result = _dagster_run(workspace)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure and e.step_key.startswith("raw__posts"))
    assert "ValueError: posts/far.csv: resolves outside the data folder" in failure.event_specific_data.error.to_string()
