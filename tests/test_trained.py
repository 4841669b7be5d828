"""The trained sentiment scorer: shipped weights reproduce, it reads clear posts right, its figures are current."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from pipelines.analytics import train, trained
from pipelines.analytics.evaluate import evaluate, load_labelled_csv, load_tweeteval
from pipelines.analytics.sentiment import get_scorer, label, score_parallel

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "data" / "eval" / "results.json"
TWEETEVAL = REPO.parent / "shared" / "reference" / "tweeteval_val"


@pytest.fixture(scope="module")
def scorer():
    return get_scorer("trained")


def test_shipped_weights_carry_their_hash_and_metadata():
    weights = np.load(trained.WEIGHTS, allow_pickle=False)
    meta = trained.metadata()
    assert weights.dtype == np.float16 and list(weights.shape) == meta["weights_shape"]
    assert trained.weights_digest(weights) == meta["weights_sha256"]
    assert trained.WEIGHTS.stat().st_size < 4_000_000  # a few MB at most
    texts, labels, counts = train.load_split(train.DEFAULT_DATA)
    assert meta["data"]["splits"] == counts and meta["data"]["rows"] == len(texts) == 12284
    # Tuning only ever saw the training rows.
    assert meta["tuning"]["fit"] + meta["tuning"]["held_out"] == len(texts)


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
    texts = ["I love this hospital! 😀", "", "Flu cases rose 20% this week.", "a", "Great news: clinic reopened"]
    alone = [scorer.score([t])[0] for t in texts]
    together = scorer.score(texts)
    assert together == pytest.approx(alone, abs=1e-9)
    assert scorer.score([None, "fine"])[0] == 0.0  # a post without text
    assert scorer.score([]) == []


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
    data = {name: load_labelled_csv(REPO / "data" / "eval" / f"{name}.csv") for name in ("health_dev", "health_test")}
    if TWEETEVAL.is_dir():
        data["tweeteval_val"] = load_tweeteval(TWEETEVAL)
    return data


def test_results_json_holds_the_current_trained_figures():
    """data/eval/results.json's `trained` figures are what a fresh evaluation gives, on every labelled set."""
    stored = json.loads(RESULTS.read_text(encoding="utf-8"))["datasets"]
    fresh = evaluate(_datasets(), ["trained"])
    for dataset, by_scorer in fresh.items():
        assert stored[dataset]["trained"] == by_scorer["trained"], dataset
    assert {"health_dev", "health_test", "tweeteval_val"} <= set(stored)
    for dataset in ("health_dev", "health_test", "tweeteval_val"):
        assert set(stored[dataset]["trained"]["per_class"]) == {"negative", "neutral", "positive"}
