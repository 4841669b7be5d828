"""The embedded user-growth series, built as data from the public reference files, one CSV per source.

`python -m pipelines.sample.user_growth [--reference DIR] [--out DIR]`; platform names stay as each source spells
them (the pipeline normalizes them).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pyarrow as pa

from pipelines.sample.generate import write_csv

REPO = Path(__file__).resolve().parents[2]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference"
DEFAULT_OUT = REPO / "data" / "sample" / "user_growth"
SCHEMA = pa.schema([("platform", pa.string()), ("period", pa.string()), ("region", pa.string()),
                    ("users", pa.int64()), ("source", pa.string()), ("license", pa.string())])
OWID_FILE = "owid_users_by_social_media_platform/users-by-social-media-platform.csv"
OWID_HEADER = ["Entity", "Year", "Monthly active users (Statista and TNW (2019))"]
OWID_SOURCE, OWID_LICENSE = "Our World in Data: Statista and TNW (2019)", "CC BY 4.0"
ADOPTION_FILE = "healthcare_adoption/healthcare_adoption_figures.csv"
ADOPTION_LICENSE = "not stated"  # the compiled file cites each figure's source but gives no license for them


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def owid_platform_users(reference: Path) -> pa.Table:
    """Monthly active users per platform and year, world, as OWID publishes them."""
    header, rows = _read(reference / OWID_FILE)
    if header != OWID_HEADER:
        raise ValueError(f"{OWID_FILE}: unexpected header {header}")
    return pa.table({
        "platform": [r[0] for r in rows], "period": [r[1] for r in rows], "region": ["World"] * len(rows),
        "users": [int(r[2]) for r in rows], "source": [OWID_SOURCE] * len(rows), "license": [OWID_LICENSE] * len(rows),
    }, schema=SCHEMA)


def world_total_users(reference: Path) -> pa.Table:
    """The 2017 and 2018 world totals of social-media users (subject all_users), with the source they cite."""
    header, rows = _read(reference / ADOPTION_FILE)
    records = [dict(zip(header, r)) for r in rows]
    totals = [r for r in records if r["subject"] == "all_users" and r["metric"] == "users"]
    if not totals:
        raise ValueError(f"{ADOPTION_FILE}: no all_users rows")
    return pa.table({
        "platform": [r["platform"] for r in totals], "period": [r["period"] for r in totals],
        "region": [r["region"] for r in totals], "users": [int(r["value"]) for r in totals],
        "source": [r["source"] for r in totals], "license": [ADOPTION_LICENSE] * len(totals),
    }, schema=SCHEMA)


def build_user_growth(out_dir: Path | str = DEFAULT_OUT, reference: Path | str = DEFAULT_REFERENCE) -> dict[str, int]:
    """Write one CSV per source into out_dir; returns {file name: rows}."""
    out, reference = Path(out_dir), Path(reference)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, table in (("owid_users_by_platform.csv", owid_platform_users(reference)),
                        ("world_total_users.csv", world_total_users(reference))):
        write_csv(table, out / name)
        written[name] = table.num_rows
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for name, rows in build_user_growth(args.out, args.reference).items():
        print(f"{args.out / name}: {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
