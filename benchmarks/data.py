"""Generated inputs for a benchmark: made once per (posts, orgs, seed) with the project's generator, then reused.

The generator is asked for N + N/100 posts in parts of N/10 rows, so the first ten parts are the N posts of
the full build and the last part holds the 1% of new posts (new post_ids) for the incremental refresh.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USER_GROWTH = ROOT / "data" / "sample" / "user_growth"
_MARKER = "benchmark-inputs.json"


def default_orgs(posts: int) -> int:
    """About 2,500 posts per organization, and never fewer than the sample's 40."""
    return max(40, posts // 2500)


@dataclass
class Inputs:
    folder: Path
    posts: int
    orgs: int
    seed: int
    base: list[Path]  # the N posts of the full build
    increment: list[Path]  # the extra 1%
    generate_s: float | None  # None when reused from the cache
    shape: str = "default"  # the generator's shape (pipelines.sample.generate.SHAPES)

    def describe(self) -> dict:
        return {
            "posts": self.posts, "orgs": self.orgs, "seed": self.seed, "shape": self.shape, "folder": str(self.folder),
            "files": len(self.base), "bytes": sum(p.stat().st_size for p in self.base),
            "increment_posts": increment_size(self.posts),
            "generate_s": self.generate_s, "reused_from_cache": self.generate_s is None,
        }


def increment_size(posts: int) -> int:
    return max(1, posts // 100)


def _rows_per_file(posts: int) -> int:
    # ten base parts when N divides evenly, otherwise one; either way the increment lands in a part of its own
    return posts // 10 if posts % 10 == 0 and posts >= 10 * increment_size(posts) else posts


def ensure_inputs(cache: Path, posts: int, orgs: int, seed: int, shape: str = "default") -> Inputs:
    """The generated folder for these arguments, generating it only when the cache lacks a complete one."""
    if posts < 1:
        raise ValueError("posts must be at least 1")
    folder = cache / (f"posts{posts}-orgs{orgs}-seed{seed}" + ("" if shape == "default" else f"-{shape}"))
    marker = folder / _MARKER
    wanted = {"posts": posts, "orgs": orgs, "seed": seed, "rows_per_file": _rows_per_file(posts),
              "increment": increment_size(posts), **({} if shape == "default" else {"shape": shape})}
    took = None
    if not (marker.exists() and json.loads(marker.read_text())["args"] == wanted):
        shutil.rmtree(folder, ignore_errors=True)
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pipelines.sample.generate", "--posts", str(posts + wanted["increment"]),
             "--orgs", str(orgs), "--seed", str(seed), "--out", str(folder),
             "--rows-per-file", str(wanted["rows_per_file"]), "--shape", shape],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )
        took = round(time.perf_counter() - began, 3)
        # written last, so an interrupted generation is never mistaken for a complete one
        marker.write_text(json.dumps({"args": wanted, "generate_s": took}, indent=2))
    parts = sorted((folder / "posts").glob("part-*.csv"))
    n_base = posts // wanted["rows_per_file"]
    return Inputs(folder, posts, orgs, seed, parts[:n_base], parts[n_base:], took, shape)


def _link(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)  # same bytes, no copy; the loader refuses symlinks that leave the data folder
    except OSError:
        shutil.copy2(src, dst)


def stage(inputs: Inputs, data_dir: Path) -> Path:
    """A fresh input folder holding the base posts, the organizations and the sample's user growth."""
    shutil.rmtree(data_dir, ignore_errors=True)
    _link(inputs.folder / "organizations.csv", data_dir / "organizations.csv")
    for part in inputs.base:
        _link(part, data_dir / "posts" / part.name)
    shutil.copytree(USER_GROWTH, data_dir / "user_growth")
    return data_dir


def add_increment(inputs: Inputs, data_dir: Path) -> list[Path]:
    """Put the 1% of new posts beside the base parts, as a new export file would arrive."""
    added = []
    for part in inputs.increment:
        _link(part, data_dir / "posts" / part.name)
        added.append(data_dir / "posts" / part.name)
    return added
