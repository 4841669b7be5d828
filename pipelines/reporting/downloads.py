"""CSV downloads written beside a page: one file per chart or table, from the same frame the page shows.

Pure logic (no Dagster): the caller passes the displayed frame (redacted columns only) and gets back the file's
site path, its bytes and the link HTML to put next to the chart or table. Tables are wired: make_table keeps
every row as the page formats it and site.py writes it under downloads/ with a link under the table; a chart's
data comes from its own traces (charts.figure_csv) and is written the same way, linked under the chart.
"""

from __future__ import annotations

import io
import re
from html import escape

import pandas as pd

DOWNLOADS = "downloads"
# Columns that hold unredacted post text or author identity; a download must use the redacted column the page shows.
UNREDACTED = frozenset({"text", "raw_text", "author", "author_id", "author_handle", "url"})


def slug(text: str) -> str:
    """A safe file stem from a chart or table title ("Posts by platform (2024)" -> posts-by-platform-2024)."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:80] or "data"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV (no index); refuses a frame carrying an unredacted column."""
    leaked = sorted(UNREDACTED.intersection(map(str, frame.columns)))
    if leaked:
        raise ValueError(f"CSV download refused: column(s) {', '.join(leaked)} may hold patient information; "
                         f"pass the redacted column the page shows")
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def download(page: str, title: str, frame: pd.DataFrame, taken: set[str] | None = None) -> tuple[str, bytes, str]:
    """(site path, CSV bytes, link HTML) for one chart or table of `page`. `taken` keeps names unique per site."""
    stem = f"{slug(page)}--{slug(title)}"
    path, n = f"{DOWNLOADS}/{stem}.csv", 2
    while taken is not None and path in taken:
        path, n = f"{DOWNLOADS}/{stem}-{n}.csv", n + 1
    if taken is not None:
        taken.add(path)
    data = csv_bytes(frame)
    link = (f'<a class="csv-download" href="{escape(path)}" download>'
            f'Download CSV ({len(frame):,} row{"s" if len(frame) != 1 else ""})</a>')
    return path, data, link
