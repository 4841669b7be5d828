"""Methodology page: how accurate the sentiment is, how themes and flags are found, how intervals are computed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.charts import palette, plot_label, render_figure
from pipelines.reporting.components import Chart, Column, Marts, Prose, Section, frame, has_rows, make_table
from pipelines.reporting.formatting import fmt_int, fmt_pct_interval, fmt_text
from pipelines.reporting.pages.risk import RULES

DATASETS = {
    "health_test": "Healthcare test set (labelled by the team from public-health-agency wording; held out)",
    "health_dev": "Healthcare development set (the scorer's rules were tuned on it)",
    "tweeteval_val": "TweetEval sentiment, validation split (general tweets)",
}
SCORERS = {"vader": "VADER 3.3.2, unchanged", "healthcare": "VADER tuned for healthcare (this pipeline)",
           "trained": "Trained linear model (n-grams + healthcare VADER; selectable, not the default)"}

SENTIMENT = [
    "Each post gets VADER's compound score from -1 to +1 and a label: positive above +0.05, negative below -0.05, "
    "neutral between. The healthcare scorer keeps VADER's speed and corrects what it misreads in clinical text: "
    "test results (\"tested negative\" is good news), disease words that are not sentiment (cancer center, flu "
    "shots), case counts, hashtags and emoji.",
    "The table below is produced by `python -m pipelines.analytics.evaluate`; accuracy intervals are 95% Wilson "
    "intervals over the labelled posts. The healthcare sets are small and written by the team, so read their "
    "figures as optimistic; TweetEval shows the tuning does not cost accuracy on general tweets.",
]

STATISTICS = [
    "Shares (adoption, themes, negative posts, flags per 1,000) carry 95% Wilson score intervals, which stay inside "
    "0-100% and behave at small counts.",
    "A change between two years' shares uses Newcombe's hybrid score interval for a difference of proportions; it is "
    "marked significant only when that interval excludes zero (and, for adoption, neither year is partial).",
    "Posting growth compares the posts per day of the organizations whose data cover both years in full (the same "
    "organizations each year), with a Poisson rate-ratio interval on the log scale.",
    "Small samples are marked (hollow points, a 'Small sample' column), never hidden: fewer than 5 on either side "
    "of a share, or under 30 in the group.",
    "Alerts: an organization's share of negative or risk-flagged posts in one of the last three months of data is "
    "compared with its previous 12 months. It is an alert when the lower end of the difference's Newcombe interval "
    "at z = 3.09 (one-sided 0.1%; the message shows this 99.8% interval) is above zero, with at least 5 flagged "
    "posts in the month and 10 posts in the baseline. The strict level keeps false alarms rare although every "
    "organization is tested every month on two measures. Any exposed patient information in those months is an "
    "alert too.",
    "Adoption is the share of covered organizations that posted on a platform in a year. An organization is "
    "covered in a year when its data reach the whole year: from its first to its last post (stretched to the ends "
    "of all the data when it posted within four of its median gaps of them, at least 31 days and at most a year), "
    "and the year does not lie wholly inside a silence of more than a year. An organization in the organizations "
    "file with no post at all is covered by the whole data window. Outside its window an organization is not "
    "covered, not inactive, so an export that stops does not read as organizations leaving a platform. The "
    "adoption index divides by the share in the first complete year that also has user figures for the platform.",
]


def evaluation(df: pd.DataFrame):
    if has_rows(df, "dataset", "scorer", "accuracy"):
        df = df.copy()
        df["dataset_label"] = df["dataset"].map(lambda d: DATASETS.get(d, d))
        df["scorer_label"] = df["scorer"].map(lambda s: SCORERS.get(s, s))
        df["accuracy_text"] = [fmt_pct_interval(e, lo, hi) for e, lo, hi in zip(df["accuracy"], df["accuracy_low"], df["accuracy_high"])]
        order = {name: i for i, name in enumerate(DATASETS)}
        df = df.sort_values(["dataset", "scorer"], key=lambda c: c.map(order) if c.name == "dataset" else c, kind="stable")
    return make_table(
        "Sentiment accuracy, vanilla VADER against the healthcare scorer",
        df,
        [
            Column("dataset_label", "Labelled set"),
            Column("scorer_label", "Scorer"),
            Column("n", "Posts", fmt_int, numeric=True),
            Column("accuracy_text", "Accuracy (95% CI)", css="nowrap"),
            Column("macro_f1", "Macro-F1", lambda v: fmt_text(f"{float(v):.3f}"), numeric=True),
            Column("confusion", "Confusion matrix"),
            Column("scorer_version", "Version"),
        ],
        note="Confusion matrix: one group per true label (negative / neutral / positive), each giving how many posts "
             "were predicted negative, neutral and positive. Produced by `python -m pipelines.analytics.evaluate`; "
             "the healthcare rules were tuned on the healthcare dev set only.",
        empty_note="No data: the evaluation results are missing; run `python -m pipelines.analytics.evaluate --json data/eval/results.json`.",
    )


SHORT_DATASETS = {"health_test": "Healthcare test (held out)", "health_dev": "Healthcare dev (tuned on)",
                  "tweeteval_val": "TweetEval validation"}


def accuracy_chart(df: pd.DataFrame) -> Chart:
    """Accuracy with its 95% interval per labelled set, one marker per scorer: which scorer to trust, at a glance."""
    title = "Sentiment accuracy per labelled set and scorer (95% CI)"
    if not has_rows(df, "dataset", "scorer", "accuracy", "accuracy_low", "accuracy_high"):
        return Chart(title, None, empty_note="No evaluation results.")
    import plotly.graph_objects as go

    df = df.copy()
    order = [d for d in SHORT_DATASETS if d in set(df["dataset"])] + sorted(set(df["dataset"]) - set(SHORT_DATASETS))
    colors = palette([SCORERS.get(s, s) for s in df["scorer"]],
                     {SCORERS["vader"]: "#9c755f", SCORERS["healthcare"]: "#4e79a7"})
    fig = go.Figure()
    for scorer, group in df.groupby("scorer", sort=True):
        name = plot_label(SCORERS.get(scorer, scorer))
        present = set(group["dataset"])
        group = group.set_index("dataset").reindex([d for d in order if d in present])
        value = group["accuracy"].astype(float)
        fig.add_trace(go.Scatter(
            x=value, y=[plot_label(SHORT_DATASETS.get(d, d)) for d in group.index], name=name, mode="markers",
            marker={"size": 11, "color": colors.get(name)},
            error_x={"type": "data", "array": (group["accuracy_high"].astype(float) - value).clip(lower=0),
                     "arrayminus": (value - group["accuracy_low"].astype(float)).clip(lower=0), "thickness": 1.5},
            customdata=list(zip(group["n"].astype(int), group["macro_f1"].astype(float))),
            hovertemplate="%{fullData.name}<br>%{y}: accuracy %{x:.1%}<br>macro-F1 %{customdata[1]:.3f} on "
                          "%{customdata[0]:,} posts<extra></extra>",
        ))
    fig.update_layout(xaxis_title="Accuracy (share of posts labelled as the annotators did)", yaxis_title="",
                      legend={"orientation": "h", "y": -0.3, "yanchor": "top"})
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(categoryorder="array", categoryarray=[plot_label(SHORT_DATASETS.get(d, d)) for d in order][::-1])
    return Chart(title, render_figure(fig, "methodology-accuracy", height=360),
                 "Markers are accuracy, bars its 95% Wilson interval; the table below gives macro-F1 and the "
                 "confusion matrices. Overlapping bars on one set mean the scorers are not told apart there.")


def _themes() -> list[str]:
    from pipelines.analytics.themes import THEME_LABELS

    return [f"{label} ({key})" for key, label in THEME_LABELS.items()]


def build(marts: Marts) -> dict[str, Any]:
    return {"sections": [
        Section("Sentiment", [Prose(SENTIMENT), accuracy_chart(frame(marts, "sentiment_evaluation")),
                              evaluation(frame(marts, "sentiment_evaluation"))]),
        Section("Themes", [Prose(_themes(), bullets=True)],
                intro="Multi-label: a post gets every theme whose terms it contains, and 'other' when none matches. "
                      "The terms live in pipelines/config/themes.csv; changing that file re-analyses every post."),
        Section("Risk flags", [Prose(RULES, bullets=True)]),
        Section("Statistics", [Prose(STATISTICS, bullets=True)]),
    ]}
