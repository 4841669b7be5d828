"""raw -> core: type pending loads with the SQL models in sql/core/, quarantine rejects, deduplicate, reconcile.

Rules (documented in the README):
- A row that fails a check goes to quarantine.rejected_rows with the column and every reason, and its raw record.
  Records the loader could not parse are already there; both count as quarantined in the reconciliation.
- Notes a model makes on how it read a value (a guessed date order, a time without zone, control characters
  removed) become one warning per file and note in audit.file_issues.
- Among valid rows with the same key, the newest load wins, and within a file the last row wins; the others
  count as duplicates. A posts row identical to the one already in core also counts as a duplicate.
- posts merge into core (incremental); organizations and user_growth are snapshots rebuilt from the newest
  load of every file still present.
- Everything for one batch happens in one transaction, so a killed run leaves core as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from . import cube, versions
from .contracts import ACCOUNT_COLUMNS, Contract
from .sql import read_sql

_HELPER_COLUMNS = "_key, _reject_column, _reject_reason, _notes, _loaded_at, _rank, _status"


@dataclass
class BatchResult:
    kind: str
    batch_id: str | None
    loads: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int
    core_rows: int


def _ids(conn: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[str]:
    return [r[0] for r in conn.execute(sql, params).fetchall()]


def export_time_zone() -> tuple[str, bool]:
    """(zone, set by the user): HCSM_EXPORT_TIME_ZONE, the zone of export times written without one (Meta's
    "Publish time", LinkedIn's day) for organizations with no time_zone in organizations.csv; UTC by default."""
    zone = os.environ.get("HCSM_EXPORT_TIME_ZONE", "").strip()
    return (zone, True) if zone else ("UTC", False)


def _settings(conn: duckdb.DuckDBPyConnection) -> None:
    zone, given = export_time_zone()
    conn.execute("create or replace temp table _hcsm_settings as select $zone as export_time_zone, "
                 "$given as zone_from_setting", {"zone": zone, "given": given})
    conn.execute("create or replace temp table _hcsm_account_columns (col varchar, platform varchar, field varchar)")
    conn.executemany("insert into _hcsm_account_columns values (?, ?, ?)", [list(c) for c in ACCOUNT_COLUMNS])


def process(conn: duckdb.DuckDBPyConnection, contract: Contract, present_files: list[str]) -> BatchResult:
    kind = contract.kind
    pending = _ids(conn, "select load_id from audit.loads where kind = $k and status = 'raw' order by load_id", {"k": kind})
    if contract.mode == "merge":
        scope = pending
    else:
        scope = _ids(
            conn,
            "select arg_max(load_id, loaded_at) from audit.loads where kind = $k and status in ('raw', 'processed') "
            "and source_file in (select unnest($files)) group by source_file",
            {"k": kind, "files": present_files},
        )
    core_table = f"core.{kind}"  # kind comes from our contracts, never from data
    model = read_sql(f"core/{kind}.sql")
    # a replaced table rebuilt from the same loads by the same model would come out the same: keep it
    unchanged = contract.mode != "merge" and versions.versions(conn).get(core_table) == versions.digest(sorted(scope), model)
    if not pending and (contract.mode == "merge" or unchanged):
        n = conn.execute(f"select count(*) from {core_table}").fetchone()[0]
        return BatchResult(kind, None, 0, 0, 0, 0, 0, n)

    now = datetime.now(UTC).replace(tzinfo=None)
    batch_id = f"{kind}-batch-{now:%Y%m%dT%H%M%S%f}"
    conn.execute("begin")
    try:
        _settings(conn)
        conn.execute("create or replace temp table _scope as select unnest($ids::varchar[]) as load_id", {"ids": scope})
        conn.execute("create or replace temp table _pending as select unnest($ids::varchar[]) as load_id", {"ids": pending})
        # every model lists its row checks as {col, why, bad}; the failed ones become the reject column and reasons
        conn.execute(
            "create or replace temp table _staged as "
            "select * exclude (checks, failures), "
            "failures[1].col as _reject_column, "
            "nullif(array_to_string(list_transform(failures, lambda c: c.why), '; '), '') as _reject_reason "
            f"from (select *, list_filter(checks, lambda c: coalesce(c.bad, false)) as failures from ({model}))"
        )
        # the raw record of a rejected row, as JSON, is read back from raw here: only rejected rows pay for it
        # (to_json of every row in the model cost 0.6-0.9 s per million posts)
        conn.execute(
            "insert into quarantine.rejected_rows "
            "select $kind, s._load_id, s._source_file, s._source_row, s._reject_column, s._reject_reason, to_json(r), $at "
            f"from _staged s inner join raw.{kind} r on r._load_id = s._load_id and r._source_row = s._source_row "
            "where s._reject_reason is not null and s._load_id in (select load_id from _pending) "
            "order by s._load_id, s._source_row",
            {"kind": kind, "at": now},
        )
        conn.execute(
            "insert into audit.file_issues "
            "select _load_id, _source_file, 'warning', 'how values were read', "
            "_source_file || ': ' || count(*) || ' row(s): ' || note || ' (first at row ' || min(_source_row) || ')', $at "
            "from (select unnest(_notes) as note, _load_id, _source_file, _source_row from _staged "
            "      where _reject_reason is null and _load_id in (select load_id from _pending)) "
            "group by _load_id, _source_file, note order by _source_file, note",
            {"at": now},
        )
        ranked = (
            "(select *, row_number() over (partition by _key order by _loaded_at desc, _load_id desc, _source_row desc)"
            " as _rank from _staged where _reject_reason is null)"
        )
        if contract.mode == "merge":
            # rank and classify in one statement (one temp table fewer: 12 s -> 8 s at 1M posts)
            conn.execute(
                "create or replace temp table _outcome as select r.*, case when r._rank = 1 and "
                "(c.post_id is null or c.content_hash <> r.content_hash) then 'loaded' else 'duplicate' end as _status "
                f"from {ranked} r left join core.posts c on c.post_id = r._key"
            )
            # the cells of core.post_cube these posts leave and enter are summed again (pipelines/warehouse/cube.py)
            cube.mark_posts(conn, "select * from core.posts where post_id in "
                                  "(select _key from _outcome where _status = 'loaded')")
            conn.execute("delete from core.posts where post_id in (select _key from _outcome where _status = 'loaded')")
            cube.mark_posts(conn, "select * from _outcome where _status = 'loaded'")
        else:
            conn.execute(
                "create or replace temp table _outcome as select *, "
                f"case when _rank = 1 then 'loaded' else 'duplicate' end as _status from {ranked}"
            )
            conn.execute(f"delete from {core_table}")
        conn.execute(
            f"insert into {core_table} by name select * exclude ({_HELPER_COLUMNS}) from _outcome where _status = 'loaded'"
        )
        conn.execute(
            "insert into audit.load_reconciliation "
            "select l.load_id, l.kind, l.source_file, l.loaded_at, l.rows_read, "
            "coalesce(o.loaded, 0), coalesce(q.rejected, 0), coalesce(o.duplicate, 0) "
            "from audit.loads l "
            "left join (select _load_id, count(*) filter (where _status = 'loaded') as loaded, "
            "           count(*) filter (where _status = 'duplicate') as duplicate from _outcome group by 1) o "
            "  on o._load_id = l.load_id "
            # the loader's unparseable records and this batch's rejects, all in quarantine by now
            "left join (select load_id, count(*) as rejected from quarantine.rejected_rows "
            "           where load_id in (select load_id from _pending) group by 1) q "
            "  on q.load_id = l.load_id "
            "where l.load_id in (select load_id from _pending)"
        )
        conn.execute(
            "update audit.loads set status = 'processed', processed_at = $at, batch_id = $batch "
            "where load_id in (select load_id from _pending)",
            {"at": now, "batch": batch_id},
        )
        totals = conn.execute(
            "select count(*), coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0), "
            "coalesce(sum(rows_quarantined), 0), coalesce(sum(rows_duplicate), 0) "
            "from audit.load_reconciliation where load_id in (select load_id from _pending)"
        ).fetchone()
        core_rows = conn.execute(f"select count(*) from {core_table}").fetchone()[0]
        if contract.mode == "merge":
            versions.changed(conn, core_table)
        else:  # rebuilt from the files present: the same files and model give the same table
            versions.set_version(conn, core_table, versions.digest(sorted(scope), model))
        if pending:
            versions.changed(conn, versions.AUDIT)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return BatchResult(kind, batch_id, *totals, core_rows)
