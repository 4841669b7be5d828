"""Methodology page: how accurate the sentiment is, how themes and flags are found, how intervals are computed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.reporting.charts import palette, plot_label, render_figure
from pipelines.reporting.components import Chart, Column, Marts, Prose, Section, Table, frame, has_rows, make_table
from pipelines.reporting.formatting import fmt_int, fmt_pct_interval, fmt_text
from pipelines.reporting.pages.risk import RULES
from pipelines.reporting.summary import DATASET_NAMES

DATASETS = {
    "health_test": "Healthcare test set (labelled by the team from public-health-agency wording; held out)",
    "health_dev": "Healthcare development set (the scorer's rules were tuned on it)",
    "tweeteval_val": "TweetEval sentiment, validation split (general tweets)",
    "nhs_fft": "NHS patient feedback (Friends and Family Test comments, labelled by the NHS project; real, not posts)",
}
SCORERS = {"vader": "VADER 3.3.2, unchanged", "healthcare": "VADER tuned for healthcare (this pipeline)",
           "trained": "Trained linear model (n-grams + VADER lexicon features; the default)"}

SENTIMENT = [
    "Each post gets a score from -1 to +1 and a label: positive at or above +0.05, negative at or below -0.05, "
    "neutral between. The default scorer is a linear model trained on 57,899 labelled tweets (TweetEval's "
    "sentiment train and test splits) and the team's 151 healthcare development posts: hashed word and character "
    "n-grams plus VADER's word valences and the healthcare rules as features (test results: \"tested negative\" "
    "is good news; disease words that are not sentiment: cancer center, flu shots; case counts; emoji). Two "
    "lexicon scorers stay selectable: VADER unchanged, and VADER tuned for healthcare wording.",
    "The table below is produced by `python -m pipelines.analytics.evaluate`; accuracy intervals are 95% Wilson "
    "intervals over the labelled posts. The healthcare sets are small and written by the team, so read their "
    "figures as optimistic (the development set is also training data for the trained model: its figures there "
    "are in-sample); TweetEval's validation split, general tweets nobody here wrote, was read once, at the end.",
]

STATISTICS = [
    "Shares (adoption, themes, flags per 1,000, and sentiment shares as scored) carry 95% Wilson score intervals, "
    "which stay inside 0-100% and behave at small counts. Sentiment shares are also given corrected for the "
    "scorer's measured confusion, with a wider simulated interval (see 'Correcting the sentiment shares').",
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
                  "tweeteval_val": "TweetEval validation", "nhs_fft": "NHS patient feedback"}


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


LABEL_ORDER = {"negative": 0, "neutral": 1, "positive": 2}


def per_class(df: pd.DataFrame, dataset: str) -> Table:
    """One labelled set: every scorer's precision, recall and F1 per true label beside its confusion row."""
    rows = df[df["dataset"] == dataset].copy()
    rows["scorer_label"] = rows["scorer"].map(lambda s: SCORERS.get(s, s))
    rows["scorer_order"] = rows["scorer"].map(lambda s: list(SCORERS).index(s) if s in SCORERS else len(SCORERS))
    rows["label_order"] = rows["true_label"].map(LABEL_ORDER)
    rows = rows.sort_values(["scorer_order", "scorer", "label_order"], kind="stable")
    rows["scores_posts_text"] = rows["scores_posts"].map(lambda v: "yes" if v else "")
    three = lambda v: fmt_text(f"{float(v):.3f}")  # noqa: E731
    n, accuracy = rows.groupby("scorer")["dataset_posts"].first(), rows.groupby("scorer")["accuracy"].first()
    summary = "; ".join(f"{SCORERS.get(k, k).split(' (')[0]}: accuracy {accuracy[k]:.3f} on {int(n[k]):,} posts"
                        for k in sorted(n.index, key=lambda k: list(SCORERS).index(k) if k in SCORERS else 99))
    return make_table(
        f"Per-class figures and confusion matrices: {SHORT_DATASETS.get(dataset, dataset)}",
        rows,
        [
            Column("scorer_label", "Scorer"),
            Column("true_label", "True label"),
            Column("support", "Posts", fmt_int, numeric=True),
            Column("pred_negative", "Predicted negative", fmt_int, numeric=True),
            Column("pred_neutral", "Predicted neutral", fmt_int, numeric=True),
            Column("pred_positive", "Predicted positive", fmt_int, numeric=True),
            Column("precision", "Precision", three, numeric=True),
            Column("recall", "Recall", three, numeric=True),
            Column("f1", "F1", three, numeric=True),
            Column("scores_posts_text", "Scores the reported posts"),
            Column("scorer_version", "Version"),
        ],
        note="Measured at this build: every scorer scored the set's posts now. Each scorer's three rows are its "
             "confusion matrix (rows: the annotators' label; columns: the scorer's). Precision of a label: of the "
             f"posts the scorer gave it, the share that carry it; recall: of the posts that carry it, the share the "
             f"scorer found. {summary}."
             + (" The healthcare rules were tuned and the trained scorer fitted on this set: its figures are "
                "in-sample." if dataset == "health_dev" else ""),
    )


