"""The one writer for every report page: marts in, a static offline site out, published as a whole."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.analytics.sentiment import available_cores
from pipelines.reporting.components import Marts, Page, frame
from pipelines.reporting.formatting import fmt_int, fmt_timestamp
from pipelines.reporting.pages import PAGES
from pipelines.reporting.publish import publish
from pipelines.reporting.subpages import EXTRA_PAGES, SubPage

HERE = Path(__file__).parent
ASSETS = "assets"
PLOTLY_JS = f"{ASSETS}/plotly.min.js"
STYLE_CSS = f"{ASSETS}/style.css"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def site_files(rendered: Mapping[str, str]) -> dict[str, bytes]:
    """Every file of the site by path: the shared plotly.js (from the installed package, so versions match) and
    stylesheet first, then the pages."""
    from plotly.offline import get_plotlyjs

    return {
        PLOTLY_JS: get_plotlyjs().encode("utf-8"),
        # the print stylesheet (@media print only) is appended so every page prints cleanly without a second link
        STYLE_CSS: (HERE / "static" / "style.css").read_bytes() + b"\n" + (HERE / "static" / "print.css").read_bytes(),
        **{filename: html.encode("utf-8") for filename, html in rendered.items()},
    }


def _listing(names: Iterable[str], limit: int = 5) -> str:
    names = sorted(set(names))
    shown = "; ".join(names[:limit])
    return shown + (f"; and {len(names) - limit} more" if len(names) > limit else "")


def data_sources(marts: Marts) -> str:
    """The footer line naming where the figures come from."""
    parts = []
    files = frame(marts, "quality_reconciliation")
    posts = "social-media posts by healthcare organizations"
    if "source_file" in files and files["source_file"].notna().any():
        count = files["source_file"].dropna().nunique()
        posts += f" ({fmt_int(count)} source file{'s' if count != 1 else ''})"
    parts.append(posts)
    growth = frame(marts, "platform_user_growth")
    users = "platform user counts"
    if "source" in growth and growth["source"].notna().any():
        users += f" ({_listing(growth['source'].dropna().astype(str))})"
    parts.append(users)
    return "Data sources: " + "; ".join(parts) + ". Figures are computed by the hcsm-insights pipeline."


def render_pages(
    marts: Marts, *, generated_at: datetime, alerts: Sequence[str], pages: Sequence[Page],
    status: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every page's HTML by file name, all built before anything is written."""
    names = [page.name for page in pages]
    if len(set(names)) != len(names):
        raise ValueError(f"page names must be unique: {names}")
    common = {
        "pages": pages,
        "alerts": [str(alert) for alert in alerts],
        "generated_at": fmt_timestamp(generated_at),
        "sources": data_sources(marts),
        "plotly_js": PLOTLY_JS,
        "style_css": STYLE_CSS,
        # a stopped run's banner (status.py), on every page until a good build replaces the site
        "status": dict(status) if status else None,
    }
    env = environment()
    out: dict[str, str] = {}
    taken: set[str] = set()
    listed = {page.filename for page in pages}
    for page in pages:
        built = dict(page.builder(marts))
        extra = built.pop(EXTRA_PAGES, ())
        context = _with_downloads(page.name, built, taken, out)
        out[page.filename] = env.get_template(page.template).render(page=page, **common, **context)
        _render_extra_pages(env, extra, common, listed, out)
    return out


def _render_extra_pages(env: Environment, extra: Sequence[SubPage], common: Mapping, listed: set[str],
                        out: dict[str, str]) -> None:
    """Pages a builder generated beside its own (subpages.py): the same layout and navigation, no entry of their
    own in it, and no CSV downloads (the generating page offers them), so thousands of them stay small."""
    taken = set(out)
    for sub in extra:
        if sub.filename in listed or sub.filename in taken or "/" in sub.filename or not sub.filename.endswith(".html"):
            raise ValueError(f"a generated page's file name is taken or not a top-level page: {sub.filename!r}")
        taken.add(sub.filename)
    out.update(zip((sub.filename for sub in extra), render_subpages(env, extra, common)))


# Above this many deferred pages (SubPage.make) they are built and rendered on every core, by this process and
# forked workers (render_subpages): an organization page is about 40 ms of pandas, plotly and Jinja, and 200 of them were 9 of the 10 s the site took at
# 1M posts. Below it a fork costs more than it saves.
PARALLEL_ABOVE = 40
_WORK: tuple = ()  # the forked workers' inputs, inherited at fork time (page contexts hold lambdas: never pickled)


def _render_one(env: Environment, sub: SubPage, common: Mapping) -> str:
    return env.get_template(sub.template).render(page=sub, **common, **sub.page_context())


def _render_chunk(bounds: tuple[int, int]) -> list[str]:
    env, pages, common = _WORK
    return [_render_one(env, sub, common) for sub in pages[bounds[0]:bounds[1]]]


