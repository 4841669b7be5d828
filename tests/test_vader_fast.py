"""vader_fast.FastVader must give exactly (==) the compound score of the real vaderSentiment analyzers it replaces.

Compared on the labelled evaluation CSVs, the TweetEval validation split, the sample posts and a seeded random
corpus built to hit every VADER rule: boosters, ALL CAPS, negations ("never so", "without doubt", "n't"), "no",
"least", "but", "kind of", idioms, punctuation emphasis, emoji, glued punctuation, empty and very long texts.
HealthcareScorer's fast prepare() is also compared (==) with its original code (reference=True) on all of them and
on a seeded corpus built to hit every healthcare rule, and its per-rule pre-screens (sentiment.SCREENS) are checked
to be necessary conditions of every match on that corpus.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest
from vaderSentiment import vaderSentiment as vs

from pipelines.analytics.evaluate import load_tweeteval
from pipelines.analytics.sentiment import (
    DISEASES, FALLS, LEXICON_ADJUSTMENTS, RISES, RULES, SCREENS, SERVICES, HealthcareScorer, VaderScorer,
    _NamedEmojiAnalyzer, _GROUP_REF, _TOKEN,
)
from pipelines.analytics.vader_fast import FastVader
from pipelines.sample import sample_post_texts

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "data" / "eval"
TWEETEVAL = REPO.parent / "shared" / "reference" / "tweeteval_val"
TWEETEVAL_ABS = Path("/work/shared/reference/tweeteval_val")


# --- the reference analyzers and their fast stand-ins -----------------------------------------------------------

@pytest.fixture(scope="module")
def vanilla_pair():
    reference = vs.SentimentIntensityAnalyzer()
    return reference, FastVader(reference.lexicon, reference.emojis)


@pytest.fixture(scope="module")
def healthcare_scorers():
    return HealthcareScorer(reference=True), HealthcareScorer()


@pytest.fixture(scope="module")
def healthcare_pair():
    reference = _NamedEmojiAnalyzer()
    reference.lexicon.update(LEXICON_ADJUSTMENTS)
    return reference, FastVader(reference.lexicon, None)


def _mismatches(pair, texts):
    reference, fast = pair
    bad = []
    for text in texts:
        want = reference.polarity_scores(text)["compound"]
        got = fast.compound(text)
        if got != want:
            bad.append((text, want, got))
    return bad


def _check(pair, texts, what):
    bad = _mismatches(pair, texts)
    assert not bad, f"{what}: {len(bad)} of {len(texts)} differ, e.g. {bad[:3]}"
    print(f"{what}: {len(texts)} texts identical")
    return len(texts)


# --- corpora ---------------------------------------------------------------------------------------------------

def _eval_texts() -> list[str]:
    texts = []
    for path in sorted(EVAL.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "text" in frame.columns:
            texts += frame["text"].tolist()
    return texts


def _post_texts() -> list[str]:
    return sample_post_texts()


def _tweeteval_dir() -> Path:
    for directory in (TWEETEVAL, TWEETEVAL_ABS):
        if directory.is_dir():
            return directory
    pytest.skip(f"TweetEval validation split not found at {TWEETEVAL_ABS}")


def _random_corpus(seed: int = 20240611, n: int = 4000) -> list[str]:
    rng = random.Random(seed)
    analyzer = vs.SentimentIntensityAnalyzer()
    lexicon = sorted(analyzer.lexicon)
    emoji = sorted(analyzer.emojis)
    boosters = sorted(vs.BOOSTER_DICT)
    negations = sorted(vs.NEGATE) + ["isn't", "don't", "won't", "can't", "nOt", "NEVER", "shouldn't've"]
    special = sorted(vs.SPECIAL_CASES) + sorted(vs.SENTIMENT_LADEN_IDIOMS)
    glue = ["never so", "never this", "without doubt", "without a doubt", "at least", "very least", "least",
            "kind of", "KIND OF", "sort of", "just enough", "no", "No", "NO", "or", "nor", "no or", "not so",
            "but", "BUT", "But", "so", "this", "the", "of", "to die for", "bus stop", "kiss of death",
            "yeah right", "the shit", "the bomb", "bad ass", "beating heart"]
    healthcare = ["hc_good_news", "hc_bad_news", "hc_clinical_term", "cancer", "flu", "thriving", "Cancer", "FLU"]
    plain = ["the", "a", "clinic", "today", "we", "our", "patients", "hospital", "vaccine", "is", "was", "and",
             "team", "2024", "covid-19", "@user", "#health", "http://x.org", "1", "I", "A", "OK"]
    marks = ["!", "?", "!!", "??", "???", "!!!!!", "?!", ".", ",", "...", ":)", ":(", ":D", ";)", "<3", "'", '"',
             "(", ")", "-", "*", "#", "@", "&amp;"]
    weird = ["\u00a0", "\t", "\n", "\u2028", "\x1c", "\u3000", "ß", "İ", "Σ", "ΣΑΣ", "ǅ", "ﬁ", "K", "ſ", "\ufe0f",
             "\u200d", "é", "É", "日本", "🏻"]

    def word() -> str:
        r = rng.random()
        if r < 0.30:
            w = rng.choice(lexicon)
        elif r < 0.40:
            w = rng.choice(boosters)
        elif r < 0.48:
            w = rng.choice(negations)
        elif r < 0.58:
            w = rng.choice(glue)
        elif r < 0.63:
            w = rng.choice(special)
        elif r < 0.68:
            w = rng.choice(healthcare)
        elif r < 0.76:
            w = rng.choice(emoji)
        elif r < 0.80:
            w = rng.choice(weird)
        else:
            w = rng.choice(plain)
        shape = rng.random()
        if shape < 0.15:
            w = w.upper()
        elif shape < 0.22:
            w = w.capitalize()
        elif shape < 0.26:
            w = "".join(c.upper() if rng.random() < 0.5 else c for c in w)
        if rng.random() < 0.2:
            w += rng.choice(marks)
        if rng.random() < 0.1:
            w = rng.choice(marks) + w
        return w

    seps = [" "] * 12 + ["  ", "\t", "\n", "", " \u00a0"]
    texts = ["", " ", "   ", "\t\n", "!", "?!", "but", "no", "kind of", "never so good", "😀", " 😀 ", "😀😀"]
    for k in range(n):
        length = rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30]) if k % 200 else rng.randint(300, 1500)
        parts = []
        for _ in range(length):
            parts.append(word())
            parts.append(rng.choice(seps))
        text = "".join(parts)
        if rng.random() < 0.1:
            text = " " + text + rng.choice(["", "!", "!!!", "?", "??", "????", "!?!?"])
        texts.append(text)
    return texts


# Words of sentiment._HARM (the things whose rise is bad news), one spelling of each alternative.
_HARM_WORDS = [
    "cases", "infections", "deaths", "hospitalizations", "hospitalisations", "admissions", "overdoses", "outbreaks",
    "positivity", "mortality", "illness", "illnesses", "diagnoses", "injuries", "obesity", "smoking", "vaping",
    "wait times", "waiting times", "premiums", "cost", "costs", "price", "prices", "vacancies", "shortages",
    "uninsured", "uninsured rate", "tumor", "tumors", "tumours", "cancer rates", "obesity rate", "smoking rates",
    "overdose rate", "suicide rates", "infection rate", "death rates", "mortality rate",
]
_SAMPLE_WORDS = ["test", "tests", "result", "results", "mammogram", "biopsy", "scan", "scans", "screening", "swab",
                 "culture", "pap", "smear", "x-ray", "ct", "mri", "sample", "samples", "lab", "labs", "it"]


def _rule_corpus(seed: int = 20240612, n: int = 3000) -> list[str]:
    """Texts that hit every rule in sentiment.RULES, from each rule's trigger words and the phrases its pattern
    spells, in varied case and spacing, with punctuation, hashtags, handles, URLs, emoji, odd Unicode and
    near-misses (a trigger word without the rest of the phrase, a phrase one letter off)."""
    rng = random.Random(seed)
    c = rng.choice
    gap = ["", "", "in nursing homes ", "this week, ", "among kids ", "across 3 counties ", "(again) ",
           "in the U.S. ", "for the 2nd year "]

    def phrase(rule: str) -> str:
        if rule == "false_result":
            return f"false{c([' ', '-', '  ', ' - '])}{c(['positive', 'negative'])}{c(['', 's'])}"
        if rule == "marker_status":
            marker = c(["hiv", "her2", "brca", "brca1", "brca2", "rh", "gram", "antibody", "egfr"])
            return f"{marker}{c([' ', '-', ' - ', '--'])}{c(['positive', 'negative'])}"
        if rule in ("tested_positive", "tested_negative"):
            result = "positive" if rule == "tested_positive" else "negative"
            if rng.random() < 0.7:
                verb = c(["tested", "test", "tests", "testing", "screened", "came back", "comes back",
                          f"{c(_SAMPLE_WORDS)} {c(['is', 'was', 'were', 'are'])}"])
                return f"{verb}{c([' ', '  ', ' '])}{result}"
            return f"{result} {c(['', 'test ', 'tests ', 'result ', 'results ', 'test', 'results'])}for"
        if rule == "positivity":
            return c(["positive cases", "positive tests", "positivity", "positivity rate", "positivity rates"])
        if rule == "harm_rises":
            rise = c(list(RISES) + ["up 30%", "up 300%", "hit a new high", "hit a record high"])
            return f"{c(_HARM_WORDS)} {c(gap)}{rise}"
        if rule == "harm_falls":
            return f"{c(_HARM_WORDS)} {c(gap)}{c(list(FALLS) + ['down 12%', 'down 5%'])}"
        if rule == "fall_in_harm":
            verb = c(["lowest", "lower", "lowered", "fewer", "reduce", "reduced", "drop in", "decline in", "fall in"])
            return f"{verb} {c(['', 'the ', 'its ', 'our flu ', 'the state '])}{c(_HARM_WORDS)}"
        if rule == "outbreak_over":
            middle = c(["", "at the school ", "of measles in the county "])
            return f"outbreak {middle}{c(['is', 'was', 'has been', 'declared'])} {c(['', 'officially '])}" + c(
                ["over", "ended", "contained"])
        if rule == "no_cost":
            return f"{c(['', 'at '])}no {c(['cost', 'charge', 'copay', 'out-of-pocket cost'])}"
        if rule == "service_launch":
            item = c(["shot", "shots", "vaccines", "boosters", "screenings", "tests", "kits", "appointments",
                      "mammograms", "care"])
            return c([f"{item} {c(['', 'are ', 'is '])}{c(['now available', 'available now'])}",
                      f"now {c(['open', 'offering', 'accepting'])}",
                      c(["opens", "reopens", "reopened", "reopening", "launches", "launched", "expands", "expanded",
                         "expanding"])])
        if rule == "beat_disease":
            verb = c(["fight", "fights", "fighting", "beat", "beats", "beating", "overcame", "conquered"])
            return f"{verb} {c(['', 'the '])}{c(DISEASES)}"
        if rule == "service_name":
            return f"{c(DISEASES)}{c([' ', '-', ' - ', '  '])}{c(SERVICES)}{c(['', 's'])}"
        if rule == "care_setting":
            return c(["urgent", "primary", "health", "intensive", "critical", "home", "routine", "preventive",
                      "dental", "hospice", "palliative", "patient"]) + c([" care", "  care", "\ncare"])
        if rule == "clinical_compound":
            return c(["blood pressure", "poison control", "risk factor", "risk factors", "side effect",
                      "side effects"])
        if rule == "passing":
            return c(["passed away", "passing of", "rest in peace", "rip"])
        if rule == "couldnt_be_happier":
            neg = c(["couldn't", "couldnt", "could not", "can't", "cant", "cannot"])
            return f"{neg} be {c(['happier', 'prouder', 'more grateful'])}"
        if rule == "dont_forget":
            return c(["don't", "dont", "do not"]) + " forget"
        raise AssertionError(rule)

    near_misses = [
        "positive vibes", "negative attitude", "her positive outlook", "her2", "hiv test", "brca-", "rh factor",
        "false alarm", "tested", "screened today", "it is", "results are in", "positive thinking for all",
        "positives for", "positively for", "negative-for", "now", "available", "open", "now opening", "reopen",
        "expansion", "launching", "available to all", "now is the time", "open now", "care", "care home",
        "we care", "healthcare", "cares", "the heart", "heart", "heartfelt", "flu", "flus shot", "cancer",
        "cancerous center", "beat the heat", "fight for rights", "fighting spirit", "pressure", "risk", "effects",
        "poison", "bloodpressure", "passed", "passing the test", "peace", "ripped", "forget it", "never forget",
        "happier", "be happier", "could be happier", "cost", "no costs", "charge", "copay", "outbreak", "over",
        "outbreak. it is over", "high", "higher", "highest", "up", "%", "50%", "up 5", "cases", "rates", "deaths",
        "cases today", "lowest", "lower back", "fewer", "drop", "fall", "fall prevention", "falls", "cut", "grew",
        "positive", "negative", "positivity", "fell", "increase", "soaring", "%up", "up%", "be", "the",
    ]
    fillers = ["the", "a", "clinic", "today", "we", "our", "patients", "hospital", "team", "2024", "is", "and",
               "great", "sad", "news", "very", "not", "never", "so", "but", "thanks", "!", "?", ".", ",", "...",
               "in", "for", "county", "this", "week", "—", "&amp;", "(", ")", ":", ";", "'"]
    extras = ["#TestedPositive", "#FightFlu", "#CancerCenter", "#FluShots", "#UrgentCare", "#RIP", "#DontForget",
              "#BeatCancer", "#HIVPositive", "#COVID19Vaccine", "#NowOpen", "#HER2Negative", "#NoCost", "#health",
              "#RestInPeace", "#PositivityRate", "#CasesRising", "#", "##flu", "@CDCgov", "@flu_clinic",
              "nurse@hospital.org", "@@x", "@", "https://x.org/flu-shots-now-available", "www.cancer-center.org",
              "http://t.co/abc#TestedPositive", "https://", "www.", "\U0001f489", "\u2764\ufe0f", "\U0001f622",
              "\U0001f389", "\U0001f44d\U0001f3fd", "\U0001f468\u200d\u2695\ufe0f", "\u2705", "\u00a0", "\u2028",
              "\u212a", "\u017f", "\u0130", "\u03a3", "\u03a3\u0391\u03a3", "\ufb02u", "\u00e9", "\u65e5\u672c", "\t"]
    # Unicode that lowercases to ASCII letters or changes length (Kelvin sign, long s, dotted I) inside words.
    odd = {"k": "\u212a", "s": "\u017f", "i": "\u0130"}
    names = [rule.name for rule in RULES]

    def shape(piece: str) -> str:
        r = rng.random()
        if r < 0.2:
            piece = piece.upper()
        elif r < 0.35:
            piece = piece.title()
        elif r < 0.45:
            piece = "".join(ch.upper() if rng.random() < 0.5 else ch for ch in piece)
        if rng.random() < 0.03:
            ch = c(list(odd))
            piece = piece.replace(ch, odd[ch], 1)
        if rng.random() < 0.15:
            piece += c(["!", "?", ".", ",", "!!", "...", ":", ";", ")", "'s", "%", "-"])
        if rng.random() < 0.05:
            piece = c(["(", '"', "'", "-", "#", "@"]) + piece
        return piece

    texts = [phrase(name) for name in names for _ in range(5)]  # every rule alone, lowercase
    for k in range(n):
        pieces = [phrase(c(names)) for _ in range(rng.choice([0, 1, 1, 2, 3]))]
        pieces += [c(near_misses) for _ in range(rng.choice([0, 1, 2, 3]))]
        pieces += [c(fillers) for _ in range(rng.randint(0, 8))]
        pieces += [c(extras) for _ in range(rng.choice([0, 0, 1, 2]))]
        rng.shuffle(pieces)
        seps = [" "] * 10 + ["  ", "\n", "\u00a0", "", "-", "\t"]
        texts.append("".join(shape(piece) + c(seps) for piece in pieces))
    return texts


# --- equality ----------------------------------------------------------------------------------------------------

def test_eval_csvs(vanilla_pair, healthcare_pair):
    texts = _eval_texts()
    assert len(texts) >= 299
    _check(vanilla_pair, texts, "eval csv, vanilla")
    _check(healthcare_pair, texts, "eval csv, healthcare analyzer")


def test_tweeteval(vanilla_pair, healthcare_pair):
    texts, _ = load_tweeteval(_tweeteval_dir())
    assert len(texts) == 2000
    _check(vanilla_pair, texts, "tweeteval, vanilla")
    _check(healthcare_pair, texts, "tweeteval, healthcare analyzer")


def test_sample_posts(vanilla_pair, healthcare_pair):
    texts = _post_texts()
    assert len(texts) >= 2990
    _check(vanilla_pair, texts, "sample posts, vanilla")
    _check(healthcare_pair, texts, "sample posts, healthcare analyzer")


def test_random_corpus(vanilla_pair, healthcare_pair):
    texts = _random_corpus()
    _check(vanilla_pair, texts, "random corpus, vanilla")
    _check(healthcare_pair, texts, "random corpus, healthcare analyzer")


def test_quirks(vanilla_pair, healthcare_pair):
    texts = [
        "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
        "Sentiment analysis has never been this good!", "Without a doubt, excellent idea.",
        "Roger Dodger is one of the least compelling variations on this theme.", "At least it isn't a horrible book.",
        "The plot was good, but the characters are uncompelling and the dialog is not great.",
        "good good but good good bad bad", "no no no", "no good", "no or good", "no nor bad", "no, not bad",
        "the shit", "this is the shit", "it was the bomb yo", "kiss of death for me", "i would kill to die for it",
        "kind of good", "good kind of", "kind", "sort of kind of nice", "just enough love",
        "great\U0001f389news", " \U0001f600 ", "a\U0001f600\U0001f600b", "\U0001f51b up", "ok \U0001f199\U0001f199?",
        "GOOD bad", "GOOD BAD", "VERY good", "very GOOD yes", "SO GOOD", "least", "very least good",
        "without doubt good", "never so bad", "NEVER SO BAD", "hc_good_news", "no flu", "not flu",
        "but", "but but good", "good but", "x" * 5000, ("good " * 3000).strip(), "great " + "!" * 40,
    ]
    _check(vanilla_pair, texts, "quirks, vanilla")
    _check(healthcare_pair, texts, "quirks, healthcare analyzer")


# --- the scorers: fast path against the reference path, prepare() included ---------------------------------------

def test_scorers_identical(healthcare_scorers):
    texts = _eval_texts() + _post_texts() + _random_corpus(seed=7, n=1500) + [None, 3.0, ""]
    assert VaderScorer().score(texts) == VaderScorer(reference=True).score(texts)
    reference, fast = healthcare_scorers
    assert fast.score(texts) == reference.score(texts)
    assert fast.version == reference.version and fast.name == reference.name
    print(f"scorers: {len(texts)} texts identical")


_QUIRKY_PREPARE = [
    "Tested POSITIVE for covid", "cases rose 30%", "up 300%", "ﬂu shots available now", "İ tested positive",
    "teſted poſitive İ", "K", "flu\u00a0shot", "Flu-shot", "cancer_center", "no cost", "hiv-positive",
    "\u212aids tested positive", "Cancer \u212ait", "cost\u017f rose", "Positive cases rose", "POSITIVE CASES ROSE 40%",
    "positive cases fell", "ΣΑΣ positive cases rose", "Σ flu shot", "opens Σ", "@a@b tested positive", "a@b",
    "x@flu clinic", "#HIVPositive", "#TestedPositive!", "http://x#TestedPositive", "www.x.org#FluShot", "#",
    # "positive tests" becomes "cases", a word the trend rules' screens look for though the post never had it.
    "positive tests rose 20%", "Positive Tests fell", "fewer positive tests", "POSITIVE TESTS DOUBLED",
]


def _prepare_corpora() -> dict[str, list]:
    texts, _ = load_tweeteval(_tweeteval_dir())
    return {
        "eval csv": _eval_texts(),
        "tweeteval": texts,
        "sample posts": _post_texts(),
        "random corpus": _random_corpus(),
        "random corpus seed 11": _random_corpus(seed=11, n=1500),
        "rule corpus": _rule_corpus(),
        "quirks": _QUIRKY_PREPARE,
    }


def test_prepare_identical(healthcare_scorers):
    """The fast prepare() (screens, memos, no re-read on ASCII) returns exactly the original's text, and so score."""
    reference, fast = healthcare_scorers
    for what, texts in _prepare_corpora().items():
        bad = [text for text in texts if fast.prepare(text) != reference.prepare(text)]
        assert not bad, f"prepare, {what}: {len(bad)} of {len(texts)} differ, e.g. {bad[:3]}"
        assert fast.score(texts) == reference.score(texts), what
        print(f"prepare and score, {what}: {len(texts)} texts identical")
    # A second pass runs on warm memos (hashtag splits, emoji runs, candidate rules) and must agree too.
    texts = _rule_corpus()
    assert [fast.prepare(text) for text in texts] == [reference.prepare(text) for text in texts]


