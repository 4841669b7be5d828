"""The trained sentiment scorer: shipped weights reproduce, its features are per post and follow VADER's lexicon and
the clinical rules, it reads clear posts right, its figures are current."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipelines.analytics import train, trained
from pipelines.analytics.evaluate import evaluate, load_labelled_csv, load_tweeteval
from pipelines.analytics.sentiment import VaderScorer, get_scorer, label, score_parallel

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "data" / "eval" / "results.json"
TWEETEVAL = REPO.parent / "shared" / "reference" / "tweeteval_val"
DENSE = {name: i for i, name in enumerate(trained.DENSE_NAMES)}


@pytest.fixture(scope="module")
def scorer():
    return get_scorer("trained")


def test_training_data_is_the_tweeteval_train_and_test_splits():
    texts, labels, counts = train.load_split(train.DEFAULT_DATA)
    assert counts == {
        "test": {"rows": 12284, "negative": 3972, "neutral": 5937, "positive": 2375},
        "train": {"rows": 45615, "negative": 7093, "neutral": 20673, "positive": 17849},
    }
    assert len(texts) == len(labels) == 57899 and all(t.endswith(" ") for t in texts)
    if TWEETEVAL.is_dir():  # the reporting split shares no text with the training data
        val, _ = load_tweeteval(TWEETEVAL)
        assert not {t.strip().lower() for t in val} & {t.strip().lower() for t in texts}


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def test_nhs_training_split_is_disjoint_from_every_reporting_set():
    """data/train/nhs_fft_train.csv (the eligible NHS rows outside the evaluation sample) shares no text with
    data/eval/nhs_fft.csv, health_test.csv or TweetEval's validation split (lower-cased, whitespace collapsed)."""
    texts, labels = load_labelled_csv(train.NHS_TRAIN)
    assert len(texts) == 2139 and [labels.count(c) for c in ("negative", "neutral", "positive")] == [604, 228, 1307]
    keys = {_norm(t) for t in texts}
    assert len(keys) == len(texts)
    reporting = [load_labelled_csv(REPO / "data" / "eval" / f"{name}.csv")[0] for name in ("nhs_fft", "health_test")]
    if TWEETEVAL.is_dir():
        reporting.append(load_tweeteval(TWEETEVAL)[0])
    for other in reporting:
        assert not keys & {_norm(t) for t in other}
    assert len(reporting[0]) + len(texts) == 5139  # together: every eligible row of the source file


def test_shipped_weights_carry_their_hash_and_metadata():
    weights = np.load(trained.WEIGHTS, allow_pickle=False)
    meta = trained.metadata()
    assert weights.dtype == np.float16 and list(weights.shape) == meta["weights_shape"]
    assert weights.shape == (trained.N_FEATURES + 1, 3)
    assert trained.weights_digest(weights) == meta["weights_sha256"]
    assert trained.WEIGHTS.stat().st_size < 4_000_000  # a few MB at most
    texts, labels, counts = train.load_split(train.DEFAULT_DATA)
    assert meta["data"]["splits"] == counts and meta["data"]["rows"] == len(texts)
    assert meta["features"]["dense"] == list(trained.DENSE_NAMES)
    assert meta["features"]["char_ngrams"] == list(trained.CHAR_NGRAMS)
    # Tuning held out a fifth of the train split and a fifth of the NHS training split; every other row (test split,
    # health_dev, the rest of the NHS split) was fitted.
    health_rows, nhs_rows = meta["data"]["health_dev"]["rows"], meta["data"]["nhs_fft_train"]["rows"]
    assert nhs_rows == len(load_labelled_csv(train.NHS_TRAIN)[0])
    tuning = meta["tuning"]
    assert tuning["fit"] + tuning["held_out"] + tuning["held_out_nhs"] == len(texts) + health_rows + nhs_rows
    assert 0.15 * 45615 < tuning["held_out"] < 0.25 * 45615
    assert 0.15 * nhs_rows < tuning["held_out_nhs"] < 0.25 * nhs_rows
    assert meta["setting"] in [{"C": row["C"], "class_weight": row["class_weight"]} for row in meta["tuning"]["grid"]]


def test_a_fresh_training_run_reproduces_the_shipped_weights():
    """Deterministic: refitting with the shipped setting gives the very same float16 weights."""
    weights, meta = train.train(tune=False, log=lambda *_: None)
    shipped = np.load(trained.WEIGHTS, allow_pickle=False)
    if meta["versions"] == trained.metadata()["versions"]:
        assert meta["weights_sha256"] == trained.metadata()["weights_sha256"]
        assert np.array_equal(weights, shipped)
    else:  # another scikit-learn/scipy/numpy: L-BFGS may stop a step apart; the model must still be the same one
        assert np.abs(weights.astype(np.float32) - shipped.astype(np.float32)).max() < 0.05
        texts, _ = load_labelled_csv(REPO / "data" / "eval" / "health_test.csv")
        fresh = trained.TrainedScorer(weights).score(texts)
        assert [label(s) for s in fresh] == [label(s) for s in trained.TrainedScorer().score(texts)]


def test_features_are_per_post_and_batch_independent(scorer):
    texts = ["I love this hospital! 😀", "", "Flu cases rose 20% this week.", "a", "Great news: clinic reopened",
             "nul\x00inside", "but", "NOT good!!!", "é"]
    alone = [scorer.score([t])[0] for t in texts]
    together = scorer.score(texts)
    assert together == pytest.approx(alone, abs=1e-9)
    assert scorer.score([None, "fine"])[0] == 0.0  # a post without text
    assert scorer.score([]) == []


