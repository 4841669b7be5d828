"""core.posts -> core.posts_enriched: score only posts that are new, changed, or scored by another scorer."""

from __future__ import annotations

import pyarrow as pa

import duckdb

from pipelines.analytics.sentiment import get_scorer, label, score_parallel

# Posts are fetched and scored in hash buckets of about this many rows, so memory stays flat at any size.
BUCKET_ROWS = 250_000

_TODO = (
    "from core.posts p left join core.posts_enriched e "
    "on e.post_id = p.post_id and e.content_hash = p.content_hash and e.scorer = $scorer "
    "where e.post_id is null"
)


def enrich_posts(conn: duckdb.DuckDBPyConnection, scorer_name: str = "healthcare", processes: int | None = None) -> dict:
    scorer = get_scorer(scorer_name)
    scorer_id = f"{scorer.name}:{scorer.version}"
    params = {"scorer": scorer_id}
    todo = conn.execute(f"select count(*) {_TODO}", params).fetchone()[0]
    buckets = max(1, -(-todo // BUCKET_ROWS))
    conn.execute("begin")
    try:
        # drop rows of posts that were replaced or re-scored, then add the new scores
        conn.execute(
            "delete from core.posts_enriched e where not exists (select 1 from core.posts p "
            "where p.post_id = e.post_id and p.content_hash = e.content_hash and e.scorer = $scorer)",
            params,
        )
        for b in range(buckets):
            batch = conn.sql(
                f"select p.post_id, p.content_hash, p.text {_TODO} and hash(p.post_id) % $n = $b",
                params={**params, "n": buckets, "b": b},
            ).to_arrow_table()
            if batch.num_rows == 0:
                continue
            scores = score_parallel(scorer_name, batch.column("text").to_pylist(), processes=processes)
            scored = pa.table({
                "post_id": batch.column("post_id"),
                "content_hash": batch.column("content_hash"),
                "sentiment_score": pa.array(scores, pa.float64()),
                "sentiment_label": pa.array([label(s) for s in scores], pa.string()),
            })
            conn.register("_scored", scored)
            conn.execute(
                "insert into core.posts_enriched by name "
                "select post_id, content_hash, sentiment_score, sentiment_label, $scorer as scorer from _scored",
                params,
            )
            conn.unregister("_scored")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    total = conn.execute("select count(*) from core.posts_enriched").fetchone()[0]
    return {"scored": todo, "rows": total, "scorer": scorer_id}
