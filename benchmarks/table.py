"""One markdown table from several results, for the README: `python -m benchmarks.table benchmarks/results/*.json`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

MIB = 2**20
HEADER = (
    "| posts | shape | cores | full build s | build CPU s | posts/s | peak RSS MiB | floor s | build/floor | notebook s "
    "| build/notebook | refresh, nothing new s | incremental +1% s | incremental/full | largest page KiB | settings |\n"
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n"
)


def _num(value, fmt: str) -> str:
    return format(value, fmt) if value is not None else "–"


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
        f"| {result['reports']['largest_page_bytes'] / 1024:,.0f} | {settings} |\n"
    )


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    results = sorted((json.loads(p.read_text()) for p in paths), key=lambda r: r["inputs"]["posts"])
    sys.stdout.write(HEADER + "".join(row(r) for r in results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
