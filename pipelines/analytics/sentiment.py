"""Sentiment scorers behind one interface: vanilla VADER, and VADER corrected for healthcare wording.

Every scorer returns VADER's compound score in -1..1; `label` turns a score into negative/neutral/positive.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version as package_version
from typing import Callable, NamedTuple, Protocol, Sequence

from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

LABELS = ("negative", "neutral", "positive")
# VADER's published cut-offs: compound >= 0.05 is positive, <= -0.05 negative, anything between neutral.
THRESHOLD = 0.05
VADER_VERSION = package_version("vaderSentiment")


class Scorer(Protocol):
    name: str
    version: str

    def score(self, texts: Sequence[str]) -> list[float]: ...


def label(score: float) -> str:
    """The class of a compound score, with VADER's usual ±0.05 thresholds."""
    if score >= THRESHOLD:
        return "positive"
    if score <= -THRESHOLD:
        return "negative"
    return "neutral"


class VaderScorer:
    """vaderSentiment 3.3.2 as shipped, with its bundled word and emoji lexicons."""

    name = "vader"
    version = VADER_VERSION

    def __init__(self) -> None:
        self._polarity = SentimentIntensityAnalyzer().polarity_scores

    def score(self, texts: Sequence[str]) -> list[float]:
        polarity = self._polarity
        # A post without text (an image-only post, a null) has no sentiment to read.
        return [polarity(text)["compound"] if isinstance(text, str) else 0.0 for text in texts]


# --- healthcare corrections -------------------------------------------------------------------------------

class Rule(NamedTuple):
    """A rewrite applied to the text before VADER reads it, tried only if one of its trigger words occurs."""

    name: str
    pattern: str
    replacement: str
    triggers: tuple[str, ...]  # lowercase words (see _TOKEN), at least one of which every match contains
    why: str


# Tokens the rules write into the text; VADER strips only leading/trailing punctuation, so the inner "_" survives.
GOOD_NEWS, BAD_NEWS, NEUTRAL = "hc_good_news", "hc_bad_news", "hc_clinical_term"

# word -> VADER valence (-4..4) replacing or adding to the bundled lexicon; each line says why.
LEXICON_ADJUSTMENTS: dict[str, float] = {
    GOOD_NEWS: 1.8,  # a result or trend that is good for the people concerned
    BAD_NEWS: -1.8,  # a result or trend that is bad for the people concerned
    "cancer": -1.2,  # VADER's -3.4 makes every oncology announcement strongly negative; it is mostly a topic
    "flu": 0.0,  # a season and a vaccine name far more often than an illness report
    "thriving": 2.0,  # missing from VADER; patients' own word for living well
}


def _words(words: Sequence[str]) -> str:
    return "|".join(re.escape(word) for word in words)


DISEASES = (
    "cancer", "tumor", "tumour", "flu", "influenza", "heart", "stroke", "suicide", "crisis", "trauma", "emergency",
    "pain", "overdose", "injury", "hiv", "aids", "covid", "covid-19", "measles", "rsv", "hepatitis", "tuberculosis",
    "mpox", "lymphoma", "leukemia", "sepsis", "addiction", "depression",
)
# Nouns that turn a preceding disease into the name of a service, an event or a statistic.
SERVICES = (
    "center", "centre", "clinic", "unit", "ward", "institute", "program", "team", "service", "line", "hotline",
    "screening", "awareness", "prevention", "research", "registry", "board", "specialist", "department", "room",
    "medicine", "surgeon", "surgery", "shot", "vaccine", "vaccination", "booster", "season", "patient", "month",
    "week", "day", "walk", "run", "foundation", "society", "health", "treatment", "kit", "care", "survivor",
    "disease", "failure", "attack", "transplant", "rate",
)
_SAMPLES = r"tests?|results?|mammogram|biopsy|scans?|screening|swab|culture|pap|smear|x-ray|ct|mri|samples?|labs?|it"
# Things whose going up is bad news and going down good news.
_HARM = (
    r"cases|infections|deaths|hospitali[sz]ations|admissions|overdoses|outbreaks|positivity|mortality|illness(?:es)?"
    r"|diagnoses|injuries|obesity|smoking|vaping|wait(?:ing)? times|premiums|costs?|prices?|vacancies|shortages"
    r"|uninsured(?: rate)?|tumou?rs?|(?:cancer|obesity|smoking|overdose|suicide|infection|death|mortality) rates?"
)
RISES = (
    "rose", "rise", "rises", "risen", "rising", "surge", "surged", "surges", "surging", "spike", "spiked", "spikes",
    "spiking", "climb", "climbs", "climbed", "climbing", "doubled", "tripled", "increase", "increased", "increases",
    "increasing", "jump", "jumps", "jumped", "soar", "soars", "soared", "soaring", "grew", "growing", "higher",
    "highest", "worsened",
)
FALLS = (
    "fell", "fall", "falls", "falling", "fallen", "drop", "drops", "dropped", "dropping", "decline", "declined",
    "declines", "declining", "decrease", "decreased", "decreases", "decreasing", "plunged", "lower", "lowered",
    "lowers", "lowest", "shrank", "shrunk", "reduced", "cut",
)
_RISE = rf"{_words(RISES)}|up \d+%|hit a (?:new|record) high"
_FALL = rf"{_words(FALLS)}|down \d+%"
_GAP = r"(?:[\w'%.,-]+\s+){0,6}?"  # a few words between a subject and its verb ("cases in nursing homes doubled")
_END = r"(?!\w)"  # \b fails after "%" in "up 300%"

