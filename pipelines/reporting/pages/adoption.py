"""Adoption page: platform user growth, organizations active per platform, posting volume and engagement."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.charts import (
    MAX_SERIES,
    top_series,
    interval_figure,
    log_scale_menu,
    palette,
    plot_label,
    render_figure,
    series_figure,
)
from pipelines.reporting.components import Chart, Column, Marts, Table, frame, has_rows, make_table
from pipelines.reporting.formatting import (
    fmt_org_type,
    fmt_flag,
    fmt_float,
    fmt_growth,
    fmt_growth_interval,
    fmt_int,
    fmt_pct,
    fmt_pct_interval,
    fmt_points_interval,
    fmt_subject,
    fmt_text,
    is_missing,
)


def _dated(df: pd.DataFrame, column: str = "period_start") -> pd.DataFrame:
    out = df.copy()
    out[column] = pd.to_datetime(out[column])
    return out.sort_values(column, kind="stable")


def _latest(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The last period of each group, e.g. each platform's most recent quarter."""
    return df.sort_values("period_start", kind="stable").groupby(keys, sort=True).tail(1).sort_values(keys)


def user_growth(df: pd.DataFrame, colors: dict[str, str]) -> tuple[Chart, Table]:
    title = "Platform users over time"
    table_title = "Latest user count per platform and region"
    if not has_rows(df, "platform_name", "region", "period_start", "users"):
        return Chart(title, None), make_table(table_title, pd.DataFrame(), [])
    df = _dated(df.dropna(subset=["users", "platform_name"]))
    if df.empty:
        return Chart(title, None), make_table(table_title, df, [])
    df["region"] = df["region"].fillna("region unknown")
    # Name a line by platform alone unless the mart mixes regions.
    several_regions = df["region"].nunique() > 1
    df["series"] = df["platform_name"].astype(str) + (" (" + df["region"].astype(str) + ")" if several_regions else "")
    df["growth_text"] = df["growth_pct"].map(fmt_growth) if "growth_pct" in df else "n/a"
    # many platforms: the largest (by users over the periods shown) get a line each, the others one summed line
    plotted = top_series(df[["series", "period_start", "users", "growth_text"]], "series", "users",
                         ["period_start"], ["users"])
    grouped = plotted["series"].nunique() < df["series"].nunique()
    plotted = plotted.fillna({"growth_text": "n/a"})
    fig = series_figure(
        plotted, x="period_start", y="users", series="series",
        colors=palette(plotted["series"]) if several_regions else {**colors, **palette(["Other"])},
        y_title="Users", extra_hover=("growth_text", "Change vs previous period", ""),
    )
    fig.update_layout(updatemenus=log_scale_menu())
    sources = sorted(str(s) for s in df.get("source", pd.Series(dtype=str)).dropna().unique())
    note = ("Sources: " + "; ".join(sources) + ". ") if sources else ""
    if grouped:
        note += (f"The {MAX_SERIES - 1} platforms with the most users have a line each; Other sums the remaining "
                 f"{df['series'].nunique() - MAX_SERIES + 1} (all are in the table). ")
    note += "Use the buttons to switch between a linear and a log scale."
    chart = Chart(title, render_figure(fig, "adoption-user-growth", height=440), note)
    table = make_table(
        table_title,
        _latest(df, ["platform_name", "region"]),
        [
            Column("platform_name", "Platform"),
            Column("region", "Region", css="nowrap"),
            Column("period", "Period", css="nowrap"),
            Column("users", "Users", fmt_int, numeric=True),
            Column("growth_pct", "Change vs previous", fmt_growth, numeric=True),
            Column("source", "Source"),
        ],
    )
    return chart, table


SMALL_NOTE = "Hollow points are small samples (fewer than 5 organizations on either side of the share, or under 30 tracked): read them with care."


