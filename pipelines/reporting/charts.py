"""Plotly helpers shared by every page: one look, one way to render a figure into a page."""

from __future__ import annotations

import html
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

# Tableau 10: distinguishable, colour-blind tolerant, prints well.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip

# A small explicit template: plotly's default one adds ~7 kB of JSON to every chart.
BASE_LAYOUT: dict[str, Any] = {
    "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13, "color": "#1f2933"},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "colorway": list(PALETTE),
    "margin": {"l": 64, "r": 24, "t": 40, "b": 48},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": {"text": ""}},
    "hovermode": "closest",
    "xaxis": {"gridcolor": "#e4e7eb", "linecolor": "#9aa5b1", "ticks": "outside", "automargin": True},
    "yaxis": {"gridcolor": "#e4e7eb", "zerolinecolor": "#9aa5b1", "automargin": True},
}

CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def plot_label(value: Any) -> str:
    """Escape data text for plotly, which reads labels as HTML-like markup; it shows `&lt;` as `<`."""
    return html.escape(str(value), quote=False)


# One colour per platform and per organization type, the same on every chart of every page. The common platforms
# take Tableau 10's strong colours; the rest take Tableau 20's light ones and a few more, all distinct.
PLATFORM_COLORS: dict[str, str] = {
    "Facebook": "#4e79a7", "YouTube": "#f28e2b", "Instagram": "#e15759", "LinkedIn": "#76b7b2",
    "X (Twitter)": "#59a14f", "TikTok": "#b07aa1", "Pinterest": "#ff9da7", "Reddit": "#9c755f",
    "Snapchat": "#edc948", "All social media": "#3b3b3b", "WhatsApp": "#8cd17d", "Threads": "#86bcb6",
    "Bluesky": "#a0cbe8", "Mastodon": "#d4a6c8", "Tumblr": "#499894", "WeChat": "#b6992d", "Weibo": "#f1ce63",
    "MySpace": "#ffbe7d", "Google+": "#d37295", "Flickr": "#fabfd2", "Orkut": "#79706e", "Friendster": "#d7b5a6",
    "Hi5": "#9d7660", "Google Buzz": "#e0a100", "Doximity": "#1d4e63", "Sermo": "#2f7f9e",
}  # fmt: skip
ORG_TYPE_COLORS: dict[str, str] = {
    "hospital": "#4e79a7", "health_system": "#f28e2b", "clinic": "#59a14f", "pharma": "#e15759",
    "insurer": "#b07aa1", "public_health_agency": "#76b7b2", "professional_association": "#edc948",
    "health_media": "#9c755f", "other": "#bab0ac",
}  # fmt: skip
# The series that "Other" groups (charts with many series show the top ones) and names we have no colour for.
OTHER_LABEL = "Other"
OTHER_COLOR = "#c7c7c7"
EXTRA_COLORS = ("#17becf", "#bcbd22", "#8c564b", "#7f7f7f", "#aec7e8", "#98df8a", "#ff9896", "#c5b0d5")
# A line chart with more series than this shows the largest ones and sums the rest into "Other".
MAX_SERIES = 8


def palette(names: Iterable[Any], fixed: dict[str, str] | None = None) -> dict[str, str]:
    """The colour of each name: the fixed one (PLATFORM_COLORS by default), else a stable pick by the name's hash,
    so a platform has one colour on every chart of every page, whatever else the chart shows."""
    import zlib

    fixed = PLATFORM_COLORS if fixed is None else fixed
    colors = {}
    for name in {str(n) for n in names}:
        label = plot_label(name)
        colors[label] = fixed.get(name) or (OTHER_COLOR if name == OTHER_LABEL
                                            else EXTRA_COLORS[zlib.crc32(name.encode()) % len(EXTRA_COLORS)])
    return colors


def org_type_palette(names: Iterable[Any]) -> dict[str, str]:
    """Colours of organization types by their display names (charts show 'Health system', never 'health_system');
    codes passed in are named first."""
    from pipelines.reporting.formatting import fmt_org_type

    return palette([fmt_org_type(n) for n in names], {fmt_org_type(k): v for k, v in ORG_TYPE_COLORS.items()})


