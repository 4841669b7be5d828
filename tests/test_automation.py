"""The sensor starts a refresh only when input files are added or changed; the schedule and job exist."""

from __future__ import annotations

import dagster as dg

from conftest import good_posts, write_posts_csv
from pipelines.defs.automation import new_input_files
from pipelines.defs.resources import Folders


def _evaluate(folders: Folders, cursor: str | None):
    context = dg.build_sensor_context(cursor=cursor, resources={"folders": folders})
    result = new_input_files(context)
    return result, context.cursor


def test_sensor_fires_on_new_files_only(workspace, tmp_path):
    folders = Folders(data_dir=str(workspace["data"]), reports_dir=str(tmp_path / "r"))
    first, cursor = _evaluate(folders, None)
    assert isinstance(first, dg.RunRequest)

    again, same_cursor = _evaluate(folders, cursor)
    assert isinstance(again, dg.SkipReason)
    assert same_cursor == cursor

    write_posts_csv(workspace["data"] / "posts" / "new_day.csv", good_posts("n", 3))
    fired, new_cursor = _evaluate(folders, cursor)
    assert isinstance(fired, dg.RunRequest)
    assert fired.run_key != first.run_key
    assert "posts/new_day.csv" in new_cursor


def test_definitions_load_with_job_schedule_sensor_and_in_process_executor():
    from pipelines.definitions import defs

    full = defs()
    assert {s.name for s in full.schedules} == {"daily_refresh"}
    assert {s.name for s in full.sensors} == {"new_input_files"}
    assert full.resolve_job_def("refresh_all").executor_def.name == "in_process"
    keys = {k.to_user_string() for k in full.resolve_all_asset_keys()}
    assert {"raw/posts", "core/posts", "core/posts_enriched", "marts/headline", "reports/site"} <= keys
    # every asset that touches the warehouse is in the writer pool
    for a in full.assets:
        if any(k.path[0] in ("raw", "core", "marts", "reports") for k in a.keys):
            assert a.op.pool == "hcsm_warehouse", a.keys
