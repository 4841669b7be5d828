"""core.post_cube kept cell by cell equals the cube built in full, through any sequence of changes.

The writers' side is exercised as the core merge does it (mark the old cells of replaced posts, delete, insert,
mark the new cells) on a real DuckDB warehouse, with posts that move between organizations, platforms and months,
lose their analysis and get it back. The pipeline-level test (tests/test_incremental.py) checks the same through
real materializations.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import duckdb
import pytest

from pipelines.warehouse import cube
from pipelines.warehouse.sql import setup_warehouse

_LABELS = ("negative", "neutral", "positive")
_THEMES = ("networking", "education_research", "promotion_events", "patient_communication", "other")
_PHI = ("phone", "email", "record_number", "dob", "address", "name_condition")


def _post(rng: random.Random, post_id: str) -> dict:
    start = datetime(2020, 1, 1)
    return {
        "post_id": post_id,
        "platform": rng.choice(["facebook", "x", "linkedin"]),
        "org_id": rng.choice(["o1", "o2", "o3", "o4"]),
        "posted_at": start + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60)),
        "text": "t",
        "likes": rng.choice([None, rng.randrange(0, 50)]),
        "shares": rng.randrange(0, 9),
        "comments": rng.choice([None, 3]),
        "views": rng.choice([None, 0, rng.randrange(1, 900)]),
        "content_hash": rng.randrange(0, 2**63),
    }


def _analysis(rng: random.Random, post: dict) -> dict:
    claim = rng.random() < 0.3
    return {
        "post_id": post["post_id"],
        "content_hash": post["content_hash"],
        "sentiment_score": rng.uniform(-1, 1),
        "sentiment_label": rng.choice(_LABELS),
        "scorer": "test",
        "themes": rng.sample(_THEMES, rng.randrange(0, 3)),
        "phi_kinds": rng.sample(_PHI, rng.choice([0, 0, 0, 1, 2])),
        "health_claim": claim,
        "unsourced_claim": claim and rng.random() < 0.5,
        "unprofessional": rng.random() < 0.1,
    }


def _merge(conn: duckdb.DuckDBPyConnection, posts: list[dict]) -> None:
    """Replace or add posts as pipelines/warehouse/core.py does, marking the cells they leave and enter."""
    conn.execute("begin")
    conn.execute("create or replace temp table _new (post_id varchar, platform varchar, org_id varchar, "
                 "posted_at timestamp, text varchar, likes bigint, shares bigint, comments bigint, views bigint, "
                 "content_hash ubigint)")
    conn.executemany("insert into _new values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [list(p.values()) for p in posts])
    cube.mark_posts(conn, "select * from core.posts where post_id in (select post_id from _new)")
    conn.execute("delete from core.posts where post_id in (select post_id from _new)")
    conn.execute("insert into core.posts by name select *, 'f.csv' as _source_file, 1 as _source_row, "
                 "'l1' as _load_id from _new")
    cube.mark_posts(conn, "select * from _new")
    conn.execute("commit")


def _analyse(conn: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Publish analyses as pipelines/warehouse/enrich.py does, marking the cells of their posts."""
    conn.execute("begin")
    conn.execute("create or replace temp table _an as select * from core.posts_enriched limit 0")
    for r in rows:
        conn.execute("insert into _an by name select " + ", ".join(f"${k} as {k}" for k in r), r)
    cube.mark_posts(conn, "select * from core.posts p semi join _an a on a.post_id = p.post_id")
    conn.execute("delete from core.posts_enriched where post_id in (select post_id from _an)")
    conn.execute("insert into core.posts_enriched by name select * from _an")
    conn.execute("commit")


def _table(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    rows = conn.execute(f"select * from {table}").fetchall()
    return sorted(tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows)


@pytest.fixture
def warehouse(tmp_path):
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    setup_warehouse(conn)
    yield conn
    conn.close()


def test_cell_by_cell_refresh_equals_a_full_build_through_changes(warehouse, tmp_path):
    rng = random.Random(14)
    posts = {f"p{i}": _post(rng, f"p{i}") for i in range(300)}
    _merge(warehouse, list(posts.values()))
    _analyse(warehouse, [_analysis(rng, p) for p in posts.values()])
    first = cube.refresh_cubes(warehouse)
    assert first["full"]
    for round_ in range(6):
        # new posts, posts re-sent with new engagement or moved to another month, organization or platform
        changed = [dict(_post(rng, f"n{round_}-{i}")) for i in range(20)]
        for pid in rng.sample(sorted(posts), 25):
            moved = _post(rng, pid)
            if rng.random() < 0.5:  # same text: engagement and time change, the analysis stays
                moved["content_hash"] = posts[pid]["content_hash"]
            changed.append(moved)
        _merge(warehouse, changed)
        posts.update({p["post_id"]: p for p in changed})
        stale = warehouse.execute(
            "select p.post_id from core.posts p left join core.posts_enriched e "
            "on e.post_id = p.post_id and e.content_hash = p.content_hash where e.post_id is null").fetchall()
        _analyse(warehouse, [_analysis(rng, posts[pid]) for (pid,) in stale])
        result = cube.refresh_cubes(warehouse)
        assert not result["full"] and 0 < result["cells"] < result["rows"]
        incremental = {t: _table(warehouse, t) for t in cube.TABLES}
        cube.refresh_cubes(warehouse, force=True)
        assert {t: _table(warehouse, t) for t in cube.TABLES} == incremental, f"round {round_}"
    assert warehouse.execute(f"select count(*) from {cube.DIRTY}").fetchone()[0] == 0
    assert warehouse.execute("select sum(posts) from core.post_cube").fetchone()[0] == len(posts)


def test_a_cube_is_not_published_over_posts_without_analysis_and_its_marks_are_kept(warehouse):
    rng = random.Random(3)
    posts = [_post(rng, f"p{i}") for i in range(40)]
    _merge(warehouse, posts)
    _analyse(warehouse, [_analysis(rng, p) for p in posts])
    cube.refresh_cubes(warehouse)
    late = _post(rng, "late")
    _merge(warehouse, [late])
    marked = warehouse.execute(f"select count(*) from {cube.DIRTY}").fetchone()[0]
    with pytest.raises(RuntimeError, match=r"1 post\(s\) in 1 cell\(s\) have no analysis"):
        cube.refresh_cubes(warehouse)
    assert warehouse.execute(f"select count(*) from {cube.DIRTY}").fetchone()[0] == marked
    assert warehouse.execute("select sum(posts) from core.post_cube").fetchone()[0] == 40
    _analyse(warehouse, [_analysis(rng, late)])
    assert cube.refresh_cubes(warehouse)["cells"] == 1
    assert warehouse.execute("select sum(posts) from core.post_cube").fetchone()[0] == 41


def test_the_cube_is_built_in_full_when_its_sql_changes(warehouse, monkeypatch):
    rng = random.Random(5)
    posts = [_post(rng, f"p{i}") for i in range(30)]
    _merge(warehouse, posts)
    _analyse(warehouse, [_analysis(rng, p) for p in posts])
    assert cube.refresh_cubes(warehouse)["full"]
    assert cube.refresh_cubes(warehouse) == {"full": False, "cells": 0, "rows": cube._rows(warehouse)}
    models = cube._models()
    monkeypatch.setattr(cube, "_models", lambda: {t: m + "\n-- edited" for t, m in models.items()})
    assert cube.refresh_cubes(warehouse)["full"]
