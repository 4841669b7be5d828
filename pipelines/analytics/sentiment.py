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

from pipelines.analytics.vader_fast import FastVader

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

    def __init__(self, reference: bool = False) -> None:
        """reference=True scores with vaderSentiment's own analyzer (slow; for comparisons), else with FastVader,
        which returns the same floats (tests/test_vader_fast.py)."""
        analyzer = SentimentIntensityAnalyzer()
        if reference:
            polarity = analyzer.polarity_scores
            self._compound = lambda text: polarity(text)["compound"]
        else:
            self._compound = FastVader(analyzer.lexicon, analyzer.emojis).compound

    def score(self, texts: Sequence[str]) -> list[float]:
        compound = self._compound
        # A post without text (an image-only post, a null) has no sentiment to read.
        return [compound(text) if isinstance(text, str) else 0.0 for text in texts]


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

# Pre-screens for the fast path, beyond the trigger words: a rule is tried only if, for at least one clause, every
# word of the clause is a token (see _TOKEN) of the text. Each clause list is a necessary condition of a match, argued
# from the pattern below, so skipping a rule that fails it changes nothing: its finder would have found nothing.
# The argument every entry uses: a word the pattern spells out, preceded by \b (or \s, [\s-]) and followed by \s, \b
# or a digit, is bounded by characters outside a-z on both sides, so it is a whole token of the lowercased text.
# Rules rewrite the text as they go, and later rules search the rewritten text; a rewrite can only add the tokens
# of its replacement's literal part (group references copy whole tokens of the text in place, and every match
# starts after and ends before a non-word character, so no token is glued to a neighbour). The screen therefore
# counts the literal tokens of every earlier rule that fired as present ("positivity" writes "cases", a _HARM word).
# Used only for the built-in rules, when every rule before them is built in (other patterns are not argued).
# tests/test_vader_fast.py checks each clause list against every finder match of a rule-targeted corpus.
_HARM_FIRST_WORDS = (  # the first word of every _HARM alternative, with its optional letters spelled out
    ("cases",), ("infections",), ("deaths",), ("hospitalizations",), ("hospitalisations",), ("admissions",),
    ("overdoses",), ("outbreaks",), ("positivity",), ("mortality",), ("illness",), ("illnesses",), ("diagnoses",),
    ("injuries",), ("obesity",), ("smoking",), ("vaping",), ("wait",), ("waiting",), ("premiums",), ("cost",),
    ("costs",), ("prices",), ("price",), ("vacancies",), ("shortages",), ("uninsured",), ("tumor",), ("tumors",),
    ("tumour",), ("tumours",), ("cancer",), ("overdose",), ("suicide",), ("infection",), ("death",),
)
SCREENS: dict[str, tuple[tuple[str, ...], ...]] = {
    # \b(hiv|her2|brca\d?|rh|gram|antibody|egfr)[\s-]+: the marker is a whole token ("her" of "her2", "brca" of
    # "brca1"); it is followed by a digit or [\s-].
    "marker_status": (("hiv",), ("her",), ("brca",), ("rh",), ("gram",), ("antibody",), ("egfr",)),
    # \bpositiv(?:e\s+(?:cases|tests)|ity(?:\s+rates?)?)\b: "cases"/"tests" after \s+ and before \b, or the token
    # "positivity" (followed by \s or \b).
    "positivity": (("cases",), ("tests",), ("positivity",)),
    # \b((?:_HARM)\b\s+...: _HARM starts after \b, and its first word is followed by a space or \b.
    "harm_rises": _HARM_FIRST_WORDS,
    "harm_falls": _HARM_FIRST_WORDS,
    # ...\s+(?:(?:the|its|\w+)\s+){0,2}?(?:_HARM)\b: _HARM starts after \s, its first word ends as above.
    "fall_in_harm": _HARM_FIRST_WORDS,
    # (...)\s+(?:are\s+|is\s+)?(?:now\s+available|available\s+now) | now\s+(?:open|offering|accepting) | one word,
    # all inside \b...\b: "now" and "available" lie between \s/\b on both sides, so do open/offering/accepting.
    "service_launch": (
        ("available", "now"), ("now", "open"), ("now", "offering"), ("now", "accepting"), ("opens",), ("reopens",),
        ("reopened",), ("reopening",), ("launches",), ("launched",), ("expands",), ("expanded",), ("expanding",),
    ),
    # A disease followed by (?=[\s-]+(?:SERVICES)s?\b): the service word (plural or not) after [\s-], before \b.
    "service_name": tuple((word + plural,) for word in SERVICES for plural in ("", "s")),
    # \b(?:urgent|primary|...|patient)\s+care\b: the setting word after \b, before \s.
    "care_setting": tuple((word,) for word in (
        "urgent", "primary", "health", "intensive", "critical", "home", "routine", "preventive", "dental", "hospice",
        "palliative", "patient",
    )),
    # ...\s+be\s+(happier|prouder|more\s+grateful)\b: "be" between \s+ and \s+.
    "couldnt_be_happier": (("be",),),
}

_URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|(?<![\w@])@\w+")
# The same matches, three times faster: with "@" first in the handle alternative every alternative starts with a
# literal (h, w, @), so re skips ahead to those characters instead of trying the lookbehind at every position.
# Exact: "@(?<![\w@]@)" at p requires text[p] == "@" and not (text[p-1] in [\w@] and text[p] == "@"), that is
# text[p-1] not in [\w@] or p == 0 -- the original "(?<![\w@])@"; the alternatives keep their order.
_URL_OR_HANDLE_FAST = re.compile(r"https?://\S+|www\.\S+|@(?<![\w@]@)\w+")
_HASHTAG = re.compile(r"#(\w+)")
# Word breaks in a hashtag: "MentalHealthAwareness" -> "Mental Health Awareness", "WorldAIDSDay" -> "World AIDS Day".
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[0-9])(?=[A-Za-z])")
# VADER looks emoji up one code point at a time, so "❤️" (heart + variation selector) leaves "heart\ufe0f", which
# no lexicon holds; dropping selectors and skin tones and splitting ZWJ sequences lets its emoji lexicon be used.
_EMOJI_JOINERS = {0xFE0E: None, 0xFE0F: None, 0x200D: " ", **{code: None for code in range(0x1F3FB, 0x1F400)}}
# The words rule triggers are looked up in: runs of ASCII letters, and "%" for "up 300%".
_TOKEN = re.compile(r"[a-z]+|%")
# The same tokens, faster, from the text's UTF-8 bytes: a-z and "%" kept, every other byte a space ("%" is padded
# with spaces first, so it is a token of its own). Exact for any text: in UTF-8 the bytes a-z and "%" only ever
# encode those characters (every byte of a non-ASCII character is >= 0x80), and "surrogatepass" lets lone surrogates
# through as such bytes.
_BYTE_TOKENS = bytes(code if 97 <= code <= 122 or code == 37 else 32 for code in range(256))
# Runs of non-ASCII characters: the only ones the emoji table can change (all its keys are non-ASCII).
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Bound on each memo (hashtag splits, emoji runs, candidate rules); past it, results are computed, not stored.
_MEMO_SIZE = 4096


_GROUP_REF = re.compile(r"\\(?:g<(\w+)>|([1-9])(?!\d))")


