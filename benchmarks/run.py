"""Benchmark the full build on N generated posts in a fresh warehouse; write a JSON result and print a table.

    python -m benchmarks.run --posts 1000000 --out benchmarks/results/1m.json --notebook --incremental

Phases, each in its own process so its wall time, CPU time and peak RSS (whole process tree, pool workers
included) are its own: the full build (every asset and check), the floor (the same texts through
score_parallel on every core), optionally the pandas notebook, and optionally the incremental refresh (a new
file of 1% new posts, then the whole graph again on the same warehouse).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import load, machine
from benchmarks.data import ROOT, add_increment, default_orgs, ensure_inputs, increment_size, stage
from benchmarks.proctree import run_measured
from pipelines.reporting.publish import remove_site

WORK = ROOT / "benchmarks" / "work"  # ignored by git
MIB = 2**20
# The issues' targets (on 2 cores): ratios are of wall times, memory is the build's peak tree RSS. Issue 14 tightened
# issue 4's build/notebook from 0.5 to 0.35 and added the refresh with nothing new (pipeline run, start-up aside).
TARGETS = {
    "build_vs_notebook_max": 0.35,
    "build_vs_floor_max": 1.5,
    "peak_rss_max_bytes": 4_000_000_000,  # "4 GB" read strictly: 3,815 MiB
    "incremental_vs_full_max": 0.10,
    "unchanged_run_max_s": 3.0,
    "page_max_bytes": 1 * MIB,
}


def label_for(posts: int) -> str:
    for size, suffix in ((1_000_000, "m"), (1_000, "k")):
        if posts >= size and posts % size == 0:
            return f"{posts // size}{suffix}"
    return str(posts)


def _phase(module: str, args: list[str], out: Path) -> dict:
    """Run `python -m module args --out out` measured from outside, merged with what it wrote about itself."""
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "False"}
    log = out.with_suffix(".log")
    with log.open("w") as f:
        outside, rss = run_measured([sys.executable, "-m", module, *args, "--out", str(out)], log=f, cwd=ROOT, env=env)
    if outside["exit_code"] != 0:
        print(f"{module} exited with {outside['exit_code']}; its output: {log}", file=sys.stderr)
    inside = json.loads(out.read_text()) if out.exists() else {}
    for step in inside.get("steps", []):
        if step.get("start_epoch") and step.get("end_epoch"):
            step["peak_rss_mib"] = round(rss.peak_between(step["start_epoch"], step["end_epoch"]) / MIB)
            step["cpu_s"] = round(rss.cpu_between(step["start_epoch"], step["end_epoch"]), 2)
    return {**outside, **inside}


def report_sizes(reports: Path) -> dict:
    root = reports.resolve()  # reports/ is a link to the published build folder
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    pages = {p.relative_to(root).as_posix(): p.stat().st_size for p in files if p.suffix == ".html"}
    shared = {p.relative_to(root).as_posix(): p.stat().st_size for p in files if p.suffix != ".html"}
    return {"pages_bytes": pages, "shared_bytes": shared, "largest_page_bytes": max(pages.values(), default=0)}


def _asset(steps: list[dict], key: str) -> dict:
    return next((s["assets"][key] for s in steps if key in s.get("assets", {})), {})


def targets(result: dict) -> dict:
    ok = {k: v for k, v in result.items() if isinstance(v, dict) and v.get("exit_code") == 0}
    build, floor, notebook, incremental = (ok.get(k) for k in ("build", "floor", "notebook", "incremental"))
    if not build:
        return {"build_failed": True}
    out = {"peak_rss_bytes": build["peak_rss_bytes"],
           "peak_rss_ok": build["peak_rss_bytes"] <= TARGETS["peak_rss_max_bytes"],
           "largest_page_bytes": result["reports"]["largest_page_bytes"],
           "pages_ok": result["reports"]["largest_page_bytes"] < TARGETS["page_max_bytes"]}
    if notebook:
        out["build_vs_notebook"] = round(build["wall_s"] / notebook["wall_s"], 3)
        out["build_vs_notebook_ok"] = out["build_vs_notebook"] <= TARGETS["build_vs_notebook_max"]
    if floor:
        out["build_vs_floor"] = round(build["wall_s"] / floor["seconds"], 3)
        out["build_vs_floor_ok"] = out["build_vs_floor"] <= TARGETS["build_vs_floor_max"]
    if incremental:
        out["incremental_vs_full"] = round(incremental["wall_s"] / build["wall_s"], 3)
        out["incremental_ok"] = out["incremental_vs_full"] <= TARGETS["incremental_vs_full_max"]
        out["incremental_scored_only_new"] = incremental["posts_scored"] == incremental["new_posts"]
        out["incremental_loaded_only_new"] = incremental["rows_loaded"] == incremental["new_posts"]
    unchanged = ok.get("refresh_unchanged")
    if unchanged:
        out["unchanged_refresh_vs_full"] = round(unchanged["wall_s"] / build["wall_s"], 3)
        out["unchanged_run_s"] = unchanged["run_s"]
        out["unchanged_run_ok"] = unchanged["run_s"] < TARGETS["unchanged_run_max_s"]
    return out


def benchmark(args: argparse.Namespace) -> dict:
    label = args.label or label_for(args.posts) + ("" if args.shape == "default" else f"-{args.shape}")
    orgs = args.orgs or default_orgs(args.posts)
    run_dir = args.work / f"run-{label}"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    result: dict = {
        "benchmark": "hcsm-insights full build", "format": 1, "label": label,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine.describe(), "code": machine.code_version(ROOT),
        "load_average_start": machine.load_average(),
    }
    inputs = ensure_inputs(args.work / "cache", args.posts, orgs, args.seed, args.shape)
    result["shape"] = args.shape
    result["inputs"] = inputs.describe()
    data, warehouse, reports = stage(inputs, run_dir / "data"), run_dir / "warehouse.duckdb", run_dir / "reports"
    knobs = [x for a in args.duckdb for x in ("--duckdb", a)] + [x for a in args.set for x in ("--set", a)]
    build_args = ["--data", str(data), "--warehouse", str(warehouse), "--reports", str(reports), *knobs]

    result["load"] = {"tolerance": load.TOLERANCE, "before": load.before()}
    during = load.Interval()
    print(f"full build of {args.posts:,} posts ...", file=sys.stderr)
    build = _phase("benchmarks.build", build_args, run_dir / "build.json")
    build["posts_per_s"] = round(args.posts / build["wall_s"])
    build["warehouse_bytes"] = warehouse.stat().st_size if warehouse.exists() else None
    result["build"] = build
    result["reports"] = report_sizes(reports)

    if not args.no_floor:
        print("floor (score_parallel only) ...", file=sys.stderr)
        result["floor"] = _phase("benchmarks.floor", [str(p) for p in inputs.base], run_dir / "floor.json")
    if args.notebook:
        print("pandas notebook ...", file=sys.stderr)
        result["notebook"] = _phase("benchmarks.notebook", ["--data", str(data)], run_dir / "notebook.json")
    if args.incremental:
        # what every refresh costs: the same graph again with no new file (nothing to land, validate or analyse)
        print("refresh with no new input ...", file=sys.stderr)
        result["refresh_unchanged"] = _phase("benchmarks.build", build_args, run_dir / "refresh-unchanged.json")
        print("incremental refresh (+1% new posts) ...", file=sys.stderr)
        add_increment(inputs, data)
        inc = _phase("benchmarks.build", build_args, run_dir / "incremental.json")
        inc["new_posts"] = increment_size(args.posts)
        inc["posts_scored"] = _asset(inc.get("steps", []), "core/posts_enriched").get("posts_scored_this_run")
        inc["rows_loaded"] = _asset(inc.get("steps", []), "core/posts").get("rows_loaded")
        result["incremental"] = inc
    result["load"]["during"] = during.stop()
    result["load_average_end"] = machine.load_average()
    result["targets"] = targets(result)
    if not args.keep:  # the phases' logs and JSON stay
        shutil.rmtree(data, ignore_errors=True)
        remove_site(reports)
        for f in run_dir.glob("warehouse.duckdb*"):  # the file, its WAL and DuckDB's spill folder
            shutil.rmtree(f) if f.is_dir() else f.unlink()
    return result


def _row(name: str, phase: dict | None, posts: int, seconds_key: str = "wall_s") -> str:
    if not phase or seconds_key not in phase:
        return ""
    seconds = phase[seconds_key]
    return (f"| {name} | {seconds:,.1f} | {posts / seconds:,.0f} | {phase['cpu_busy_share']:.0%} "
            f"| {phase['peak_rss_mib']:,.0f} | {phase['peak_processes']} |\n")


def table(result: dict) -> str:
    """The result as markdown: phases, then the full build's steps, then the targets."""
    n, m, t = result["inputs"]["posts"], result["machine"], result["targets"]
    inc = result.get("incremental")
    lines = (
        f"{n:,} posts ({result.get('shape', 'default')} shape), {result['inputs']['orgs']:,} orgs, {m['cores']} cores ({m['cpu']}), "
        f"load average {result['load_average_start'][0]} at start, {result['load_average_end'][0]} at end, "
        f"{result['load']['during']['outside_cores']:.2f} cores busy outside the benchmark during it\n\n"
        "| phase | seconds | posts/s | CPU busy | peak RSS MiB | processes |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"
        + _row("full build (wall)", result["build"], n)
        + _row("floor: score_parallel only", result.get("floor"), n, "seconds")
        + _row("pandas notebook (wall)", result.get("notebook"), n)
        + (_row("incremental +1% (wall)", inc, inc["new_posts"]) if inc else "")
    )
    if result.get("refresh_unchanged"):
        lines += (f"| refresh with no new input (wall) | {result['refresh_unchanged']['wall_s']:,.1f} | – "
                  f"| {result['refresh_unchanged']['cpu_busy_share']:.0%} "
                  f"| {result['refresh_unchanged']['peak_rss_mib']:,.0f} | {result['refresh_unchanged']['peak_processes']} |\n")
    if t.get("build_failed"):
        return lines + "\nThe full build failed: see build.log in the run's work folder.\n"
    steps = result["build"]["steps"]
    total = result["build"]["wall_s"]
    lines += ("\n| step of the full build | seconds | share of wall | CPU s | peak RSS MiB |\n"
              "| --- | ---: | ---: | ---: | ---: |\n")
    for s in sorted(steps, key=lambda s: -(s["seconds"] or 0)):
        lines += (f"| {s['step']} | {s['seconds'] or 0:,.2f} | {(s['seconds'] or 0) / total:.0%} "
                  f"| {s.get('cpu_s', '')} | {s.get('peak_rss_mib', '')} |\n")
    b = result["build"]
    for name, seconds in (("(start-up: Python, imports, definitions, exit)", total - b["run_s"]),
                          ("(Dagster between steps)", b["run_s"] - b["steps_s"])):
        lines += f"| {name} | {seconds:,.2f} | {seconds / total:.0%} | | |\n"
    lines += "\n"
    checks = [f"peak RSS {t['peak_rss_bytes'] / MIB:,.0f} MiB ({'under' if t['peak_rss_ok'] else 'over'} 4 GB)",
              f"largest page {t['largest_page_bytes'] / 1024:,.0f} KiB ({'under' if t['pages_ok'] else 'over'} 1 MiB)"]
    if "build_vs_notebook" in t:
        checks.append(f"build/notebook {t['build_vs_notebook']:.2f} (target <= {TARGETS['build_vs_notebook_max']}: "
                      f"{'met' if t['build_vs_notebook_ok'] else 'missed'})")
    if "build_vs_floor" in t:
        checks.append(f"build/floor {t['build_vs_floor']:.2f} (target <= {TARGETS['build_vs_floor_max']}: "
                      f"{'met' if t['build_vs_floor_ok'] else 'missed'})")
    if "unchanged_run_s" in t:
        checks.append(f"refresh with nothing new {t['unchanged_run_s']:.2f} s of pipeline run (target < "
                      f"{TARGETS['unchanged_run_max_s']:.0f} s: {'met' if t['unchanged_run_ok'] else 'missed'})")
    if "incremental_vs_full" in t:
        checks.append(f"incremental/full {t['incremental_vs_full']:.3f} (target <= 0.10: "
                      f"{'met' if t['incremental_ok'] else 'missed'}); scored {inc['posts_scored']:,}, "
                      f"loaded {inc['rows_loaded']:,} of {inc['new_posts']:,} new")
    return lines + "Targets: " + "; ".join(checks) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--orgs", type=int, help="default: max(40, posts / 2500)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shape", choices=("default", "social"), default="default",
                        help="the generator's shape: social has longer texts, more emoji and links, 30%% replies")
    parser.add_argument("--out", type=Path, help="default: benchmarks/results/<label>.json")
    parser.add_argument("--label", help="default from --posts: 100k, 1m, 10m")
    parser.add_argument("--work", type=Path, default=WORK, help="generated inputs (cached) and the run's warehouse")
    parser.add_argument("--notebook", action="store_true", help="also time the pandas notebook baseline")
    parser.add_argument("--incremental", action="store_true", help="also time a refresh after 1%% new posts")
    parser.add_argument("--no-floor", action="store_true", help="skip the score_parallel floor")
    parser.add_argument("--keep", action="store_true", help="keep the run's warehouse, reports and data folder")
    parser.add_argument("--duckdb", action="append", default=[], metavar="NAME=VALUE",
                        help="try a DuckDB setting on the warehouse connection (recorded in the result)")
    parser.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=VALUE",
                        help="try a module constant in the build process (recorded in the result)")
    args = parser.parse_args(argv)
    result = benchmark(args)
    out = args.out or ROOT / "benchmarks" / "results" / f"{result['label']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"wrote {out}", file=sys.stderr)
    return 0 if result["build"]["exit_code"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
