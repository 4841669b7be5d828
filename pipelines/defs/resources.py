"""The warehouse and the folders, from the HCSM_* environment variables (defaults: the embedded sample).

One writer at a time: a run takes the warehouse when its resources start and keeps it until they stop (a lock
on `<warehouse>.lock` plus one DuckDB connection that every step shares through `connect()`), so nothing can
open the file between two steps of the run. A second run waits for it (HCSM_WAREHOUSE_WAIT seconds, default 600),
then fails with a message naming the run that holds it. See pipelines/warehouse/access.py.
"""


import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import Field, PrivateAttr

from pipelines.warehouse import access
from pipelines.warehouse.sql import setup_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = {
    "HCSM_DATA_DIR": PROJECT_ROOT / "data" / "sample",
    "HCSM_WAREHOUSE": PROJECT_ROOT / "data" / "warehouse.duckdb",
    "HCSM_REPORTS_DIR": PROJECT_ROOT / "reports",
}
# Long enough for a scheduled run to sit behind a manual one; a stuck run still ends in a message, not a hang.
DEFAULT_WAIT_SECONDS = 600
# DuckDB's own memory cap (it spills to <warehouse>.tmp beyond it). DuckDB's default is 80% of RAM, which lets
# core.posts take 4 GB at 1M posts; with 2 GB the 10M build stays under 4 GB for the whole process tree
# (benchmarks/RESULTS.md). Override with HCSM_DUCKDB_MEMORY_LIMIT (any DuckDB size, e.g. 8GB).
DEFAULT_MEMORY_LIMIT = "2GB"
# How DuckDB compresses what it writes. Left to choose, it analyses every segment of every column at each
# checkpoint, and that took 3 s per million posts in raw.posts and again in core.posts; zstd everywhere it applies
# (text) writes a smaller file in less time: the 1M build 62 -> 56 s, the file 364 -> 320 MiB (benchmarks/RESULTS.md).
# HCSM_DUCKDB_COMPRESSION=auto restores DuckDB's own choice.
DEFAULT_COMPRESSION = "zstd"
# Every asset and check that opens the warehouse joins this pool: DuckDB allows one writer process per file.
WAREHOUSE_POOL = "hcsm_warehouse"


def setting(name: str) -> str | dg.EnvVar:
    """EnvVar when the variable is set (the UI then shows where the value came from), else the project default."""
    return dg.EnvVar(name) if os.environ.get(name) else str(DEFAULTS[name])


class Warehouse(DuckDBResource):
    """The DuckDB file, held by one run at a time; every connection is set up (schemas, fixed tables, macros, UTC)."""

    wait_seconds: int = Field(
        default=DEFAULT_WAIT_SECONDS,
        description="How long a run waits for another run (or any other process) to release the warehouse.",
    )
    _session: access.Session | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path:
        return Path(self.database).expanduser().resolve()

    def _open(self, on_wait, run_id: str | None = None, job: str | None = None) -> access.Session:
        try:
            return access.open_writer(self.path, wait_seconds=self.wait_seconds, config=self.connection_config,
                                      owner=access.owner_info(run_id, job), on_wait=on_wait)
        except access.WarehouseError as e:
            raise dg.Failure(str(e)) from e

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run = context.run
        log = context.log.info if context.log else (lambda message: None)
        self._session = self._open(log, run.run_id if run else None, run.job_name if run else None)
        if self._session.waited_seconds >= 1:
            log(f"Got the warehouse {self.path} after waiting {self._session.waited_seconds:.0f} s.")

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    @contextmanager
    def connect(self):
        """A connection for one step: a cursor on the run's connection, or, outside a run, a session of its own."""
        own = None
        if self._session is None:
            own = self._open(lambda message: None)
        session = self._session or own
        conn = session.conn.cursor()
        try:
            if session.prepared:
                conn.execute("set TimeZone = 'UTC'")  # per cursor; the catalog (macros, tables) is shared
            else:
                setup_warehouse(conn)  # once per run: about 45 ms, which every step used to pay
                session.prepared = True
            yield conn
        except duckdb.Error as e:
            if access.is_damage(e):
                raise dg.Failure(str(access.damaged(self.path, e))) from e
            raise
        finally:
            conn.close()  # rolls back whatever the step left open
            if own is not None:
                own.close()

    def release_memory(self, conn: duckdb.DuckDBPyConnection) -> bool:
        """DuckDB's cached blocks back to the OS before this process forks (access.release_memory)."""
        return access.release_memory(conn, (self.connection_config or {}).get("memory_limit"))


class Folders(dg.ConfigurableResource):
    """Where inputs are read and reports written."""

    data_dir: str
    reports_dir: str

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser().resolve()

    @property
    def reports_path(self) -> Path:
        # absolute but not resolved: the folder is a link to the current build (pipelines/reporting/publish.py)
        return Path(self.reports_dir).expanduser().absolute()


def build_resources(data_dir=None, warehouse=None, reports_dir=None, wait_seconds=None) -> dict:
    """Resources for the code location; tests pass explicit paths."""
    if wait_seconds is None:
        wait_seconds = (dg.EnvVar.int("HCSM_WAREHOUSE_WAIT") if os.environ.get("HCSM_WAREHOUSE_WAIT")
                        else DEFAULT_WAIT_SECONDS)
    return {
        "warehouse": Warehouse(
            database=warehouse or setting("HCSM_WAREHOUSE"),
            wait_seconds=wait_seconds,
            connection_config={
                "memory_limit": os.environ.get("HCSM_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
                "force_compression": os.environ.get("HCSM_DUCKDB_COMPRESSION") or DEFAULT_COMPRESSION,
            },
        ),
        "folders": Folders(
            data_dir=data_dir or setting("HCSM_DATA_DIR"),
            reports_dir=reports_dir or setting("HCSM_REPORTS_DIR"),
        ),
    }
