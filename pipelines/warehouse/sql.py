"""Find and run the project's SQL files; identifiers in them are ours, values are bound parameters."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb

from pipelines.warehouse import versions

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
# Written by `python -m pipelines.analytics.evaluate --json`; shown on the methodology page.
EVAL_RESULTS = Path(__file__).resolve().parents[2] / "data" / "eval" / "results.json"

_TABLE_REF = re.compile(r"\b(raw|core|marts|audit|quarantine)\.([a-z_][a-z0-9_]*)\b")


@cache
def read_sql(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def table_refs(sql: str) -> set[tuple[str, str]]:
    """(schema, table) pairs a model reads, so asset dependencies follow the SQL itself."""
    no_comments = re.sub(r"--[^\n]*", "", sql)
    return set(_TABLE_REF.findall(no_comments))


def mart_names() -> list[str]:
    return sorted(p.stem for p in (SQL_DIR / "marts").glob("*.sql"))


def setup_warehouse(conn: duckdb.DuckDBPyConnection) -> None:
    """Create schemas, fixed tables and macros if missing; refresh the platform alias table."""
    conn.execute("set TimeZone = 'UTC'")
    conn.execute(read_sql("setup/warehouse.sql"))
    conn.execute(read_sql("setup/macros.sql"))
    conn.execute(read_sql("setup/stats_macros.sql"))
    conn.execute(read_sql("setup/versions.sql"))
    conn.execute("begin")
    conn.execute("delete from core.platforms")
    conn.execute(
        "insert into core.platforms select alias, platform, platform_name from read_csv(?, header=true, all_varchar=true)",
        [str(CONFIG_DIR / "platforms.csv")],
    )
    conn.execute("delete from core.sentiment_evaluation")
    if EVAL_RESULTS.is_file():
        conn.executemany(
            "insert into core.sentiment_evaluation values (?, ?, ?, ?, ?, ?, ?, ?)", evaluation_rows(EVAL_RESULTS)
        )
    # both are rebuilt from repository files on every connection: their versions are the files' bytes
    versions.set_version(conn, "core.platforms", versions.digest((CONFIG_DIR / "platforms.csv").read_bytes()))
    versions.set_version(conn, "core.sentiment_evaluation",
                         versions.digest(EVAL_RESULTS.read_bytes() if EVAL_RESULTS.is_file() else None))
    conn.execute("commit")


def evaluation_rows(path: Path) -> list[tuple]:
    """(dataset, scorer, version, n, accuracy, macro_f1, macro_recall, confusion) per scorer and dataset in
    results.json; confusion as "34 11 3 / 3 34 12 / 3 5 44" (rows: true negative, neutral, positive)."""
    import json

    results = json.loads(path.read_text(encoding="utf-8"))
    return [
        (dataset, scorer, str(m.get("version", "")), int(m["n"]), float(m["accuracy"]), float(m["macro_f1"]),
         m.get("macro_recall"), _confusion(m.get("confusion")))
        for dataset, scorers in sorted(results.get("datasets", {}).items())
        for scorer, m in sorted(scorers.items())
    ]


def _confusion(confusion: dict | None) -> str | None:
    if not confusion or confusion.get("labels") != ["negative", "neutral", "positive"]:
        return None
    return " / ".join(" ".join(str(int(v)) for v in row) for row in confusion["matrix"])


def build_mart(conn: duckdb.DuckDBPyConnection, name: str) -> int:
    """Rebuild marts.<name> from sql/marts/<name>.sql in one transaction; returns its row count."""
    return refresh_mart(conn, name, force=True)[0]


def refresh_mart(conn: duckdb.DuckDBPyConnection, name: str, force: bool = False) -> tuple[int, bool]:
    """(row count, rebuilt): marts.<name> is rebuilt unless its SQL and the versions of every table it reads are
    those it was last built from (pipelines/warehouse/versions.py) and the table exists. HCSM_REBUILD_MARTS=1
    rebuilds every mart (after a table was changed by hand, outside the pipeline's writers)."""
    if name not in mart_names():
        raise ValueError(f"no SQL model sql/marts/{name}.sql")
    body = read_sql(f"marts/{name}.sql")
    table = f"marts.{name}"
    version = versions.mart_version(conn, body, table_refs(body))
    current = conn.execute("select version from audit.table_versions where table_name = $t", {"t": table}).fetchone()
    force = force or versions.rebuild_forced()
    rebuild = (force or version is None or not versions.table_exists(conn, table) or current is None
               or current[0] != version)
    if rebuild:
        conn.execute("begin")
        # name comes from our own file names (checked above), never from data
        conn.execute(f"create or replace table {table} as {body}")
        if version is None:
            versions.changed(conn, table)
        else:
            versions.set_version(conn, table, version)
        conn.execute("commit")
    return conn.execute(f"select count(*) from {table}").fetchone()[0], rebuild
