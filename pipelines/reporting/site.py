"""The one writer for every report page: marts in, a static offline site out, each file replaced atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.reporting.components import Marts, Page, frame
from pipelines.reporting.formatting import fmt_int, fmt_timestamp
from pipelines.reporting.pages import PAGES

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


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename over it: readers see the old file or the new one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is read by whoever opens it
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def sync_file(path: Path, data: bytes) -> bool:
    """Write only when the content differs; True when the file was (re)written."""
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


def write_assets(reports_dir: Path) -> list[Path]:
    """The shared plotly.js (from the installed package, so versions match) and the stylesheet."""
    from plotly.offline import get_plotlyjs

    (reports_dir / ASSETS).mkdir(parents=True, exist_ok=True)
    assets = {
        reports_dir / PLOTLY_JS: get_plotlyjs().encode("utf-8"),
        reports_dir / STYLE_CSS: (HERE / "static" / "style.css").read_bytes(),
    }
    for path, data in assets.items():
        sync_file(path, data)
    return list(assets)


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
    marts: Marts, *, generated_at: datetime, alerts: Sequence[str], pages: Sequence[Page]
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
    }
    env = environment()
    return {
        page.filename: env.get_template(page.template).render(page=page, **common, **page.builder(marts))
        for page in pages
    }


def write_site(
    reports_dir: Path,
    marts: dict[str, pd.DataFrame],
    *,
    generated_at: datetime,
    alerts: Sequence[str] = (),
    pages: Sequence[Page] = PAGES,
) -> list[Path]:
    """Write every page and the shared assets into `reports_dir`; returns the site's files, assets first."""
    reports_dir = Path(reports_dir)
    rendered = render_pages(marts, generated_at=generated_at, alerts=alerts, pages=pages)
    reports_dir.mkdir(parents=True, exist_ok=True)
    # Assets before pages, so a page never points at a script that is not there yet.
    written = write_assets(reports_dir)
    for filename, html in rendered.items():
        path = reports_dir / filename
        write_atomic(path, html.encode("utf-8"))
        written.append(path)
    return written
