"""Opening the DuckDB warehouse: one writing run at a time, and plain words when the file is busy or damaged.

A writer (a pipeline run) first takes an exclusive OS lock on `<warehouse>.lock` and writes who it is into that
file, then opens DuckDB and keeps that connection until the run ends. A second run waits for the lock up to
`wait_seconds`, then fails naming the run that holds it. The OS releases both locks (ours and DuckDB's own) when
the holding process dies, however it dies, so a killed run never leaves a stale lock. No Dagster here.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

# How often a waiting run tries the locks again.
POLL_SECONDS = 0.25
USER_AGENT = "hcsm-insights"
# A DuckDB file starts with three 4 KiB headers, then its blocks.
_HEADER_BYTES = 3 * 4096
_DUCKDB_LOCK = re.compile(r"Could not set lock on file|Conflicting lock")
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
# What DuckDB says about a file that is not a (readable) DuckDB database; anywhere in a run, not only at open.
_DAMAGE = re.compile(
    r"not a valid DuckDB database|Could not read enough bytes|Corrupt database file|does not match stored checksum"
    r"|database has been invalidated|Failure while replaying WAL|WAL file",
    re.IGNORECASE,
)


class WarehouseError(RuntimeError):
    """A message for the person running the pipeline: what is wrong with the warehouse and what to do."""


class WarehouseBusy(WarehouseError):
    pass


class WarehouseDamaged(WarehouseError):
    pass


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def is_damage(error: BaseException) -> bool:
    return isinstance(error, duckdb.Error) and bool(_DAMAGE.search(str(error)))


def damaged(database: Path, error: BaseException | str) -> WarehouseDamaged:
    wal = database.with_name(database.name + ".wal")
    also = f" and {wal.name} beside it" if wal.exists() else ""
    why = error if isinstance(error, str) else f"DuckDB said: {_first_line(error)}"
    return WarehouseDamaged(
        f"The warehouse {database} is damaged or is not a DuckDB database ({why}). "
        f"Move it{also} away, e.g. `mv {database} {database}.damaged`, and run the pipeline again: it rebuilds "
        "the warehouse from the files now in HCSM_DATA_DIR (posts from files since removed from that folder are "
        "lost unless you restore a backup of the warehouse)."
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe_holder(database: Path) -> str:
    """Who holds the run lock, from what it wrote into the lock file; a fallback when it wrote nothing yet."""
    try:
        info = json.loads(lock_path(database).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info.get("pid"):
        return "another pipeline run"
    run = f", run {info['run_id']}" if info.get("run_id") else ""
    command = f": `{info['command']}`" if info.get("command") else ""
    return (f"another pipeline run (pid {info['pid']} on {info.get('host', 'this machine')}{run}, "
            f"started {info.get('started_at', 'at an unknown time')}{command})")


def run_in_progress(database: Path) -> str | None:
    """describe_holder() when a pipeline run holds the lock now, else None (what the file says may be stale)."""
    try:
        fd = os.open(lock_path(database), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return describe_holder(database)
    finally:
        os.close(fd)  # also drops the shared lock if it was taken
    return None


def _duckdb_holder(error: BaseException) -> str:
    found = _LOCK_HOLDER.search(str(error))
    return f"PID {found['pid']}, {found['program']}" if found else "another process"


@dataclass
class Session:
    """The run lock and one DuckDB connection, held together until close()."""

    database: Path
    conn: duckdb.DuckDBPyConnection | None = None
    waited_seconds: float = 0.0
    # set once the first step of the run has set the file up (schemas, macros, reference tables)
    prepared: bool = False
    _lock_fd: int | None = field(default=None, repr=False)

    def close(self) -> None:
        try:
            if self.conn is not None:
                self.conn.close()
        finally:
            self.conn = None
            if self._lock_fd is not None:
                os.ftruncate(self._lock_fd, 0)  # nobody holds it now; a stale name would mislead the next message
                os.close(self._lock_fd)  # closing the descriptor releases the lock
                self._lock_fd = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _take_lock(database: Path, deadline: float, on_wait: Callable[[str], None]) -> int:
    path = lock_path(database)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as e:
        raise WarehouseError(f"Cannot create the lock file {path} beside the warehouse ({e.strerror}). The folder "
                             "must be writable by the user running the pipeline.") from e
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError as e:
            if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                os.close(fd)
                raise
        if not told:
            on_wait(f"The warehouse {database} is being written by {describe_holder(database)}; waiting for it "
                    f"(up to {max(0, deadline - time.monotonic()):.0f} s).")
            told = True
        if time.monotonic() >= deadline:
            holder = describe_holder(database)
            os.close(fd)
            raise WarehouseBusy(
                f"The warehouse {database} is being written by {holder}, and this run gave up waiting for it. "
                "Only one run can write the warehouse at a time: let that run finish and start this one again, "
                "or stop it if it is stuck (its pid is above). HCSM_WAREHOUSE_WAIT sets how many seconds a run waits."
            )
        time.sleep(POLL_SECONDS)


def _write_owner(fd: int, owner: dict) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(owner, sort_keys=True).encode("utf-8"), 0)


def _connect(database: Path, config: dict, deadline: float, on_wait: Callable[[str], None],
             read_only: bool = False) -> duckdb.DuckDBPyConnection:
    told = False
    while True:
        try:
            return duckdb.connect(str(database), read_only=read_only,
                                  config={"custom_user_agent": USER_AGENT, **config})
        except duckdb.IOException as e:
            if not _DUCKDB_LOCK.search(str(e)):
                raise _open_error(database, e) from e
            busy = e
        except duckdb.Error as e:
            raise _open_error(database, e) from e
        if not told:
            on_wait(f"The warehouse {database} is open in another process ({_duckdb_holder(busy)}); waiting for it.")
            told = True
        if time.monotonic() >= deadline:
            raise _busy_elsewhere(database, busy, read_only) from busy
        time.sleep(POLL_SECONDS)


def _busy_elsewhere(database: Path, error: BaseException, read_only: bool) -> WarehouseBusy:
    run = run_in_progress(database)
    if read_only and run:
        return WarehouseBusy(f"The warehouse {database} is being written by {run}. DuckDB lets no other process "
                             "open a file while one writes it: open it again when the run has finished.")
    who = "a DuckDB shell, a notebook, a dashboard or a pipeline run" if read_only else \
        "not a run of this pipeline: a DuckDB shell, a notebook or a dashboard"
    return WarehouseBusy(
        f"The warehouse {database} is open in another process ({_duckdb_holder(error)}), {who}. While one process "
        "writes a DuckDB file no other can open it, and while any process reads it none can write it. Close that "
        "connection, then try again."
    )


def _open_error(database: Path, error: BaseException) -> WarehouseError:
    if database.is_dir():
        return WarehouseError(f"The warehouse path {database} is a folder, not a file. Point HCSM_WAREHOUSE at a "
                              "file (it is created if missing), e.g. data/warehouse.duckdb.")
    if isinstance(error, (duckdb.InternalException, duckdb.FatalException, duckdb.SerializationException)) \
            or is_damage(error):
        return damaged(database, error)
    return WarehouseError(f"Cannot open the warehouse {database}: {_first_line(error)}.")


def owner_info(run_id: str | None = None, job: str | None = None) -> dict:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "run_id": run_id,
        "job": job,
        "started_at": _now(),
        "command": " ".join([os.path.basename(sys.orig_argv[0]), *sys.orig_argv[1:]])[:200],
    }


def _check_size(database: Path, conn: duckdb.DuckDBPyConnection) -> None:
    """A file cut short (a full disk, a bad copy) opens, and fails only when a missing block is read, maybe after
    steps have written to it: its size tells at once. Only without a WAL, whose replay may add blocks in memory;
    used blocks, because free ones at the end may be cut off the file."""
    used_blocks, block_size = conn.execute("select used_blocks, block_size from pragma_database_size()").fetchone()
    needed = _HEADER_BYTES + used_blocks * block_size
    size = database.stat().st_size
    if size < needed:
        raise damaged(database, f"the file has {size:,} bytes but its blocks need {needed:,}: it was cut short")


def open_writer(database: Path, *, wait_seconds: float, owner: dict | None = None, config: dict | None = None,
                on_wait: Callable[[str], None] = lambda message: None) -> Session:
    """Take the run lock, then open DuckDB for writing; both wait up to wait_seconds in all."""
    database.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    deadline = start + wait_seconds
    session = Session(database)
    session._lock_fd = _take_lock(database, deadline, on_wait)
    try:
        _write_owner(session._lock_fd, owner or owner_info())
        replays_wal = database.with_name(database.name + ".wal").exists()
        session.conn = _connect(database, config or {}, deadline, on_wait)
        if not replays_wal:
            _check_size(database, session.conn)
    except BaseException:
        session.close()
        raise
    session.waited_seconds = time.monotonic() - start
    return session


def open_reader(database: Path, *, wait_seconds: float = 0, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection for a notebook or a script; a clear message when a run is writing the file."""
    database = Path(database).expanduser().resolve()
    if not database.exists():
        raise WarehouseError(f"There is no warehouse at {database} yet: run the pipeline first.")
    return _connect(database, config or {}, time.monotonic() + wait_seconds, lambda message: None, read_only=True)


