"""The warehouse and the folders, from the HCSM_* environment variables (defaults: the embedded sample)."""


import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from pipelines.warehouse.sql import setup_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = {
    "HCSM_DATA_DIR": PROJECT_ROOT / "data" / "sample",
    "HCSM_WAREHOUSE": PROJECT_ROOT / "data" / "warehouse.duckdb",
    "HCSM_REPORTS_DIR": PROJECT_ROOT / "reports",
}
# Every asset and check that opens the warehouse joins this pool: DuckDB allows one writer process per file.
WAREHOUSE_POOL = "hcsm_warehouse"


def setting(name: str) -> str | dg.EnvVar:
    """EnvVar when the variable is set (the UI then shows where the value came from), else the project default."""
    return dg.EnvVar(name) if os.environ.get(name) else str(DEFAULTS[name])


class Warehouse(DuckDBResource):
    """The DuckDB file; every connection is set up (schemas, fixed tables, macros, UTC)."""

    @contextmanager
    def connect(self):
        path = Path(self.database).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = duckdb.connect(str(path), config={"custom_user_agent": "hcsm-insights", **self.connection_config})
        except duckdb.IOException as e:
            if "lock" in str(e).lower():
                raise dg.Failure(f"The warehouse {path} is in use by another process (another run or a DuckDB shell). "
                                 f"Wait for it to finish or close it, then re-run. DuckDB said: {e}") from e
            raise dg.Failure(f"Cannot open the warehouse {path}: {e}. If the file is damaged, move it away and "
                             "re-run: the pipeline rebuilds it from the input files.") from e
        try:
            setup_warehouse(conn)
            yield conn
        finally:
            conn.close()


class Folders(dg.ConfigurableResource):
    """Where inputs are read and reports written."""

    data_dir: str
    reports_dir: str

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser().resolve()

    @property
    def reports_path(self) -> Path:
        return Path(self.reports_dir).expanduser().resolve()


def build_resources(data_dir=None, warehouse=None, reports_dir=None) -> dict:
    """Resources for the code location; tests pass explicit paths."""
    return {
        "warehouse": Warehouse(database=warehouse or setting("HCSM_WAREHOUSE")),
        "folders": Folders(
            data_dir=data_dir or setting("HCSM_DATA_DIR"),
            reports_dir=reports_dir or setting("HCSM_REPORTS_DIR"),
        ),
    }
