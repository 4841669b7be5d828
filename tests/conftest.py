"""Shared fixtures: a small, hand-made input folder and helpers to materialize the real asset graph."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import dagster as dg
import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

ORGS = [
    ("h1", "North Valley Hospital (test)", "hospital"),
    ("s1", "Lakeside Health System (test)", "health_system"),
    ("c1", "Elm Street Clinic (test)", "clinic"),
    ("p1", "Acme Pharma (test)", "pharma"),
    ("g1", "County Public Health (test)", "public_health_agency"),
    ("m1", "Health Desk News (test)", "health_media"),
]
POST_HEADER = ["post_id", "platform", "org_id", "posted_at", "text", "likes", "shares", "comments", "views", "url", "lang"]
GOOD_TEXTS = [
    "Flu shots are available now at all our clinics. Walk in any weekday! #FluSeason",
    "We are proud to welcome our new nurses. Great team, wonderful care.",
    "Join our free heart health webinar on Thursday. Register at https://example.org/webinar",
    "Sadly the east wing is closed due to a water leak. We apologize for the disruption.",
    "New study from our researchers on diabetes prevention, published today.",
    "We're hiring respiratory therapists. Apply today and grow your career with us.",
]


def write_posts_csv(path: Path, rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(POST_HEADER)
        w.writerows(rows)


def good_posts(prefix: str, n: int, start_year: int = 2019) -> list[list]:
    platforms = ["Facebook", "Twitter", "LinkedIn", "instagram", "X", "YouTube"]
    rows = []
    for i in range(n):
        org = ORGS[i % len(ORGS)][0]
        year = start_year + (i % 5)
        month = 1 + (i * 7) % 12
        rows.append([
            f"{prefix}-{i}", platforms[i % len(platforms)], org, f"{year}-{month:02d}-{1 + i % 27:02d}T{(i * 5) % 24:02d}:15:00Z",
            f"{GOOD_TEXTS[i % len(GOOD_TEXTS)]} ({prefix} {i})", i * 3 % 50, i % 7, i % 5, "" if i % 3 else i * 10,
            "", "en",
        ])
    return rows


def make_inputs(root: Path, n_posts: int = 60) -> Path:
    """A data folder in the input contract: orgs, one CSV and one JSONL posts file (with bad rows), user growth."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / "organizations.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["org_id", "org_name", "org_type", "country", "region"])
        w.writerows([[*o, "US", ""] for o in ORGS])
    rows = good_posts("a", n_posts)
    rows += [
        ["", "Facebook", "h1", "2021-01-01T00:00:00Z", "no id", 1, 1, 1, "", "", "en"],  # missing post_id
        ["bad-ts", "Facebook", "h1", "yesterday-ish", "bad time", 1, 1, 1, "", "", "en"],  # unparseable time
        ["bad-likes", "Facebook", "h1", "2021-01-01T00:00:00Z", "negative", -5, 1, 1, "", "", "en"],  # negative count
        ["bad-org", "Facebook", "zz9", "2021-01-01T00:00:00Z", "who?", 1, 1, 1, "", "", "en"],  # unknown org
        ["a-1", "Twitter", "h1", "2020-02-02T00:00:00Z", "dup of a-1 later in file", 2, 2, 2, "", "", "en"],  # duplicate id
    ]
    write_posts_csv(root / "posts" / "export_a.csv", rows)
    with (root / "posts" / "export_b.jsonl").open("w", encoding="utf-8") as f:
        for r in good_posts("b", 10, 2022):
            f.write(json.dumps(dict(zip(POST_HEADER, r))) + "\n")
    (root / "user_growth").mkdir(exist_ok=True)
    with (root / "user_growth" / "platforms.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["platform", "period", "region", "users", "source", "license"])
        for name, base in (("Facebook", 1.5e9), ("YouTube", 1.0e9), ("Twitter", 3.0e8), ("Whatsapp", 8.0e8)):
            for k, year in enumerate(range(2016, 2020)):
                w.writerow([name, str(year), "World", int(base * (1.1 ** k)), "test figures", "CC BY 4.0"])
        w.writerow(["all", "2017", "World", 2_420_000_000, "Statista, as quoted", ""])
        w.writerow(["all", "2018", "World", 2_620_000_000, "Statista, as quoted", ""])
    return root


def load_defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=ROOT)


def materialize_all(data_dir: Path, warehouse: Path, reports: Path, *, raise_on_error: bool = True,
                    selection=None) -> dg.ExecuteInProcessResult:
    from pipelines.defs.resources import build_resources

    d = load_defs()
    return dg.materialize(
        [*d.assets, *d.asset_checks],
        resources=build_resources(str(data_dir), str(warehouse), str(reports)),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=raise_on_error,
        selection=selection,
    )


def query(warehouse: Path, sql: str, params=None):
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


@pytest.fixture
def workspace(tmp_path: Path) -> dict[str, Path]:
    return {
        "data": make_inputs(tmp_path / "data"),
        "warehouse": tmp_path / "wh" / "warehouse.duckdb",
        "reports": tmp_path / "reports",
    }


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium for the browser tests of one module (tests/browser.py starts it as the brief says)."""
    import browser

    with browser.Chromium() as instance:
        yield instance
