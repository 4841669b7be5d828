"""The pieces a page is made of: the page entry itself, headline cards, charts and tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from pipelines.reporting.formatting import fmt_int, fmt_text

Marts = Mapping[str, pd.DataFrame]

# Tables beyond this many rows are cut so a page stays small; the page says how many were left out.
MAX_TABLE_ROWS = 200


@dataclass(frozen=True)
class Page:
    """One report page: `builder(marts)` returns the context its Jinja template renders."""

    name: str
    title: str
    description: str
    template: str
    builder: Callable[[Marts], dict[str, Any]]

    @property
    def filename(self) -> str:
        return f"{self.name}.html"


@dataclass(frozen=True)
class Card:
    """A headline figure."""

    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class Chart:
    """A plotly figure already rendered to a <div>, or None when there was no data."""

    title: str
    html: Markup | None
    note: str = ""
    empty_note: str = "No data for this chart."
    kind: str = "chart"
    download_path: str = ""  # set by site.py when it writes the chart's data under downloads/

    @property
    def csv(self) -> str:
        """The plotted data as CSV (charts.figure_csv, carried by render_figure's output); empty without a chart."""
        return getattr(self.html, "data_csv", "") if self.html is not None else ""

    @property
    def data_rows(self) -> int:
        return max(self.csv.count("\n") - 1, 0)


@dataclass(frozen=True)
class Prose:
    """Plain paragraphs or, with `bullets`, a list; the text is escaped like every other value."""

    paragraphs: Sequence[str]
    bullets: bool = False
    kind: str = "prose"


@dataclass(frozen=True)
class Cards:
    items: Sequence[Card]
    empty_note: str = "No data."
    kind: str = "cards"


@dataclass(frozen=True)
class Section:
    """A titled part of a page made of charts, tables, cards and prose, in order."""

    title: str
    items: Sequence[Any]
    intro: str = ""


@dataclass(frozen=True)
class Cell:
    text: str
    css: str = ""
    badge: str = ""


@dataclass(frozen=True)
class Column:
    """How one frame column becomes a table column: its header, formatter and alignment."""

    key: str
    label: str
    fmt: Callable[[Any], str] = fmt_text
    numeric: bool = False
    badge: Callable[[Any], str] | None = None
    css: str = ""  # "nowrap" for dates and codes, "wide" for free text

    @property
    def cell_css(self) -> str:
        return " ".join(part for part in ("num" if self.numeric else "", self.css) if part)


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    total_rows: int = 0
    note: str = ""
    empty_note: str = "No data for this table."
    kind: str = "table"
    # every row (not only the shown ones) as CSV, with the values and headers the page shows; site.py writes it
    # under downloads/ and sets download_path for the link next to the table
    csv: str = field(default="", repr=False, compare=False)
    download_path: str = ""

    @property
    def shown_rows(self) -> int:
        return len(self.rows)

    @property
    def truncation_note(self) -> str:
        if self.total_rows <= self.shown_rows:
            return ""
        return f"Showing {fmt_int(self.shown_rows)} of {fmt_int(self.total_rows)} rows."


def frame(marts: Marts, name: str) -> pd.DataFrame:
    """The mart by name; a missing mart reads as an empty frame so the page says 'no data'."""
    found = marts.get(name)
    return found if found is not None else pd.DataFrame()


def has_rows(df: pd.DataFrame, *columns: str) -> bool:
    """True when the frame has rows and every column the chart needs."""
    return not df.empty and all(column in df.columns for column in columns)


def make_table(
    title: str,
    df: pd.DataFrame,
    columns: Sequence[Column],
    *,
    note: str = "",
    empty_note: str = "No data for this table.",
    max_rows: int = MAX_TABLE_ROWS,
) -> Table:
    """Format a frame's rows as text cells; the caller sorts, this only cuts and formats."""
    present = [column for column in columns if column.key in df.columns]
    if df.empty or not present:
        return Table(title, present or columns, note=note, empty_note=empty_note)
    # every row is formatted once: the page shows the first max_rows, the CSV holds them all
    records = df[list(dict.fromkeys(column.key for column in present))].to_dict("records")
    texts = [[column.fmt(record[column.key]) for column in present] for record in records]
    rows = [
        [
            Cell(text, column.cell_css, column.badge(record[column.key]) if column.badge else "")
            for column, text in zip(present, row_texts)
        ]
        for record, row_texts in zip(records[:max_rows], texts)
    ]
    return Table(title, present, rows, total_rows=len(df), note=note, empty_note=empty_note,
                 csv=_table_csv(present, texts))


def _table_csv(columns: Sequence[Column], texts: list[list[str]]) -> str:
    """All rows as the page formats them (so a download never holds more than the page shows, e.g. unredacted
    text), under the page's column labels."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.label for column in columns])
    writer.writerows(texts)
    return buffer.getvalue()
