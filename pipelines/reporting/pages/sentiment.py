"""Sentiment page: score distribution, trends by platform and by organization type, extreme posts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.analytics.calibration import COUNT_COLUMNS, Calibration, add_shares, from_confusion_mart
from pipelines.analytics.stats import Z95
from pipelines.reporting.charts import (
    OTHER_LABEL,
    interval_figure,
    org_type_palette,
    palette,
    render_figure,
    series_figure,
    top_series,
)
from pipelines.reporting.components import Chart, Column, Marts, Table, frame, has_rows, make_table
from pipelines.reporting.formatting import fmt_day, fmt_int, fmt_org_type, fmt_pct_interval, fmt_score
from pipelines.reporting.summary import DATASET_NAMES

CAVEAT = (
    "Scores come from a model trained on labelled tweets and healthcare posts, with healthcare wording built in "
    "(plain VADER reads \"negative for cancer\" as negative and \"tested positive\" as positive). Its measured "
    "accuracy is on the methodology page; read trends and comparisons, not single scores. Post text is shown with "
    "identifiers redacted."
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


# below this many posts a quarter's mean is drawn hollow and its interval is wide (normal approximation)
SMALL_SAMPLE = 30


def weighted_trend(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mean score per quarter for each `by` value over the mart's rows, with a 95% interval (normal
    approximation, from the rows' sums of scores and squared scores) and a small-sample mark; with more than
    MAX_SERIES values the smaller ones are combined into "Other"."""
    df = df.dropna(subset=["mean_score"]).copy()
    df["period_start"] = pd.to_datetime(df["period_start"])
    if "sum_score" not in df:  # a mart from before the sums: no interval
        df["sum_score"] = df["mean_score"] * df["posts"]
        df["sum_sq_score"] = float("nan")
    out = df.groupby([by, "period_start"], as_index=False)[["sum_score", "sum_sq_score", "posts"]].sum(min_count=1)
    out = out[out["posts"] > 0]
    out = top_series(out, by, "posts", ["period_start"], ["sum_score", "sum_sq_score", "posts"])
    n = out["posts"].astype(float)
    out["mean_score"] = out["sum_score"] / n
    variance = ((out["sum_sq_score"] - n * out["mean_score"] ** 2) / (n - 1)).clip(lower=0)
    half = Z95 * (variance / n) ** 0.5
    out["mean_low"] = (out["mean_score"] - half).clip(lower=-1)
    out["mean_high"] = (out["mean_score"] + half).clip(upper=1)
    out["small_sample"] = n < SMALL_SAMPLE
    return out.sort_values([by, "period_start"], kind="stable")


def trend(df: pd.DataFrame, by: str, label: str, colors: dict[str, str] | None) -> Chart:
    title = f"Mean sentiment per quarter by {label}"
    if not has_rows(df, by, "period_start", "posts", "mean_score"):
        return Chart(title, None)
    data = weighted_trend(df, by)
    if data.empty:
        return Chart(title, None)
    data = data.assign(period_start=data["period_start"].dt.strftime("%Y-%m"))
    if by == "org_type":  # the legend names types as readers say them
        data[by] = [v if v == OTHER_LABEL else fmt_org_type(v) for v in data[by]]  # "other" reads "Other type"
    fig = interval_figure(data, x="period_start", y="mean_score", low="mean_low", high="mean_high", series=by,
                          colors=colors, small="small_sample", y_title="Mean score", y_hover=":+.3f", percent=False)
    return Chart(title, render_figure(fig, f"sentiment-trend-{by.replace('_', '-')}"),
                 f"Quarterly means over all posts, quarters labelled by their first month; bars are 95% intervals "
                 f"(normal approximation) and hollow points are quarters with fewer than {SMALL_SAMPLE} posts. "
                 "More than eight series: the smaller ones are combined as Other.")


