"""Land input files in raw.* as text, one load per new file content, with lineage and file-level issues.

Only identifiers we generate (c0, c1, ... and contract names) are written into SQL; file paths, header names and
JSON keys from the input are bound as parameters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .contracts import POST_FORMATS, Contract, normalize_header


@dataclass
class Landed:
    load_id: str
    source_file: str
    rows_read: int
    status: str
    issues: list[tuple[str, str, str]] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _headers(conn: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> list[str]:
    if fmt == "csv":
        rows = conn.execute("describe select * from read_csv($f, all_varchar=true, header=true)", {"f": str(path)})
        return [r[0] for r in rows.fetchall()]
    if fmt == "jsonl":
        rows = conn.execute(
            "select key from (select unnest(json_keys(json)) as key, row_number() over () as n from read_ndjson_objects($f)) "
            "group by key order by min(n)",
            {"f": str(path)},
        )
        return [r[0] for r in rows.fetchall()]
    rows = conn.execute("describe select * from read_parquet($f)", {"f": str(path)})
    return [r[0] for r in rows.fetchall()]


def _source_query(fmt: str, headers: list[str], params: dict) -> str:
    """A subquery yielding c0..cN as text and _row (1-based data row number) for one file."""
    n = len(headers)
    if fmt == "csv":
        params["names"] = [f"c{i}" for i in range(n)]
        # row_number() over () follows file order because DuckDB preserves insertion order on reads
        return (
            "select *, row_number() over () as _row "
            "from read_csv($f, all_varchar=true, header=true, names=$names)"
        )
    if fmt == "jsonl":
        cols = []
        for i, key in enumerate(headers):
            params[f"k{i}"] = '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
            cols.append(f"json_extract_string(json, $k{i}) as c{i}")
        return f"select {', '.join(cols) or 'null as c0'}, row_number() over () as _row from read_ndjson_objects($f)"
    cols = [f"cast(#{i + 1} as varchar) as c{i}" for i in range(n)]
    return f"select {', '.join(cols)}, file_row_number + 1 as _row from read_parquet($f, file_row_number=true)"


def land_file(conn: duckdb.DuckDBPyConnection, contract: Contract, path: Path, source_file: str, sha: str) -> Landed:
    """Copy one file into raw.<kind> inside one transaction and record its load."""
    fmt = POST_FORMATS[path.suffix.lower()]
    loaded_at = _now()
    load_id = f"{contract.kind}-{loaded_at:%Y%m%dT%H%M%S%f}-{sha[:10]}"
    headers = _headers(conn, path, fmt)
    mapping: dict[str, int] = {}
    extras: list[tuple[int, str]] = []
    for i, h in enumerate(headers):
        name = normalize_header(h)
        if name in contract.columns and name not in mapping:
            mapping[name] = i
        else:
            extras.append((i, h))
    missing = [c for c in contract.required if c not in mapping]

    params: dict = {"f": str(path), "source": source_file, "load": load_id}
    src = _source_query(fmt, headers, params)
    select_cols = [f"c{mapping[c]}" if c in mapping else "null" for c in contract.columns]
    if extras:
        pairs = []
        for j, (i, h) in enumerate(extras):
            params[f"x{j}"] = h
            pairs.append(f"$x{j}, c{i}")
        extra_expr = f"json_object({', '.join(pairs)})"
    else:
        extra_expr = "null"
    insert = (
        f"insert into raw.{contract.kind} ({', '.join(contract.columns)}, _extra, _source_file, _source_row, _load_id) "
        f"select {', '.join(select_cols)}, {extra_expr}, $source, _row, $load from ({src})"
    )

    issues: list[tuple[str, str, str]] = []
    if missing:
        issues.append(("error", "missing required columns",
                       f"{source_file}: missing required column(s) {', '.join(missing)}; found {', '.join(headers) or 'none'}. "
                       f"Rename or add them (required: {', '.join(contract.required)})."))
    if extras:
        issues.append(("warning", "unknown columns",
                       f"{source_file}: columns not in the contract kept in raw._extra: {', '.join(h for _, h in extras)}"))

    conn.execute("begin")
    try:
        conn.execute(insert, params)
        rows_read = conn.execute(
            f"select count(*) from raw.{contract.kind} where _load_id = $load", {"load": load_id}
        ).fetchone()[0]
        if rows_read == 0:
            issues.append(("warning", "no data rows", f"{source_file}: the file has no data rows"))
        status = "rejected" if missing else "raw"
        conn.execute(
            "insert into audit.loads values ($load, $kind, $source, $sha, $bytes, $fmt, $at, $rows, $status, null, null)",
            {"load": load_id, "kind": contract.kind, "source": source_file, "sha": sha, "bytes": path.stat().st_size,
             "fmt": fmt, "at": loaded_at, "rows": rows_read, "status": status},
        )
        for severity, issue, detail in issues:
            conn.execute(
                "insert into audit.file_issues values ($load, $source, $sev, $issue, $detail, $at)",
                {"load": load_id, "source": source_file, "sev": severity, "issue": issue, "detail": detail, "at": loaded_at},
            )
        if missing:
            # the whole file is unusable: every row goes to quarantine now, so nothing is lost
            conn.execute(
                f"insert into quarantine.rejected_rows "
                f"select $kind, _load_id, _source_file, _source_row, $col, $reason, to_json(r), $at "
                f"from raw.{contract.kind} r where _load_id = $load",
                {"kind": contract.kind, "col": missing[0], "reason": f"file is missing required column(s): {', '.join(missing)}",
                 "at": loaded_at, "load": load_id},
            )
            conn.execute(
                "insert into audit.load_reconciliation values ($load, $kind, $source, $at, $rows, 0, $rows, 0)",
                {"load": load_id, "kind": contract.kind, "source": source_file, "at": loaded_at, "rows": rows_read},
            )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return Landed(load_id, source_file, rows_read, status, issues)


def record_unreadable(conn: duckdb.DuckDBPyConnection, contract: Contract, path: Path, source_file: str, sha: str,
                      error: Exception) -> Landed:
    """A file DuckDB cannot parse: recorded as a failed load with an error issue, zero rows read."""
    loaded_at = _now()
    load_id = f"{contract.kind}-{loaded_at:%Y%m%dT%H%M%S%f}-{sha[:10]}"
    first_line = str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__
    detail = f"{source_file}: could not be read as {POST_FORMATS[path.suffix.lower()]} ({first_line}). Fix the file's format or remove it."
    conn.execute("begin")
    conn.execute(
        "insert into audit.loads values ($load, $kind, $source, $sha, $bytes, $fmt, $at, 0, 'failed', null, null)",
        {"load": load_id, "kind": contract.kind, "source": source_file, "sha": sha, "bytes": path.stat().st_size,
         "fmt": POST_FORMATS[path.suffix.lower()], "at": loaded_at},
    )
    conn.execute(
        "insert into audit.file_issues values ($load, $source, 'error', 'unreadable file', $detail, $at)",
        {"load": load_id, "source": source_file, "detail": detail, "at": loaded_at},
    )
    conn.execute(
        "insert into audit.load_reconciliation values ($load, $kind, $source, $at, 0, 0, 0, 0)",
        {"load": load_id, "kind": contract.kind, "source": source_file, "at": loaded_at},
    )
    conn.execute("commit")
    return Landed(load_id, source_file, 0, "failed", [("error", "unreadable file", detail)])


def land_new_files(conn: duckdb.DuckDBPyConnection, contract: Contract, data_dir: Path) -> list[Landed]:
    """Land every file whose content has not been loaded before; re-running on the same input lands nothing."""
    landed = []
    for path in contract.files(data_dir):
        source_file = path.relative_to(data_dir).as_posix()
        sha = file_sha256(path)
        seen = conn.execute(
            "select 1 from audit.loads where kind = $kind and source_file = $source and file_sha256 = $sha",
            {"kind": contract.kind, "source": source_file, "sha": sha},
        ).fetchone()
        if seen:
            continue
        try:
            landed.append(land_file(conn, contract, path, source_file, sha))
        except duckdb.Error as e:
            landed.append(record_unreadable(conn, contract, path, source_file, sha, e))
    return landed
