"""Sentiment shares corrected for the scorer's confusion (adjusted classify-and-count): the method on synthetic
data whose truth is known, and the real asset graph on the embedded sample."""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipelines.reporting.pages.methodology import SCORERS

from conftest import ROOT, materialize_all, query
from pipelines.analytics.calibration import (
    CALIBRATION_SET,
    Calibrator,
    acc_shares,
    add_shares,
    from_confusion_mart,
    rates,
)
from pipelines.analytics.stats import wilson

LABELS = ("negative", "neutral", "positive")
# A scorer that misses many negative posts (30% called neutral) and over-calls positive ones, as lexicon scorers do.
RATES = np.array([[0.60, 0.30, 0.10],
                  [0.10, 0.70, 0.20],
                  [0.05, 0.15, 0.80]])
TRUE_SHARES = np.array([0.30, 0.50, 0.20])


def simulate(rng: np.random.Generator, n_labelled_per_class: int, n_posts: int,
             true_shares: np.ndarray = TRUE_SHARES) -> tuple[np.ndarray, np.ndarray]:
    """A labelled set's confusion counts and a sample's predicted-label counts, each post drawn label by label."""
    matrix = np.array([rng.multinomial(n_labelled_per_class, row) for row in RATES])
    truth = rng.choice(3, size=n_posts, p=true_shares)
    predicted = np.array([rng.choice(3, p=RATES[t]) for t in truth])
    return matrix, np.bincount(predicted, minlength=3)


def test_acc_solves_q_equals_p_times_p_exactly():
    matrix = RATES * 1000
    q = TRUE_SHARES @ RATES
    assert np.allclose(acc_shares(q * 10_000, matrix), TRUE_SHARES, atol=1e-12)
    assert np.allclose(rates(matrix), RATES)


def test_acc_clips_and_renormalises():
    # predicted shares no true mix can produce under these rates: the unclipped solution has a negative part
    q = np.array([0.02, 0.90, 0.08])
    raw_solution = np.linalg.solve(RATES.T, q)
    assert raw_solution.min() < 0
    p = acc_shares(q * 1000, RATES * 100)
    assert (p >= 0).all() and (p <= 1).all() and p.sum() == pytest.approx(1.0)
    assert p[np.argmin(raw_solution)] == 0.0


def test_raw_share_is_biased_and_the_corrected_one_recovers_the_truth():
    rng = np.random.default_rng(20261207)
    matrix, counts = simulate(rng, n_labelled_per_class=400, n_posts=6000)
    corrected = Calibrator(matrix).correct(counts)
    for k, name in enumerate(LABELS):
        raw = wilson(int(counts[k]), int(counts.sum()))
        # counted labels miss the truth: the raw interval excludes it for negative (24% counted of 30%) and
        # positive (28% counted of 20%)
        if name != "neutral":
            assert not raw.low <= TRUE_SHARES[k] <= raw.high, (name, raw, TRUE_SHARES[k])
        assert corrected.low[k] <= TRUE_SHARES[k] <= corrected.high[k], (name, corrected)
        assert abs(corrected.estimate[k] - TRUE_SHARES[k]) < abs(raw.estimate - TRUE_SHARES[k]) or name == "neutral"


def test_corrected_intervals_are_wider_than_raw_and_widest_for_small_groups():
    rng = np.random.default_rng(5)
    matrix, counts = simulate(rng, n_labelled_per_class=150, n_posts=3000)
    calibrator = Calibrator(matrix)
    big = calibrator.correct(counts)
    small_counts = np.round(counts / counts.sum() * 60)
    small = calibrator.correct(small_counts)
    for k in range(3):
        raw = wilson(int(counts[k]), int(counts.sum()))
        assert big.high[k] - big.low[k] > raw.high - raw.low
        raw_small = wilson(int(small_counts[k]), int(small_counts.sum()))
        assert small.high[k] - small.low[k] > raw_small.high - raw_small.low
        assert small.high[k] - small.low[k] > big.high[k] - big.low[k]
    # a smaller labelled set carries more confusion uncertainty: the same counts get a wider interval
    fewer = Calibrator(np.round(matrix / 5)).correct(counts)
    assert all(fewer.high[k] - fewer.low[k] > big.high[k] - big.low[k] for k in range(3))