RULES: tuple[Rule, ...] = (
    Rule("false_result", r"\bfalse[\s-]+(?:positive|negative)s?\b", NEUTRAL, ("false",),
         "a false positive/negative is test vocabulary, not a mood"),
    Rule("marker_status", r"\b(hiv|her2|brca\d?|rh|gram|antibody|egfr)[\s-]+(?:positive|negative)\b",
         rf"\1 {NEUTRAL}", ("positive", "negative"),
         "'HIV positive', 'HER2-negative' name a status; the rest of the post carries the sentiment"),
    Rule("tested_positive",
         rf"\b(?:tested|tests?|testing|screened|came back|comes back|(?:{_SAMPLES})\s+(?:is|was|were|are))\s+positive\b"
         r"|\bpositive\s+(?:tests?|results?)?\s*for\b",
         BAD_NEWS, ("positive",), "testing positive for a disease is bad news for the person, not a positive event"),
    Rule("tested_negative",
         rf"\b(?:tested|tests?|testing|screened|came back|comes back|(?:{_SAMPLES})\s+(?:is|was|were|are))\s+negative\b"
         r"|\bnegative\s+(?:(?:tests?|results?)\s*)?for\b|\bnegative\s+(?:tests?|results?)\b",
         GOOD_NEWS, ("negative",), "a negative result is good news for the person, not a negative event"),
    Rule("positivity", r"\bpositiv(?:e\s+(?:cases|tests)|ity(?:\s+rates?)?)\b", "cases", ("positive", "positivity"),
         "'positive cases' and 'positivity rate' are counts; the trend rules judge their direction"),
    Rule("harm_rises", rf"\b((?:{_HARM})\b\s+{_GAP})(?:{_RISE}){_END}", rf"\1{BAD_NEWS}", (*RISES, "%", "high"),
         "cases, deaths or waits going up is bad news even though 'increase' and 'higher' read as positive"),
    Rule("harm_falls", rf"\b((?:{_HARM})\b\s+{_GAP})(?:{_FALL}){_END}", rf"\1{GOOD_NEWS}", (*FALLS, "%"),
         "cases, deaths or waits going down is good news even though 'lower' and 'fell' read as negative"),
    Rule("fall_in_harm",
         rf"\b(?:lowest|lower(?:ed)?|fewer|reduced?|(?:drop|decline|fall)\s+in)\s+(?:(?:the|its|\w+)\s+){{0,2}}?"
         rf"(?:{_HARM})\b",
         GOOD_NEWS, ("lowest", "lower", "lowered", "fewer", "reduce", "reduced", "drop", "decline", "fall"),
         "'the lowest flu positivity', 'lowered the price' are good news"),
    Rule("outbreak_over",
         r"\boutbreak\b[^.!?]{0,60}?\b(?:is|was|has been|declared)\s+(?:officially\s+)?(?:over|ended|contained)\b",
         GOOD_NEWS, ("outbreak",), "an outbreak declared over is good news"),
    Rule("no_cost", r"\b(?:at\s+)?no\s+(?:cost|charge|copay|out-of-pocket\s+cost)\b", "free",
         ("cost", "charge", "copay"), "'at no cost' means free; VADER reads the 'no' as negative"),
    Rule("service_launch",
         r"\b(?:(?:shots?|vaccines?|boosters?|screenings?|tests?|kits?|appointments?|mammograms?|care)\s+"
         r"(?:are\s+|is\s+)?(?:now\s+available|available\s+now)|now\s+(?:open|offering|accepting)|opens"
         r"|reopen(?:s|ed|ing)|launch(?:es|ed)|expand(?:s|ed|ing))\b",
         rf"\g<0> {GOOD_NEWS}",
         ("available", "now", "opens", "reopen", "reopens", "reopened", "reopening", "launches", "launched", "expands",
          "expanded", "expanding"),
         "a service opening or becoming available is good news for the public"),
    Rule("beat_disease",
         rf"\b(?:fight|fights|fighting|beat|beats|beating|overcame|conquered)\s+(?:the\s+)?(?:{_words(DISEASES)})\b",
         GOOD_NEWS, ("fight", "fights", "fighting", "beat", "beats", "beating", "overcame", "conquered"),
         "'beat lymphoma', '#FightFlu' are hopeful, though 'fight' and the disease read as negative"),
    Rule("service_name", rf"\b(?:{_words(DISEASES)})(?=[\s-]+(?:{_words(SERVICES)})s?\b)", NEUTRAL, DISEASES,
         "a disease naming a service or event ('cancer center opens', 'flu shots', 'crisis line') is a topic"),
    Rule("care_setting",
         r"\b(?:urgent|primary|health|intensive|critical|home|routine|preventive|dental|hospice|palliative|patient)"
         r"\s+care\b",
         NEUTRAL, ("care",), "'urgent care', 'primary care' name a setting; VADER reads 'care' (+2.2) as warmth"),
    Rule("clinical_compound", r"\b(?:blood\s+pressure|poison\s+control|risk\s+factors?|side\s+effects?)\b", NEUTRAL,
         ("pressure", "poison", "risk", "effect", "effects"),
         "clinical compounds whose words VADER scores ('pressure', 'poison', 'risk') but that carry no mood"),
    Rule("passing", r"\b(?:passed\s+away|passing\s+of|rest\s+in\s+peace|rip)\b", "died",
         ("passed", "passing", "peace", "rip"),
         "a death notice; VADER reads the 'peace' in 'rest in peace' as positive"),
    Rule("couldnt_be_happier", r"\b(?:could(?:n'?t|\s+not)|can'?t|cannot)\s+be\s+(happier|prouder|more\s+grateful)\b",
         r"are so \1", ("happier", "prouder", "grateful"),
         "'couldn't be happier' is VADER's negation rule misfiring on a superlative"),
    Rule("dont_forget", r"\b(?:don'?t|do\s+not)\s+forget\b", "remember", ("forget",),
         "'don't forget' is a plain reminder; VADER reads the negated 'forget' as positive"),
)

_URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|(?<![\w@])@\w+")
_HASHTAG = re.compile(r"#(\w+)")
# Word breaks in a hashtag: "MentalHealthAwareness" -> "Mental Health Awareness", "WorldAIDSDay" -> "World AIDS Day".
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[0-9])(?=[A-Za-z])")
# VADER looks emoji up one code point at a time, so "❤️" (heart + variation selector) leaves "heart\ufe0f", which
# no lexicon holds; dropping selectors and skin tones and splitting ZWJ sequences lets its emoji lexicon be used.
_EMOJI_JOINERS = {0xFE0E: None, 0xFE0F: None, 0x200D: " ", **{code: None for code in range(0x1F3FB, 0x1F400)}}
# The words rule triggers are looked up in: runs of ASCII letters, and "%" for "up 300%".
_TOKEN = re.compile(r"[a-z]+|%")


def _split_hashtag(match: re.Match) -> str:
    return " " + _CAMEL.sub(" ", match.group(1)) + " "


def _fingerprint(rules: Sequence[Rule], lexicon: dict[str, float]) -> str:
    """A short hash of the corrections, so stored scores say exactly which rules produced them."""
    text = repr([(r.pattern, r.replacement) for r in rules]) + repr(sorted(lexicon.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


class _NamedEmojiAnalyzer(SentimentIntensityAnalyzer):
    """VADER's scoring steps minus its per-character emoji pass (a third of its time): prepare() names emoji."""

    def polarity_scores(self, text: str) -> dict:
        sentitext = SentiText(text)
        words = sentitext.words_and_emoticons
        sentiments: list[float] = []
        for i, word in enumerate(words):
            lower = word.lower()
            # As in VADER: boosters, and "kind" in "kind of", carry no valence of their own.
            if lower in BOOSTER_DICT or (lower == "kind" and i + 1 < len(words) and words[i + 1].lower() == "of"):
                sentiments.append(0)
            else:
                sentiments = self.sentiment_valence(0, sentitext, word, i, sentiments)
        return self.score_valence(self._but_check(words, sentiments), text)


class HealthcareScorer:
    """VADER with a healthcare lexicon and clinical phrase rules applied before scoring."""

    name = "healthcare"

    def __init__(self, rules: Sequence[Rule] = RULES, lexicon: dict[str, float] = LEXICON_ADJUSTMENTS) -> None:
        analyzer = _NamedEmojiAnalyzer()
        # The analyzer owns its lexicon dict; updating it once here costs nothing per call.
        analyzer.lexicon.update(lexicon)
        self._polarity = analyzer.polarity_scores
        # Each rule twice: case-sensitive on the lowercased text to find matches (four times faster than IGNORECASE),
        # and case-insensitive to re-read a match on the original text, so capitals VADER weighs are kept.
        self._rules = [
            (frozenset(r.triggers), re.compile(r.pattern), re.compile(r.pattern, re.IGNORECASE), r.replacement)
            for r in rules
        ]
        # Emoji become their descriptions with spaces around them, so "great🎉news" no longer glues two words.
        emoji = {ord(char): f" {name} " for char, name in analyzer.emojis.items() if len(char) == 1}
        self._emoji_table = {**emoji, **_EMOJI_JOINERS}
        self.version = f"{_fingerprint(rules, lexicon)}+vader{VADER_VERSION}"

    def apply_rules(self, text: str) -> str:
        """The phrase rules in order, each tried only when one of its trigger words occurs in the text."""
        lower = text.lower()
        fast = self._apply_on_lowercase(text, lower) if len(lower) == len(text) else None
        if fast is not None:
            return fast
        for _, _, pattern, replacement in self._rules:
            text = pattern.sub(replacement, text)
        return text

    def _apply_on_lowercase(self, text: str, lower: str) -> str | None:
        """Find matches in the lowercased text, rewrite the original; None if a match does not re-read the same."""
        words = set(_TOKEN.findall(lower))
        for triggers, finder, pattern, replacement in self._rules:
            if triggers.isdisjoint(words):
                continue
            parts, end = [], 0
            for found in finder.finditer(lower):
                again = pattern.match(text, found.start())
                if again is None or again.end() != found.end():
                    return None
                parts += (text[end : found.start()], again.expand(replacement))
                end = found.end()
            if parts:
                text = "".join(parts) + text[end:]
                lower = text.lower()
        return text

    def prepare(self, text: str) -> str:
        """The text as VADER will read it: links and handles dropped, hashtags split, phrase rules, emoji named."""
        if "@" in text or "http" in text or "www." in text:
            text = _URL_OR_HANDLE.sub(" ", text)
        if "#" in text:
            text = _HASHTAG.sub(_split_hashtag, text)
        text = self.apply_rules(text)
        # Emoji and joiners are all non-ASCII, and str.isascii() is a flag read, not a scan.
        return (text if text.isascii() else text.translate(self._emoji_table)).strip()

    def score(self, texts: Sequence[str]) -> list[float]:
        polarity, prepare = self._polarity, self.prepare
        return [polarity(prepare(text))["compound"] if isinstance(text, str) else 0.0 for text in texts]


# --- registry and parallel scoring --------------------------------------------------------------------------

SCORERS: dict[str, Callable[[], Scorer]] = {
    VaderScorer.name: VaderScorer,
    HealthcareScorer.name: HealthcareScorer,
}


def get_scorer(name: str) -> Scorer:
    """A new scorer by registry name ("vader", "healthcare"); build it once and reuse it."""
    try:
        return SCORERS[name]()
    except KeyError:
        raise ValueError(f"unknown scorer {name!r}; known: {sorted(SCORERS)}") from None


_worker_scorer: Scorer | None = None


def _start_worker(scorer_name: str) -> None:
    global _worker_scorer
    _worker_scorer = get_scorer(scorer_name)


def _score_chunk(texts: list[str]) -> list[float]:
    return _worker_scorer.score(texts)


def available_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def score_parallel(
    scorer_name: str, texts: Sequence[str], processes: int | None = None, chunk: int = 5000
) -> list[float]:
    """Scores in input order, identical to serial scoring, on `processes` worker processes (default: all cores).

    Each worker builds its scorer once; inputs of one chunk or fewer, or one process, are scored in this process.
    Workers are spawned, so a script that calls this must do so under `if __name__ == "__main__":`.
    """
    processes = processes or available_cores()
    texts = list(texts)
    if processes <= 1 or len(texts) <= chunk:
        return get_scorer(scorer_name).score(texts)
    chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    # "spawn" because forking a process that runs threads (Dagster's does) can deadlock the children.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(processes, len(chunks)), mp_context=context, initializer=_start_worker,
                             initargs=(scorer_name,)) as pool:
        return [score for part in pool.map(_score_chunk, chunks) for score in part]
