"""Themes page: what organizations post about, over time, by organization type and by platform."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.charts import EXTRA_COLORS, OTHER_COLOR, PALETTE, interval_figure, plot_label, render_figure
from pipelines.reporting.components import Chart, Column, Marts, Prose, Section, frame, has_rows, make_table
from pipelines.reporting.formatting import fmt_flag, fmt_int, fmt_org_type, fmt_pct_interval, fmt_text

NOTE = ("A post can carry several themes, so shares add up to more than 100%. Bars are 95% Wilson intervals; "
        "hollow points are small samples.")


def _labels() -> dict[str, str]:
    from pipelines.analytics.themes import THEME_LABELS

    return THEME_LABELS


def _colors() -> dict[str, str]:
    """One colour per theme label in file order, distinct for up to 16 themes (the colourway alone has 10, and the
    themes file has 11 with `other`); `other` is grey as everywhere, so no theme gets a grey."""
    distinct = tuple(c for c in PALETTE + EXTRA_COLORS if c not in ("#bab0ac", "#7f7f7f"))
    return {plot_label(label): OTHER_COLOR if key == "other" else distinct[i % len(distinct)]
            for i, (key, label) in enumerate(_labels().items())}


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    labels = _labels()
    df["theme_label"] = df["theme"].map(lambda t: labels.get(t, t))
    return df


def over_time(df: pd.DataFrame) -> Chart:
    title = "Share of posts on each theme, all organizations, by year"
    rows = df[(df["platform"] == "all") & (df["org_type"] == "all") & (df["year"] != "all")] if has_rows(df, "year") else df
    if not has_rows(rows, "theme_label", "share"):
        return Chart(title, None)
    rows = rows.assign(year=rows["year"].astype(int)).sort_values(["theme_label", "year"], kind="stable")
    fig = interval_figure(rows, x="year", y="share", low="share_low", high="share_high", series="theme_label",
                          colors=_colors(), small="small_sample", y_title="Share of posts")
    fig.update_xaxes(dtick=1)
    return Chart(title, render_figure(fig, "themes-over-time", height=460), NOTE)


def heatmap(df: pd.DataFrame, by: str, label: str, div_id: str) -> Chart:
    title = f"Share of posts on each theme by {label}, all years"
    rows = df[(df[by] != "all") & (df["year"] == "all")] if has_rows(df, by, "year") else df
    other = "org_type" if by != "org_type" else "platform"
    if has_rows(rows, other):
        rows = rows[rows[other] == "all"]
    key = "platform_name" if by == "platform" else by
    if not has_rows(rows, key, "theme_label", "share"):
        return Chart(title, None)
    import plotly.graph_objects as go

    from pipelines.reporting.charts import plot_label

    table = rows.pivot_table(index="theme_label", columns=key, values="share", aggfunc="first")
    posts = rows.groupby(key)["posts"].first()
    fig = go.Figure(go.Heatmap(
        z=table.values,
        x=[f"{plot_label(fmt_org_type(c) if key == 'org_type' else c)} (n={int(posts[c]):,})" for c in table.columns],
        y=[plot_label(i) for i in table.index], colorscale="Blues", zmin=0, texttemplate="%{z:.0%}",
        hovertemplate="%{y}<br>%{x}: %{z:.1%}<extra></extra>", colorbar={"tickformat": ".0%"},
    ))
    return Chart(title, render_figure(fig, div_id, height=380), "n is the number of posts in each column.")


def detail(df: pd.DataFrame):
    rows = df[(df["platform"] != "all") & (df["org_type"] != "all") & (df["year"] != "all")] if has_rows(df, "year") else df
    if has_rows(rows, "share"):
        rows = rows.sort_values(["year", "posts_with_theme"], ascending=[False, False], kind="stable").copy()
        rows["share_text"] = [fmt_pct_interval(e, lo, hi) for e, lo, hi in zip(rows["share"], rows["share_low"], rows["share_high"])]
    return make_table(
        "Themes by platform, organization type and year",
        rows,
        [
            Column("year", "Year", fmt_text),
            Column("platform_name", "Platform"),
            Column("org_type", "Organization type", fmt_org_type),
            Column("theme_label", "Theme"),
            Column("posts_with_theme", "Posts on theme", fmt_int, numeric=True),
            Column("posts", "Posts", fmt_int, numeric=True),
            Column("share_text", "Share (95% CI)", css="nowrap"),
            Column("small_sample", "Small sample", fmt_flag),
        ],
        note="Most recent years first, largest groups first.",
    )


def build(marts: Marts) -> dict[str, Any]:
    df = frame(marts, "themes_trend")
    if not df.empty:
        df = _labelled(df)
    labels = _labels()
    return {"sections": [
        Section("Themes over time", [over_time(df)],
                intro="Themes are found by the term lists in pipelines/config/themes.csv (see the methodology page)."),
        Section("By organization type and platform", [
            heatmap(df, "org_type", "organization type", "themes-by-org-type"),
            heatmap(df, "platform", "platform", "themes-by-platform"),
        ]),
        Section("Detail", [detail(df)]),
        Section("Theme definitions", [Prose([f"{label} ({key})" for key, label in labels.items()], bullets=True)]),
    ]}
