"""The refresh job, its daily schedule, and a sensor that starts it when input files appear or change."""


import hashlib
import json

import dagster as dg

from pipelines.warehouse.contracts import CONTRACTS

from .resources import Folders

refresh_all = dg.define_asset_job(
    name="refresh_all",
    selection=dg.AssetSelection.all(),
    description="Everything: land new files, type and check them, enrich, rebuild marts and reports. "
    "Incremental and safe to re-run: files already loaded are skipped.",
)

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_all,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Daily refresh at 05:00 UTC (turn it on in the UI or with `dagster schedule start`).",
)


def input_fingerprint(folders: Folders) -> dict[str, str]:
    """path -> size:mtime of every input file; a change to any of them is a reason to refresh."""
    prints = {}
    for contract in CONTRACTS.values():
        for p in contract.files(folders.data_path):
            st = p.stat()
            prints[p.relative_to(folders.data_path).as_posix()] = f"{st.st_size}:{st.st_mtime_ns}"
    return prints


@dg.sensor(
    name="new_input_files",
    job=refresh_all,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts refresh_all when files are added or changed under posts/, user_growth/, reference/ or organizations.csv.",
)
def new_input_files(context: dg.SensorEvaluationContext, folders: Folders):
    current = input_fingerprint(folders)
    previous = json.loads(context.cursor) if context.cursor else {}
    changed = sorted(k for k, v in current.items() if previous.get(k) != v)
    if not changed:
        return dg.SkipReason(f"no new or changed files among {len(current)} input files")
    context.update_cursor(json.dumps(current, sort_keys=True))
    key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=key, tags={"hcsm/changed_files": str(len(changed))})