def calibration_section(df: pd.DataFrame, sources: set[str]) -> list:
    """How the reported shares are corrected, from which labelled set, with the matrix used."""
    from pipelines.analytics.calibration import CALIBRATION_SET, DRAWS, SEED, from_confusion_mart

    calibration = from_confusion_mart(df)
    if calibration is None:
        return [Prose([f"No correction: the scorer that scored the posts has no confusion matrix on {CALIBRATION_SET} "
                       "in this build, so the reports give the shares as scored."])]
    name = SCORERS.get(calibration.scorer, calibration.scorer)
    rows = df[(df["dataset"] == calibration.dataset) & df["scores_posts"].fillna(False).astype(bool)].copy()
    rows["label_order"] = rows["true_label"].map(LABEL_ORDER)
    rows = rows.sort_values("label_order", kind="stable")
    totals = rows["support"].astype(float)
    for label in LABEL_ORDER:
        rows[f"rate_{label}"] = rows[f"pred_{label}"].astype(float) / totals
    pct = lambda v: fmt_text(f"{float(v) * 100:.1f}%")  # noqa: E731
    prose = Prose([
        f"Counting labels gives biased shares: a scorer that calls a quarter of negative posts neutral undercounts "
        f"negative posts whatever the data. The reports therefore correct every share of negative, neutral and "
        f"positive posts (overview, summary, sentiment page, organization pages) by adjusted classify-and-count "
        f"(Forman 2008). From the confusion matrix M of the scorer that scored the posts, the {calibration.scorer} "
        f"scorer ({name.split(' (')[0]}, version {calibration.scorer_version}), on "
        f"{DATASET_NAMES.get(calibration.dataset, calibration.dataset)} ({calibration.posts:,} labelled posts, table "
        f"below), P(predicted j | true t) = M[t][j] / (row t's total); the observed shares of "
        f"predicted labels q satisfy q = p · P for the true shares p, so p = q · P⁻¹, solved as a 3×3 linear "
        f"system. Sampling noise can push a component of p below 0: it is clipped to 0–100% and the three "
        f"renormalised to sum to 100%.",
        f"This set is used because it is held out from every scorer (the healthcare rules were tuned on the "
        f"development set and the trained scorer was fitted on it, so its confusion there is in-sample and would "
        f"under-correct) and because its posts are organizations' healthcare wording, as the reported posts are; "
        f"TweetEval is general users' tweets. The matrix is measured at every build, so a retrained or newly chosen "
        f"scorer brings its own.",
        f"The 95% interval carries both uncertainties: {DRAWS:,} simulated draws (fixed seed {SEED}) each take "
        f"every row of the confusion matrix from Dirichlet(row counts + ½), the Jeffreys posterior of the scorer's "
        f"rates on the labelled rows of that class, and the group's predicted shares from Dirichlet(counts + ½); "
        f"each draw is corrected as above, and the 2.5th and 97.5th percentiles are the interval. A small labelled "
        f"set widens every interval; a small group widens its own. Changes between years use the same confusion "
        f"draws for both years. The uncorrected share, as scored, with its Wilson interval is shown beside each "
        f"corrected one. Clipping can leave a corrected interval at 0% or 100% narrower than the raw one.",
        "The correction assumes the scorer errs on the reported posts as it did on the labelled set (the same "
        "P(predicted | true) for every platform, organization type and year): it corrects for different class mixes, "
        "not for posts that read differently. Alerts compare an organization's share as scored with its own "
        "baseline and are not corrected.",
    ])
    matrix = make_table(
        "The confusion matrix that corrects the shares",
        rows,
        [
            Column("true_label", "True label"),
            Column("support", "Labelled posts", fmt_int, numeric=True),
            Column("pred_negative", "Predicted negative", fmt_int, numeric=True),
            Column("pred_neutral", "Predicted neutral", fmt_int, numeric=True),
            Column("pred_positive", "Predicted positive", fmt_int, numeric=True),
            Column("rate_negative", "P(negative | true)", pct, numeric=True),
            Column("rate_neutral", "P(neutral | true)", pct, numeric=True),
            Column("rate_positive", "P(positive | true)", pct, numeric=True),
        ],
        note=f"The {calibration.scorer} scorer (version {calibration.scorer_version}) on "
             f"{next(iter(sources), calibration.dataset)}: counts M and the rates P = M / row total that the "
             "correction inverts.",
    )
    return [prose, matrix]


