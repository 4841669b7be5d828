"""Land input files in raw.* as text, one load per new file content, with lineage and file-level issues.

Every outcome keeps rows_read = rows in raw + rows quarantined here: a record DuckDB cannot parse (too many or too
few fields, a quote left open, a line that is not a JSON object) goes to quarantine.rejected_rows at once with its
reason, the rest to raw.<kind>. A file that is not text, or cannot be read at all, is a failed load with one error
naming the file. Only identifiers we generate (c0, c1, ... and contract names) are written into SQL; file paths,
header names and JSON keys from the input are bound as parameters.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from . import formats, rejects, textfiles
from .contracts import POST_FORMATS, Contract, normalize_header

# JSON lines are read as one text column split on a byte that valid JSON never contains unescaped.
_LINE_DELIM = "\x1f"
_READ_OPTIONS = f"auto_detect=false, quote='\"', escape='\"', new_line='\\n', max_line_size=$max, {rejects.OPTIONS}"
_LINE_OPTIONS = (f"header=false, auto_detect=false, quote='', escape='', new_line='\\n', max_line_size=$max, "
                 f"columns={{'line': 'VARCHAR'}}, {rejects.OPTIONS}")


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


def _columns_struct(n: int) -> str:
    return "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n)) + "}"


def _map_headers(contract: Contract, headers: list[str]) -> tuple[dict[str, int], list[tuple[int, str]], list[str]]:
    """(contract column -> position, extra (position, unique name), repeated contract columns)."""
    mapping: dict[str, int] = {}
    extras: list[tuple[int, str]] = []
    repeated: list[str] = []
    used: set[str] = set()
    for i, h in enumerate(headers):
        name = normalize_header(h)
        if name in contract.columns and name not in mapping:
            mapping[name] = i
            continue
        if name in contract.columns:
            repeated.append(h)
        label, k = (h if h.strip() else f"(blank column {i + 1})"), 2
        unique = label
        while unique in used:
            unique, k = f"{label} ({k})", k + 1
        used.add(unique)
        extras.append((i, unique))
    return mapping, extras, repeated


def _insert_sql(contract: Contract, mapping: dict[str, int], extras: list[tuple[int, str]], source: str,
                params: dict) -> str:
    select_cols = [f"c{mapping[c]}" if c in mapping else "null" for c in contract.columns]
    if extras:
        pairs = []
        for j, (i, h) in enumerate(extras):
            params[f"x{j}"] = h
            pairs.append(f"$x{j}, c{i}")
        extra_expr = f"json_object({', '.join(pairs)})"
    else:
        extra_expr = "null"
    return (
        f"insert into raw.{contract.kind} ({', '.join(contract.columns)}, _extra, _source_file, _source_row, _load_id) "
        f"select {', '.join(select_cols)}, {extra_expr}, $source, _row, $load from ({source})"
    )


def _land_csv(conn, contract: Contract, prepared: textfiles.Prepared, params: dict, load_id: str,
              fmt_notes: list) -> tuple[list[str], int, dict, list]:
    """Read a CSV into raw; returns (headers, bad records, mapping, extras)."""
    delim, headers = textfiles.csv_header(prepared.path, contract.columns, normalize_header)
    if delim != ",":
        fmt_notes.append(("delimiter", f"read with {'tab' if delim == chr(9) else repr(delim)} as the delimiter"))
    mapping, extras, repeated = _map_headers(contract, headers)
    if repeated:
        fmt_notes.append(("repeated columns", f"column(s) {', '.join(repeated)} appear more than once; "
                                              "the first is used, the others are kept in raw._extra"))
    if not headers:
        return headers, 0, mapping, extras
    params.update({"f": str(prepared.path), "delim": delim, "max": rejects.MAX_RECORD_BYTES})
    # the column list is c0..cN, ours; DuckDB reads every value as text
    source = (f"select *, row_number() over () as _row from read_csv($f, header=true, delim=$delim, "
              f"columns={_columns_struct(len(headers))}, {_READ_OPTIONS})")
    rejects.reset(conn)
    conn.execute(_insert_sql(contract, mapping, extras, source, params), params)
    bad = rejects.collect(conn, prepared, 1, delim, "csv")
    if bad:
        rejects.renumber(conn, f"raw.{contract.kind}", "_source_row", "_load_id = $load", {"load": load_id})
    return headers, bad, mapping, extras


def _land_jsonl(conn, contract: Contract, prepared: textfiles.Prepared, params: dict) -> tuple[list[str], int, dict, list]:
    """Read JSON lines into raw, lines that are not objects into _hcsm_bad; returns (keys, bad, mapping, extras)."""
    params.update({"f": str(prepared.path), "max": rejects.MAX_RECORD_BYTES, "delim": _LINE_DELIM})
    rejects.reset(conn)
    # one text column: DuckDB keeps empty lines here as null rows, so _row is the line number until renumbered
    conn.execute(
        "create or replace temp table _hcsm_lines as select line, row_number() over () as _row, "
        "coalesce(case when json_valid(line) then json_type(line) = 'OBJECT' end, false) as _object "
        f"from read_csv($f, delim=$delim, {_LINE_OPTIONS})",
        {"f": params["f"], "max": params["max"], "delim": params["delim"]},
    )
    if rejects.collect(conn, prepared, 0, None, "jsonl", count_blanks=False):
        rejects.renumber(conn, "_hcsm_lines", "_row", "true", {})
    conn.execute(
        "insert into _hcsm_bad select _row, 'line is not a JSON object', json_object('record', left(line, $cap)) "
        "from _hcsm_lines where not _object and trim(line) <> ''",
        {"cap": rejects.MAX_RECORD_CHARS},
    )
    # blank lines are not rows: number the others 1..n in file order, as for CSV
    conn.execute(
        "create or replace temp table _hcsm_order as select line_no, row_number() over (order by line_no) as n from ("
        "select _row as line_no from _hcsm_lines where trim(coalesce(line, '')) <> '' and _object "
        "union all select data_row from _hcsm_bad)"
    )
    conn.execute("delete from _hcsm_lines where not _object")
    conn.execute("update _hcsm_lines set _row = o.n from _hcsm_order o where _hcsm_lines._row = o.line_no")
    conn.execute("update _hcsm_bad set data_row = o.n from _hcsm_order o where _hcsm_bad.data_row = o.line_no")
    bad = conn.execute("select count(*) from _hcsm_bad").fetchone()[0]
    headers = [r[0] for r in conn.execute(
        "select key from (select unnest(json_keys(line)) as key, _row from _hcsm_lines) "
        "group by key order by min(_row), key"
    ).fetchall()]
    mapping, extras, _ = _map_headers(contract, headers)
    cols = []
    for i, key in enumerate(headers):
        # a JSON pointer names any key exactly: ~ and / are the only characters it escapes
        params[f"k{i}"] = "/" + key.replace("~", "~0").replace("/", "~1")
        cols.append(f"json_extract_string(line, $k{i}) as c{i}")
    source = f"select {', '.join(cols) or 'null as c0'}, _row from _hcsm_lines"
    conn.execute(_insert_sql(contract, mapping, extras, source, params),
                 {k: v for k, v in params.items() if k not in ("f", "max", "delim")})
    return headers, bad, mapping, extras


def _land_parquet(conn, contract: Contract, path: Path, params: dict) -> tuple[list[str], int, dict, list]:
    params["f"] = str(path)
    headers = [r[0] for r in conn.execute("describe select * from read_parquet($f)", {"f": str(path)}).fetchall()]
    mapping, extras, _ = _map_headers(contract, headers)
    cols = [f"cast(#{i + 1} as varchar) as c{i}" for i in range(len(headers))]
    source = f"select {', '.join(cols)}, file_row_number + 1 as _row from read_parquet($f, file_row_number=true)"
    conn.execute(_insert_sql(contract, mapping, extras, source, params), params)
    return headers, 0, mapping, extras


def _land_native(conn, contract: Contract, converted: formats.Converted, params: dict) -> int:
    """Insert a native export's converted rows into raw and its bad records into _hcsm_bad; returns the bad count."""
    columns = formats.COLUMNS
    rows = converted.rows
    table = pa.table({
        **{c: pa.array([r[c] for r in rows], pa.string()) for c in columns},
        "_row": pa.array([r["_row"] for r in rows], pa.int64()),
        "_extra": pa.array([r["_extra"] for r in rows], pa.string()),
    })
    bad = pa.table({
        "data_row": pa.array([b[0] for b in converted.bad], pa.int64()),
        "reason": pa.array([b[1] for b in converted.bad], pa.string()),
        "raw_record": pa.array([b[2] for b in converted.bad], pa.string()),
    })
    conn.register("_hcsm_native", table)
    conn.register("_hcsm_native_bad", bad)
    try:
        conn.execute(
            f"insert into raw.{contract.kind} ({', '.join(columns)}, _extra, _source_file, _source_row, _load_id) "
            f"select {', '.join(columns)}, _extra::json, $source, _row, $load from _hcsm_native",
            {"source": params["source"], "load": params["load"]},
        )
        conn.execute("insert into _hcsm_bad select data_row, reason, raw_record::json from _hcsm_native_bad")
    finally:
        conn.unregister("_hcsm_native")
        conn.unregister("_hcsm_native_bad")
    return len(converted.bad)