def top_series(df: pd.DataFrame, series: str, weight: str, keys: list[str], sums: list[str], *,
               limit: int = MAX_SERIES) -> pd.DataFrame:
    """Keep the `limit - 1` series with the largest total `weight` and sum the others' `sums` per `keys` into one
    "Other" series; unchanged when there are at most `limit` series."""
    totals = df.groupby(series)[weight].sum().sort_values(ascending=False, kind="stable")
    if len(totals) <= limit:
        return df
    keep = set(totals.index[: limit - 1])
    rest = df[~df[series].isin(keep)]
    other = rest.groupby(keys, as_index=False, dropna=False)[sums].sum(min_count=1)
    other[series] = OTHER_LABEL
    return pd.concat([df[df[series].isin(keep)], other], ignore_index=True)


def _escaped(values: pd.Series) -> pd.Series:
    """Text columns (categories, preformatted tooltips) escaped for plotly; numbers and dates as they are."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)  # nullable Int64 holds pd.NA, which plotly cannot serialise
    return values.map(plot_label)


def series_figure(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    kind: str = "line",
    colors: dict[str, str] | None = None,
    y_title: str = "",
    x_title: str = "",
    y_hover: str = ":,.0f",
    x_hover: str = "|%Y-%m",
    extra_hover: tuple[str, str, str] | None = None,
):
    """One trace per value of `series`; extra_hover = (column, label, d3 format) adds a line to the tooltip."""
    import plotly.graph_objects as go

    fig = go.Figure()
    hover = f"%{{fullData.name}}<br>%{{x{x_hover}}}: %{{y{y_hover}}}"
    if extra_hover:
        hover += f"<br>{extra_hover[1]}: %{{customdata{extra_hover[2]}}}"
    hover += "<extra></extra>"
    for name, group in df.groupby(series, sort=True):
        label = plot_label(name)
        style = {"color": colors[label]} if colors and label in colors else {}
        common = {
            "x": _escaped(group[x]),
            "y": pd.to_numeric(group[y], errors="coerce").astype(float),
            "name": label,
            "hovertemplate": hover,
            "customdata": _escaped(group[extra_hover[0]]) if extra_hover else None,
        }
        if kind == "bar":
            fig.add_trace(go.Bar(marker=style, **common))
        else:
            fig.add_trace(go.Scatter(mode="lines+markers", line=style, marker={"size": 5}, **common))
    fig.update_layout(yaxis_title=y_title, xaxis_title=x_title)
    if x_hover.startswith("|%"):
        fig.update_xaxes(tickformat="%Y-%m")
    return fig


def log_scale_menu(axes: tuple[str, ...] = ("yaxis",)) -> list[dict[str, Any]]:
    """Buttons that switch the given axes (the y axis by default) between linear and log scale in the browser."""
    return [
        {
            "type": "buttons",
            "direction": "right",
            "x": 1,
            "xanchor": "right",
            "y": 1.18,
            "yanchor": "bottom",
            "showactive": True,
            "buttons": [
                {"label": "Linear", "method": "relayout", "args": [{f"{axis}.type": "linear" for axis in axes}]},
                {"label": "Log scale", "method": "relayout", "args": [{f"{axis}.type": "log" for axis in axes}]},
            ],
        }
    ]


class FigureMarkup(Markup):
    """A rendered figure's HTML that also carries the figure's data as CSV (`data_csv`), for its download link."""

    data_csv: str = ""


def _axis_title(axis: Any, default: str) -> str:
    text = axis.title.text if axis is not None and axis.title is not None else None
    return html.unescape(str(text)) if text else default


def _cell(value: Any) -> Any:
    """One value for the CSV: dates as ISO dates (times only when they have one), labels unescaped, numbers as is."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if hasattr(value, "isoformat") or isinstance(value, np.datetime64):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, str):
        return html.unescape(value)
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # 3 posts, the year 2020: not 3.0 and 2020.0
    return value