def _tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower()))


def _rule_steps(text: str):
    """(rule, the text that rule searches) for every rule the original path tries on `text`, in order, with the
    words each earlier rule that changed the text wrote into it (the literal part of its replacement)."""
    original = _tokens(text)
    written: set[str] = set()
    for rule in RULES:
        if original.isdisjoint(rule.triggers):
            continue
        yield rule, text, original, set(written)
        rewritten = re.sub(rule.pattern, rule.replacement, text, flags=re.IGNORECASE)
        if rewritten != text:
            written |= set(_TOKEN.findall(_GROUP_REF.sub(" ", rule.replacement).lower()))
            text = rewritten


def test_screens_are_necessary_conditions_and_the_corpus_hits_every_rule():
    """Each SCREENS entry holds on every text its rule matches, at the point the rule searches it; a rewritten text
    holds no token beyond the original's and those earlier replacements wrote; every rule fires and is missed."""
    scorer = HealthcareScorer()
    hits = dict.fromkeys((rule.name for rule in RULES), 0)
    misses = dict.fromkeys(hits, 0)
    texts = _rule_corpus() + _eval_texts() + _post_texts() + _QUIRKY_PREPARE
    for raw in texts:
        text = raw
        if "@" in text or "http" in text or "www." in text:
            text = re.sub(r"https?://\S+|www\.\S+|(?<![\w@])@\w+", " ", text)
        text = re.sub(r"#(\w+)", scorer._split_hashtag, text)
        for rule, searched, original, written in _rule_steps(text):
            lower = searched.lower()
            tokens = _tokens(searched)
            assert tokens <= original | written, (rule.name, raw)
            if re.search(rule.pattern, lower) is None:
                misses[rule.name] += 1
                continue
            hits[rule.name] += 1
            clauses = SCREENS.get(rule.name)
            if clauses is not None:
                assert any(set(clause) <= tokens for clause in clauses), (rule.name, raw)
    print("rule hits", hits)
    print("trigger present, no match", misses)
    assert all(count >= 20 for count in hits.values()), hits
    assert all(count >= 5 for count in misses.values()), misses
