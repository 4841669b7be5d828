"""Benchmark page: each organization against its organization-type peers, and the best-practice scorecard."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.charts import log_scale_menu, org_type_palette, plot_label, render_figure
from pipelines.reporting.components import Chart, Column, Marts, Prose, Section, frame, has_rows, make_table
from pipelines.reporting.formatting import MISSING, fmt_flag, fmt_float, fmt_int, fmt_org_type, fmt_pct, fmt_pct_interval, is_missing

CRITERIA = [
    "Recommended use: at least half of posts about networking, education and research, or promotion and events "
    "(not judged for health media, whose guidance this is not; for an organization whose posts the theme rules "
    "mostly cannot place; or on fewer than 30 posts).",
    "Sourced claims: at least 90% of posts with health-claim wording carry a link or citation (not judged on fewer "
    "than 5 claims).",
    "Patient privacy: no post exposing patient information (always judged).",
    "Professionalism: at most one unprofessional post per 1,000 (not judged on fewer than 30 posts).",
]


def _met(value: Any) -> str:
    if is_missing(value):
        return "not judged"
    return "met" if bool(value) else "not met"


def _badge(value: Any) -> str:
    if is_missing(value):
        return ""
    return "badge pass" if bool(value) else "badge fail"


def _ratio(value: Any) -> str:
    return MISSING if is_missing(value) else f"{float(value):.2f}x"


def peers(df: pd.DataFrame):
    if has_rows(df, "share_of_voice"):
        df = df.copy()
        df["sov_text"] = [fmt_pct_interval(e, lo, hi, 1, label=False) for e, lo, hi in
                          zip(df["share_of_voice"], df["share_of_voice_low"], df["share_of_voice_high"])]
        df["rate_pct"] = df["engagement_rate"]
        df["peer_rate_pct"] = df["peer_median_engagement_rate"]
    return make_table(
        "Share of voice and engagement against organization-type peers, last 365 days of data",
        df,
        [
            Column("org_name", "Organization"),
            Column("org_type", "Type", fmt_org_type),
            Column("window_covered", "Data reach the window", lambda v: fmt_flag(v, "yes", "no")),
            Column("peer_orgs", "Peers", fmt_int, numeric=True),
            Column("posts", "Posts", fmt_int, numeric=True),
            Column("sov_text", "Share of voice (posts, 95% CI)", css="nowrap"),
            Column("engagement_share_of_voice", "Share of engagement", fmt_pct, numeric=True),
            Column("rate_pct", "Engagement rate", lambda v: fmt_pct(v, 2), numeric=True),
            Column("peer_rate_pct", "Peer median rate", lambda v: fmt_pct(v, 2), numeric=True),
            Column("engagement_rate_vs_peers", "Rate vs peers", _ratio, numeric=True),
            Column("interactions_per_post", "Interactions per post", fmt_float, numeric=True),
            Column("interactions_per_post_vs_peers", "Per post vs peers", _ratio, numeric=True),
            Column("small_sample", "Small sample", fmt_flag),
        ],
        note="Share of voice is an organization's posts (and interactions) as a share of its organization type's in the "
             "window. Engagement rate is interactions (likes, shares, comments) per view, on posts that report views "
             "(impressions); interactions per post covers every post. Peers are organizations of the same type whose "
             "data reach the end of the data; an organization whose export stops earlier has no share here (its "
             "silence is the export's, not a fall in its posting).",
    )


def scorecard(df: pd.DataFrame):
    if has_rows(df, "criteria_met"):
        df = df.copy()
        df["use_text"] = [fmt_pct_interval(e, lo, hi, label=False) for e, lo, hi in
                          zip(df["recommended_use_share"], df["recommended_use_low"], df["recommended_use_high"])]
        df["score"] = [f"{int(m)} of {int(j)}" for m, j in zip(df["criteria_met"], df["criteria_judged"])]
    return make_table(
        "Best-practice scorecard per organization (all posts)",
        df,
        [
            Column("org_name", "Organization"),
            Column("org_type", "Type", fmt_org_type),
            Column("posts", "Posts", fmt_int, numeric=True),
            Column("score", "Criteria met"),
            Column("use_text", "Recommended use share (95% CI)", css="nowrap"),
            Column("meets_recommended_use", "Use", _met, badge=_badge),
            Column("sourced_claim_share", "Sourced share of claims", fmt_pct, numeric=True),
            Column("meets_sourced_claims", "Sourcing", _met, badge=_badge),
            Column("patient_information_posts", "Patient info posts", fmt_int, numeric=True),
            Column("meets_patient_privacy", "Privacy", _met, badge=_badge),
            Column("unprofessional_per_1000", "Unprofessional per 1,000", fmt_float, numeric=True),
            Column("meets_professionalism", "Professional", _met, badge=_badge),
            Column("not_judged", "Not judged, and why", lambda v: "" if is_missing(v) else str(v)),
        ],
        note="Organizations meeting the fewest criteria first. A criterion the organization's data cannot support is "
             "not judged: it counts neither as met nor as failed, and \"Criteria met\" is out of those judged (an "
             "organization with fewer than 30 posts is a small sample: only patient privacy and, with 5 claims, "
             "sourcing are judged).",
    )


def voice_chart(df: pd.DataFrame) -> Chart:
    """Each organization's share of its type's posts against its share of the type's interactions: above the
    diagonal, its posts draw more engagement than its volume alone would."""
    title = "Share of voice against share of engagement within each organization type, last 365 days of data"
    if not has_rows(df, "share_of_voice", "engagement_share_of_voice"):
        return Chart(title, None, empty_note="No organization posted in the last 365 days of data.")
    import plotly.graph_objects as go

    df = df[df["share_of_voice"].notna() & df["engagement_share_of_voice"].notna() & (df["posts"] > 0)].copy()
    if df.empty:
        return Chart(title, None, empty_note="No organization posted in the last 365 days of data.")
    df["type_name"] = df["org_type"].map(fmt_org_type)
    colors = org_type_palette(df["org_type"])
    fig = go.Figure()
    top = float(max(df["share_of_voice"].max(), df["engagement_share_of_voice"].max(), 0.01))
    fig.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", name="Engagement in line with volume",
                             line={"color": "#9aa5b1", "dash": "dot", "width": 1}, hoverinfo="skip"))
    for name, group in df.groupby("type_name", sort=True):
        label = plot_label(name)
        fig.add_trace(go.Scatter(
            x=group["share_of_voice"].astype(float), y=group["engagement_share_of_voice"].astype(float), name=label,
            mode="markers", marker={"color": colors.get(label), "size": 9, "opacity": 0.85,
                                    "symbol": ["circle-open" if s else "circle"
                                               for s in group["small_sample"].fillna(True).astype(bool)]},
            customdata=list(zip(group["org_name"].map(plot_label), group["posts"].astype(int),
                                group["peer_orgs"].astype(int))),
            hovertemplate="%{customdata[0]} (%{fullData.name})<br>%{x:.1%} of the type's posts, "
                          "%{y:.1%} of its interactions<br>%{customdata[1]:,} posts; %{customdata[2]} organizations "
                          "of this type<extra></extra>",
        ))
    fig.update_layout(xaxis_title="Share of the type's posts (share of voice)",
                      yaxis_title="Share of the type's interactions", updatemenus=log_scale_menu(("xaxis", "yaxis")),
                      legend={"orientation": "h", "y": -0.2, "yanchor": "top"})
    fig.update_xaxes(tickformat=".0%")
    fig.update_yaxes(tickformat=".0%")
    note = ("One point per organization, coloured by type; hollow points are small samples (fewer than 3 peers or "
            "30 posts). Points above the dotted diagonal draw a larger share of their type's likes, shares and "
            "comments than of its posts; below it, their posts draw less engagement than their volume.")
    return Chart(title, render_figure(fig, "benchmark-voice", height=480), note)


def build(marts: Marts) -> dict[str, Any]:
    from pipelines.reporting.pages.organizations import link_names, org_files

    # an organization's name links to its page when it has one (organizations.py: the most active ones)
    files = org_files(marts)
    benchmark, card = frame(marts, "org_benchmark"), frame(marts, "scorecard")
    return {"sections": [
        Section("Against peers", [voice_chart(benchmark), link_names(peers(benchmark), benchmark, files)]),
        Section("Best-practice scorecard", [Prose(CRITERIA, bullets=True), link_names(scorecard(card), card, files)],
                intro="Criteria follow guidance for healthcare social media: keep institutional use to networking, "
                      "research and promotion, check sources, never expose patients, stay professional."),
    ]}
