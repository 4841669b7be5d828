"""DuckDB's CSV rejects -> one bad record per row with its reason and its data row number.

The readers run with store_rejects: a record DuckDB cannot parse is left out of the result and described in
_hcsm_rejects instead. collect() turns those into _hcsm_bad (data_row, reason, raw_record), which the loader puts
in quarantine, and renumber() gives the rows that were read the data row numbers they have in the file.
"""

from __future__ import annotations

import duckdb

from . import textfiles

# read_csv options that send unparseable records to the temp tables below instead of failing the read
OPTIONS = "store_rejects=true, rejects_table='_hcsm_rejects', rejects_scan='_hcsm_reject_scans'"
EMPTY = "create or replace temp table _hcsm_bad (data_row bigint, reason varchar, raw_record json)"
# A post of several megabytes is still a post; the limit only stops a runaway quote from eating the file.
MAX_RECORD_BYTES = 64 << 20
# The quarantine keeps this much of a record DuckDB could not parse (an open quote can swallow the whole file).
MAX_RECORD_CHARS = 10_000


def reset(conn: duckdb.DuckDBPyConnection) -> None:
    """Before a read: DuckDB adds to the reject tables of earlier reads on the connection."""
    conn.execute("drop table if exists _hcsm_rejects")
    conn.execute("drop table if exists _hcsm_reject_scans")


def collect(conn: duckdb.DuckDBPyConnection, prepared: textfiles.Prepared, header_lines: int, delim: str | None,
            fmt: str, count_blanks: bool = True) -> int:
    """DuckDB's rejects of the last read -> _hcsm_bad; returns how many records were bad. count_blanks: DuckDB
    skipped empty lines (a CSV with several columns) and they must be found to number the rows."""
    if not conn.execute("select count(*) from _hcsm_rejects").fetchone()[0]:
        return 0
    blanks = textfiles.blank_records(prepared.path, delim) if count_blanks and prepared.profile.has_empty_line else []
    return _reasons(conn, header_lines, blanks, fmt)


def _reasons(conn: duckdb.DuckDBPyConnection, header_lines: int, blanks: list[int], fmt: str) -> int:
    """DuckDB's rejects -> _hcsm_bad (one row per bad record: data row, reason, record text); returns the count.

    DuckDB numbers rejects by record in the file, header and skipped empty lines included; data rows count
    neither, so the empty lines before each reject (found by textfiles.blank_records) are subtracted."""
    conn.execute(
        "create or replace temp table _hcsm_blanks as "
        "select unnest($b::bigint[]) as record, generate_subscripts($b::bigint[], 1) as n",
        {"b": blanks},
    )
    conn.execute(
        "create or replace temp table _hcsm_bad as "
        "with per_record as ("
        "  select line, list(distinct error_type order by error_type) as types, "
        # one MISSING COLUMNS error per missing field: the first one counts the fields found
        "  arg_min(error_message, coalesce(column_idx, 0)) as message, "
        "  min(csv_line) as record from _hcsm_rejects group by line"
        ") "
        "select p.line - $header - coalesce(b.n, 0) as data_row, "
        "case "
        "  when $fmt = 'jsonl' and list_contains(p.types, 'LINE SIZE OVER MAXIMUM') then 'line is longer than ' || $limit "
        "  when $fmt = 'jsonl' then 'line is not a JSON object (it contains a control character)' "
        "  when list_contains(p.types, 'UNQUOTED VALUE') then "
        "    'a quoted value is not closed, or has text after its closing quote: double every quote inside a quoted value' "
        "  when list_contains(p.types, 'TOO MANY COLUMNS') then 'row has ' "
        "    || coalesce(regexp_extract(p.message, 'Found: (\\d+)', 1), 'more') || ' fields, the header has ' "
        "    || coalesce(regexp_extract(p.message, 'Expected Number of Columns: (\\d+)', 1), 'fewer') "
        "    || ': quote values that contain the delimiter' "
        "  when list_contains(p.types, 'MISSING COLUMNS') then 'row has ' "
        "    || coalesce(regexp_extract(p.message, 'Found: (\\d+)', 1), 'fewer') || ' fields, the header has ' "
        "    || coalesce(regexp_extract(p.message, 'Expected Number of Columns: (\\d+)', 1), 'more') "
        "  when list_contains(p.types, 'LINE SIZE OVER MAXIMUM') then 'row is longer than ' || $limit "
        "  else 'row could not be parsed: ' || coalesce(p.message, array_to_string(p.types, ', ')) "
        "end as reason, "
        "json_object('record', left(p.record, $cap)) as raw_record "
        "from per_record p asof left join _hcsm_blanks b on p.line > b.record",
        {"header": header_lines, "fmt": fmt, "cap": MAX_RECORD_CHARS, "limit": f"{MAX_RECORD_BYTES >> 20} MB"},
    )
    n, distinct, low = conn.execute("select count(*), count(distinct data_row), min(data_row) from _hcsm_bad").fetchone()
    if n and (distinct != n or low < 1):
        # the blank-line count disagreed with DuckDB's: number the bad records after the good ones instead
        conn.execute("create or replace temp table _hcsm_bad as select * replace ("
                     "-row_number() over (order by data_row) as data_row) from _hcsm_bad")
    return n


def renumber(conn: duckdb.DuckDBPyConnection, table: str, row_col: str, where: str, params: dict) -> None:
    """Output row k of the reader becomes the k-th data row that is not a rejected record."""
    conn.execute(
        "create or replace temp table _hcsm_holes as select g, max(c) as c from ("
        "select data_row - row_number() over (order by data_row) as g, row_number() over (order by data_row) as c "
        "from _hcsm_bad where data_row > 0) group by g"
    )
    # table, row_col and where are our own identifiers and conditions; values stay bound
    conn.execute(
        f"create or replace temp table _hcsm_renumber as select t.k as old_row, t.k + coalesce(h.c, 0) as new_row "
        f"from (select {row_col} as k from {table} where {where}) t asof left join _hcsm_holes h on t.k > h.g",
        params,
    )
    conn.execute(
        f"update {table} set {row_col} = r.new_row from _hcsm_renumber r "
        f"where {where} and {table}.{row_col} = r.old_row and r.new_row <> r.old_row",
        params,
    )
    good = conn.execute(f"select count(*) from {table} where {where}", params).fetchone()[0]
    # bad records numbered after the good ones by the fallback above get their final numbers now
    conn.execute("update _hcsm_bad set data_row = $good - data_row where data_row < 0", {"good": good})