def org_adoption(df: pd.DataFrame, colors: dict[str, str]) -> tuple[Chart, Table]:
    title = ("Share of tracked healthcare organizations active on each platform, by year, among those whose data cover "
             "the year (95% Wilson intervals)")
    table_title = "Adoption changes from the year before"
    if not has_rows(df, "platform_name", "year", "share_active", "share_low", "share_high"):
        return Chart(title, None), make_table(table_title, pd.DataFrame(), [])
    df = df.sort_values(["platform_name", "year"], kind="stable").copy()
    fig = interval_figure(df, x="year", y="share_active", low="share_low", high="share_high", series="platform_name",
                          colors=colors, small="small_sample", y_title="Organizations active (share of covered)")
    fig.update_xaxes(dtick=1)
    partial = sorted({int(y) for y in df.loc[df["is_partial"].fillna(False).astype(bool), "year"]})
    note = SMALL_NOTE + (" A year counts the organizations whose data cover it in full (first to last post, "
                         "without a silence of over a year); one whose export stops earlier or starts later is not "
                         "covered that year rather than inactive.")
    if partial:
        note += f" No organization's data cover all of {', '.join(map(str, partial))}: those years have no share."
    chart = Chart(title, render_figure(fig, "adoption-org-platform", height=440), note)
    df["share_text"] = [fmt_pct_interval(e, lo, hi) for e, lo, hi in zip(df["share_active"], df["share_low"], df["share_high"])]
    df["change_text"] = [fmt_points_interval(e, lo, hi) for e, lo, hi in zip(df["change"], df["change_low"], df["change_high"])]
    changes = df[df["change"].notna()].sort_values(["year", "platform_name"], ascending=[False, True], kind="stable")
    table = make_table(
        table_title,
        changes,
        [
            Column("platform_name", "Platform"),
            Column("year", "Year", fmt_text, css="nowrap"),
            Column("orgs_active", "Active", fmt_int, numeric=True),
            Column("orgs_tracked", "Covered", fmt_int, numeric=True),
            Column("orgs_not_covered", "Not covered", fmt_int, numeric=True),
            Column("share_text", "Share active", css="nowrap"),
            Column("change_text", "Change vs year before", css="nowrap"),
            Column("change_significant", "Significant", fmt_flag, badge=lambda v: "badge fail" if v is True else ""),
            Column("small_sample", "Small sample", fmt_flag),
            Column("is_partial", "Partial year", fmt_flag),
        ],
        note="A change is marked significant when its 95% Newcombe interval excludes zero and neither year is partial.",
    )
    return chart, table


def adoption_vs_public(df: pd.DataFrame, colors: dict[str, str]) -> tuple[Chart, Table]:
    title = "Healthcare adoption against each platform's worldwide users (index, first complete common year = 100)"
    table_title = "Latest year: adoption growth against user growth since the base year"
    if not has_rows(df, "platform_name", "year", "adoption_index", "users_index"):
        return Chart(title, None, empty_note="No platform has both healthcare posts and user figures in a complete year."), \
            make_table(table_title, pd.DataFrame(), [])
    import plotly.graph_objects as go

    df = df.sort_values(["platform_name", "year"], kind="stable").copy()
    fig = go.Figure()
    for name, group in df.groupby("platform_name", sort=True):
        label = plot_label(name)
        color = colors.get(label)
        value = group["adoption_index"].astype(float)
        fig.add_trace(go.Scatter(
            x=group["year"], y=value, name=f"{label}: organizations", mode="lines+markers", legendgroup=label,
            line={"color": color}, error_y={"type": "data", "array": (group["adoption_index_high"] - value).clip(lower=0),
                                            "arrayminus": (value - group["adoption_index_low"]).clip(lower=0),
                                            "thickness": 1, "width": 3},
            hovertemplate=f"{label} organizations<br>%{{x}}: %{{y:.0f}}<extra></extra>",
        ))
        fig.add_trace(go.Scatter(
            x=group["year"], y=group["users_index"].astype(float), name=f"{label}: public users", mode="lines",
            legendgroup=label, line={"color": color, "dash": "dot"},
            hovertemplate=f"{label} users worldwide<br>%{{x}}: %{{y:.0f}}<extra></extra>",
        ))
    fig.update_layout(yaxis_title="Index (base year = 100)", updatemenus=log_scale_menu())
    fig.update_xaxes(dtick=1)
    note = ("Solid lines: share of tracked organizations active on the platform; dotted: the platform's worldwide users "
            "(same colour). Above the dotted line, organizations adopted faster than the public since the base year. "
            "Bars are 95% intervals of the share, with the base year's share taken as fixed.")
    chart = Chart(title, render_figure(fig, "adoption-vs-public", height=460), note)
    latest = df.groupby("platform_name", as_index=False).tail(1).copy()
    latest["verdict"] = [
        "ahead of the public" if lo / u > 1 else ("behind the public" if hi / u < 1 else "in line (interval spans both)")
        for lo, hi, u in zip(latest["adoption_index_low"], latest["adoption_index_high"], latest["users_index"])
    ]
    table = make_table(
        table_title,
        latest,
        [
            Column("platform_name", "Platform"),
            Column("base_year", "Base year", fmt_text),
            Column("year", "Latest year", fmt_text),
            Column("adoption_index", "Adoption index", fmt_int, numeric=True),
            Column("users_index", "Users index", fmt_int, numeric=True),
            Column("verdict", "Organizations are"),
        ],
    )
    return chart, table


