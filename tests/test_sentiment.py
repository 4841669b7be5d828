"""Sentiment scorers and their evaluation: domain examples, thresholds, parallel scoring, metrics, the CLI."""

import csv
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.analytics.evaluate import (
    ablate,
    classification_metrics,
    confusion_matrix,
    load_labelled_csv,
    load_tweeteval,
    main,
)
from pipelines.analytics.sentiment import (
    LEXICON_ADJUSTMENTS,
    RULES,
    HealthcareScorer,
    VaderScorer,
    get_scorer,
    label,
    score_parallel,
)

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "data" / "eval"
# CI clones the repo with shared/ beside it, as on the developers' machines.
TWEETEVAL = REPO.parent / "shared" / "reference" / "tweeteval_val"


@pytest.fixture(scope="module")
def vader():
    return VaderScorer()


@pytest.fixture(scope="module")
def healthcare():
    return HealthcareScorer()


@pytest.fixture(scope="module")
def health_texts():
    return load_labelled_csv(EVAL / "health_dev.csv")[0] + load_labelled_csv(EVAL / "health_test.csv")[0]


# DOMAIN.md's measured misreadings: (text, vanilla compound as DOMAIN.md reports it, the right label).
DOMAIN_EXAMPLES = [
    ("My mammogram was negative", -0.57, "positive"),
    ("Negative for cancer", -0.84, "positive"),
    ("Tested positive for COVID today.", 0.56, "negative"),
    ("Flu shots available now at all clinics", -0.38, "positive"),
]


@pytest.mark.parametrize(("text", "vader_score", "expected"), DOMAIN_EXAMPLES)
def test_domain_examples_fixed_by_healthcare_and_misread_by_vader(vader, healthcare, text, vader_score, expected):
    [plain] = vader.score([text])
    [corrected] = healthcare.score([text])
    assert plain == pytest.approx(vader_score, abs=0.005)
    assert label(plain) != expected
    assert label(corrected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Positive cases rose again this week.", "negative"),
        ("Our new cancer center opens Monday.", "positive"),
        ("Overdose deaths fell 20% last year.", "positive"),
        ("Lung cancer screening is covered for eligible adults.", "neutral"),
    ],
)
def test_clinical_phrases_misread_by_vader(vader, healthcare, text, expected):
    assert label(vader.score([text])[0]) != expected
    assert label(healthcare.score([text])[0]) == expected


def test_hiv_positive_is_a_status_not_a_mood(vader, healthcare):
    # Vanilla VADER gets "HIV positive and thriving" right only because it reads "positive" as a mood.
    assert label(vader.score(["HIV positive"])[0]) == "positive"
    assert label(healthcare.score(["HIV positive"])[0]) == "neutral"
    assert label(healthcare.score(["HIV positive and thriving"])[0]) == "positive"
    assert label(healthcare.score(["Just found out I'm HIV positive. Scared."])[0]) == "negative"


def test_label_uses_vader_thresholds():
    assert [label(s) for s in (1.0, 0.05, 0.0499, 0.0, -0.0499, -0.05, -1.0)] == [
        "positive", "positive", "neutral", "neutral", "neutral", "negative", "negative",
    ]


def test_emoji_lexicon_is_used_and_variation_selectors_do_not_hide_emoji(vader, healthcare):
    # U+2764 U+FE0F is how phones send a heart; vanilla VADER leaves "heart\ufe0f", a word no lexicon holds.
    assert vader.score(["\u2764\ufe0f"]) == [0.0]
    assert label(healthcare.score(["\u2764\ufe0f"])[0]) == "positive"
    assert label(healthcare.score(["\U0001f622"])[0]) == "negative"  # crying face
    assert healthcare.prepare("great\U0001f389news").split() == ["great", "party", "popper", "news"]