def test_the_weight_look_up_equals_the_feature_matrix_product():
    """decision() (sparse blocks times float32 weights) is the feature matrix training sees times the weights."""
    texts, _ = load_labelled_csv(REPO / "data" / "eval" / "health_dev.csv")
    weights = np.random.default_rng(7).normal(size=(trained.N_FEATURES + 1, 3)).astype(np.float32)
    features = trained.Features(texts)
    product = features.sparse_matrix() @ weights[:-1].astype(np.float64) + weights[-1]
    assert np.abs(features.decision(weights) - (product - product[:, 1:2])).max() < 1e-4


def _dense(texts: list[str]) -> np.ndarray:
    return trained.Features(texts).dense


def test_lexicon_features_follow_vader():
    texts = ["what a wonderful day", "what a horrible day", "this is not good", "this is good",
             "this is GOOD", "this is good!!!", "the food was bad but the staff were great", "😀", "a table"]
    dense = _dense(texts)
    compound = dict(zip(texts, dense[:, DENSE["compound"]]))
    vader = dict(zip(texts, VaderScorer().score(texts)))
    for text in ("what a wonderful day", "what a horrible day", "this is not good", "this is good", "😀"):
        assert np.sign(compound[text]) == np.sign(vader[text]) != 0, text
    assert compound["this is GOOD"] > compound["this is good"]  # caps in a mixed-case post
    assert compound["this is good!!!"] > compound["this is good"]
    assert compound["the food was bad but the staff were great"] > 0  # after "but" counts more
    assert compound["a table"] == 0
    assert dense[texts.index("this is not good"), DENSE["negative_words"]] > 0


def test_clinical_rules_as_word_look_ups():
    texts = ["She tested positive for measles", "My biopsy came back, test negative", "false positive result",
             "Flu cases rose sharply this week", "Overdose deaths fell 20% last year", "Cancer center opens today",
             "Visit our urgent care", "Flu shots now available at no cost", "Rest in peace, Dr. Lee",
             "Don't forget your appointment", "We couldn't be happier", "a positive attitude"]
    dense = _dense(texts)
    got = {t: (int(d[DENSE["good_news"]]), int(d[DENSE["bad_news"]]), int(d[DENSE["clinical_term"]]))
           for t, d in zip(texts, dense)}
    assert got["She tested positive for measles"][1] == 1
    assert got["My biopsy came back, test negative"][0] == 1
    assert got["false positive result"] == (0, 0, 1)
    assert got["Flu cases rose sharply this week"][1] == 1
    assert got["Overdose deaths fell 20% last year"][0] == 1
    assert got["Cancer center opens today"] == (1, 0, 1)
    assert got["Visit our urgent care"][2] == 1
    assert got["Flu shots now available at no cost"][0] == 1
    assert got["Rest in peace, Dr. Lee"][1] == 1
    assert got["a positive attitude"] == (0, 0, 0)
    compound = dict(zip(texts, dense[:, DENSE["compound"]]))
    assert compound["She tested positive for measles"] < 0 < compound["My biopsy came back, test negative"]
    assert compound["Cancer center opens today"] > 0 and compound["Visit our urgent care"] == 0
    assert compound["Don't forget your appointment"] == 0
    assert compound["We couldn't be happier"] > 0 and compound["Flu shots now available at no cost"] > 0


def test_clear_posts_get_the_right_label(scorer):
    posts = {
        "We are so proud of our amazing nurses, thank you for everything you do! ❤️": "positive",
        "Congratulations to our team on winning the national award!": "positive",
        "Terrible service, I waited six hours and nobody helped. Worst hospital ever.": "negative",
        "Tested positive for COVID today. Feeling awful.": "negative",
        "The clinic is open Monday to Friday from 8am to 5pm.": "neutral",
    }
    assert [label(s) for s in scorer.score(list(posts))] == list(posts.values())


def test_scores_are_compound_like_and_parallel_equals_serial(scorer):
    texts, _ = load_labelled_csv(REPO / "data" / "eval" / "health_dev.csv")
    scores = scorer.score(texts)
    assert all(-1.0 <= s <= 1.0 for s in scores)
    # label(score) is the most probable class.
    decision = scorer.decision(texts)
    assert [label(s) for s in scores] == [("negative", "neutral", "positive")[i] for i in decision.argmax(axis=1)]
    assert score_parallel("trained", texts, processes=2, chunk=40) == scores


def _datasets() -> dict:
    data = {name: load_labelled_csv(REPO / "data" / "eval" / f"{name}.csv") for name in ("health_dev", "health_test", "nhs_fft")}
    if TWEETEVAL.is_dir():
        data["tweeteval_val"] = load_tweeteval(TWEETEVAL)
    return data


def test_results_json_holds_the_current_trained_figures():
    """data/eval/results.json's `trained` figures are what a fresh evaluation gives, on every labelled set."""
    stored = json.loads(RESULTS.read_text(encoding="utf-8"))["datasets"]
    fresh = evaluate(_datasets(), ["trained"])
    for dataset, by_scorer in fresh.items():
        assert stored[dataset]["trained"] == by_scorer["trained"], dataset
    assert {"health_dev", "health_test", "nhs_fft", "tweeteval_val"} <= set(stored)
    for dataset in ("health_dev", "health_test", "nhs_fft", "tweeteval_val"):
        assert set(stored[dataset]["trained"]["per_class"]) == {"negative", "neutral", "positive"}