# The memory limit DuckDB is briefly given by release_memory: low enough to evict every cached block.
_RELEASE_LIMIT = "32MB"


def release_memory(conn: duckdb.DuckDBPyConnection, limit: str | None = None) -> bool:
    """Hand DuckDB's cached blocks back to the OS (they are on disk or no longer needed): before this process forks.

    DuckDB keeps what it read in memory up to its memory limit, and a forked child's RSS counts every resident
    page of its parent, so a forked worker added DuckDB's cache to the process tree's RSS a second time (about
    1.7 GB at 10M posts). Lowering the limit evicts the blocks and its allocator returns them; the limit is then
    set back. Measured on 10M rows: this process 1,142 -> 87 MiB, a fork of it 1,098 -> 42 MiB. False when DuckDB
    could not free enough (pinned blocks of an open result): nothing is lost, only the memory stays. `limit` is the
    limit to set back, as configured (DuckDB shows its own rounded, e.g. 2GB as "1.8 GiB"); else the shown one."""
    limit = limit or conn.execute("select current_setting('memory_limit')").fetchone()[0]
    try:
        conn.execute(f"set memory_limit = '{_RELEASE_LIMIT}'")
    except duckdb.Error:
        return False
    finally:
        conn.execute(f"set memory_limit = '{limit}'")
    return True