def test_hashtags_split_and_links_and_handles_dropped(vader, healthcare):
    assert healthcare.prepare("#MentalHealthAwareness #DonateLife #COVID19").split() == [
        "Mental", "Health", "Awareness", "Donate", "Life", "COVID19",
    ]
    prepared = healthcare.prepare("Thanks @love for https://example.org/great and www.example.org/free")
    assert "@" not in prepared and "example" not in prepared
    # A handle is a name, not a feeling: vanilla VADER scores "@love" as "love".
    assert label(vader.score(["@love"])[0]) == "positive"
    assert healthcare.score(["@love"]) == [0.0]


def test_texts_that_are_not_strings_score_neutral(vader, healthcare):
    assert vader.score([None, float("nan")]) == [0.0, 0.0]
    assert healthcare.score([None, ""]) == [0.0, 0.0]


def test_without_corrections_healthcare_scores_exactly_as_vader(vader, health_texts):
    # The faster analyzer (emoji named up front) must not change VADER's arithmetic on ordinary text.
    bare = HealthcareScorer(rules=(), lexicon={})
    texts = [t for t in health_texts if t.isascii() and not re.search(r"[#@]|http|www\.", t)]
    texts += ["VADER is VERY SMART, handsome, and FUNNY!!!", "The book was kind of good, but not great.", ":) :D"]
    assert len(texts) > 200
    assert bare.score(texts) == vader.score(texts)


def test_trigger_gating_matches_applying_every_rule(healthcare, health_texts):
    texts = health_texts + ["TESTED POSITIVE for flu today", "Cases are UP 40% and Deaths Rose", "\u212a cases fell"]
    if TWEETEVAL.is_dir():
        texts += load_tweeteval(TWEETEVAL)[0]
    for text in texts:
        expected = text
        for rule in RULES:
            expected = re.sub(rule.pattern, rule.replacement, expected, flags=re.IGNORECASE)
        assert healthcare.apply_rules(text) == expected, text


def test_no_rule_writes_a_word_that_triggers_a_later_rule():
    # Triggers are looked up once, in the original text; a replacement must not create a later rule's trigger.
    for i, rule in enumerate(RULES):
        written = set(re.findall(r"[a-z]+", rule.replacement.lower()))
        later = {trigger for other in RULES[i + 1 :] for trigger in other.triggers}
        assert not written & later, rule.name


def test_every_rule_documents_why():
    assert len({rule.name for rule in RULES}) == len(RULES)
    assert all(rule.why and rule.triggers for rule in RULES)


def test_registry_builds_both_scorers_and_rejects_unknown_names():
    for name in ("vader", "healthcare"):
        scorer = get_scorer(name)
        assert scorer.name == name and scorer.version
        assert all(-1.0 <= s <= 1.0 for s in scorer.score(["great", "terrible", "ok"]))
    with pytest.raises(ValueError, match="unknown scorer"):
        get_scorer("roberta")


def test_version_changes_with_the_rules():
    assert HealthcareScorer().version != HealthcareScorer(rules=RULES[:-1]).version


@pytest.mark.parametrize("name", ["vader", "healthcare"])
def test_parallel_scores_equal_serial_scores_in_order(name, health_texts):
    texts = health_texts[:120]
    serial = get_scorer(name).score(texts)
    assert score_parallel(name, texts, processes=2, chunk=17) == serial
    assert score_parallel(name, texts, processes=1) == serial


def test_every_correction_earns_its_place_on_the_dev_set():
    # The tuning policy (data/eval/README.md): a rule or lexicon entry that does not help on dev is dropped.
    rows = ablate(*load_labelled_csv(EVAL / "health_dev.csv"))
    assert len(rows) == len(RULES) + len(LEXICON_ADJUSTMENTS)
    assert [r["without"] for r in rows if r["accuracy_change"] >= 0 and r["macro_f1_change"] >= 0] == []


# --- metrics ------------------------------------------------------------------------------------------------