def _expander(replacement: str) -> Callable[[re.Match], str]:
    """match.expand(replacement) with the template parsed once (expand() re-parses it on every call)."""
    if "\\" not in replacement:
        return lambda match: replacement
    pieces: list[tuple[str, int | str | None]] = []
    end = 0
    for ref in _GROUP_REF.finditer(replacement):
        name = ref.group(1) or ref.group(2)
        pieces.append((replacement[end : ref.start()], int(name) if name.isdigit() else name))
        end = ref.end()
    if "\\" in replacement[end:] or any("\\" in literal for literal, _ in pieces):
        return lambda match: match.expand(replacement)  # other escapes: leave them to re
    tail = replacement[end:]

    def expand(match: re.Match) -> str:
        # An unmatched group expands to "", as in match.expand().
        return "".join([literal + (match.group(group) or "") for literal, group in pieces]) + tail

    return expand



def _span_expander(replacement: str) -> Callable[[re.Match, str], str] | None:
    """expand(), but reading the groups' spans of `match` (a match on text.lower()) out of `text`; None for templates
    _expander leaves to match.expand()."""
    if "\\" not in replacement:
        return lambda match, text: replacement
    pieces: list[tuple[str, int | str]] = []
    end = 0
    for ref in _GROUP_REF.finditer(replacement):
        name = ref.group(1) or ref.group(2)
        pieces.append((replacement[end : ref.start()], int(name) if name.isdigit() else name))
        end = ref.end()
    if "\\" in replacement[end:] or any("\\" in literal for literal, _ in pieces):
        return None
    tail = replacement[end:]

    def expand(match: re.Match, text: str) -> str:
        out = []
        for literal, group in pieces:
            start, stop = match.span(group)
            out.append(literal + (text[start:stop] if start >= 0 else ""))  # an unmatched group expands to ""
        return "".join(out) + tail

    return expand

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

    def __init__(self, rules: Sequence[Rule] = RULES, lexicon: dict[str, float] = LEXICON_ADJUSTMENTS,
                 reference: bool = False) -> None:
        """reference=True runs the original path (the vaderSentiment-based analyzer and the unscreened prepare),
        for comparisons; the default path returns the same floats, faster (tests/test_vader_fast.py)."""
        analyzer = _NamedEmojiAnalyzer()
        # The analyzer owns its lexicon dict; updating it once here costs nothing per call.
        analyzer.lexicon.update(lexicon)
        if reference:
            polarity = analyzer.polarity_scores
            self._compound = lambda text: polarity(text)["compound"]
        else:
            self._compound = FastVader(analyzer.lexicon, None).compound
        self._reference = reference
        # Each rule twice: case-sensitive on the lowercased text to find matches (four times faster than IGNORECASE),
        # and case-insensitive to re-read a match on the original text, so capitals VADER weighs are kept.
        self._rules = [
            (frozenset(r.triggers), re.compile(r.pattern), re.compile(r.pattern, re.IGNORECASE), r.replacement)
            for r in rules
        ]
        # Emoji become their descriptions with spaces around them, so "great🎉news" no longer glues two words.
        emoji = {ord(char): f" {name} " for char, name in analyzer.emojis.items() if len(char) == 1}
        self._emoji_table = {**emoji, **_EMOJI_JOINERS}
        # prepare() skips the table for ASCII text and, in the fast path, applies it to non-ASCII runs only.
        assert min(self._emoji_table) >= 128, "the emoji table must only change non-ASCII characters"
        self.version = f"{_fingerprint(rules, lexicon)}+vader{VADER_VERSION}"
        if reference:
            self.prepare = self._prepare_reference  # type: ignore[method-assign]
        self._build_fast_path(rules)

    def _build_fast_path(self, rules: Sequence[Rule]) -> None:
        """Per rule, for prepare(): trigger words and screen clauses as bytes (see _BYTE_TOKENS), the tokens its
        replacement writes, its finder, re-reader and expanders; plus memos of candidates, hashtag splits, emoji."""
        builtin = {rule.name: rule for rule in RULES}
        screened = [rule.name in SCREENS for rule in rules]
        fast_rules = []
        vocabulary: set[bytes] = set()
        all_builtin_so_far = True
        for i, (rule, (triggers, finder, pattern, replacement)) in enumerate(zip(rules, self._rules)):
            is_builtin = builtin.get(rule.name) == rule
            all_builtin_so_far = all_builtin_so_far and is_builtin
            clauses = SCREENS.get(rule.name) if all_builtin_so_far else None
            singles = multis = None
            if clauses is not None:
                singles = frozenset(c[0].encode() for c in clauses if len(c) == 1)
                multis = tuple(frozenset(w.encode() for w in c) for c in clauses if len(c) > 1)
                vocabulary |= singles.union(*multis)
            trigger_bytes = frozenset(word.encode("utf-8", "surrogatepass") for word in triggers)
            vocabulary |= trigger_bytes
            # Tokens the replacement's literal part writes, kept only if a later rule is screened (see SCREENS).
            writes = frozenset(w.encode() for w in _TOKEN.findall(_GROUP_REF.sub(" ", replacement).lower()))
            writes = writes if any(screened[i + 1 :]) else frozenset()
            # For ASCII text the built-in patterns need no re-read: their literals are lowercase letters, digits and
            # punctuation, their classes \s \w \d \b [sz] [\s-] [^.!?] [\w'%.,-] and lookarounds, no backreferences
            # or inline flags. ASCII text.lower() only turns A-Z into a-z, and each of those elements treats A-Z under
            # IGNORECASE exactly as it treats a-z without it, so the case-insensitive match on the text takes the
            # same path as the finder's on the lowercase: same end, same group spans.
            span_expand = _span_expander(replacement) if is_builtin else None
            fast_rules.append((trigger_bytes, singles, multis, writes, finder, pattern, _expander(replacement),
                               span_expand))
        self._fast_rules = fast_rules
        self._vocabulary = frozenset(vocabulary)
        self._trigger_vocabulary = frozenset().union(*(rule[0] for rule in fast_rules))
        self._candidate_memo: dict[frozenset[bytes], tuple] = {}
        self._hashtags: dict[str, str] = {}
        self._emoji_runs: dict[str, str] = {}

    def _candidates(self, triggered: frozenset[bytes]) -> tuple:
        """The rules, in order, with a trigger word among `triggered` (the text's trigger-word tokens): exactly the
        rules the original gating tries, before screens."""
        found = tuple(rule[1:] for rule in self._fast_rules if not rule[0].isdisjoint(triggered))
        if len(self._candidate_memo) < _MEMO_SIZE:
            self._candidate_memo[triggered] = found
        return found

    def apply_rules(self, text: str) -> str:
        """The phrase rules in order, each tried only when one of its trigger words occurs in the text."""
        lower = text.lower()
        if len(lower) == len(text):
            fast = (self._apply_on_lowercase_reference if self._reference else self._apply_on_lowercase)(text, lower)
            if fast is not None:
                return fast
        for _, _, pattern, replacement in self._rules:
            text = pattern.sub(replacement, text)
        return text

    def _apply_on_lowercase(self, text: str, lower: str) -> str | None:
        """Find matches in the lowercased text, rewrite the original; None if a match does not re-read the same."""
        data = lower.encode("utf-8", "surrogatepass")
        if b"%" in data:
            data = data.replace(b"%", b" % ")
        # Only the tokens some trigger or screen asks about; the same gating as the full token set, cheaper to build.
        present = self._vocabulary.intersection(data.translate(_BYTE_TOKENS).split())
        if not present:
            return text
        triggered = present & self._trigger_vocabulary
        candidates = self._candidate_memo.get(triggered)
        if candidates is None:
            candidates = self._candidates(triggered)
        seen = present  # the tokens of the original text, plus those written by rules that fired (see SCREENS)
        for singles, multis, writes, finder, pattern, expand, span_expand in candidates:
            if singles is not None and singles.isdisjoint(seen) and not any(clause <= seen for clause in multis):
                continue  # a necessary condition of a match fails: the finder would find nothing
            parts, end = [], 0
            if span_expand is not None and text.isascii():
                for found in finder.finditer(lower):
                    parts += (text[end : found.start()], span_expand(found, text))
                    end = found.end()
            else:
                for found in finder.finditer(lower):
                    start = found.start()
                    again = pattern.match(text, start)
                    if again is None or again.end() != found.end():
                        return None
                    parts += (text[end:start], expand(again))
                    end = found.end()
            if parts:
                text = "".join(parts) + text[end:]
                lower = text.lower()
                if writes:
                    seen = seen | writes
        return text

    def _apply_on_lowercase_reference(self, text: str, lower: str) -> str | None:
        """The original loop (every rule's trigger check, match.expand), kept for comparisons."""
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

    def _split_hashtag(self, match: re.Match) -> str:
        """_split_hashtag, memoised: posts reuse a few hashtags, and the camel-case split is costly."""
        tag = match.group(1)
        split = self._hashtags.get(tag)
        if split is None:
            split = " " + _CAMEL.sub(" ", tag) + " "
            if len(self._hashtags) < _MEMO_SIZE:
                self._hashtags[tag] = split
        return split

    def _name_emoji(self, match: re.Match) -> str:
        """A run of non-ASCII characters through the emoji table, memoised. str.translate maps each character on
        its own, so translating the runs is translating the text; it skips the table's slow per-character path
        for ASCII."""
        run = match.group()
        named = self._emoji_runs.get(run)
        if named is None:
            named = run.translate(self._emoji_table)
            if len(self._emoji_runs) < _MEMO_SIZE:
                self._emoji_runs[run] = named
        return named

    def prepare(self, text: str) -> str:
        """The text as VADER will read it: links and handles dropped, hashtags split, phrase rules, emoji named."""
        # The screens are exact: every _URL_OR_HANDLE match contains "http", "www." or "@", every hashtag "#".
        if "@" in text or "http" in text or "www." in text:
            text = _URL_OR_HANDLE_FAST.sub(" ", text)
        if "#" in text:
            text = _HASHTAG.sub(self._split_hashtag, text)
        lower = text.lower()
        prepared = self._apply_on_lowercase(text, lower) if len(lower) == len(text) else None
        if prepared is None:  # as in apply_rules: every rule on the text, case-insensitively
            prepared = text
            for _, _, pattern, replacement in self._rules:
                prepared = pattern.sub(replacement, prepared)
        # Emoji and joiners are all non-ASCII, and str.isascii() is a flag read, not a scan.
        return (prepared if prepared.isascii() else _NON_ASCII.sub(self._name_emoji, prepared)).strip()

    def _prepare_reference(self, text: str) -> str:
        """prepare() as it was first written (unscreened rules, whole-text emoji translation), for comparisons."""
        if "@" in text or "http" in text or "www." in text:
            text = _URL_OR_HANDLE.sub(" ", text)
        if "#" in text:
            text = _HASHTAG.sub(_split_hashtag, text)
        text = self.apply_rules(text)
        return (text if text.isascii() else text.translate(self._emoji_table)).strip()

    def score(self, texts: Sequence[str]) -> list[float]:
        compound, prepare = self._compound, self.prepare
        return [compound(prepare(text)) if isinstance(text, str) else 0.0 for text in texts]


# --- registry and parallel scoring --------------------------------------------------------------------------

def _trained_scorer() -> Scorer:
    """The linear model of pipelines/analytics/trained.py (imported here: it builds on this module)."""
    from pipelines.analytics.trained import TrainedScorer

    return TrainedScorer()


SCORERS: dict[str, Callable[[], Scorer]] = {
    VaderScorer.name: VaderScorer,
    HealthcareScorer.name: HealthcareScorer,
    "trained": _trained_scorer,
}


def get_scorer(name: str) -> Scorer:
    """A new scorer by registry name ("vader", "healthcare", "trained"); build it once and reuse it."""
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
