"""A run that stopped still tells the reader: the site is republished with a banner and the reason.

A good build records itself in audit.site_builds ('ok'). When a blocking check fails or an input step raises,
publish_stopped() rebuilds the pages from the marts of the last good build (they were not rebuilt on the bad data)
with a banner "data as of <last good build>; the run of <time> stopped: <reason>" on every page, and the quality
page from the live audit and quarantine tables, so it names the file and check that stopped the run. On a new
warehouse (no good build yet) the same pages are written with no figures. The next good build replaces them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

# the quality marts read only audit.* and quarantine.*, which a stopped run has brought up to date
LIVE_MARTS = ("quality_checks", "quality_quarantine", "quality_reconciliation")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record_build(conn: duckdb.DuckDBPyConnection, built_at: datetime, status: str = "ok", reason: str | None = None) -> None:
    conn.execute("insert into audit.site_builds values ($t, $s, $r)",
                 {"t": built_at.replace(tzinfo=None), "s": status, "r": reason})


def last_good_build(conn: duckdb.DuckDBPyConnection) -> datetime | None:
    return conn.execute("select max(built_at) from audit.site_builds where status = 'ok'").fetchone()[0]


def stopping_reasons(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The latest failed result of every blocking (ERROR) check, worded for the banner."""
    rows = conn.execute(
        "select asset, check_name, message from audit.check_results where severity = 'ERROR' "
        "qualify row_number() over (partition by check_name, asset order by checked_at desc) = 1 and not passed "
        "order by asset, check_name"
    ).fetchall()
    return [f"{check} on {asset}: {message}" for asset, check, message in rows]


def _existing_marts(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]


def quarantine_warnings(checks) -> list[str]:
    """Failed quarantine_growth checks, for the overview's alert box beside the spike alerts."""
    if checks is None or not len(checks) or "check_name" not in checks:
        return []
    failed = checks[(checks["check_name"] == "quarantine_growth") & ~checks["passed"].fillna(False).astype(bool)]
    return [f"Data quality ({asset.removeprefix('core/')}): {message}" for asset, message in zip(failed["asset"], failed["message"])]


def banner(data_as_of: datetime | None, stopped_at: datetime, reason: str) -> dict[str, str]:
    from pipelines.reporting.formatting import fmt_timestamp

    as_of = f"data as of {fmt_timestamp(data_as_of)}" if data_as_of else "no report data yet (no run has finished)"
    return {"as_of": as_of, "stopped_at": fmt_timestamp(stopped_at), "reason": reason,
            "text": f"{as_of}; the run of {fmt_timestamp(stopped_at)} stopped: {reason}"}


def publish_stopped(conn: duckdb.DuckDBPyConnection, reports_dir: Path, reason: str,
                    stopped_at: datetime | None = None) -> dict[str, str]:
    """Republish the site with the stop banner; returns the banner. Never raises for want of marts."""
    from pipelines.reporting.site import write_site
    from pipelines.warehouse.sql import mart_names, read_sql

    stopped_at = stopped_at or now()
    good = last_good_build(conn)
    marts = {}
    if good is not None:
        existing = set(_existing_marts(conn))
        # mart names come from our own sql/marts folder
        marts = {name: conn.execute(f"select * from marts.{name}").df() for name in mart_names() if name in existing}
    for name in LIVE_MARTS:
        marts[name] = conn.execute(read_sql(f"marts/{name}.sql")).df()
    note = banner(good, stopped_at, reason)
    alerts = marts["alerts"]["message"].tolist() if "alerts" in marts else []
    alerts += quarantine_warnings(marts.get("quality_checks"))
    write_site(reports_dir, marts, generated_at=stopped_at, alerts=alerts, status=note)
    record_build(conn, stopped_at, "stopped", reason)
    return note
