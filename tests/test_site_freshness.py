"""A refresh with nothing new keeps the published site; anything that changes a page rebuilds it.

Real materializations on one warehouse: a first build, a second (a check's verdict changes: rebuilt), a third with
nothing new (kept), one after a new posts file (rebuilt), one after a page was deleted
from the published folder (rebuilt), and a stopped run's site, which must never be kept.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import duckdb
import pytest

from conftest import good_posts, make_inputs, materialize_all, write_posts_csv
from pipelines.reporting.freshness import published_key, site_key
from pipelines.reporting.publish import read_manifest
from pipelines.warehouse.sql import mart_names


def _site(result) -> dict:
    for event in result.get_asset_materialization_events():
        m = event.event_specific_data.materialization
        if m.asset_key.path == ["reports", "site"]:
            return {k: v.value for k, v in m.metadata.items()}
    raise AssertionError("reports/site was not materialized")


def _pages(reports: Path) -> dict[str, str]:
    root = reports.resolve()
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.glob("*.html")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("freshness")
    data, warehouse, reports = make_inputs(root / "data"), root / "wh.duckdb", root / "reports"
    out = {}
    for name in ("first", "second", "nothing_new"):
        site = _site(materialize_all(data, warehouse, reports))
        out[name] = {"site": site, "build": read_manifest(reports)["build"], "pages": _pages(reports)}
    write_posts_csv(data / "posts" / "export_c.csv", good_posts("c", 12, 2023))
    site = _site(materialize_all(data, warehouse, reports))
    out["new_posts"] = {"site": site, "build": read_manifest(reports)["build"], "pages": _pages(reports)}
    materialize_all(data, warehouse, reports)  # the checks' messages settle again
    (reports / "risk.html").unlink()
    site = _site(materialize_all(data, warehouse, reports))
    out["page_deleted"] = {"site": site, "build": read_manifest(reports)["build"], "pages": _pages(reports)}
    out["paths"] = {"warehouse": warehouse, "reports": reports, "data": data}
    return out


def test_a_refresh_with_nothing_new_keeps_the_published_site(runs):
    first, second, kept = runs["first"], runs["second"], runs["nothing_new"]
    assert first["site"]["rebuilt"] is True
    # the second run changes a verdict (the first load's quarantine share warned; with no new rows it passes), so it
    # rebuilds; the third changes only passed checks' messages and times, and keeps the site
    assert second["site"]["rebuilt"] is True
    assert kept["site"]["rebuilt"] is False
    assert kept["build"] == second["build"], "a new build was published although nothing changed"
    assert kept["pages"] == second["pages"]
    assert kept["site"]["inputs_key"] == second["site"]["inputs_key"]


def test_new_posts_rebuild_the_site(runs):
    new = runs["new_posts"]
    assert new["site"]["rebuilt"] is True
    assert new["build"] != runs["nothing_new"]["build"]
    assert new["site"]["inputs_key"] != runs["nothing_new"]["site"]["inputs_key"]
    assert new["pages"]["index.html"] != runs["nothing_new"]["pages"]["index.html"]


def test_a_missing_page_rebuilds_the_site(runs):
    deleted = runs["page_deleted"]
    assert deleted["site"]["rebuilt"] is True
    assert "risk.html" in deleted["pages"]


def test_the_key_follows_settings_and_marts(runs):
    warehouse = runs["paths"]["warehouse"]
    with duckdb.connect(str(warehouse)) as conn:
        base = site_key(conn, mart_names(), environ={})
        assert base == site_key(conn, mart_names(), environ={"OTHER": "x"})
        assert base != site_key(conn, mart_names(), environ={"HCSM_ORG_PAGES_MAX": "0"})
        # a mart with no version (built by hand) makes the site always rebuild
        conn.execute("begin")
        conn.execute("delete from audit.table_versions where table_name = 'marts.headline'")
        assert site_key(conn, mart_names(), environ={}) is None
        conn.execute("rollback")


def test_a_stopped_site_is_never_kept(runs, tmp_path):
    from pipelines.reporting.status import publish_stopped

    reports = tmp_path / "stopped-reports"
    # publish_stopped records the stop in the warehouse; use a copy so the module's warehouse is not changed
    copy = tmp_path / "wh.duckdb"
    copy.write_bytes(Path(runs["paths"]["warehouse"]).read_bytes())
    with duckdb.connect(str(copy)) as conn:
        publish_stopped(conn, reports, "a blocking check failed")
        assert published_key(reports) is None
        assert site_key(conn, mart_names(), environ=dict(os.environ)) is not None
