"""Dataset-level health of each input kind: problems that must stop the reports (no Dagster here)."""

from __future__ import annotations

import duckdb

from . import versions
from .contracts import Contract

# A file whose rows are mostly rejected is more likely a wrong export than a few bad rows.
MAX_REJECTED_SHARE = 0.5
# A platform's users growing more than tenfold within a year is implausible once it is established (10M users);
# young platforms do it (MySpace 2004-05, YouTube 2005-06 in the OWID series), so below that only a
# thousandfold jump, a units slip (thousands vs people), counts.
MAX_YEARLY_GROWTH = 10.0
ESTABLISHED_USERS = 10_000_000
MAX_YEARLY_GROWTH_YOUNG = 1000.0
_KEYS = {"posts": "post_id", "organizations": "org_id", "user_growth": "platform, period, region, source",
         "reference": "subject, platform, period, region, metric, source"}


def load_problems(conn: duckdb.DuckDBPyConnection, contract: Contract, present_files: list[str], folder_hint: str) -> list[str]:
    """Messages naming the file and what to fix; empty when the input is healthy."""
    problems: list[str] = []
    latest = conn.execute(
        "select l.load_id, l.source_file, l.status, r.rows_read, r.rows_quarantined "
        "from audit.loads l left join audit.load_reconciliation r using (load_id) "
        "where l.kind = $k and l.source_file in (select unnest($files::varchar[])) "
        "qualify row_number() over (partition by l.source_file order by l.loaded_at desc) = 1 "
        "order by l.source_file",
        {"k": contract.kind, "files": present_files},
    ).fetchall()
    for load_id, source_file, _status, rows_read, rows_quarantined in latest:
        for (detail,) in conn.execute(
            "select detail from audit.file_issues where load_id = $l and severity = 'error'", {"l": load_id}
        ).fetchall():
            problems.append(detail)
        if rows_read and rows_quarantined is not None and rows_quarantined / rows_read > MAX_REJECTED_SHARE:
            top = conn.execute(
                "select reason, column_name, count(*) n, min(source_row) first_row from quarantine.rejected_rows "
                "where load_id = $l group by 1, 2 order by n desc, first_row limit 1",
                {"l": load_id},
            ).fetchone()
            where = f" in column {top[1]}" if top[1] else ""
            problems.append(
                f"{source_file}: {rows_quarantined:,} of {rows_read:,} rows rejected "
                f"(most often '{top[0]}'{where}, first at row {top[3]}); "
                "see quarantine.rejected_rows and fix the export"
            )
    key = _KEYS[contract.kind]  # our own column names
    # a whole-table scan (1.5 s at 10M posts): kept while core.<kind> is unchanged
    core_rows, distinct_keys = versions.remembered(
        conn, f"input_health:core.{contract.kind}:keys", [f"core.{contract.kind}"],
        lambda: list(conn.execute(f"select count(*), count(distinct ({key})) from core.{contract.kind}").fetchone()),
    )
    if core_rows != distinct_keys:
        problems.append(f"core.{contract.kind} has {core_rows - distinct_keys:,} rows with a repeated key ({key}): "
                        "a deduplication defect, please report it")
    if core_rows == 0 and contract.needed:
        problems.append(f"core.{contract.kind} is empty: no usable rows were found in {folder_hint}")
    return problems


def implausible_growth(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.execute(
        "with s as (select platform, region, source, _source_file, period, period_start, users, "
        "lag(users) over w as prev_users, lag(period_start) over w as prev_start, lag(period) over w as prev_period "
        "from core.user_growth window w as (partition by platform, region, source, period_grain order by period_start)) "
        "select _source_file, platform, region, prev_period, period, prev_users, users from s "
        "where prev_users > 0 and period_start - prev_start <= 366 and (users / prev_users > $max_young "
        "or (users / prev_users > $max and prev_users >= $established)) "
        "order by _source_file, platform, period_start",
        {"max": MAX_YEARLY_GROWTH, "max_young": MAX_YEARLY_GROWTH_YOUNG, "established": ESTABLISHED_USERS},
    ).fetchall()
    return [
        f"{f}: {platform} ({region}) users jump {users / prev:,.1f}x from {p0} ({prev:,.0f}) to {p1} ({users:,.0f}); "
        "check the units (thousands vs millions) or the period"
        for f, platform, region, p0, p1, prev, users in rows
    ]


# A refresh that quarantines more than this share of the rows it read is worth a look even when no file is
# mostly bad (the blocking input_health check stops only above MAX_REJECTED_SHARE of one file).
QUARANTINE_WARN_SHARE = 0.02


def quarantine_growth(conn: duckdb.DuckDBPyConnection, kind: str, since) -> tuple[bool, str, int, int]:
    """(passed, message, rows read, rows quarantined) over the loads of `kind` landed after `since` (None: all).

    Fails (a warning, never blocking) when those loads quarantined more than QUARANTINE_WARN_SHARE of their rows;
    the message names the most frequent reasons with their counts."""
    read, quarantined = conn.execute(
        "select coalesce(sum(r.rows_read), 0), coalesce(sum(r.rows_quarantined), 0) "
        "from audit.loads l join audit.load_reconciliation r using (load_id) "
        "where l.kind = $k and ($since is null or l.loaded_at > $since)",
        {"k": kind, "since": since},
    ).fetchone()
    read, quarantined = int(read), int(quarantined)
    scope = "since the last run" if since is not None else "in all loads"
    if read == 0:
        return True, f"no new {kind} rows {scope}", 0, 0
    share = quarantined / read
    if share <= QUARANTINE_WARN_SHARE:
        return True, f"{quarantined:,} of {read:,} new {kind} rows quarantined {scope} ({share:.1%}, at most " \
                     f"{QUARANTINE_WARN_SHARE:.0%} expected)", read, quarantined
    top = conn.execute(
        "select q.reason, count(*) n from quarantine.rejected_rows q join audit.loads l using (load_id) "
        "where q.kind = $k and ($since is null or l.loaded_at > $since) group by 1 order by n desc, 1 limit 3",
        {"k": kind, "since": since},
    ).fetchall()
    reasons = "; ".join(f"{reason} -> {n:,} rows" for reason, n in top)
    return False, (f"quarantine grew: {quarantined:,} of {read:,} new {kind} rows quarantined {scope} ({share:.1%}, "
                   f"over {QUARANTINE_WARN_SHARE:.0%}): {reasons}; see the quality page"), read, quarantined
