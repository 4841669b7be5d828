"""core.posts -> core.posts_enriched: analyse only posts that are new, changed, or analysed by other rule versions.

Shape, for flat memory at any size and a kill at any point:
1. one streaming read of the posts to analyse (an anti-join against what is already analysed, on its own cursor);
2. batches of BATCH_ROWS texts analysed on every core by one worker pool started once, the next batch submitted
   before the last one is stored, so the workers never wait for DuckDB;
3. each batch appended to `scratch.posts_enriched_pending` and committed, so DuckDB never holds millions of
   uncommitted rows in memory, and a killed run's work is kept: the next run analyses only what is missing;
4. one transaction that drops stale rows from core.posts_enriched and moves the pending rows in. Until it commits,
   core.posts_enriched is exactly as the previous run left it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pyarrow as pa

import duckdb

from pipelines.analytics.posts import DEFAULT_SCORER, analysis_pool, analyzer_id
from pipelines.warehouse import cube, versions

# Texts analysed and committed together: large enough to keep both cores busy, small enough for flat memory.
BATCH_ROWS = 200_000
# Below this many posts the analysis runs in this process: starting the workers costs more than the second core
# saves. Measured on 2 cores (pool start included): 10,000 posts 0.73 s here against 1.04 s in a pool, 20,000
# 1.30 against 1.37 s, 30,000 1.87 against 1.64 s. HCSM_ANALYSIS_SERIAL_BELOW overrides it (the fault tests use
# a pool on a small input).
SERIAL_BELOW = 20_000

PENDING = "scratch.posts_enriched_pending"
_CURRENT = "p.post_id = {t}.post_id and p.content_hash = {t}.content_hash and {t}.scorer = $scorer"
_TODO = (
    f"from core.posts p where not exists (select 1 from core.posts_enriched e where {_CURRENT.format(t='e')}) "
    f"and not exists (select 1 from {PENDING} w where {_CURRENT.format(t='w')})"
)


def _store(conn: duckdb.DuckDBPyConnection, batch: pa.Table, wait: Callable[[], pa.Table], scorer: str,
           clock: _Clock) -> None:
    """Wait for one batch's analysis and commit it to the pending table."""
    result = wait()
    clock.lap("wait_for_analysis_s")
    scored = pa.table({
        "post_id": batch.column("post_id"),
        "content_hash": batch.column("content_hash"),
        **{name: result.column(name) for name in result.column_names},
        "scorer": pa.array([scorer] * result.num_rows, pa.string()),
    })
    conn.register("_scored", scored)
    try:
        conn.execute(f"insert into {PENDING} by name select * from _scored")
    finally:
        conn.unregister("_scored")
    clock.lap("store_s")


def _prepare_pending(conn: duckdb.DuckDBPyConnection, scorer: str) -> None:
    """The pending table, shaped like core.posts_enriched, holding only rows still worth keeping."""
    conn.execute("create schema if not exists scratch")
    columns = "select column_name, data_type from information_schema.columns where table_schema = $s " \
              "and table_name = $t order by ordinal_position"
    wanted = conn.execute(columns, {"s": "core", "t": "posts_enriched"}).fetchall()
    have = conn.execute(columns, {"s": "scratch", "t": "posts_enriched_pending"}).fetchall()
    if have != wanted:  # first run, or the enriched table gained columns: the pending rows are of no use
        conn.execute(f"create or replace table {PENDING} as select * from core.posts_enriched limit 0")
        return
    # rows a killed run left: keep those that still match a current post under the current rules
    if conn.execute(f"select count(*) from {PENDING}").fetchone()[0]:
        conn.execute(
            f"delete from {PENDING} w where not exists (select 1 from core.posts p where {_CURRENT.format(t='w')})",
            {"scorer": scorer},
        )


def _all_current(conn: duckdb.DuckDBPyConnection, scorer: str) -> bool:
    """Whether every post has an analysis of its current text by this scorer, from two scans of two columns (0.3 s
    at 10M posts) rather than the anti-join that lists the posts without one (1.3 s): the count and the sum of
    hash(post_id, content_hash) over core.posts equal those over the rows of this scorer in core.posts_enriched
    only when both hold the same pairs (a post has one row there), but for a 64-bit hash collision."""
    posts = conn.execute("select count(*), sum(hash(post_id, content_hash)) from core.posts").fetchone()
    analysed = conn.execute("select count(*), sum(hash(post_id, content_hash)) from core.posts_enriched "
                            "where scorer = $scorer", {"scorer": scorer}).fetchone()
    return posts == analysed