TRUTH = ["negative", "negative", "neutral", "positive", "positive", "positive"]
PREDICTED = ["negative", "neutral", "neutral", "positive", "negative", "positive"]


def test_confusion_matrix_rows_are_truth_columns_predicted():
    assert confusion_matrix(TRUTH, PREDICTED) == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_metrics_match_hand_computed_values():
    m = classification_metrics(TRUTH, PREDICTED)
    assert m["n"] == 6
    assert m["accuracy"] == pytest.approx(4 / 6)
    # negative P=1/2 R=1/2 F1=1/2; neutral P=1/2 R=1 F1=2/3; positive P=1 R=2/3 F1=4/5
    assert m["per_class"]["negative"] == pytest.approx({"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2})
    assert m["per_class"]["neutral"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "support": 1})
    assert m["per_class"]["positive"] == pytest.approx({"precision": 1.0, "recall": 2 / 3, "f1": 0.8, "support": 3})
    assert m["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)
    assert m["macro_recall"] == pytest.approx((0.5 + 1.0 + 2 / 3) / 3)


def test_a_class_never_predicted_has_zero_precision():
    m = classification_metrics(["positive", "negative"], ["positive", "positive"])
    assert m["per_class"]["negative"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert m["per_class"]["positive"]["precision"] == 0.5
    assert m["macro_f1"] == pytest.approx((0 + 0 + 2 / 3) / 3)


# --- the labelled set and the CLI -----------------------------------------------------------------------------

def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def test_dev_and_test_follow_the_documented_split():
    # README: within each label, rows ordered by SHA-256 of the text; even positions go to dev, odd to test.
    dev, test = (dict(zip(*load_labelled_csv(EVAL / f"health_{part}.csv"))) for part in ("dev", "test"))
    assert not dev.keys() & test.keys()
    everything = {**dev, **test}
    assert len(everything) >= 280
    for name in ("negative", "neutral", "positive"):
        texts = sorted((t for t, y in everything.items() if y == name), key=_digest)
        assert set(texts[0::2]) == {t for t, y in dev.items() if y == name}
        assert len(texts) >= 80


def test_cli_prints_and_writes_the_same_figures(tmp_path, capsys):
    sample = tmp_path / "tiny.csv"
    with sample.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows([
            ("My mammogram was negative", "positive"),
            ("Tested positive for COVID today.", "negative"),
            ("Visiting hours change next week.", "neutral"),
            ("We are heartbroken by the loss of our colleague.", "negative"),
        ])
    out = tmp_path / "figures.json"
    assert main(["--csv", str(sample), "--scorer", "vader", "--scorer", "healthcare", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    figures = json.loads(out.read_text())["datasets"]["tiny"]
    assert figures["healthcare"]["accuracy"] == 1.0
    assert figures["vader"]["accuracy"] == 0.5
    assert figures["healthcare"]["confusion"]["matrix"] == [[2, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert "== tiny | healthcare" in printed and "accuracy 1.000" in printed and "accuracy 0.500" in printed
    assert "confusion (rows = truth, columns = predicted)" in printed


def test_cli_runs_as_a_module(tmp_path):
    sample = tmp_path / "one.csv"
    sample.write_text("text,label\nGreat news for our patients!,positive\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.analytics.evaluate", "--csv", str(sample), "--scorer", "vader"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "== one | vader" in done.stdout and "n=1" in done.stdout


def test_csv_with_an_unknown_label_is_rejected(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nhello,happy\n", encoding="utf-8")
    with pytest.raises(ValueError, match="happy"):
        load_labelled_csv(bad)


@pytest.mark.skipif(not TWEETEVAL.is_dir(), reason="shared/reference/tweeteval_val is not beside the repo")
def test_tweeteval_loads_aligned_texts_and_labels():
    texts, truth = load_tweeteval(TWEETEVAL)
    assert len(texts) == len(truth) == 2000
    assert set(truth) == {"negative", "neutral", "positive"}
