"""Benchmark page: each organization against its organization-type peers, and the best-practice scorecard."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.components import Column, Marts, Prose, Section, frame, has_rows, make_table
from pipelines.reporting.formatting import MISSING, fmt_flag, fmt_float, fmt_int, fmt_org_type, fmt_pct, fmt_pct_interval, is_missing

CRITERIA = [
    "Recommended use: at least half of posts about networking, education and research, or promotion and events.",
    "Sourced claims: at least 90% of posts with health-claim wording carry a link or citation (not judged when an "
    "organization made no claims).",
    "Patient privacy: no post exposing patient information.",
    "Professionalism: at most one unprofessional post per 1,000.",
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
             "(impressions); interactions per post covers every post. Peers are organizations of the same type.",
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
            Column("claim_posts", "Claim posts", fmt_int, numeric=True),
            Column("sourced_claim_share", "Sourced share", fmt_pct, numeric=True),
            Column("meets_sourced_claims", "Sourcing", _met, badge=_badge),
            Column("patient_information_posts", "Patient info posts", fmt_int, numeric=True),
            Column("meets_patient_privacy", "Privacy", _met, badge=_badge),
            Column("unprofessional_per_1000", "Unprofessional per 1,000", fmt_float, numeric=True),
            Column("meets_professionalism", "Professional", _met, badge=_badge),
            Column("small_sample", "Small sample", fmt_flag),
        ],
        note="Organizations meeting the fewest criteria first.",
    )


def build(marts: Marts) -> dict[str, Any]:
    from pipelines.reporting.pages.organizations import link_names, org_files

    # an organization's name links to its page when it has one (organizations.py: the most active ones)
    files = org_files(marts)
    benchmark, card = frame(marts, "org_benchmark"), frame(marts, "scorecard")
    return {"sections": [
        Section("Against peers", [link_names(peers(benchmark), benchmark, files)]),
        Section("Best-practice scorecard", [Prose(CRITERIA, bullets=True), link_names(scorecard(card), card, files)],
                intro="Criteria follow guidance for healthcare social media: keep institutional use to networking, "
                      "research and promotion, check sources, never expose patients, stay professional."),
    ]}