def posting_growth(df: pd.DataFrame) -> Table:
    title = "Posting volume growth per platform (the same organizations' posts per day, against the year before)"
    if has_rows(df, "growth_pct"):
        df = df[df["growth_pct"].notna()].sort_values(["year", "platform_name"], ascending=[False, True], kind="stable").copy()
        df["growth_text"] = [fmt_growth_interval(e, lo, hi) for e, lo, hi in zip(df["growth_pct"], df["growth_low"], df["growth_high"])]
    else:
        df = pd.DataFrame()
    return make_table(
        title,
        df,
        [
            Column("platform_name", "Platform"),
            Column("year", "Year", fmt_text),
            Column("posts", "Posts", fmt_int, numeric=True),
            Column("posts_per_day", "Posts per day", fmt_float, numeric=True),
            Column("same_orgs", "Organizations compared", fmt_int, numeric=True),
            Column("same_prev_posts", "Their posts, year before", fmt_int, numeric=True),
            Column("same_posts", "Their posts, this year", fmt_int, numeric=True),
            Column("growth_text", "Growth (95% CI)", css="nowrap"),
            Column("change_significant", "Significant", fmt_flag, badge=lambda v: "badge fail" if v is True else ""),
            Column("small_sample", "Small sample", fmt_flag),
        ],
        note="Growth compares the same organizations: those whose data cover both years in full, posts per day "
             "of each year, so an export that starts or stops reads as neither a rise nor a fall. Posts and posts "
             "per day (per day the data cover) count every organization. Intervals are Poisson rate-ratio intervals "
             "on the log scale.",
    )


def _per_post(engagement: Any, posts: Any) -> float:
    if is_missing(engagement) or is_missing(posts) or not posts:
        return float("nan")
    return float(engagement) / float(posts)


def posting(df: pd.DataFrame, colors: dict[str, str]) -> tuple[Chart, Chart, Table]:
    volume_title = "Posts per month by platform"
    engagement_title = "Engagement per post by organization type and platform"
    table_title = "Posting totals by platform and organization type"
    needed = ("platform_name", "org_type", "period_start", "posts", "engagement")
    if not has_rows(df, *needed):
        return Chart(volume_title, None), Chart(engagement_title, None), make_table(table_title, pd.DataFrame(), [])
    df = _dated(df)
    monthly = df.groupby(["platform_name", "period_start"], as_index=False)["posts"].sum()
    volume = series_figure(monthly, x="period_start", y="posts", series="platform_name", kind="bar",
                           colors=colors, y_title="Posts")
    volume.update_layout(barmode="stack")
    sums = {c: "sum" for c in ("posts", "likes", "shares", "comments", "engagement") if c in df}
    totals = df.groupby(["platform_name", "org_type"], as_index=False).agg(sums)
    if "views" in df:
        # Views are reported by some platforms only: a total of nothing stays missing.
        views = df.groupby(["platform_name", "org_type"])["views"].sum(min_count=1)
        totals = totals.merge(views.reset_index(), on=["platform_name", "org_type"], how="left")
    totals["per_post"] = [_per_post(e, p) for e, p in zip(totals["engagement"], totals["posts"])]
    engagement = series_figure(totals.assign(org_type=totals["org_type"].map(fmt_org_type)), x="org_type",
                               y="per_post", series="platform_name", kind="bar",
                               colors=colors, y_title="Engagement per post", x_hover="", y_hover=":,.1f")
    engagement.update_layout(barmode="group")
    note = ("Engagement is the interaction total from the posting_activity mart, divided by posts "
            "(per post, not per follower or impression).")
    table = make_table(
        table_title,
        totals.sort_values(["posts", "platform_name", "org_type"], ascending=[False, True, True], kind="stable"),
        [
            Column("platform_name", "Platform"),
            Column("org_type", "Organization type", fmt_org_type),
            Column("posts", "Posts", fmt_int, numeric=True),
            Column("likes", "Likes", fmt_int, numeric=True),
            Column("shares", "Shares", fmt_int, numeric=True),
            Column("comments", "Comments", fmt_int, numeric=True),
            Column("views", "Views", fmt_int, numeric=True),
            Column("engagement", "Engagement", fmt_int, numeric=True),
            Column("per_post", "Engagement per post", fmt_float, numeric=True),
        ],
    )
    return (
        Chart(volume_title, render_figure(volume, "adoption-posts-monthly")),
        Chart(engagement_title, render_figure(engagement, "adoption-engagement"), note),
        table,
    )


