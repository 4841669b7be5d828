"""The code location: everything under defs/, bound to the warehouse and folders, run in one process.

The in-process executor keeps every step in the run's own process, so only one process opens the DuckDB file
at a time. Across runs, the `hcsm_warehouse` pool on every asset and check keeps a second writing run queued
when the instance uses run-granularity pools (dagster.yaml), and the warehouse's own lock file serializes runs
started outside the queue (pipelines/warehouse/access.py). See "One writer at a time" in the README.
"""

from pathlib import Path

import dagster as dg

from pipelines.defs.resources import build_resources


@dg.definitions
def defs() -> dg.Definitions:
    loaded = dg.load_from_defs_folder(path_within_project=Path(__file__).resolve().parent)
    return dg.Definitions.merge(
        loaded,
        dg.Definitions(resources=build_resources(), executor=dg.in_process_executor),
    )