def detect_format(contract: Contract, path: Path, staging: Path) -> tuple[str, str | None, textfiles.Prepared | None]:
    """(file format, native format or None for the contract layout, the prepared text file). Raises
    formats.UnknownLayout or textfiles.UnreadableFile for a file we cannot read."""
    suffix = path.suffix.lower()
    fmt = POST_FORMATS[suffix]
    prepared = None
    if fmt in ("csv", "jsonl", "json") and path.stat().st_size:
        prepared = textfiles.prepare(path, staging, keep_bom=fmt == "csv")
    native = None
    if contract.native and fmt != "parquet" and (prepared is not None or fmt == "xlsx"):
        native = formats.detect(prepared.path if prepared else path, suffix)
    elif fmt in ("json", "xlsx"):
        raise formats.UnknownLayout(f"is {fmt}, which {contract.kind} are not read from; use CSV")
    return fmt, native, prepared


def land_file(conn: duckdb.DuckDBPyConnection, contract: Contract, path: Path, source_file: str, sha: str,
              staging: Path) -> Landed:
    """Copy one file into raw.<kind> (and its unparseable records into quarantine) in one transaction. A platform's
    own export (formats.py) is recognised from its content and converted to contract rows first."""
    loaded_at = _now()
    load_id = f"{contract.kind}-{loaded_at:%Y%m%dT%H%M%S%f}-{sha[:10]}"
    size = path.stat().st_size
    notes: list[tuple[str, str]] = []
    fmt, native, prepared = detect_format(contract, path, staging)
    if prepared is not None:
        notes += prepared.profile.notes
    if fmt == "parquet" and textfiles.globbed(path):
        textfiles.link_or_copy(path, staging / "input.parquet")
    converted = None
    if native is not None:
        converted = formats.convert(prepared.path if prepared else path, path.suffix, native, source_file)
        notes += converted.notes

    params: dict = {"source": source_file, "load": load_id}
    conn.execute("begin")
    try:
        conn.execute(rejects.EMPTY)  # the readers replace it when DuckDB rejected records
        if converted is not None:
            headers, mapping, extras = converted.keys, {c: 0 for c in contract.required}, []
            bad = _land_native(conn, contract, converted, params)
        elif fmt == "parquet":
            read_path = staging / "input.parquet" if textfiles.globbed(path) else path
            headers, bad, mapping, extras = _land_parquet(conn, contract, read_path, params)
        elif prepared is None and fmt != "xlsx":  # 0 bytes
            headers, bad, mapping, extras = [], 0, {}, []
        elif fmt == "csv":
            headers, bad, mapping, extras = _land_csv(conn, contract, prepared, params, load_id, notes)
        else:
            headers, bad, mapping, extras = _land_jsonl(conn, contract, prepared, params)
        raw_rows = conn.execute(
            f"select count(*) from raw.{contract.kind} where _load_id = $load", {"load": load_id}
        ).fetchone()[0]
        rows_read = raw_rows + bad
        empty = rows_read == 0 and not any(h.strip() for h in headers)
        missing = [] if empty else [c for c in contract.required if c not in mapping]
        issues = _issues(contract, source_file, fmt, headers, missing, extras, notes, rows_read,
                         0 if converted else bad, empty, size)
        if converted is not None:
            issues += _native_issues(source_file, converted, rows_read)
        status = "rejected" if missing else "raw"
        conn.execute(
            "insert into audit.loads values ($load, $kind, $source, $sha, $bytes, $fmt, $at, $rows, $status, null, null)",
            {"load": load_id, "kind": contract.kind, "source": source_file, "sha": sha, "bytes": size,
             "fmt": f"{fmt}:{native}" if native else fmt, "at": loaded_at, "rows": rows_read, "status": status},
        )
        for severity, issue, detail in issues:
            conn.execute(
                "insert into audit.file_issues values ($load, $source, $sev, $issue, $detail, $at)",
                {"load": load_id, "source": source_file, "sev": severity, "issue": issue, "detail": detail, "at": loaded_at},
            )
        conn.execute(
            "insert into quarantine.rejected_rows select $kind, $load, $source, data_row, null, reason, raw_record, $at "
            "from _hcsm_bad",
            {"kind": contract.kind, "load": load_id, "source": source_file, "at": loaded_at},
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


def _native_issues(source_file: str, converted: formats.Converted, rows_read: int) -> list[tuple[str, str, str]]:
    issues: list[tuple[str, str, str]] = []
    if converted.bad:
        kinds: dict[str, int] = {}
        for _, reason, _ in converted.bad:
            kind = reason.split(":")[0].split(" (")[0]
            kinds[kind] = kinds.get(kind, 0) + 1
        listed = "; ".join(f"{n:,} x {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:4])
        issues.append(("warning", "rows set aside",
                       f"{source_file}: {len(converted.bad):,} of {rows_read:,} rows are in quarantine ({listed})"))
    return issues


def _issues(contract: Contract, source_file: str, fmt: str, headers: list[str], missing: list[str],
            extras: list[tuple[int, str]], notes: list[tuple[str, str]], rows_read: int, bad: int, empty: bool,
            size: int) -> list[tuple[str, str, str]]:
    issues: list[tuple[str, str, str]] = []
    if missing:
        found = ", ".join(h if h.strip() else "(blank)" for h in headers[:30]) or "none"
        hint = (" If the file has no header row, add one." if fmt == "csv" else
                " Is every line a JSON object with these keys?" if fmt == "jsonl" else "")
        issues.append(("error", "missing required columns",
                       f"{source_file}: missing required column(s) {', '.join(missing)}; found {found}. "
                       f"Rename or add them (required: {', '.join(contract.required)}).{hint}"))
    if extras and not empty:
        issues.append(("warning", "unknown columns",
                       f"{source_file}: columns not in the contract kept in raw._extra: "
                       f"{', '.join(h for _, h in extras[:30])}{' ...' if len(extras) > 30 else ''}"))
    for issue, detail in notes:
        issues.append(("warning", issue, f"{source_file}: {detail}"))
    if bad:
        issues.append(("warning", "unparseable rows",
                       f"{source_file}: {bad:,} of {rows_read:,} rows could not be parsed and are in quarantine"))
    if rows_read == 0:
        what = "is empty (0 bytes)" if size == 0 else "has no data rows"
        issues.append(("warning", "no data rows", f"{source_file}: the file {what}"))
    return issues


def record_unreadable(conn: duckdb.DuckDBPyConnection, contract: Contract, path: Path, source_file: str, sha: str,
                      error: Exception) -> Landed:
    """A file that cannot be read: recorded as a failed load with one error issue, zero rows read."""
    loaded_at = _now()
    load_id = f"{contract.kind}-{loaded_at:%Y%m%dT%H%M%S%f}-{sha[:10]}"
    fmt = POST_FORMATS[path.suffix.lower()]
    if isinstance(error, (textfiles.UnreadableFile, formats.UnknownLayout)):
        detail = f"{source_file}: {str(error).rstrip('.')}."
    else:
        text = str(error).strip()
        first_line = text.splitlines()[0][:300] if text else type(error).__name__
        detail = f"{source_file}: could not be read as {fmt} ({first_line}). Fix the file's format or remove it."
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    conn.execute("begin")
    conn.execute(
        "insert into audit.loads values ($load, $kind, $source, $sha, $bytes, $fmt, $at, 0, 'failed', null, null)",
        {"load": load_id, "kind": contract.kind, "source": source_file, "sha": sha, "bytes": size,
         "fmt": fmt, "at": loaded_at},
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


def _content_id(path: Path) -> str:
    """sha256 of the bytes; for a file that cannot even be opened, a stand-in so it is reported once per change."""
    try:
        return file_sha256(path)
    except OSError:
        st = path.stat()
        return "unopenable-" + hashlib.sha256(f"{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()


# A fingerprint is trusted only for a file last changed this long before it was hashed: file times are coarse (a
# few ms on Linux, 2 s on FAT), so a file rewritten just after its hash, at the same size, could keep its times.
# The rule git's index uses for "racily clean" files.
RACY_NS = 2_000_000_000


def _known_content(conn: duckdb.DuckDBPyConnection, kind: str, source_file: str, st) -> str | None:
    """The sha256 recorded for this file when its size, times and inode were as now; None: hash it.

    Hashing every input on every refresh read 10M posts' files (GBs) to find nothing new: 2.7 of the 9 s a refresh
    with nothing new took. A write changes the file's ctime (which no tool can set back), a replacement its inode."""
    found = conn.execute(
        "select file_sha256, hashed_at_ns from audit.file_fingerprints where kind = $k and source_file = $f "
        "and file_bytes = $b and mtime_ns = $m and ctime_ns = $c and inode = $i",
        {"k": kind, "f": source_file, "b": st.st_size, "m": st.st_mtime_ns, "c": st.st_ctime_ns, "i": st.st_ino},
    ).fetchone()
    if found is None or max(st.st_mtime_ns, st.st_ctime_ns) > found[1] - RACY_NS:
        return None
    return found[0]


def _remember_content(conn: duckdb.DuckDBPyConnection, kind: str, source_file: str, st, sha: str,
                      hashed_at_ns: int | None) -> None:
    """Record the stat a file had when it was hashed; nothing when it was not hashed now (its fingerprint held) or
    could not be opened."""
    if hashed_at_ns is None or sha.startswith("unopenable-"):
        return
    conn.execute(
        "insert or replace into audit.file_fingerprints values ($k, $f, $b, $m, $c, $i, $sha, $at)",
        {"k": kind, "f": source_file, "b": st.st_size, "m": st.st_mtime_ns, "c": st.st_ctime_ns, "i": st.st_ino,
         "sha": sha, "at": hashed_at_ns},
    )


def land_new_files(
    conn: duckdb.DuckDBPyConnection, contract: Contract, data_dir: Path, on_new_file: Callable[[], None] | None = None
) -> list[Landed]:
    """Land every file whose content has not been loaded before; re-running on the same input lands nothing.
    Files that need converting are staged in a temporary folder (TMPDIR) that is removed afterwards.
    `on_new_file` is called once, before the first new file lands (the caller can prepare what follows)."""
    landed = []
    with tempfile.TemporaryDirectory(prefix="hcsm-staging-") as tmp:
        staging = Path(tmp)
        for path in contract.files(data_dir):
            source_file = path.relative_to(data_dir).as_posix()
            try:
                st = path.stat()  # before the hash: a file written while it is hashed gets hashed again next time
            except OSError:
                st = None
            sha = _known_content(conn, contract.kind, source_file, st) if st is not None else None
            hashed_at_ns = None
            if sha is None:
                hashed_at_ns = time.time_ns()
                sha = _content_id(path)
            seen = conn.execute(
                "select 1 from audit.loads where kind = $kind and source_file = $source and file_sha256 = $sha",
                {"kind": contract.kind, "source": source_file, "sha": sha},
            ).fetchall()
            if seen:
                _remember_content(conn, contract.kind, source_file, st, sha, hashed_at_ns)
                continue
            if on_new_file is not None:
                on_new_file()
                on_new_file = None
            try:
                landed.append(land_file(conn, contract, path, source_file, sha, staging))
            except (duckdb.Error, OSError, UnicodeError, ValueError, textfiles.UnreadableFile) as e:
                landed.append(record_unreadable(conn, contract, path, source_file, sha, e))
            else:
                # after the load is committed: a run killed in between only hashes the file again
                _remember_content(conn, contract.kind, source_file, st, sha, hashed_at_ns)
            finally:
                for staged in staging.iterdir():
                    staged.unlink()
    return landed