def build(marts: Marts) -> dict[str, Any]:
    growth, adoption, activity, versus, volume = (
        frame(marts, name)
        for name in ("platform_user_growth", "org_platform_adoption", "posting_activity", "adoption_vs_growth",
                     "posting_growth")
    )
    names = [df["platform_name"] for df in (growth, adoption, activity) if "platform_name" in df]
    colors = palette(pd.concat(names).dropna() if names else [])
    growth_chart, growth_table = user_growth(growth, colors)
    adoption_chart, adoption_table = org_adoption(adoption, colors)
    volume_chart, engagement_chart, posting_table = posting(activity, colors)
    versus_chart, versus_table = adoption_vs_public(versus, colors)
    reference_chart, reference_counts, standing_table, reference_table = reference_standing(
        frame(marts, "reference_adoption"), colors)
    return {
        "reference_chart": reference_chart,
        "reference_counts": reference_counts,
        "standing_table": standing_table,
        "reference_table": reference_table,
        "versus_chart": versus_chart,
        "versus_table": versus_table,
        "volume_growth_table": posting_growth(volume),
        "growth_chart": growth_chart,
        "growth_table": growth_table,
        "adoption_chart": adoption_chart,
        "adoption_table": adoption_table,
        "volume_chart": volume_chart,
        "engagement_chart": engagement_chart,
        "posting_table": posting_table,
    }


# How each subject's markers and lines look on the reference chart; the colour is the platform's.
SUBJECT_STYLE = {
    "tracked_organizations": {"dash": "solid", "symbol": "circle", "width": 3},
    "hospitals": {"dash": "dot", "symbol": "square", "width": 1.5},
    "local_health_departments": {"dash": "dash", "symbol": "diamond", "width": 1.5},
    "physicians": {"dash": "dashdot", "symbol": "star", "width": 1.5},
    "us_adults": {"dash": "longdash", "symbol": "triangle-up", "width": 1.5},
}
OTHER_STYLE = {"dash": "dot", "symbol": "x", "width": 1.5}


def _series_label(subject: Any, region: Any, platform_name: Any, metric: Any = None) -> str:
    who = fmt_subject(subject)
    if not is_missing(region) and str(region) not in ("tracked", "World"):
        who += f" ({region})"
    label = f"{who}, {platform_name}"
    if not is_missing(metric) and str(metric) not in ("share_active",) and not str(metric).startswith("share_of"):
        label += f": {str(metric).replace('_', ' ')}"
    return label


def _figure_text(row: pd.Series) -> str:
    """One reference figure as a reader says it: '50.8%', '3,351 hospitals of 3,371 (99.4%)', '1,800,000 people'."""
    unit, value = str(row["unit"]), row["value"]
    if unit in ("fraction", "percent"):
        return fmt_pct(row["share"])
    text = f"{fmt_int(value)} {unit}"
    if not is_missing(row.get("denominator")):
        text += f" of {fmt_int(row['denominator'])} ({fmt_pct(row['share'])})"
    return text