def test_corrected_intervals_cover_the_truth_at_about_the_nominal_rate():
    """Repeat the whole experiment (a new labelled set and a new sample each time): the corrected 95% interval
    holds the true share in most repeats, where the raw Wilson interval, blind to the bias, almost never does."""
    rng = np.random.default_rng(99)
    repeats, covered, raw_covered = 150, np.zeros(3), np.zeros(3)
    for _ in range(repeats):
        matrix, counts = simulate(rng, n_labelled_per_class=50, n_posts=800)
        corrected = Calibrator(matrix, draws=1000).correct(counts)
        covered += (corrected.low <= TRUE_SHARES) & (TRUE_SHARES <= corrected.high)
        for k in range(3):
            raw = wilson(int(counts[k]), int(counts.sum()))
            raw_covered[k] += raw.low <= TRUE_SHARES[k] <= raw.high
    assert (covered / repeats >= 0.90).all(), covered / repeats
    assert raw_covered[0] / repeats < 0.2 and raw_covered[2] / repeats < 0.2, raw_covered / repeats


def test_same_counts_give_the_same_interval_and_no_change_reads_as_none():
    calibrator = Calibrator(RATES * 200)
    a, b = calibrator.correct([120, 300, 580]), calibrator.correct([120, 300, 580])
    assert np.array_equal(a.low, b.low) and np.array_equal(a.high, b.high)
    estimate, low, high = calibrator.difference([120, 300, 580], [120, 300, 580])
    assert estimate == 0 and low < 0 < high
    estimate, low, high = calibrator.difference([120, 300, 580], [320, 300, 380])
    assert estimate > 0 and low > 0
    assert calibrator.correct([0, 0, 0]) is None


def _mart(matrices: dict[str, list[list[int]]], posts_scorer: str) -> pd.DataFrame:
    return pd.DataFrame([
        {"dataset": CALIBRATION_SET, "scorer": scorer, "scorer_version": "v", "scores_posts": scorer == posts_scorer,
         "true_label": true, **{f"pred_{p}": matrix[i][j] for j, p in enumerate(LABELS)}}
        for scorer, matrix in matrices.items() for i, true in enumerate(LABELS)
    ])


def test_the_calibration_follows_the_scorer_that_scored_the_posts():
    matrices = {"healthcare": [[34, 11, 3], [3, 34, 12], [3, 5, 44]], "trained": [[28, 19, 1], [0, 43, 6], [3, 6, 43]]}
    for scorer in matrices:
        found = from_confusion_mart(_mart(matrices, scorer))
        assert found.scorer == scorer
        assert np.array_equal(found.calibrator.matrix, np.array(matrices[scorer], dtype=float))
        assert found.posts == sum(map(sum, matrices[scorer]))
    assert from_confusion_mart(_mart(matrices, "vader")) is None
    assert from_confusion_mart(pd.DataFrame()) is None


def test_add_shares_keeps_raw_and_corrected_side_by_side():
    calibration = from_confusion_mart(_mart({"healthcare": [[34, 11, 3], [3, 34, 12], [3, 5, 44]]}, "healthcare"))
    df = pd.DataFrame({"n_negative": [355, 0], "n_neutral": [451, 0], "n_positive": [3220, 0]})
    out = add_shares(df, calibration)
    assert out.loc[0, "raw_negative"] == pytest.approx(355 / 4026)
    expected = acc_shares([355, 451, 3220], calibration.calibrator.matrix)
    assert [out.loc[0, f"corrected_{n}"] for n in LABELS] == pytest.approx(expected.tolist())
    assert out.loc[1, ["raw_negative", "corrected_negative", "corrected_negative_low"]].isna().all()
    without = add_shares(df, None)
    assert "corrected_negative" in without and without["corrected_negative"].isna().all()


