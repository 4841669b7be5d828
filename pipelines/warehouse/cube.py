"""core.post_cube and core.post_theme_cube: the posts summed per organization, platform and month, kept up to date
cell by cell, so the marts over all time read small sums instead of every post (issue 14, item 2).

Which cells to re-sum is written down where posts change, in the same transaction as the change:
- the core merge (pipelines/warehouse/core.py) marks the cells of the posts it replaces (their old organization,
  platform and month) and of the posts it inserts;
- the enrichment (pipelines/warehouse/enrich.py) marks the cells of the posts whose analysis it publishes.
`refresh_cubes` then, in one transaction, deletes the marked cells from both tables, sums them again from the
posts, and clears the marks. A refresh that stops leaves the marks in place, so the next one re-sums them; a
cell marked twice is summed once. The cubes are built in full when either table is missing, when their SQL
changed (its hash is kept in audit.table_versions), or with HCSM_REBUILD_MARTS=1.
"""

from __future__ import annotations

import duckdb

from pipelines.warehouse import versions
from pipelines.warehouse.sql import read_sql

DIRTY = "core.post_cube_dirty"
TABLES = ("core.post_cube", "core.post_theme_cube")
_DEFINITION = "core.post_cube:definition"  # the audit.table_versions row holding the hash of the cubes' SQL
_CELL = "org_id, platform, date_trunc('month', posted_at)::date as month"
_SAME_CELL = "c.org_id = s.org_id and c.platform = s.platform and c.month = s.month"


def mark_posts(conn: duckdb.DuckDBPyConnection, posts_sql: str) -> None:
    """Mark the cells of the posts that `posts_sql` selects (a query with org_id, platform and posted_at)."""
    conn.execute(f"insert into {DIRTY} select distinct {_CELL} from ({posts_sql})")


def _models() -> dict[str, str]:
    return {table: read_sql(f"core/{table.split('.')[1]}.sql") for table in TABLES}


def refresh_cubes(conn: duckdb.DuckDBPyConnection, force: bool = False) -> dict:
    """Re-sum the marked cells (or every cell, see the module docstring); return what was done."""
    models = _models()
    definition = versions.digest(*models.values())
    full = (force or versions.rebuild_forced() or not all(versions.table_exists(conn, t) for t in TABLES)
            or versions.versions(conn).get(_DEFINITION) != definition)
    marked = conn.execute(f"select count(*) from {DIRTY}").fetchone()[0]
    if not full and not marked:
        return {"full": False, "cells": 0, "rows": _rows(conn)}
    conn.execute("begin")
    try:
        if full:
            conn.execute(f"create or replace temp table _cube_scope as select distinct {_CELL} from core.posts")
        else:
            conn.execute(f"create or replace temp table _cube_scope as select distinct org_id, platform, month from {DIRTY}")
        cells = conn.execute("select count(*) from _cube_scope").fetchone()[0]
        for table, model in models.items():
            if full:
                conn.execute(f"create or replace table {table} as {model}")
            else:
                conn.execute(f"delete from {table} c using _cube_scope s where {_SAME_CELL}")
                conn.execute(f"insert into {table} by name {model}")
        missing = conn.execute(
            "select count(*), coalesce(sum(posts - analysed), 0) from core.post_cube c "
            f"semi join _cube_scope s on {_SAME_CELL} where analysed < posts"
        ).fetchone()
        if missing[0]:
            raise RuntimeError(
                f"core.post_cube: {missing[1]:,} post(s) in {missing[0]:,} cell(s) have no analysis in "
                "core.posts_enriched yet; materialize core/posts_enriched first (the cube sums analysed posts)"
            )
        conn.execute(f"delete from {DIRTY}")
        for table in TABLES:
            versions.changed(conn, table)
        versions.set_version(conn, _DEFINITION, definition)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    finally:
        conn.execute("drop table if exists _cube_scope")
    return {"full": full, "cells": cells, "rows": _rows(conn)}


def _rows(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute("select count(*) from core.post_cube").fetchone()[0]