def _number(value: Any) -> float:
    """An interval half-width as a float; none (a LightFigure's null) is NaN, as in a plotly Figure's arrays."""
    return float("nan") if value is None else float(value)


def figure_csv(fig) -> str:
    """The numbers behind a figure, one row per plotted point: series, x, y and, where drawn, the interval ends.

    Read from the figure's own traces, so a download holds exactly what the chart draws (including an "Other"
    series), never a column the chart leaves out. Heatmaps give one row per cell."""
    import csv
    import io

    layout = fig.layout
    is_heatmap = any(trace.type == "heatmap" for trace in fig.data)
    first_x = next((trace.x[0] for trace in fig.data if getattr(trace, "x", None) is not None and len(trace.x)), None)
    # an axis without a title is named by what it holds: a period (dates, 2024-01) or a category
    period = (hasattr(first_x, "year") or isinstance(first_x, np.datetime64)
              or (isinstance(first_x, numbers.Real) and float(first_x).is_integer() and 1900 <= first_x <= 2100)
              or (isinstance(first_x, str) and first_x[:4].isdigit()))
    x_name = _axis_title(layout.xaxis, "period" if period else "category")
    y_name = _axis_title(layout.yaxis, "row" if is_heatmap else "value")
    if x_name == y_name:
        y_name = f"{y_name} (y)"
    rows: list[list[Any]] = []
    with_interval = False
    for trace in fig.data:
        name = html.unescape(str(trace.name)) if getattr(trace, "name", None) else ""
        if trace.type == "heatmap":
            z = trace.z if trace.z is not None else []
            xs = list(trace.x) if trace.x is not None else list(range(len(z[0]) if len(z) else 0))
            ys = list(trace.y) if trace.y is not None else list(range(len(z)))
            for i, y_value in enumerate(ys):
                for j, x_value in enumerate(xs):
                    rows.append([name, _cell(x_value), _cell(y_value), _cell(z[i][j]), "", ""])
            continue
        xs = list(trace.x) if getattr(trace, "x", None) is not None else []
        ys = list(trace.y) if getattr(trace, "y", None) is not None else []
        error = getattr(trace, "error_y", None)
        plus = list(error.array) if error is not None and error.array is not None else None
        minus = list(error.arrayminus) if error is not None and error.arrayminus is not None else plus
        for k, (x_value, y_value) in enumerate(zip(xs, ys)):
            low = high = ""
            if plus is not None and y_value is not None and y_value == y_value:
                with_interval = True
                high = _cell(float(y_value) + _number(plus[k]))
                low = _cell(float(y_value) - _number(minus[k]))
            rows.append([name, _cell(x_value), _cell(y_value), "", low, high])
    named = any(row[0] for row in rows)
    header = ["series" if named else "", x_name, y_name, "value" if is_heatmap else "",
              "95% low" if with_interval else "", "95% high" if with_interval else ""]
    keep = [i for i, h in enumerate(header) if h]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    writer.writerows([row[i] for i in keep] for row in rows)
    return buffer.getvalue()


class _Node(dict):
    """A plain dict of a LightFigure read the way figure_csv reads plotly's objects: a key as an attribute, a missing
    key as None."""

    def __getattr__(self, name: str) -> Any:
        value = self.get(name)
        return _Node(value) if isinstance(value, dict) else value


class LightFigure:
    """A figure written as the plain dicts plotly.js reads, without building plotly's validated objects: a chart on an
    organization page took about 30 ms that way, 200 pages of them 6 s. render_figure and figure_csv take it as they
    take a plotly Figure. Every value must already be JSON-ready (lists, floats, strings): nothing checks it."""

    def __init__(self, data: list[dict], layout: dict) -> None:
        self.data = [_Node(trace) for trace in data]
        self.layout = _Node(layout)


