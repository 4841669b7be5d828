"""Table versions: what lets a refresh skip a mart whose inputs and SQL have not changed.

A writer calls `changed(conn, table)` when it changes a table (a fresh random version) or `set_version(conn, table,
version)` with a version derived from what the table was built from (the same inputs give the same version, so
rebuilding a small table from unchanged files does not ripple through the marts). A mart's version is the hash of
its SQL and the versions of every table it reads (`mart_version`); `None` when any of them has no version, and a
mart with no version is always rebuilt. The audit and quarantine tables share one version ("audit"): the loader and
the core steps write them together.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb

AUDIT = "audit"  # the version of every audit.* and quarantine.* table but audit.check_results


def _key(schema: str, table: str) -> str:
    if schema in ("audit", "quarantine") and table != "check_results":
        return AUDIT
    return f"{schema}.{table}"


def set_version(conn: duckdb.DuckDBPyConnection, table: str, version: str) -> None:
    conn.execute(
        "insert or replace into audit.table_versions values ($t, $v, $at)",
        {"t": table, "v": version, "at": datetime.now(UTC).replace(tzinfo=None)},
    )


def changed(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    set_version(conn, table, uuid.uuid4().hex)


def versions(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(conn.execute("select table_name, version from audit.table_versions").fetchall())


def mart_version(conn: duckdb.DuckDBPyConnection, sql: str, refs: set[tuple[str, str]]) -> str | None:
    known = versions(conn)
    parts = [hashlib.sha256(sql.encode("utf-8")).hexdigest()]
    for key in sorted({_key(schema, table) for schema, table in refs}):
        if key not in known:
            return None
        parts.append(f"{key}={known[key]}")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


def rebuild_forced() -> bool:
    """HCSM_REBUILD_MARTS=1: rebuild every mart, the cubes and the site whatever their versions say (after a table
    was changed by hand, outside the pipeline's writers)."""
    return os.environ.get("HCSM_REBUILD_MARTS", "") not in ("", "0")


def table_exists(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether `schema.table` exists in the warehouse."""
    schema, _, name = table.partition(".")
    return conn.execute("select count(*) from duckdb_tables() where schema_name = $s and table_name = $n",
                        {"s": schema, "n": name}).fetchone()[0] > 0


def digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def remembered(conn: duckdb.DuckDBPyConnection, name: str, tables: Sequence[str], compute: Callable[[], Any]) -> Any:
    """compute()'s value (anything JSON holds), computed again only when a version of `tables` changed.

    For summaries over whole tables (10M rows) that a refresh with nothing new would otherwise recompute on each
    run; kept in audit.memo under `name`, keyed like a mart (mart_version of the name and the tables). A table
    without a version, or HCSM_REBUILD_MARTS=1, has it computed every time."""
    refs = {tuple(table.split(".", 1)) for table in tables}
    key = None if rebuild_forced() else mart_version(conn, name, refs)
    if key is not None:
        found = conn.execute("select value from audit.memo where name = $n and input_key = $k",
                             {"n": name, "k": key}).fetchone()
        if found is not None:
            return json.loads(found[0])
    value = compute()
    if key is not None:
        conn.execute("insert or replace into audit.memo values ($n, $k, $v, $at)",
                     {"n": name, "k": key, "v": json.dumps(value), "at": datetime.now(UTC).replace(tzinfo=None)})
    return value
