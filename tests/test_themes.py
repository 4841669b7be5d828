"""Themes: the config file's rules, hand-worked matches, agreement with a plain regex reference, and accuracy floors."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from pipelines.analytics import themes
from pipelines.analytics.themes import CONFIG_FILE, ThemeConfigError, classify, load_themes
from pipelines.analytics.themes_eval import CDC_IHS_LABELS, cdc_ihs, generated, scores

REQUIRED = ("networking", "education_research", "promotion_events", "patient_communication", "public_health",
            "recruitment", "other")
# Themes real health-agency and health-news accounts need (data/eval/THEMES.md), after the six seed uses.
ADDED = ("conditions_care", "healthy_living", "policy_insurance", "awareness")

SMALL = """theme,label,terms
alpha,Alpha things,"flu; vaccin*; grand rounds; we're hiring; check-in; #NowHiring; lávese las manos; clinical trial*"
beta,Beta things,"rounds; patient portal; Vacúnate"
other,Other,
"""


def write(tmp_path: Path, text: str, name: str = "themes.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def small(tmp_path):
    return load_themes(write(tmp_path, SMALL))


def test_default_file_gives_the_required_api():
    assert themes.THEMES == REQUIRED[:-1] + ADDED + ("other",)
    assert set(themes.THEME_LABELS) == set(REQUIRED + ADDED)
    assert themes.THEME_LABELS["networking"] == "Networking and professional community"
    assert re.fullmatch(r"[0-9a-f]{12}", themes.THEMES_VERSION)
    assert classify("Free flu shots this week. We're hiring nurses!") == ("public_health", "recruitment")
    assert classify("Lovely weather today.") == ("other",)
    assert load_themes().version == themes.THEMES_VERSION == load_themes(CONFIG_FILE).version


@pytest.mark.parametrize(("text", "expected"), [
    ("FLU season", ("alpha",)),
    ("flu-like symptoms", ("alpha",)),
    ("#flu", ("alpha",)),
    ("fluid intake", ("other",)),                       # whole words only
    ("influenza", ("other",)),
    ("Vaccination clinic", ("alpha",)),                 # wildcard: the stem and any ending
    ("unvaccinated", ("other",)),                       # the stem must start a word
    ("Grand Rounds today", ("alpha", "beta")),          # a phrase of one theme and a word of another
    ("grand\n  rounds", ("alpha", "beta")),
    ("grand-rounds", ("alpha", "beta")),
    ("rounds only", ("beta",)),
    ("we’re hiring", ("alpha",)),                       # typographic apostrophe
    ("we are hiring", ("other",)),
    ("Check in online", ("alpha",)),                    # phrase words may be joined by space or punctuation
    ("#NowHiring nurses", ("alpha",)),
    ("now hiring", ("other",)),
    ("nowhiring", ("other",)),                          # a hashtag term needs the '#'
    ("Lave se las manos", ("other",)),
    ("Lávese las manos.", ("alpha",)),
    ("Lavese las manos.", ("alpha",)),                  # accents are optional in the text
    ("LÁVESE LAS MANOS", ("alpha",)),
    ("¡Vacúnate hoy!", ("beta",)),
    ("vacunate hoy", ("beta",)),
    ("Clinical trials open", ("alpha",)),               # a phrase ending in a wildcard
    ("clinical trialists", ("alpha",)),
    ("Log in to the patient portal", ("beta",)),
    ("See https://example.org/flu/vaccines and write flu@example.org or @flu", ("other",)),  # links, mail, mentions
    ("see example.org/flu", ("other",)),
    ("", ("other",)),
])
def test_matching_rules(small, text, expected):
    assert small.classify(text) == expected
    assert small.classify(text) == expected  # the second call answers from the token cache


def test_cache_limit_keeps_answers(small, monkeypatch):
    monkeypatch.setattr(themes, "CACHE_LIMIT", 3)
    texts = ["flu one", "two rounds", "vaccines three", "four five six", "flu"]
    first = [small.classify(t) for t in texts]
    assert len(small._matcher.cache) <= 3
    assert [small.classify(t) for t in texts] == first == [("alpha",), ("beta",), ("alpha",), ("other",), ("alpha",)]


def test_version_follows_the_file_bytes(tmp_path):
    a = load_themes(write(tmp_path, SMALL, "a.csv"))
    b = load_themes(write(tmp_path, SMALL, "b.csv"))
    c = load_themes(write(tmp_path, SMALL.replace("flu;", "flu; cold;"), "c.csv"))
    assert a.version == b.version != c.version
    assert a.themes == ("alpha", "beta", "other") and a.labels["beta"] == "Beta things"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("theme,label,terms,extra\n", 1, "unknown column(s) ['extra']"),
    ("theme,terms\n", 1, "missing ['label']"),
    ("", 1, "the file is empty"),
    ("theme,label,terms\nalpha,A,\nother,O,\n", 2, "theme 'alpha' has empty terms"),
    ("theme,label,terms\nalpha,A,flu;; cold\nother,O,\n", 2, "empty term"),
    ("theme,label,terms\nalpha,A,flu\nalpha,B,cold\nother,O,\n", 3, "duplicate theme 'alpha' (first on line 2)"),
    ("theme,label,terms\nalpha,A,va*ccine\nother,O,\n", 2, "bad wildcard in 'va*ccine'"),
    ("theme,label,terms\nalpha,A,flu**\nother,O,\n", 2, "bad wildcard in 'flu**'"),
    ("theme,label,terms\nalpha,A,va*\nother,O,\n", 2, "bad wildcard in 'va*'"),
    ("theme,label,terms\nalpha,A,#flu*\nother,O,\n", 2, "hashtag '#flu*'"),
    ("theme,label,terms\nalpha,A,(flu)\nother,O,\n", 2, "term '(flu)'"),
    ("theme,label,terms\nAlpha,A,flu\nother,O,\n", 2, "theme 'Alpha' must be lower-case"),
    ("theme,label,terms\nalpha,,flu\nother,O,\n", 2, "theme 'alpha' has no label"),
    ("theme,label,terms\nalpha,A,flu,cold\nother,O,\n", 2, "expected 3 fields, found 4"),
    ("theme,label,terms\nalpha,A,flu\n", 2, "the last theme must be 'other'"),
    ("theme,label,terms\nalpha,A,flu\nother,O,misc\n", 3, "takes no terms"),
])
def test_invalid_files_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(ThemeConfigError) as err:
        load_themes(path)
    assert str(err.value).startswith(f"{path}, line {line}: ")
    assert message in str(err.value)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def _reference(path: Path):
    """The rules as plain per-term regular expressions on folded text without links: slow but obvious."""
    compiled = []
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            patterns = []
            for term in (t.strip() for t in row["terms"].split(";") if t.strip()):
                words = re.findall(r"\w+", _fold(term))
                tail = r"\w*" if term.endswith("*") else r"(?!\w)"
                head = "#" if term.startswith("#") else r"(?<!\w)"
                patterns.append(re.compile(head + r"\W+".join(map(re.escape, words)) + tail))
            compiled.append((row["theme"], patterns))

    def classify_reference(text: str) -> tuple[str, ...]:
        folded = re.sub(r"https?://\S+", " ", _fold(text))
        found = tuple(theme for theme, patterns in compiled if any(p.search(folded) for p in patterns))
        return found or ("other",)
    return classify_reference


def test_default_file_agrees_with_the_regex_reference_on_generated_posts():
    texts, _ = generated(3_000, seed=21)
    reference = _reference(CONFIG_FILE)
    differences = [(t, classify(t), reference(t)) for t in texts if classify(t) != reference(t)]
    assert differences == []


def test_accuracy_floor_on_generated_posts():
    # The term list was tuned on generated posts (seed 5); this checks another seed so a config edit that breaks a
    # theme fails here. Precision counts a legitimate second theme as wrong, since a template has one theme.
    texts, truth = generated(5_000, seed=31)
    result = scores(themes.THEMES, truth, [classify(t) for t in texts])["themes"]
    for theme in REQUIRED[:-1]:
        assert result[theme]["recall"] >= 0.95, (theme, result[theme])
        assert result[theme]["precision"] >= 0.75, (theme, result[theme])


def test_scores_by_hand():
    result = scores(("a", "b", "other"), [{"a"}, {"a", "b"}, {"other"}], [("a", "b"), ("b",), ("a",)])
    assert result["exact_match"] == 0.0
    assert result["other_share"] == 0.0
    assert result["themes"]["a"] == {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert result["themes"]["b"] == {"tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0, "f1": 0.667}
    assert result["themes"]["other"] == {"tp": 0, "fp": 0, "fn": 1, "precision": None, "recall": 0.0, "f1": 0.0}


def test_cdc_ihs_labels_cover_every_post_with_known_themes():
    texts, truth = cdc_ihs()
    with CDC_IHS_LABELS.open(newline="", encoding="utf-8") as f:
        ids = [r["post_id"] for r in csv.DictReader(f)]
    assert len(texts) == len(set(ids)) == 84
    assert all(labels and labels <= set(themes.THEMES) for labels in truth)
    assert all("other" not in labels or labels == {"other"} for labels in truth)