def render_figure(fig, div_id: str, *, height: int = 400) -> Markup:
    """The figure as a <div> plus its newPlot call; plotly.js itself comes from the page's shared asset. The
    result also carries the figure's data as CSV (FigureMarkup.data_csv) for the download beside the chart."""
    options = {"full_html": False, "include_plotlyjs": False, "include_mathjax": False, "div_id": div_id,
               "config": CONFIG, "default_width": "100%", "default_height": f"{height}px"}
    if isinstance(fig, LightFigure):
        import plotly.io as pio

        layout = {**fig.layout, "template": {"layout": BASE_LAYOUT}, "height": height}
        markup = pio.to_html({"data": [dict(trace) for trace in fig.data], "layout": layout}, validate=False, **options)
    else:
        import plotly.graph_objects as go

        fig.update_layout(template=go.layout.Template(layout=BASE_LAYOUT), height=height)
        markup = fig.to_html(**options)
    # Safe to mark up: plotly escapes <, > and / in its JSON, and data labels went through plot_label.
    out = FigureMarkup(markup)
    out.data_csv = figure_csv(fig)
    return out


def interval_figure(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    low: str,
    high: str,
    series: str,
    colors: dict[str, str] | None = None,
    small: str | None = None,
    y_title: str = "",
    x_title: str = "",
    y_hover: str = ":.1%",
    percent: bool = True,
    light: bool = False,
):
    """Lines with 95% interval error bars; points from small samples are drawn hollow, never dropped. light=True
    gives the same chart as a LightFigure (the x values must then be text or numbers, not dates)."""
    hover = f"%{{fullData.name}}<br>%{{x}}: %{{y{y_hover}}}<br>95% CI %{{customdata[0]{y_hover}}} to %{{customdata[1]{y_hover}}}"
    hover += "%{customdata[2]}<extra></extra>"
    traces = []
    for name, group in df.groupby(series, sort=True):
        label = plot_label(name)
        values = pd.to_numeric(group[y], errors="coerce").astype(float)
        lo = pd.to_numeric(group[low], errors="coerce").astype(float)
        hi = pd.to_numeric(group[high], errors="coerce").astype(float)
        is_small = group[small].fillna(True).astype(bool) if small else pd.Series(False, index=group.index)
        color = colors.get(label) if colors else None
        plus, minus = (hi - values).clip(lower=0), (values - lo).clip(lower=0)
        traces.append({
            "type": "scatter", "x": _escaped(group[x]), "y": values, "name": label, "mode": "lines+markers",
            **({"line": {"color": color}} if color else {}),
            "marker": {"size": 7, "symbol": ["circle-open" if s else "circle" for s in is_small]},
            "error_y": {"type": "data", "array": plus, "arrayminus": minus, "thickness": 1, "width": 3},
            "customdata": list(zip(lo, hi, ["<br>small sample" if s else "" for s in is_small])),
            "hovertemplate": hover,
        })
    layout = {"yaxis": {"title": {"text": y_title}}, "xaxis": {"title": {"text": x_title}}}
    if percent:
        layout["yaxis"]["tickformat"] = ".0%"
    if light:
        for trace in traces:
            for key in ("x", "y"):
                trace[key] = _json_ready(trace[key])
            for key in ("array", "arrayminus"):
                trace["error_y"][key] = _json_ready(trace["error_y"][key])
            trace["customdata"] = [[_json_ready(a), _json_ready(b), c] for a, b, c in trace["customdata"]]
        return LightFigure(traces, layout)
    import plotly.graph_objects as go

    fig = go.Figure([go.Scatter(**{k: v for k, v in t.items() if k != "type"}) for t in traces])
    fig.update_layout(yaxis_title=y_title, xaxis_title=x_title)
    if percent:
        fig.update_yaxes(tickformat=".0%")
    return fig


def _json_ready(values: Any) -> Any:
    """Numbers and text as JSON takes them: NaN as null (no value), numpy scalars as Python ones."""
    if isinstance(values, pd.Series):
        return [_json_ready(v) for v in values.tolist()]
    if isinstance(values, float) and values != values:
        return None
    if hasattr(values, "item"):
        return _json_ready(values.item())
    return values