# A forked worker's RSS counts every resident page of this process at the fork, shared or not: before the reports
# step gave DuckDB's cache back (access.release_memory, called by defs/reports.py before rendering) a worker added
# 570 MiB to the run's tree RSS at 1M posts and about 1.7 GB at 10M, taking the peak to 4,159-4,240 MiB; after it
# the 10M reports step peaked at 2,342 MiB (benchmarks/results/10m-77df45f.json). Still, above this many MiB in
# this process the pages are rendered here alone (slower by a few seconds); HCSM_FORK_RSS_MAX_MIB sets it.
FORK_RSS_MAX_MIB = 2560


def fork_rss_max_mib() -> int:
    found = os.environ.get("HCSM_FORK_RSS_MAX_MIB", "")
    return int(found) if found.strip() else FORK_RSS_MAX_MIB


def _rss_mib() -> float:
    """This process's resident memory in MiB (Linux /proc; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def render_subpages(env: Environment, pages: Sequence[SubPage], common: Mapping) -> list[str]:
    """Each page's HTML, in order; the same bytes whether rendered here or by workers."""
    import multiprocessing

    global _WORK
    deferred = sum(sub.make is not None for sub in pages)
    workers = min(available_cores(), max(deferred // max(PARALLEL_ABOVE, 1), 1))
    if (deferred <= PARALLEL_ABOVE or workers < 2 or "fork" not in multiprocessing.get_all_start_methods()
            or _rss_mib() > fork_rss_max_mib()):
        return [_render_one(env, sub, common) for sub in pages]
    # fork, not spawn: the workers inherit the marts' frames and the imported modules rather than unpickling and
    # importing them again; they run only pandas, plotly and Jinja and send back HTML strings. This process renders
    # the first share itself while cores - 1 forked workers render the others, so one core's worth of memory is
    # duplicated at most (a fork shares its pages with this process until they are written, but a process tree's RSS
    # counts them in each process)
    step = -(-len(pages) // workers)
    bounds = [(start, min(start + step, len(pages))) for start in range(0, len(pages), step)]
    _WORK = (env, list(pages), common)
    try:
        with multiprocessing.get_context("fork").Pool(len(bounds) - 1) as pool:
            others = pool.map_async(_render_chunk, bounds[1:])
            first = _render_chunk(bounds[0])
            chunks = [first, *others.get()]
    finally:
        _WORK = ()
    return [html for chunk in chunks for html in chunk]


def _with_downloads(page: str, context: dict, taken: set[str], files: dict[str, str]) -> dict:
    """Give every table and chart of a page's context (at the top level or in a list) its CSV file under downloads/."""
    from dataclasses import fields, is_dataclass, replace

    from pipelines.reporting.components import Chart, Table
    from pipelines.reporting.downloads import DOWNLOADS, slug

    def place(table: Table | Chart) -> Table | Chart:
        if not table.csv or (isinstance(table, Table) and not table.rows):
            return table
        stem = f"{slug(page)}--{'chart-' if isinstance(table, Chart) else ''}{slug(table.title)}"
        path, n = f"{DOWNLOADS}/{stem}.csv", 2
        while path in taken:
            path, n = f"{DOWNLOADS}/{stem}-{n}.csv", n + 1
        taken.add(path)
        files[path] = table.csv
        return replace(table, download_path=path)

    def visit(value):
        if isinstance(value, (Table, Chart)):
            return place(value)
        if isinstance(value, (list, tuple)):
            return type(value)(visit(v) for v in value)
        if is_dataclass(value) and not isinstance(value, type):  # a Section and its items
            changed = {f.name: visit(getattr(value, f.name)) for f in fields(value) if f.init
                       and isinstance(getattr(value, f.name), (Table, Chart, list, tuple))}
            return replace(value, **changed) if changed else value
        return value

    return {key: visit(value) for key, value in context.items()}


def write_site(
    reports_dir: Path,
    marts: dict[str, pd.DataFrame],
    *,
    generated_at: datetime,
    alerts: Sequence[str] = (),
    pages: Sequence[Page] = PAGES,
    status: Mapping[str, str] | None = None,
    key: str | None = None,
) -> list[Path]:
    """Build every page, then publish them with the shared assets as one new version of `reports_dir` (see
    publish.py: the folder shows the old site or the new one, never a mix); returns the site's files, assets first.
    `key` (freshness.site_key) is recorded in the manifest so that a later build with the same key can skip."""
    rendered = render_pages(marts, generated_at=generated_at, alerts=alerts, pages=pages, status=status)
    files = site_files(rendered)
    publish(Path(reports_dir), files, meta={"inputs": key} if key else None)
    return [Path(reports_dir) / relative for relative in files]
