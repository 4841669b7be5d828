"""One markdown table from several results, for the README: `python -m benchmarks.table benchmarks/results/*.json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

MIB = 2**20
HEADER = (
    "| posts | shape | cores | full build s | build CPU s | posts/s | peak RSS MiB | floor s | build/floor | notebook s "
    "| build/notebook | refresh, nothing new s | incremental +1% s | incremental/full | largest page KiB | load before / outside cores | settings |\n"
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n"
)


def _num(value, fmt: str) -> str:
    return format(value, fmt) if value is not None else "–"


def _load(result: dict) -> str:
    """1-minute load average before the run / cores kept busy by other processes during it."""
    load = result.get("load")
    if not load:
        return "not recorded"
    return f"{load['before']['load1_start']:.2f} / {load['during']['outside_cores']:.2f}"


def row(result: dict) -> str:
    b, t = result["build"], result.get("targets", {})
    floor, notebook, inc = result.get("floor") or {}, result.get("notebook") or {}, result.get("incremental") or {}
    unchanged = result.get("refresh_unchanged") or {}
    settings = ", ".join(f"{k}={v}" for k, v in (b.get("overrides") or {}).items()) or "defaults"
    return (
        f"| {result['inputs']['posts']:,} | {result.get('shape', 'default')} | {result['machine']['cores']} | {b['wall_s']:,.1f} | {b['cpu_s']:,.1f} "
        f"| {b['posts_per_s']:,} "
        f"| {b['peak_rss_bytes'] / MIB:,.0f} | {_num(floor.get('seconds'), ',.1f')} | {_num(t.get('build_vs_floor'), '.2f')} "
        f"| {_num(notebook.get('wall_s'), ',.1f')} | {_num(t.get('build_vs_notebook'), '.2f')} "
        f"| {_num(unchanged.get('wall_s'), ',.1f')} | {_num(inc.get('wall_s'), ',.1f')} | {_num(t.get('incremental_vs_full'), '.3f')} "
        f"| {result['reports']['largest_page_bytes'] / 1024:,.0f} | {_load(result)} | {settings} |\n"
    )


def main(argv: list[str] | None = None) -> int:
    from benchmarks.load import differences

    args = list(argv if argv is not None else sys.argv[1:])
    force = "--force" in args
    paths = [Path(p) for p in args if p != "--force"]
    results = [json.loads(p.read_text()) for p in paths]
    problems = [f"{paths[0]} vs {p}: {d}" for p, r in zip(paths[1:], results[1:]) for d in differences(results[0], r)]
    if problems:
        print(("warning, compared anyway (--force): " if force else "refusing to compare runs whose load differs "
               "(--force compares them anyway):\n  ") + "\n  ".join(problems), file=sys.stderr)
        if not force:
            return 2
    results.sort(key=lambda r: r["inputs"]["posts"])
    sys.stdout.write(HEADER + "".join(row(r) for r in results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