def _sources_note(rows: pd.DataFrame) -> str:
    """'Sources: <series>: <source>; ...', one entry per series, every source it draws on."""
    parts = []
    if "series_group" in rows and (rows["series_group"] == "tracked").any():
        parts.append("Tracked organizations: this pipeline, from the posts and organizations in the data folder")
        rows = rows[rows["series_group"] != "tracked"]
    for label, group in rows.groupby("label", sort=True):
        sources = sorted(set(group["source"].dropna().astype(str)))
        parts.append(f"{label}: {' / '.join(sources)}")
    return "Sources: " + "; ".join(parts) + "."


def reference_standing(df: pd.DataFrame, colors: dict[str, str]) -> tuple[Chart, Chart, Table, Table]:
    """Where the tracked organizations stand against hospitals, health departments, physicians and the public."""
    share_title = ("Share on each platform: tracked organizations against US hospitals, local health departments, "
                   "physicians and adults (published figures)")
    count_title = "Published counts: physician-network members and hospitals listed"
    standing_title = "Tracked organizations in their latest complete year against each published share"
    figures_title = "Published healthcare adoption figures, with their sources"
    empty = ("No reference figures: add reference/*.csv to the data folder (the sample ships the published figures "
             "in data/sample/reference/).")
    if not has_rows(df, "series_group", "subject", "platform_name", "year", "share", "source") \
            or not (df["series_group"] == "reference").any():
        return (Chart(share_title, None, empty_note=empty), Chart(count_title, None, empty_note=empty),
                make_table(standing_title, pd.DataFrame(), [], empty_note=empty),
                make_table(figures_title, pd.DataFrame(), [], empty_note=empty))
    import plotly.graph_objects as go

    df = df.copy()
    # a count that has a share (a denominator) is drawn as that share and named like the other shares
    df["label"] = [_series_label(s, r, p, m if is_missing(sh) else None) for s, r, p, m, sh in
                   zip(df["subject"], df["region"], df["platform_name"], df["metric"], df["share"])]
    published = df[df["series_group"] == "reference"]
    shares = published[published["share"].notna()]
    # the tracked organizations on the platforms the published shares cover, complete years only
    tracked = df[(df["series_group"] == "tracked") & df["platform"].isin(set(shares["platform"]))
                 & ~df["is_partial"].fillna(False).astype(bool)]
    plotted = pd.concat([tracked, shares], ignore_index=True).sort_values(["label", "period_start"], kind="stable")
    share_chart: Chart
    if plotted.empty:
        share_chart = Chart(share_title, None, empty_note="No published figure is a share.")
    else:
        colored = {**palette(plotted["platform_name"]), **colors}
        fig = go.Figure()
        for label, group in plotted.groupby("label", sort=True):
            first = group.iloc[0]
            style = SUBJECT_STYLE.get(str(first["subject"]), OTHER_STYLE)
            color = colored.get(plot_label(first["platform_name"]))
            value = group["share"].astype(float)
            interval = {}
            if group["share_low"].notna().any():
                interval = {"error_y": {"type": "data", "array": (group["share_high"].astype(float) - value).clip(lower=0),
                                        "arrayminus": (value - group["share_low"].astype(float)).clip(lower=0),
                                        "thickness": 1, "width": 3}}
            fig.add_trace(go.Scatter(
                x=group["year"], y=value, name=plot_label(label), mode="lines+markers",
                line={"color": color, "dash": style["dash"], "width": style["width"]},
                marker={"symbol": style["symbol"], "size": 8 if style["symbol"] != "circle" else 6, "color": color},
                customdata=[plot_label(s) for s in group["source"]],
                hovertemplate="%{fullData.name}<br>%{x}: %{y:.0%}<br>%{customdata}<extra></extra>", **interval,
            ))
        fig.update_layout(yaxis_title="Share active on the platform", xaxis_title="Year",
                          legend={"orientation": "h", "y": -0.25, "yanchor": "top"})
        fig.update_yaxes(tickformat=".0%", range=[0, 1.05])
        fig.update_xaxes(dtick=2)
        note = ("Thick solid lines: tracked organizations (share active that year, 95% Wilson intervals); other lines "
                "and markers: published figures, one marker per subject (squares hospitals, diamonds local health "
                "departments, stars physicians, triangles adults), in the platform's colour. Published figures "
                "measure presence or use in their own way and year: compare levels, not exact points. "
                + _sources_note(plotted))
        share_chart = Chart(share_title, render_figure(fig, "adoption-reference-shares", height=520), note)
    counts = published[published["share"].isna()].sort_values(["label", "period_start"], kind="stable")
    if counts.empty:
        count_chart = Chart(count_title, None, empty_note="No published figure is a count.")
    else:
        fig = go.Figure()
        colored = {**palette(counts["platform_name"]), **colors}
        for label, group in counts.groupby("label", sort=True):
            first = group.iloc[0]
            style = SUBJECT_STYLE.get(str(first["subject"]), OTHER_STYLE)
            fig.add_trace(go.Scatter(
                x=group["period_start"], y=group["value"].astype(float), name=plot_label(label), mode="lines+markers",
                line={"color": colored.get(plot_label(first["platform_name"])), "dash": style["dash"]},
                marker={"symbol": style["symbol"], "size": 8},
                customdata=[plot_label(s) for s in group["source"]],
                hovertemplate="%{fullData.name}<br>%{x|%Y-%m}: %{y:,.0f}<br>%{customdata}<extra></extra>",
            ))
        fig.update_layout(yaxis_title="Count (log scale)", xaxis_title="Date", updatemenus=log_scale_menu())
        fig.update_yaxes(type="log")
        count_chart = Chart(count_title, render_figure(fig, "adoption-reference-counts"),
                            "Member counts are the companies' own statements; the hospital list was self-submitted, "
                            "not a census. " + _sources_note(counts))
    standing_rows = []
    complete = df[(df["series_group"] == "tracked") & ~df["is_partial"].fillna(False).astype(bool)]
    latest = complete.sort_values("period_start", kind="stable").groupby("platform", sort=True).tail(1)
    for _, ours in latest.iterrows():
        for _, theirs in shares[shares["platform"] == ours["platform"]].sort_values(
                ["subject", "period_start"], kind="stable").groupby("label", sort=True).tail(1).iterrows():
            low, high, ref = ours["share_low"], ours["share_high"], theirs["share"]
            verdict = ("above" if low > ref else "below" if high < ref else "level with (interval spans it)")
            standing_rows.append({
                "platform_name": ours["platform_name"], "ours_year": ours["year"],
                "ours": fmt_pct_interval(ours["share"], low, high),
                "group": theirs["label"].split(", ")[0], "their_year": theirs["period"],
                "theirs": fmt_pct(ref), "verdict": verdict, "source": theirs["source"],
            })
    standing = make_table(
        standing_title, pd.DataFrame(standing_rows),
        [
            Column("platform_name", "Platform"),
            Column("ours_year", "Year", fmt_text),
            Column("ours", "Tracked organizations active", css="nowrap"),
            Column("group", "Published group"),
            Column("their_year", "Their year", css="nowrap"),
            Column("theirs", "Their share", numeric=True),
            Column("verdict", "Tracked organizations are"),
            Column("source", "Source"),
        ],
        note="Above or below when the tracked organizations' 95% interval excludes the published share. The years "
             "differ: a published share is the level of its own year, not a forecast.",
        empty_note="No platform has both tracked organizations and a published share.",
    )
    listed = published.sort_values(["subject", "platform_name", "period_start"], kind="stable").copy()
    listed["figure"] = [_figure_text(row) for _, row in listed.iterrows()]
    listed["subject_name"] = listed["subject"].map(fmt_subject)
    listed["metric_name"] = listed["metric"].astype(str).str.replace("_", " ")
    figures = make_table(
        figures_title, listed,
        [
            Column("subject_name", "Group"),
            Column("platform_name", "Platform"),
            Column("region", "Region", css="nowrap"),
            Column("period", "Period", css="nowrap"),
            Column("metric_name", "Measure"),
            Column("figure", "Figure", numeric=True, css="nowrap"),
            Column("source", "Source", css="wide"),
        ],
    )
    return share_chart, count_chart, standing, figures