def share_frame(df: pd.DataFrame, by: str, calibration: Calibration | None) -> pd.DataFrame:
    """Label counts per `by` value and year, plus an "All years" row per value, with the shares as scored (Wilson
    intervals) and, with a calibration, corrected for the scorer's confusion (widened intervals)."""
    if not has_rows(df, by, "period_start", *COUNT_COLUMNS):
        return pd.DataFrame()
    df = df.assign(year=pd.to_datetime(df["period_start"]).dt.year.astype(str))
    counts = list(COUNT_COLUMNS)
    yearly = df.groupby([by, "year"], as_index=False)[counts].sum()
    overall = df.groupby(by, as_index=False)[counts].sum().assign(year="All years")
    out = pd.concat([overall, yearly], ignore_index=True)
    out["posts"] = out[counts].sum(axis=1)
    out = out[out["posts"] > 0]
    out["order"] = (out["year"] != "All years").astype(int)
    out = out.sort_values([by, "order", "year"], kind="stable").drop(columns="order")
    out = add_shares(out, calibration)
    for name in ("negative", "neutral", "positive"):
        for kind in ("raw", "corrected"):
            out[f"{kind}_{name}_text"] = [fmt_pct_interval(e, lo, hi, label=False) for e, lo, hi in zip(
                out[f"{kind}_{name}"], out[f"{kind}_{name}_low"], out[f"{kind}_{name}_high"])]
    out["small_sample"] = out["posts"] < SMALL_SAMPLE
    return out


def shares(df: pd.DataFrame, by: str, label: str, calibration: Calibration | None) -> Table:
    """Negative, neutral and positive shares per `by` value and year: as scored and corrected, side by side."""
    data = share_frame(df, by, calibration)
    first = Column(by, label, fmt_org_type) if by == "org_type" else Column(by, label)
    columns = [first, Column("year", "Year", css="nowrap"), Column("posts", "Posts", fmt_int, numeric=True)]
    for name in ("negative", "neutral", "positive"):
        columns.append(Column(f"raw_{name}_text", f"{name.capitalize()}, as scored (95% CI)", css="nowrap"))
        if calibration is not None:
            columns.append(Column(f"corrected_{name}_text", f"{name.capitalize()}, corrected (95% CI)", css="nowrap"))
    columns.append(Column("small_sample", "Small sample", lambda v: "yes" if v else ""))
    if calibration is not None:
        note = (f"As scored: the {calibration.scorer} scorer's labels counted, with Wilson intervals. Corrected: the "
                f"same counts with the scorer's measured confusion on {calibration.posts:,} labelled posts "
                f"({DATASET_NAMES.get(calibration.dataset, calibration.dataset)}) removed by adjusted "
                "classify-and-count; the interval adds that "
                "confusion's uncertainty to the sampling's, so it is wider, and widest for small groups "
                f"(under {SMALL_SAMPLE} posts are marked). Method and matrix: methodology page.")
    else:
        note = "As scored, with Wilson intervals; no labelled confusion was available to correct the shares."
    return make_table(f"Share of negative, neutral and positive posts by {label.lower()} and year", data, columns,
                      note=note)


EXTREME_COLUMNS = (
    Column("rank", "Rank", fmt_int, numeric=True),
    Column("sentiment_score", "Score", fmt_score, numeric=True),
    Column("posted_at", "Posted", fmt_day, css="nowrap"),
    Column("platform_name", "Platform"),
    Column("org_name", "Organization"),
    Column("org_type", "Type", fmt_org_type),
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
    calibration = from_confusion_mart(frame(marts, "sentiment_confusion"))
    names = [df["platform_name"] for df in (histogram, trends) if "platform_name" in df]
    colors = palette(pd.concat(names).dropna() if names else [])
    return {
        "caveat": CAVEAT,
        "distribution": distribution(histogram, colors),
        "by_platform": trend(trends, "platform_name", "platform", colors),
        "by_org_type": trend(trends, "org_type", "organization type",
                             org_type_palette(trends["org_type"].dropna() if "org_type" in trends else [])),
        "shares_by_platform": shares(trends, "platform_name", "Platform", calibration),
        "shares_by_org_type": shares(trends, "org_type", "Organization type", calibration),
        "most_positive": extremes(extreme, "positive"),
        "most_negative": extremes(extreme, "negative"),
    }
