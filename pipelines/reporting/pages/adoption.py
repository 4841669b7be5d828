"""Adoption page: platform user growth, organizations active per platform, posting volume and engagement."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.charts import log_scale_menu, palette, render_figure, series_figure
from pipelines.reporting.components import Chart, Column, Marts, Table, frame, has_rows, make_table
from pipelines.reporting.formatting import fmt_float, fmt_growth, fmt_int, fmt_month, fmt_pct, is_missing


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
    fig = series_figure(
        df, x="period_start", y="users", series="series", colors=None if several_regions else colors,
        y_title="Users", extra_hover=("growth_text", "Change vs previous period", ""),
    )
    fig.update_layout(updatemenus=log_scale_menu())
    sources = sorted(str(s) for s in df.get("source", pd.Series(dtype=str)).dropna().unique())
    note = ("Sources: " + "; ".join(sources) + ". ") if sources else ""
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


def org_adoption(df: pd.DataFrame, colors: dict[str, str]) -> tuple[Chart, Table]:
    title = "Healthcare organizations active per platform, by quarter"
    table_title = "Latest quarter per platform"
    if not has_rows(df, "platform_name", "period_start", "orgs_active"):
        return Chart(title, None), make_table(table_title, pd.DataFrame(), [])
    df = _dated(df)
    df["hover"] = [
        f"{fmt_int(active)} of {fmt_int(tracked)} tracked ({fmt_pct(share)})"
        for active, tracked, share in zip(df["orgs_active"], df["orgs_tracked"], df["share_active"])
    ]
    fig = series_figure(
        df, x="period_start", y="orgs_active", series="platform_name", colors=colors,
        y_title="Organizations active", extra_hover=("hover", "Active", ""),
    )
    chart = Chart(title, render_figure(fig, "adoption-org-platform"), "Quarters are labelled by their first month.")
    df["quarter"] = df["period_start"]
    table = make_table(
        table_title,
        _latest(df, ["platform_name"]),
        [
            Column("platform_name", "Platform"),
            Column("quarter", "Quarter starting", fmt_month, css="nowrap"),
            Column("orgs_active", "Organizations active", fmt_int, numeric=True),
            Column("orgs_tracked", "Organizations tracked", fmt_int, numeric=True),
            Column("share_active", "Share active", fmt_pct, numeric=True),
        ],
    )
    return chart, table


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
    engagement = series_figure(totals, x="org_type", y="per_post", series="platform_name", kind="bar",
                               colors=colors, y_title="Engagement per post", x_hover="", y_hover=":,.1f")
    engagement.update_layout(barmode="group")
    note = ("Engagement is the interaction total from the posting_activity mart, divided by posts "
            "(per post, not per follower or impression).")
    table = make_table(
        table_title,
        totals.sort_values(["posts", "platform_name", "org_type"], ascending=[False, True, True], kind="stable"),
        [
            Column("platform_name", "Platform"),
            Column("org_type", "Organization type"),
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
    growth, adoption, activity = (
        frame(marts, name) for name in ("platform_user_growth", "org_platform_adoption", "posting_activity")
    )
    names = [df["platform_name"] for df in (growth, adoption, activity) if "platform_name" in df]
    colors = palette(pd.concat(names).dropna() if names else [])
    growth_chart, growth_table = user_growth(growth, colors)
    adoption_chart, adoption_table = org_adoption(adoption, colors)
    volume_chart, engagement_chart, posting_table = posting(activity, colors)
    return {
        "growth_chart": growth_chart,
        "growth_table": growth_table,
        "adoption_chart": adoption_chart,
        "adoption_table": adoption_table,
        "volume_chart": volume_chart,
        "engagement_chart": engagement_chart,
        "posting_table": posting_table,
    }
