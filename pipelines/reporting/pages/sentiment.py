"""Sentiment page: score distribution, trends by platform and by organization type, extreme posts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.charts import palette, render_figure, series_figure
from pipelines.reporting.components import Chart, Column, Marts, Table, frame, has_rows, make_table
from pipelines.reporting.formatting import fmt_day, fmt_int, fmt_score

CAVEAT = (
    "Scores come from VADER tuned for healthcare wording (plain VADER reads \"negative for cancer\" as negative "
    "and \"tested positive\" as positive). Its measured accuracy is on the methodology page; read trends and "
    "comparisons, not single scores. Post text is shown with identifiers redacted."
)


def distribution(df: pd.DataFrame, colors: dict[str, str]) -> Chart:
    title = "Distribution of post sentiment scores"
    if not has_rows(df, "platform_name", "bucket", "posts"):
        return Chart(title, None)
    df = df.copy()
    df["centre"] = df["bucket"].astype(float) + 0.05
    df["range"] = [f"{lo:+.1f} to {lo + 0.1:+.1f}" for lo in df["bucket"].astype(float)]
    fig = series_figure(df, x="centre", y="posts", series="platform_name", kind="bar", colors=colors,
                        x_title="Sentiment score (-1 most negative, +1 most positive)", y_title="Posts",
                        x_hover=":+.2f", extra_hover=("range", "Score range", ""))
    fig.update_layout(barmode="stack", bargap=0.05)
    fig.update_xaxes(range=[-1, 1], dtick=0.2, tickformat="+.1f")
    return Chart(title, render_figure(fig, "sentiment-distribution"), "Buckets are 0.1 wide.")


def weighted_trend(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mean score per quarter for each `by` value, weighting each mart row by its posts."""
    df = df.dropna(subset=["mean_score"]).copy()
    df["period_start"] = pd.to_datetime(df["period_start"])
    df["weighted"] = df["mean_score"] * df["posts"]
    out = df.groupby([by, "period_start"], as_index=False)[["weighted", "posts"]].sum()
    out = out[out["posts"] > 0]
    out["mean_score"] = out["weighted"] / out["posts"]
    return out.sort_values([by, "period_start"], kind="stable")


def trend(df: pd.DataFrame, by: str, label: str, colors: dict[str, str] | None) -> Chart:
    title = f"Mean sentiment per quarter by {label}"
    if not has_rows(df, by, "period_start", "posts", "mean_score"):
        return Chart(title, None)
    data = weighted_trend(df, by)
    if data.empty:
        return Chart(title, None)
    fig = series_figure(data, x="period_start", y="mean_score", series=by, colors=colors,
                        y_title="Mean score", y_hover=":+.3f", extra_hover=("posts", "Posts", ":,"))
    return Chart(title, render_figure(fig, f"sentiment-trend-{by.replace('_', '-')}"),
                 "Quarterly means weighted by posts; quarters are labelled by their first month.")


EXTREME_COLUMNS = (
    Column("rank", "Rank", fmt_int, numeric=True),
    Column("sentiment_score", "Score", fmt_score, numeric=True),
    Column("posted_at", "Posted", fmt_day, css="nowrap"),
    Column("platform_name", "Platform"),
    Column("org_name", "Organization"),
    Column("org_type", "Type", css="nowrap"),
    Column("text", "Post text", css="wide"),
    Column("post_id", "Post id", css="nowrap"),
)


def extremes(df: pd.DataFrame, polarity: str) -> Table:
    title = f"Most {polarity} posts"
    if has_rows(df, "polarity", "rank"):
        df = df[df["polarity"] == polarity].sort_values("rank", kind="stable")
    else:
        df = pd.DataFrame()
    return make_table(title, df, EXTREME_COLUMNS)


def build(marts: Marts) -> dict[str, Any]:
    histogram, trends, extreme = (
        frame(marts, name) for name in ("sentiment_histogram", "sentiment_trend", "sentiment_extremes")
    )
    names = [df["platform_name"] for df in (histogram, trends) if "platform_name" in df]
    colors = palette(pd.concat(names).dropna() if names else [])
    return {
        "caveat": CAVEAT,
        "distribution": distribution(histogram, colors),
        "by_platform": trend(trends, "platform_name", "platform", colors),
        "by_org_type": trend(trends, "org_type", "organization type", None),
        "most_positive": extremes(extreme, "positive"),
        "most_negative": extremes(extreme, "negative"),
    }