def test_available_sets_reads_tweeteval_only_where_it_is(tmp_path):
    from pipelines.analytics.evaluate import available_sets

    datasets, sources = available_sets(tweeteval=tmp_path / "absent")
    assert {"health_test", "health_dev"} <= set(datasets) and "tweeteval_val" not in datasets
    assert sources["tweeteval_val"].startswith("missing:")
    folder = tmp_path / "tweeteval"
    folder.mkdir()
    (folder / "val_text.txt").write_text("awful day\nok\nlovely\n", encoding="utf-8")
    (folder / "val_labels.txt").write_text("0\n1\n2\n", encoding="utf-8")
    (folder / "mapping.txt").write_text("0\tnegative\n1\tneutral\n2\tpositive\n", encoding="utf-8")
    datasets, _ = available_sets(tweeteval=folder)
    assert datasets["tweeteval_val"] == (["awful day", "ok", "lovely"], ["negative", "neutral", "positive"])


# --- the real graph on the embedded sample --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    """The embedded sample through the whole graph, without TweetEval (as on CI, where it is absent)."""
    tmp = tmp_path_factory.mktemp("calibration")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HCSM_TWEETEVAL_DIR", str(tmp / "no-tweeteval"))
        result = materialize_all(ROOT / "data" / "sample", tmp / "warehouse.duckdb", tmp / "reports")
    assert result.success
    return {"warehouse": tmp / "warehouse.duckdb", "reports": tmp / "reports"}


def _download(reports: Path, prefix: str) -> list[dict[str, str]]:
    found = sorted((reports / "downloads").glob(f"{prefix}*.csv"))
    assert len(found) == 1, (prefix, found)
    with found[0].open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_sample_build_corrects_with_the_posts_scorer_measured_now(sample_build):
    from pipelines.analytics.evaluate import confusion_matrix, load_labelled_csv
    from pipelines.analytics.sentiment import get_scorer, label

    wh = sample_build["warehouse"]
    (analyzer,), = query(wh, "select distinct scorer from core.posts_enriched")
    scorer_name = analyzer.split(":")[0]
    marked = query(wh, "select distinct scorer from marts.sentiment_confusion where scores_posts")
    assert marked == [(scorer_name,)]
    # every scorer on the three healthcare sets; TweetEval absent here
    assert set(query(wh, "select distinct dataset, scorer from marts.sentiment_confusion")) == {
        (d, s) for d in ("health_dev", "health_test", "nhs_fft") for s in ("healthcare", "trained", "vader")}
    # the matrix is the scorer's confusion on the calibration set, scored afresh here
    texts, truth = load_labelled_csv(ROOT / "data" / "eval" / f"{CALIBRATION_SET}.csv")
    expected = confusion_matrix(truth, [label(s) for s in get_scorer(scorer_name).score(texts)])
    got = query(wh, "select pred_negative, pred_neutral, pred_positive from marts.sentiment_confusion "
                    "where scores_posts and dataset = ? order by case true_label when 'negative' then 0 "
                    "when 'neutral' then 1 else 2 end", [CALIBRATION_SET])
    assert [list(r) for r in got] == expected

    # the headline's corrected shares, as the overview and the summary give them
    counts = query(wh, "select negative_posts, neutral_posts, positive_posts, posts from marts.headline")[0]
    assert sum(counts[:3]) == counts[3]
    corrected = acc_shares(counts[:3], expected)
    summary = html.unescape((sample_build["reports"] / "index.html").read_text(encoding="utf-8"))
    sentence = re.search(r"Corrected for the (\w+) scorer's measured errors on ([\d,]+) labelled posts[^<]*", summary)
    assert sentence, "no corrected tone sentence on the index page"
    assert sentence.group(1) == scorer_name and sentence.group(2) == f"{len(texts):,}"
    assert f"an estimated {corrected[0] * 100:.0f}% (95% CI " in sentence.group(0)
    assert f"(as scored: {counts[0] / counts[3] * 100:.0f}% and {counts[2] / counts[3] * 100:.0f}%)" in sentence.group(0)


