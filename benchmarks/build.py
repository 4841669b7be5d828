"""Materialize every asset and asset check of the code location in this process, as `dagster asset materialize
--select '*'` does, and write what each step took as JSON.

`python -m benchmarks.build --data DIR --warehouse FILE --reports DIR --out FILE [--duckdb memory_limit=2GB]
[--set pipelines.defs.checks.CHUNK_ROWS=500000]`: the last two try settings without editing the code; runs
that use them say so in their results.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import os
import time
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
DEFS_FOLDER = Path(__file__).resolve().parents[1] / "pipelines"
_STEP_END = {"STEP_SUCCESS": "success", "STEP_FAILURE": "failure", "STEP_SKIPPED": "skipped"}
# the run's own events still carry their legacy names (PIPELINE_START, ...)
_RUN_START, _RUN_END = "RUN_START", ("RUN_SUCCESS", "RUN_FAILURE")


def _override(assignment: str) -> tuple[str, object]:
    """'pkg.module.NAME=value': set a module constant for this run (value read as a Python literal)."""
    target, _, value = assignment.partition("=")
    module_name, _, attr = target.rpartition(".")
    module = importlib.import_module(module_name)
    if not hasattr(module, attr):
        raise SystemExit(f"--set: {module_name} has no {attr}")
    parsed = ast.literal_eval(value)
    setattr(module, attr, parsed)
    return target, parsed


def _numbers(metadata: dict) -> dict:
    """The numeric and short text metadata of a materialization (markdown previews left out)."""
    out = {}
    for key, entry in metadata.items():
        value = getattr(entry, "value", entry)
        if isinstance(value, bool | int | float) or (isinstance(value, str) and len(value) <= 80):
            out[key] = value
    return out


def step_timings(instance, run_id: str) -> tuple[list[dict], float]:
    """Steps in start order with their duration, outcome, materialized assets and check results; run seconds."""
    steps: dict[str, dict] = {}
    run_start = run_end = None
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type_value
        if event.event_type.name == _RUN_START:
            run_start = entry.timestamp
        elif event.event_type.name in _RUN_END:
            run_end = entry.timestamp
        if not entry.step_key:
            continue
        step = steps.setdefault(entry.step_key, {"step": entry.step_key, "assets": {}, "checks": {}})
        if kind == "STEP_START":
            step["_start"] = entry.timestamp
        elif kind in _STEP_END:
            step["status"] = _STEP_END[kind]
            step["_end"] = entry.timestamp
        elif kind == "ASSET_MATERIALIZATION":
            m = entry.asset_materialization
            step["assets"][m.asset_key.to_user_string()] = _numbers(m.metadata)
        elif kind == "ASSET_CHECK_EVALUATION":
            e = event.event_specific_data
            step["checks"][f"{e.asset_key.to_user_string()}:{e.check_name}"] = e.passed
    ordered = []
    for step in sorted(steps.values(), key=lambda s: s.get("_start", float("inf"))):
        start, end = step.pop("_start", None), step.pop("_end", None)
        step["start_s"] = round(start - run_start, 3) if start and run_start else None
        step["start_epoch"], step["end_epoch"] = start, end
        step["seconds"] = round(end - start, 3) if start and end else None
        step.setdefault("status", "not run")
        ordered.append(step)
    return ordered, round((run_end or time.time()) - (run_start or time.time()), 3)


def build(data: Path, warehouse: Path, reports: Path, duckdb_config: dict | None = None) -> dict:
    import dagster as dg

    from pipelines.defs.resources import Warehouse, build_resources

    began = time.perf_counter()
    defs = dg.load_from_defs_folder(path_within_project=DEFS_FOLDER)
    resources = build_resources(str(data), str(warehouse), str(reports))
    if duckdb_config:
        base = resources["warehouse"]
        resources["warehouse"] = Warehouse(database=str(warehouse), wait_seconds=base.wait_seconds,
                                           connection_config={**base.connection_config, **duckdb_config})
    loaded = time.perf_counter() - began
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [*defs.assets, *defs.asset_checks], resources=resources, instance=instance, raise_on_error=False
    )
    steps, run_s = step_timings(instance, result.run_id)
    return {
        "success": result.success,
        "load_definitions_s": round(loaded, 3),
        "run_s": run_s,
        "steps_s": round(sum(s["seconds"] or 0 for s in steps), 3),
        "steps": steps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--reports", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--duckdb", action="append", default=[], metavar="NAME=VALUE",
                        help="a DuckDB setting for the warehouse connection, e.g. memory_limit=2GB, threads=2")
    parser.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=VALUE",
                        help="override a module constant, e.g. pipelines.warehouse.enrich.BUCKET_ROWS=1000000")
    args = parser.parse_args(argv)
    overrides = dict(_override(a) for a in args.set)
    duckdb_config = dict(a.split("=", 1) for a in args.duckdb)
    result = build(args.data, args.warehouse, args.reports, duckdb_config)
    result["overrides"] = {**overrides, **{f"duckdb.{k}": v for k, v in duckdb_config.items()}}
    args.out.write_text(json.dumps(result, indent=2, default=str))
    return 0 if result["success"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