def enrich_posts(conn: duckdb.DuckDBPyConnection, scorer_name: str = DEFAULT_SCORER, processes: int | None = None) -> dict:
    """Analyse what is new or changed, then publish it in one transaction (see the module docstring)."""
    scorer = analyzer_id(scorer_name)
    params = {"scorer": scorer}
    clock = _Clock()
    _prepare_pending(conn, scorer)
    resumed = conn.execute(f"select count(*) from {PENDING}").fetchall()[0][0]
    if resumed == 0 and _all_current(conn, scorer):
        todo = 0
    else:
        todo = conn.execute(f"select count(*) {_TODO}", params).fetchall()[0][0]
    clock.lap("prepare_s")
    if todo:
        # the reader runs on its own cursor: a streaming result blocks other statements on its connection
        reader_conn = conn.cursor()
        try:
            # the posting organization's type is a cue of the patient-information flag (risk.assess)
            reader = reader_conn.sql(
                "select p.post_id, p.content_hash, p.text, "
                "(select min(o.org_type) from core.organizations o where o.org_id = p.org_id) as org_type "
                f"{_TODO}", params=params).to_arrow_reader(BATCH_ROWS)
            serial_below = int(os.environ.get("HCSM_ANALYSIS_SERIAL_BELOW") or SERIAL_BELOW)
            with analysis_pool(scorer_name, 1 if todo < serial_below else processes) as submit:
                # one batch in flight while the previous one is stored and the next one read
                in_flight = None
                clock.lap("pool_start_s")
                for batch in _batches(reader, BATCH_ROWS):
                    clock.lap("read_s")
                    texts, org_types = batch.column("text").to_pylist(), batch.column("org_type").to_pylist()
                    waiting = (batch.select(["post_id", "content_hash"]), submit(texts, org_types))
                    clock.lap("submit_s")
                    if in_flight is not None:
                        _store(conn, *in_flight, scorer, clock)
                    in_flight = waiting
                if in_flight is not None:
                    _store(conn, *in_flight, scorer, clock)
        finally:
            reader_conn.close()
    clock.lap("pool_stop_s")
    conn.execute("begin")
    try:
        # rows of re-analysed posts (changed text, other rule versions) give way to their pending rows
        published = conn.execute(f"select count(*) from {PENDING}").fetchall()[0][0]
        # the cells of core.post_cube these posts are in are summed again (pipelines/warehouse/cube.py)
        cube.mark_posts(conn, f"select * from core.posts p semi join {PENDING} w on w.post_id = p.post_id")
        conn.execute(f"delete from core.posts_enriched where post_id in (select post_id from {PENDING})")
        conn.execute(f"insert into core.posts_enriched by name select * from {PENDING}")
        conn.execute(f"delete from {PENDING}")
        # Every current post now has a current row, so the tables have equal counts unless a row is stale (its
        # post gone, or a second row for a post): only then is the full anti-join worth its cost (13 s at 10M).
        counts = conn.execute(
            "select (select count(*) from core.posts_enriched), (select count(*) from core.posts)").fetchall()[0]
        if counts[0] != counts[1]:
            conn.execute(
                "delete from core.posts_enriched e where not exists "
                f"(select 1 from core.posts p where {_CURRENT.format(t='e')})",
                params,
            )
        if published or counts[0] != counts[1]:
            versions.changed(conn, "core.posts_enriched")
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    clock.lap("publish_s")
    total = conn.execute("select count(*) from core.posts_enriched").fetchall()[0][0]
    return {"scored": todo, "resumed": resumed, "rows": total, "scorer": scorer, "seconds": clock.laps}


class _Clock:
    """Seconds spent in each phase, summed over batches (for the step's metadata and the benchmark)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(self.laps.get(name, 0.0) + now - self._last, 3)
        self._last = now


def _batches(reader: pa.RecordBatchReader, rows: int):
    """Record batches of about `rows` rows (DuckDB hands out smaller vectors)."""
    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in reader:
        pending.append(batch)
        size += batch.num_rows
        if size >= rows:
            yield pa.Table.from_batches(pending)
            pending, size = [], 0
    if pending:
        yield pa.Table.from_batches(pending)