def test_sample_build_shows_raw_and_corrected_shares_in_every_table(sample_build):
    reports = sample_build["reports"]
    for prefix in ("sentiment--share-of-negative-neutral-and-positive-posts-by-platform",
                   "sentiment--share-of-negative-neutral-and-positive-posts-by-organization-type"):
        rows = _download(reports, prefix)
        assert rows
        for name in ("Negative", "Neutral", "Positive"):
            assert f"{name}, as scored (95% CI)" in rows[0] and f"{name}, corrected (95% CI)" in rows[0]
        # small groups get wider corrected intervals than large ones
        def width(text: str) -> float:
            low, high = re.search(r"\((\d+)–(\d+)%\)", text).groups()
            return float(high) - float(low)

        by_posts = sorted(rows, key=lambda r: int(r["Posts"].replace(",", "")))
        assert width(by_posts[0]["Negative, corrected (95% CI)"]) > width(by_posts[-1]["Negative, corrected (95% CI)"])
    org_pages = sorted(reports.glob("org-*.html"))
    assert org_pages
    assert "Negative share, corrected (95% CI)" in org_pages[0].read_text(encoding="utf-8")


def test_sample_methodology_has_per_class_tables_for_every_scorer(sample_build, chromium):
    reports = sample_build["reports"]
    for short in ("healthcare-test-held-out", "healthcare-dev-tuned-on"):
        rows = _download(reports, f"methodology--per-class-figures-and-confusion-matrices-{short}")
        assert len(rows) == 9
        assert {r["Scorer"] for r in rows} == set(SCORERS.values())
        for r in rows:
            predicted = sum(int(r[f"Predicted {n}"]) for n in LABELS)
            assert predicted == int(r["Posts"]) and 0 <= float(r["F1"]) <= 1
    matrix = _download(reports, "methodology--the-confusion-matrix-that-corrects-the-shares")
    assert [r["True label"] for r in matrix] == list(LABELS)
    page = chromium.render(reports / "methodology.html")
    assert not page.problems, page.problems
    for text in ("Per-class figures and confusion matrices: Healthcare test (held out)",
                 "Per-class figures and confusion matrices: Healthcare dev (tuned on)",
                 "Correcting the sentiment shares", "adjusted classify-and-count", "TweetEval's validation split "
                 "was not found at build time"):
        assert text in page.text, text
    sentiment = chromium.render(reports / "sentiment.html")
    assert not sentiment.problems, sentiment.problems
    assert "Negative, corrected (95% CI)" in sentiment.text


def test_summary_sentence_corrects_the_shares_and_the_change_or_says_as_scored_without_a_matrix():
    from pipelines.reporting.summary import tone

    matrix = [[34, 11, 3], [3, 34, 12], [3, 5, 44]]
    headline = pd.DataFrame([{"posts": 4026, "share_negative": 355 / 4026, "share_positive": 3220 / 4026,
                              "share_negative_low": 0.08, "share_negative_high": 0.097, "negative_posts": 355,
                              "neutral_posts": 451, "positive_posts": 3220}])
    trend = pd.DataFrame([
        {"period_start": pd.Timestamp("2024-01-01"), "posts": 1000, "n_negative": 80, "n_neutral": 120, "n_positive": 800},
        {"period_start": pd.Timestamp("2025-01-01"), "posts": 1000, "n_negative": 200, "n_neutral": 120, "n_positive": 680},
    ])
    marts = {"headline": headline, "sentiment_trend": trend,
             "sentiment_confusion": _mart({"healthcare": matrix}, "healthcare")}
    calibrator = from_confusion_mart(marts["sentiment_confusion"]).calibrator
    corrected = calibrator.correct([355, 451, 3220])
    change = calibrator.difference([80, 120, 800], [200, 120, 680])
    sentence = tone(marts)
    assert sentence.startswith("Corrected for the healthcare scorer's measured errors on 149 labelled posts")
    assert f"an estimated {corrected.estimate[0] * 100:.0f}% (95% CI {corrected.low[0] * 100:.0f}–" in sentence
    assert "(as scored: 9% and 80%)" in sentence
    assert f"the corrected negative share moved {change[0] * 100:+.0f} points" in sentence
    assert "(a significant change)" in sentence
    raw = tone({"headline": headline, "sentiment_trend": trend})
    assert raw.startswith("9% (95% CI 8–10%) of posts read as negative and 80% as positive; the negative share moved")
