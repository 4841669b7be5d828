"""Rebuild the embedded sample in data/sample/: `python -m pipelines.sample [--out DIR] [--reference DIR]`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipelines.sample.generate import generate
from pipelines.sample.native import add_accounts, write_native
from pipelines.sample.reference import build_reference
from pipelines.sample.user_growth import DEFAULT_REFERENCE, REPO, build_user_growth

SAMPLE_DIR = REPO / "data" / "sample"
# About 4,000 posts by 40 orgs over 2016-2025: four CSV parts, one JSONL and one Parquet part, well under 2 MB;
# plus posts/native/, one small file per platform export layout.
SAMPLE_ARGS = {
    "posts": 4_000, "orgs": 40, "seed": 3, "start": "2016-01-01", "end": "2025-12-31", "rows_per_file": 700,
    "formats": ("csv", "csv", "jsonl", "csv", "csv", "parquet"),
}


def build_sample(out_dir: Path | str = SAMPLE_DIR, reference: Path | str = DEFAULT_REFERENCE) -> dict:
    """Write organizations.csv, posts/, user_growth/ and reference/ into out_dir; SYNTHETIC.md there is kept as is."""
    out = Path(out_dir)
    summary = generate(out, **SAMPLE_ARGS)
    # one small export per native layout (formats.py), by organizations whose accounts organizations.csv names
    summary["native"] = write_native(out / "posts")
    add_accounts(out / "organizations.csv")
    summary["user_growth"] = build_user_growth(out / "user_growth", reference)
    summary["reference"] = build_reference(out / "reference", reference)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    args = parser.parse_args(argv)
    print(json.dumps(build_sample(args.out, args.reference), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
