"""A refresh costs what is new and gives what a full rebuild gives.

Two warehouses from the embedded sample: one built from all files at once, one built from part of them and then
refreshed twice (once with the remaining files, a changed post and a duplicate file, once with nothing new). Every
mart must equal the full build's, row for row; the refresh with nothing new must rebuild no mart but the one that
reports the run's own checks, and leave every table as it was.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, materialize_all

SAMPLE = ROOT / "data" / "sample"
# Columns that say when or in which load a row was written: they differ between two builds of the same data.
_WHEN = ("_at", "load_id", "batch_id", "loaded", "checked")
# marts.quality_checks reports the checks of the latest run (a refresh validates only its new loads); the marts that
# read it do too.
_RUN_ONLY = {"quality_checks"}
_PER_LOAD = {"quality_reconciliation"}


def _copy_sample(root: Path, posts: list[str]) -> Path:
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("posts"))
    (root / "posts").mkdir()
    for name in posts:
        shutil.copy(SAMPLE / "posts" / name, root / "posts" / name)
    return root


def _changed_post_file(path: Path) -> None:
    """A later export that re-sends one sample post with new text, and one new post."""
    with (SAMPLE / "posts" / "part-00000.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        first = next(reader)
    changed = list(first)
    changed[header.index("text")] = "Updated: our flu clinic moves to Saturday mornings; bring your insurance card."
    new = list(first)
    new[header.index("post_id")] = first[header.index("post_id")] + "-new"
    new[header.index("text")] = "Congratulations to our nurses on their Magnet recognition!"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows([changed, new])


def _marts(warehouse: Path) -> dict[str, list[tuple]]:
    """Every mart, and the cubes the marts read (core.post_cube, core.post_theme_cube), as sorted rows."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        names = [r[0] for r in conn.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1").fetchall()]
        names += [f"core.{t}" for t in ("post_cube", "post_theme_cube")]
        out = {}
        for name in names:
            table = name if "." in name else f"marts.{name}"
            if name in _RUN_ONLY:
                continue
            columns = [r[0] for r in conn.execute(f"describe {table}").fetchall()]
            keep = [c for c in columns if not any(w in c for w in _WHEN)]
            cols = ", ".join(f'"{c}"' for c in keep)
            if name in _PER_LOAD:
                # which of two loads of one post counts it as loaded and which as duplicate depends on their order
                cols = "count(*), sum(rows_read), sum(rows_loaded + rows_duplicate), sum(rows_quarantined)"
            rows = conn.execute(f"select {cols} from {table}").fetchall()
            out[name] = sorted(tuple(_rounded(v) for v in row) for row in rows)
        return out


def _rounded(value):
    """Floats to 8 decimals: sums over rows in another order differ in the last bits."""
    return round(value, 8) if isinstance(value, float) else value


def _rebuilt(result) -> dict[str, bool]:
    out = {}
    for event in result.get_asset_materialization_events():
        m = event.event_specific_data.materialization
        if m.asset_key.path[0] == "marts":
            out[m.asset_key.path[1]] = m.metadata["rebuilt"].value
    return out


def _metadata(result, path: list[str]) -> dict:
    for event in result.get_asset_materialization_events():
        m = event.event_specific_data.materialization
        if m.asset_key.path == path:
            return {k: v.value for k, v in m.metadata.items()}
    raise AssertionError(f"{'/'.join(path)} was not materialized")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    files = sorted(p.name for p in (SAMPLE / "posts").iterdir() if p.is_file())
    assert len(files) >= 4
    root = tmp_path_factory.mktemp("incremental")

    full = _copy_sample(root / "full", files)
    _changed_post_file(full / "posts" / "zz-changes.csv")
    shutil.copy(SAMPLE / "posts" / files[1], full / "posts" / "zz-resent.csv")  # the same export sent twice
    materialize_all(full, root / "full.duckdb", root / "full-reports")

    part = _copy_sample(root / "part", files[:2])
    materialize_all(part, root / "part.duckdb", root / "part-reports")
    for name in files[2:]:
        shutil.copy(SAMPLE / "posts" / name, part / "posts" / name)
    _changed_post_file(part / "posts" / "zz-changes.csv")
    shutil.copy(SAMPLE / "posts" / files[1], part / "posts" / "zz-resent.csv")
    refresh = materialize_all(part, root / "part.duckdb", root / "part-reports")
    after_refresh = _marts(root / "part.duckdb")
    again = materialize_all(part, root / "part.duckdb", root / "part-reports")
    return {"full": _marts(root / "full.duckdb"), "refreshed": after_refresh, "again": _marts(root / "part.duckdb"),
            "refresh": _rebuilt(refresh), "nothing_new": _rebuilt(again),
            "cube_refresh": _metadata(refresh, ["core", "post_cube"]),
            "cube_again": _metadata(again, ["core", "post_cube"]),
            "validation_again": _metadata(again, ["core", "sentiment_validation"])}


def test_incremental_refresh_equals_full_build(builds):
    full, refreshed = builds["full"], builds["refreshed"]
    assert set(full) == set(refreshed)
    different = [name for name in full if full[name] != refreshed[name]]
    assert not different, f"marts that differ from a full build after a refresh: {different}"
    assert sum(len(rows) for rows in full.values()) > 1000


def test_a_refresh_with_new_posts_rebuilds_the_marts_they_touch(builds):
    rebuilt = builds["refresh"]
    for name in ("sentiment_trend", "themes_trend", "headline", "posting_activity", "quality_reconciliation"):
        assert rebuilt[name], name


def test_a_refresh_with_nothing_new_rebuilds_no_mart_and_changes_nothing(builds):
    rebuilt = builds["nothing_new"]
    assert rebuilt, "no mart materialized"
    assert [name for name, done in rebuilt.items() if done] == sorted(_RUN_ONLY & set(rebuilt))
    assert builds["again"] == builds["refreshed"]


def test_a_refresh_sums_again_only_the_cells_new_posts_touch(builds):
    """The cube is not rebuilt on a refresh: only the (organization, platform, month) cells of the new and changed
    posts are summed again, and with nothing new none is; the sums still equal a full build's (test above)."""
    refresh, again = builds["cube_refresh"], builds["cube_again"]
    assert not refresh["full_build"]
    assert 0 < refresh["cells_summed"] < refresh["dagster/row_count"]
    assert not again["full_build"] and again["cells_summed"] == 0


def test_a_refresh_with_nothing_new_does_not_score_the_labelled_sets_again(builds):
    assert builds["validation_again"]["rescored"] is False
    assert builds["validation_again"]["dagster/row_count"] > 0