def _confusion_items(df: pd.DataFrame) -> list:
    if not has_rows(df, "dataset", "scorer", "true_label", "pred_negative", "precision"):
        return [Prose(["No build-time evaluation: the labelled sets were not scored in this build."])]
    present = [d for d in DATASETS if d in set(df["dataset"])] + sorted(set(df["dataset"]) - set(DATASETS))
    items: list = [per_class(df, d) for d in present]
    absent = [SCORERS[name] for name in SCORERS if name not in set(df["scorer"])]
    if absent:
        items.append(Prose([f"No figures in this build for: {', '.join(absent)} (the scorer could not be built when "
                            "the reports were; the run's log says why)."]))
    if "tweeteval_val" not in present:
        items.append(Prose(["TweetEval's validation split was not found at build time (set HCSM_TWEETEVAL_DIR to a "
                            "folder holding val_text.txt, val_labels.txt and mapping.txt, or keep the team's copy "
                            "at ../shared/reference/tweeteval_val), so it has no table here."]))
    return items


def _themes() -> list[str]:
    from pipelines.analytics.themes import THEME_LABELS

    return [f"{label} ({key})" for key, label in THEME_LABELS.items()]


def build(marts: Marts) -> dict[str, Any]:
    confusion = frame(marts, "sentiment_confusion")
    calibration_sources = set()
    if has_rows(confusion, "dataset", "source", "scores_posts"):
        from pipelines.analytics.calibration import CALIBRATION_SET

        calibration_sources = set(confusion.loc[confusion["dataset"] == CALIBRATION_SET, "source"].astype(str))
    return {"sections": [
        Section("Sentiment", [Prose(SENTIMENT), accuracy_chart(frame(marts, "sentiment_evaluation")),
                              evaluation(frame(marts, "sentiment_evaluation"))]),
        Section("Per-class figures and confusion matrices", _confusion_items(confusion),
                intro="Every scorer on every labelled set present when the reports were built, scored at the build "
                      "(the table above gives the committed figures of data/eval/results.json)."),
        Section("Correcting the sentiment shares", calibration_section(confusion, calibration_sources)),
        Section("Themes", [Prose(_themes(), bullets=True)],
                intro="Multi-label: a post gets every theme whose terms it contains, and 'other' when none matches. "
                      "The terms live in pipelines/config/themes.csv; changing that file re-analyses every post."),
        Section("Risk flags", [Prose(RULES, bullets=True)]),
        Section("Statistics", [Prose(STATISTICS, bullets=True)]),
    ]}
