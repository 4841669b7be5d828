"""A trained sentiment scorer: a linear model over hashed word and byte n-grams and lexicon features, with its
weights shipped in the repository (pipelines/models/). Every feature is computed for a whole batch at once with
numpy over one joined byte buffer, and the weights are applied with one sparse matrix product per feature family
(scipy.sparse): there is no Python code per post.

Features of a post:
- word unigrams and bigrams of the ASCII-lowercased text. A word is a run of a-z, 0-9, "_" and inner apostrophes
  ("don't"; a right single quote counts as one); "!" and "?" are words of their own, and so is every non-ASCII
  character (an emoji is a word);
- byte 3- and 5-grams (CHAR_NGRAMS) of the ASCII-lowercased, space-padded text (emoticons and emoji are byte
  n-grams);
- each of the two families hashed into HASH_BUCKETS buckets and scaled by 1/sqrt(its n-gram count in the post);
- dense lexicon features (DENSE_NAMES): every word's valence in vaderSentiment's own lexicon (its
  vader_lexicon.txt and emoji descriptions, read from the installed package, with the healthcare scorer's
  LEXICON_ADJUSTMENTS), moved the way VADER moves it (a negation among the three words before flips and damps it,
  a booster before strengthens it, ALL-CAPS in a mixed-case post strengthens it, words before "but" count half
  and after it 1.5 times, "!" and "??" amplify the sum), summed into a compound-like score s / sqrt(s^2 + 15)
  (with one-hot bins), plus sums and counts of positive and negative words, "!", "?", capitalised words, links
  and handles;
- the healthcare scorer's clinical rules as word look-ups (CLINICAL_WORDS, the word classes they need): a test
  "positive" is bad news and a test "negative" good news, "false positive" and "HIV positive" are test
  vocabulary, harm words (cases, deaths, waits ...) followed by rising or falling words are bad or good news, a
  disease naming a service ("cancer center", "flu shots") or a care setting ("urgent care") carries no mood, a
  service opening or newly available is good news, "beat cancer" is hopeful, "rest in peace" is a death notice,
  "at no cost" is "free", "don't forget" is a reminder and "couldn't be happier" is happy. They change the valence
  of the words involved and add counts of good news, bad news and clinical terms.

`score()` returns a number in -1..1 whose `sentiment.label` is the model's most probable class:
p(positive) - p(negative), pushed to at least +-0.05 when positive or negative wins and scaled into (-0.05, 0.05)
when neutral wins. Train with `python -m pipelines.analytics.train` (see that module).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from pipelines.analytics.sentiment import DISEASES, LABELS, LEXICON_ADJUSTMENTS, SERVICES, VADER_VERSION

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
WEIGHTS = MODEL_DIR / "sentiment_trained.npy"
META = MODEL_DIR / "sentiment_trained.json"
FEATURES_VERSION = "2"  # the feature definitions below; part of the scorer's version

HASH_BITS = 18
HASH_BUCKETS = 1 << HASH_BITS
CHAR_NGRAMS = (3, 5)
_BINS = np.array([-0.75, -0.5, -0.25, -0.05, 0.05, 0.25, 0.5, 0.75])
DENSE_NAMES = (
    "compound", "compound_positive", "compound_negative",
    *(f"compound_bin_{i}" for i in range(len(_BINS) + 1)),
    "positive_sum", "negative_sum", "positive_words", "negative_words",
    "good_news", "bad_news", "clinical_term",
    "exclamations", "questions", "caps_words", "links", "handles", "words",
)
N_DENSE = len(DENSE_NAMES)
N_FEATURES = HASH_BUCKETS + N_DENSE
TRASH = N_FEATURES + 1  # the bucket of n-grams that cross a post boundary: its weight is always 0

_U = np.uint64
_P = _U(0x100000001B3)  # FNV-64 prime: odd, so invertible modulo 2**64
_P_INV = _U(pow(int(_P), -1, 1 << 64))
_BIGRAM = _U(0x9E3779B97F4A7C15)
_MIX = _U(0xBF58476D1CE4E5B9)
_SALTS = {name: _U(int(hashlib.sha256(name.encode()).hexdigest()[:16], 16))
          for name in ("word1", "word2", *(f"char{n}" for n in CHAR_NGRAMS))}

# VADER's constants (vaderSentiment 3.3.2): caps step, negation factor, the normalisation alpha. (Booster steps
# are the values of its BOOSTER_DICT.)
C_INCR, N_SCALAR, ALPHA = 0.733, -0.74, 15.0

# Words (see _Batch): in the ASCII-lowercased buffer, a run of a-z, 0-9, "_" and apostrophes that have such a byte
# on both sides; "!" and "?" each a word of their own; each non-ASCII character (a lead byte >= 0xC0 and its
# continuation bytes 0x80-0xBF) a word of its own; every other byte separates words.
_APOSTROPHE = ord("'")


def _mix(h: np.ndarray, salt: np.uint64) -> np.ndarray:
    """A bucket number for each 64-bit hash, in place: multiplicative (Fibonacci) hashing of the salted hash,
    top HASH_BITS bits (uint64 arithmetic wraps modulo 2**64). Returns an int64 view."""
    h ^= salt
    h *= _MIX
    h >>= _U(64 - HASH_BITS)
    return h.view(np.int64)


_POWERS: list[np.ndarray] = [np.ones(1, dtype=_U), np.ones(1, dtype=_U)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P^k and P^-k for k < n (modulo 2**64), from a cache that grows as batches grow."""
    if len(_POWERS[0]) < n:
        size = max(n, 2 * len(_POWERS[0]))
        _POWERS[0] = np.cumprod(np.full(size, _P, dtype=_U)) * _P_INV
        _POWERS[1] = np.cumprod(np.full(size, _P_INV, dtype=_U)) * _P
    return _POWERS[0][:n], _POWERS[1][:n]


def _later(a: np.ndarray) -> np.ndarray:
    """a[i - 1] at i (False at 0)."""
    return np.concatenate(([False], a[:-1]))


def _earlier(a: np.ndarray) -> np.ndarray:
    """a[i + 1] at i (False at the end)."""
    return np.concatenate((a[1:], [False]))


class _Batch:
    """The texts as one byte buffer " t1 \\0 t2 \\0 ... tn \\0" (right single quotes as apostrophes, a NUL inside
    a post as a space), its ASCII-lowercased copy, the position of each post's closing NUL, and the words (start,
    inclusive end, post, hash). Bytes from just after one NUL to the next one belong to one post."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.n = len(texts)
        joined = " \x00 ".join(texts)
        if joined.count("\x00") != len(texts) - 1:  # a NUL inside a post: take it out so posts stay apart
            joined = " \x00 ".join(t.replace("\x00", " ") for t in texts)
        joined = f" {joined} \x00".replace("\u2019", "'")
        self.data = data = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
        upper = (data - np.uint8(65)) < 26  # A-Z (uint8 arithmetic wraps below 65)
        self.low = low = data + upper.view(np.uint8) * np.uint8(32)
        self.nuls = np.flatnonzero(data == 0)
        plain = ((low - np.uint8(97)) < 26) | ((low - np.uint8(48)) < 10) | (low == 95)
        inner = (low == _APOSTROPHE) & _later(plain) & _earlier(plain)
        word = plain | inner
        alone = (low == 33) | (low == 63)
        lead = low >= 0xC0
        continuation = (low >= 0x80) & ~lead
        self.starts = np.flatnonzero((word & ~_later(word)) | alone | lead)
        self.ends = np.flatnonzero((word & ~_earlier(word)) | alone | ((lead | continuation) & ~_earlier(continuation)))
        # Position-independent polynomial hash of each word from prefix sums: sum b[k] P^(k - start).
        powers, inverse = _powers(len(low))
        terms = low.astype(_U)
        terms *= powers
        prefix = np.empty(len(low) + 1, dtype=_U)
        prefix[0] = 0
        np.cumsum(terms, out=prefix[1:])
        self.hashes = (prefix[self.ends + 1] - prefix[self.starts]) * inverse[self.starts]
        self.word_doc = self.post_of(self.starts)

    def post_of(self, positions: np.ndarray) -> np.ndarray:
        """The post of each byte position (none of them a NUL)."""
        return np.searchsorted(self.nuls, positions)


def _word_hashes(words: Sequence[str]) -> list[int]:
    """The hash of each word as _Batch finds it, or -1 for a string that is not exactly one word of that tokenizer
    (it can never be looked up)."""
    batch = _Batch(list(words))
    count = np.bincount(batch.word_doc, minlength=batch.n)
    first = np.searchsorted(batch.word_doc, np.arange(batch.n))
    out = []
    for i, word in enumerate(words):
        j = first[i]
        one = count[i] == 1 and batch.ends[j] - batch.starts[j] + 1 == len(word.encode("utf-8", "surrogatepass"))
        out.append(int(batch.hashes[j]) if one else -1)
    return out


# --- the word table: VADER valences and the word classes of the clinical rules ---------------------------------

_CLASSES = (
    "negation", "booster_up", "booster_down", "but", "test", "positive", "negative", "for", "false", "marker",
    "harm", "rise", "fall", "fall_before", "disease", "service", "setting", "care", "clinical_a", "clinical_b",
    "launch", "now", "available", "open", "passed", "passing", "away", "of", "rest", "in", "peace", "rip", "no",
    "cost", "beat", "the", "forget", "dont", "do", "not", "be", "happier", "link", "handle",
)
BIT = {name: np.uint64(1 << i) for i, name in enumerate(_CLASSES)}


def _clinical_words() -> dict[str, tuple[str, ...]]:
    from vaderSentiment.vaderSentiment import NEGATE

    from pipelines.analytics import sentiment

    harm = ("cases", "infections", "deaths", "hospitalizations", "hospitalisations", "admissions", "overdoses",
            "outbreaks", "positivity", "mortality", "illness", "illnesses", "diagnoses", "injuries", "obesity",
            "smoking", "vaping", "wait", "waiting", "times", "premiums", "cost", "costs", "prices", "price",
            "vacancies", "shortages", "uninsured", "tumor", "tumors", "tumour", "tumours", "rate", "rates")
    return {
        "negation": tuple(NEGATE),
        "but": ("but",),
        "test": ("tested", "test", "tests", "testing", "screened", "result", "results", "mammogram", "biopsy",
                 "scan", "scans", "screening", "swab", "culture", "pap", "smear", "ct", "mri", "sample", "samples",
                 "lab", "labs"),
        "positive": ("positive", "positives"), "negative": ("negative", "negatives"), "for": ("for",),
        "false": ("false",), "marker": ("hiv", "her2", "brca", "brca1", "brca2", "rh", "gram", "antibody", "egfr"),
        "harm": harm, "rise": sentiment.RISES, "fall": sentiment.FALLS,
        "fall_before": ("lowest", "lower", "lowered", "fewer", "reduce", "reduced", "drop", "decline", "fall"),
        "disease": DISEASES, "service": tuple(w + s for w in SERVICES for s in ("", "s")),
        "setting": ("urgent", "primary", "health", "intensive", "critical", "home", "routine", "preventive",
                    "dental", "hospice", "palliative", "patient"),
        "care": ("care",), "clinical_a": ("blood", "poison", "risk", "side"),
        "clinical_b": ("pressure", "control", "factor", "factors", "effect", "effects"),
        "launch": ("opens", "reopen", "reopens", "reopened", "reopening", "launches", "launched", "expands",
                   "expanded", "expanding"),
        "now": ("now",), "available": ("available",), "open": ("open", "offering", "accepting"),
        "passed": ("passed",), "passing": ("passing",), "away": ("away",), "of": ("of",), "rest": ("rest",),
        "in": ("in",), "peace": ("peace",), "rip": ("rip",), "no": ("no",), "cost": ("cost", "charge", "copay"),
        "beat": ("fight", "fights", "fighting", "beat", "beats", "beating", "overcame", "conquered"),
        "the": ("the",), "forget": ("forget",), "dont": ("don't", "dont"), "do": ("do",), "not": ("not",),
        "be": ("be",), "happier": ("happier", "prouder"), "link": ("http", "https", "www"),
    }


CLINICAL_WORDS = _clinical_words()


@lru_cache(maxsize=1)
def word_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted word hashes with each word's VADER valence (0 for a booster), booster weight and class bits."""
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    lexicon = dict(analyzer.lexicon)
    lexicon.update({w: v for w, v in LEXICON_ADJUSTMENTS.items() if not w.startswith("hc_")})
    valence: dict[int, float] = {}
    words = [w for w in lexicon if w not in BOOSTER_DICT]
    for w, h in zip(words, _word_hashes(words)):
        if h != -1:
            valence[h] = lexicon[w]
    emojis = [(e, sum(lexicon.get(w, 0.0) for w in d.lower().split() if w not in BOOSTER_DICT))
              for e, d in analyzer.emojis.items() if len(e) == 1]  # an emoji weighs what its description's words weigh
    for (emoji, v), h in zip(emojis, _word_hashes([e for e, _ in emojis])):
        if v and h != -1:
            valence.setdefault(h, v)
    bits: dict[int, int] = {}
    boost: dict[int, float] = {}
    for (w, b), h in zip(BOOSTER_DICT.items(), _word_hashes(list(BOOSTER_DICT))):
        if h != -1:
            boost[h] = b
            bits[h] = bits.get(h, 0) | int(BIT["booster_up" if b > 0 else "booster_down"])
    for name, words in CLINICAL_WORDS.items():
        for h in _word_hashes(words):
            if h != -1:
                bits[h] = bits.get(h, 0) | int(BIT[name])
    keys = np.array(sorted(set(valence) | set(bits) | set(boost)), dtype=_U)
    return (keys, np.array([valence.get(int(k), 0.0) for k in keys]),
            np.array([boost.get(int(k), 0.0) for k in keys]),
            np.array([bits.get(int(k), 0) for k in keys], dtype=_U))


def _lexicon(batch: _Batch) -> np.ndarray:
    """The dense features (DENSE_NAMES) of every post, shape (n, N_DENSE).

    Only a few words matter to each rule, so each rule starts from the words of its own class (its anchors) and
    looks up the classes of the words around them; the VADER modifiers run only on words that carry valence."""
    n, h, doc = batch.n, batch.hashes, batch.word_doc
    keys, valences, boosts, classes = word_table()
    m = len(h)
    where = np.minimum(np.searchsorted(keys, h), len(keys) - 1)
    where[keys[where] != h] = len(keys)  # the last entries of the padded tables: no valence, booster or class
    valences, boosts, classes = np.append(valences, 0.0), np.append(boosts, 0.0), np.append(classes, _U(0))
    v = valences[where]
    bits = classes[where]
    first = np.searchsorted(doc, np.arange(n + 1))  # each post's first word (and the end of the last post)
    classed = np.flatnonzero(bits != 0)
    classed_bits = bits[classed]

    def anchors(name: str) -> np.ndarray:
        return classed[(classed_bits & BIT[name]) != 0]

    def around(at: np.ndarray, k: int, table: np.ndarray, what: np.ndarray) -> np.ndarray:
        """table[what[j]] for the word j = at - k (k > 0: k words before; k < 0: -k words after), 0 where j lies
        outside the post of `at`."""
        j = at - k
        post = doc[at]
        inside = (j >= first[post]) & (j < first[post + 1])
        return np.where(inside, table[what[np.clip(j, 0, max(m - 1, 0))]], 0)

    def has(at: np.ndarray, k: int, name: str) -> np.ndarray:
        return (around(at, k, classes, where) & BIT[name]) != 0

    def pick(at: np.ndarray, keep: np.ndarray) -> np.ndarray:
        return at[keep]

    def union(*parts: np.ndarray) -> np.ndarray:
        return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)

    positive, negative = anchors("positive"), anchors("negative")
    result = union(positive, negative)
    vocabulary = has(result, 1, "false") | has(result, 1, "marker")
    test_vocabulary = result[vocabulary]
    tested = pick(result, ~vocabulary & (has(result, 1, "test") | has(result, 2, "test") | has(result, -1, "for")
                                         | has(result, -1, "test")))
    tested_positive = tested[(bits[tested] & BIT["positive"]) != 0]
    tested_negative = tested[(bits[tested] & BIT["negative"]) != 0]
    positive_count = pick(positive, has(positive, -1, "harm"))  # "positive cases": the trend rules judge them
    rise, fall = anchors("rise"), anchors("fall")
    rise_bad = pick(rise, np.logical_or.reduce([has(rise, k, "harm") for k in range(1, 8)]))
    fall_good = pick(fall, np.logical_or.reduce([has(fall, k, "harm") for k in range(1, 8)]))
    harm, fall_before = anchors("harm"), anchors("fall_before")
    fall_in = pick(harm, has(harm, 1, "fall_before") | has(harm, 2, "fall_before") | has(harm, 3, "fall_before"))
    fall_word = pick(fall_before, has(fall_before, -1, "harm") | has(fall_before, -2, "harm")
                     | has(fall_before, -3, "harm"))
    care = anchors("care")
    care = pick(care, has(care, 1, "setting"))
    setting = care - 1  # "urgent care" is one clinical term: neither word carries mood
    disease = anchors("disease")
    service_name = pick(disease, has(disease, -1, "service"))
    clinical_b = anchors("clinical_b")
    compound_b = pick(clinical_b, has(clinical_b, 1, "clinical_a"))
    available, opening = anchors("available"), anchors("open")
    launch = union(anchors("launch"), pick(available, has(available, 1, "now") | has(available, -1, "now")),
                   pick(opening, has(opening, 1, "now")))
    beaten = pick(disease, has(disease, 1, "beat") | (has(disease, 1, "the") & has(disease, 2, "beat")))
    beat = anchors("beat")
    fighting = pick(beat, has(beat, -1, "disease") | has(beat, -2, "disease"))
    away, passing_word, peace = anchors("away"), anchors("passing"), anchors("peace")
    passing = union(pick(away, has(away, 1, "passed")), pick(passing_word, has(passing_word, -1, "of")) + 1,
                    anchors("rip"), pick(peace, has(peace, 1, "in") & has(peace, 2, "rest")))
    cost = anchors("cost")
    cost = pick(cost, has(cost, 1, "no"))
    free = cost - 1  # "at no cost" reads as VADER's "free"
    forget = anchors("forget")
    reminder = pick(forget, has(forget, 1, "dont") | (has(forget, 1, "not") & has(forget, 2, "do")))
    happier = anchors("happier")
    happy = pick(happier, has(happier, 1, "be"))

    good = union(tested_negative, fall_good, fall_in, launch, beaten)
    bad = union(tested_positive, rise_bad, passing)
    clinical = union(test_vocabulary, service_name, care, compound_b, compound_b - 1)
    neutral = union(clinical, setting, positive_count, fall_word, fighting, cost, reminder)
    v[neutral] = 0.0
    v[bad] = -1.8
    v[good] = 1.8
    v[free] = 2.3

    # VADER's modifiers, on the words that carry valence.
    valued = np.flatnonzero(v)
    value = v[valued]
    sign = np.sign(value)
    value = value + sign * (around(valued, 1, boosts, where) + 0.95 * around(valued, 2, boosts, where)
                            + 0.9 * around(valued, 3, boosts, where))
    starts, ends, data = batch.starts, batch.ends, batch.data
    # ALL-CAPS words: every byte an upper-case letter, at least two of them (upper-case bytes are few: find them,
    # then their words).
    word_of = np.searchsorted(starts, np.flatnonzero(data != batch.low), side="right") - 1
    if len(word_of):
        change = np.flatnonzero(np.diff(word_of)) + 1
        run_start = np.concatenate(([0], change))
        upper_words = word_of[run_start]
        upper_count = np.diff(np.concatenate((run_start, [len(word_of)])))
        caps_words_at = upper_words[(upper_count >= 2) & (upper_count == ends[upper_words] - starts[upper_words] + 1)]
    else:
        caps_words_at = np.empty(0, dtype=np.int64)
    caps_words = np.bincount(doc[caps_words_at], minlength=n).astype(np.float64)
    words = np.bincount(doc, minlength=n)
    mixed = (caps_words > 0) & (caps_words < words)
    caps = np.zeros(m, dtype=bool)
    caps[caps_words_at] = True
    value = value + np.where(caps[valued] & mixed[doc[valued]], sign * C_INCR, 0.0)
    negation = np.zeros(m, dtype=bool)
    negation[anchors("negation")] = True
    negation[free] = False
    shielded = np.zeros(m, dtype=bool)
    shielded[happy] = shielded[free] = True

    def negation_at(k: int) -> np.ndarray:
        return around(valued, k, negation, np.arange(m))

    negated = (negation_at(1) | negation_at(2) | negation_at(3)) & ~shielded[valued]
    value = np.where(negated, value * N_SCALAR, value)
    buts = anchors("but")
    if len(buts):  # VADER: words before a post's first "but" count half, words after it 1.5 times
        first_but = np.full(n, m)
        first_but[doc[buts[::-1]]] = buts[::-1]  # repeated posts: the last write, the post's first "but", stays
        at = first_but[doc[valued]]
        value = value * np.where(at == m, 1.0, np.where(valued > at, 1.5, np.where(valued == at, 1.0, 0.5)))

    valued_doc = doc[valued]
    total = np.bincount(valued_doc, weights=value, minlength=n)
    positive_sum = np.bincount(valued_doc, weights=np.maximum(value, 0.0), minlength=n)
    negative_sum = total - positive_sum
    n_positive = np.bincount(valued_doc, weights=value > 0.05, minlength=n)
    n_negative = np.bincount(valued_doc, weights=value < -0.05, minlength=n)

    def per_post(byte: str) -> np.ndarray:
        return np.bincount(batch.post_of(np.flatnonzero(data == ord(byte))), minlength=n).astype(np.float64)

    exclaim, question = per_post("!"), per_post("?")
    amplify = np.minimum(exclaim, 4) * 0.292 + np.where(question > 1, np.where(question <= 3, question * 0.18, 0.96), 0)
    total = total + np.sign(total) * amplify
    compound_score = total / np.sqrt(total * total + ALPHA)
    bins = np.zeros((n, len(_BINS) + 1))
    bins[np.arange(n), np.searchsorted(_BINS, compound_score, side="right")] = 1.0
    handles = per_post("@")
    links = np.bincount(doc[anchors("link")], minlength=n).astype(np.float64)
    counts = [np.bincount(doc[f], minlength=n).astype(np.float64) for f in (good, bad, clinical)]
    return np.column_stack((
        compound_score, compound_score >= 0.05, compound_score <= -0.05, bins,
        np.log1p(positive_sum), np.log1p(-negative_sum), np.minimum(n_positive, 4) / 4,
        np.minimum(n_negative, 4) / 4, *(np.minimum(c, 3) for c in counts),
        np.minimum(exclaim, 4) / 4, np.minimum(question, 4) / 4, np.minimum(caps_words, 3) / 3,
        np.minimum(links, 2) / 2, np.minimum(handles, 3) / 3, np.log1p(words) / 4,
    ))


# A block of hashed features: (entries of each post, bucket of each entry, per-post scale); entries in post order.
Block = tuple[np.ndarray, np.ndarray, np.ndarray]


def _char_blocks(batch: _Batch) -> list[Block]:
    """Byte n-grams (CHAR_NGRAMS) of the lowercased buffer; one block per n, sharing one per-post scale. An n-gram
    belongs to the post it starts in; one that holds a NUL (crosses into the next post) goes to TRASH."""
    b, nuls = batch.low.astype(_U), batch.nuls
    length = np.diff(np.concatenate(([-1], nuls))) - 1  # bytes of each padded post, NUL excluded
    count = sum(np.maximum(length - n + 1, 0) for n in CHAR_NGRAMS)
    scale = 1.0 / np.sqrt(np.maximum(count, 1))
    blocks = []
    h = b
    for n in range(2, max(CHAR_NGRAMS) + 1):
        m = max(len(b) - n + 1, 0)
        h = h[:m] * _P
        h += b[n - 1 : n - 1 + m]
        if n in CHAR_NGRAMS:
            buckets = h ^ _SALTS[f"char{n}"]
            buckets *= _MIX
            buckets >>= _U(64 - HASH_BITS)
            buckets = buckets.view(np.int64)
            # The n-grams that start in the n - 1 bytes before a NUL, or at it, hold that NUL.
            crossing = (nuls[:, None] - np.arange(n)).ravel()
            buckets[crossing[(crossing >= 0) & (crossing < m)]] = TRASH
            entries = np.diff(np.concatenate(([0], np.minimum(nuls + 1, m))))  # n-gram starts in each post
            blocks.append((entries, buckets, scale))
    return blocks


def _word_blocks(batch: _Batch) -> list[Block]:
    """Word unigrams and bigrams (two blocks sharing one per-post scale)."""
    doc, hashes, n = batch.word_doc, batch.hashes, batch.n
    same = doc[1:] == doc[:-1]
    bigrams = hashes[:-1][same] * _BIGRAM + hashes[1:][same]
    unigram_count = np.bincount(doc, minlength=n)
    bigram_count = np.bincount(doc[:-1][same], minlength=n)
    scale = 1.0 / np.sqrt(np.maximum(unigram_count + bigram_count, 1))
    return [(unigram_count, _mix(hashes.copy(), _SALTS["word1"]), scale),
            (bigram_count, _mix(bigrams, _SALTS["word2"]), scale)]


def columns(weights: np.ndarray) -> np.ndarray:
    """The hashed weights as float32, shape (TRASH + 1, 2): negative's and positive's weight each minus neutral's,
    and zero rows for the dense features' slots and TRASH. Class scores relative to neutral's are all the softmax
    and the argmax need, and they cost two multiply-adds per n-gram instead of three."""
    out = np.zeros((TRASH + 1, 2), dtype=np.float32)
    hashed = weights[:HASH_BUCKETS].astype(np.float32)
    out[:HASH_BUCKETS, 0] = hashed[:, 0] - hashed[:, 1]
    out[:HASH_BUCKETS, 1] = hashed[:, 2] - hashed[:, 1]
    return out


class Features:
    """The features of a batch: hashed blocks (each entry worth its post's scale; repeats add up) and a dense part
    of N_DENSE columns per post (plus `extra` columns, for experiments). Hashed buckets are columns
    0..HASH_BUCKETS-1, dense ones follow."""

    def __init__(self, texts: Sequence[str], extra: np.ndarray | None = None) -> None:
        texts = [t if isinstance(t, str) else "" for t in texts]
        self.n = len(texts)
        batch = _Batch(texts)
        self.blocks = _char_blocks(batch) + _word_blocks(batch)
        self.dense = _lexicon(batch) if extra is None else np.column_stack((_lexicon(batch), extra))

    def sparse_matrix(self):
        """The whole feature matrix as scipy CSR (for training; needs scipy)."""
        from scipy import sparse

        rows = np.concatenate([np.repeat(np.arange(self.n), entries) for entries, _, _ in self.blocks])
        buckets = np.concatenate([b for _, b, _ in self.blocks])
        values = np.concatenate([np.repeat(scale, entries) for entries, _, scale in self.blocks])
        keep = buckets != TRASH
        hashed = sparse.csr_matrix((values[keep], (rows[keep], buckets[keep])), shape=(self.n, HASH_BUCKETS))
        hashed.sum_duplicates()
        return sparse.hstack([hashed, sparse.csr_matrix(self.dense)], format="csr")

    def decision(self, weights: np.ndarray, by_class: np.ndarray | None = None) -> np.ndarray:
        """Class scores relative to the neutral class's (its column is 0), shape (n, 3), for weights of shape
        (HASH_BUCKETS + dense columns + 1, 3) (last row: intercepts); `by_class` is columns(weights), if the
        caller keeps it. Each block is a sparse matrix (a post's entries are one run) times the
        weights: scipy's compiled loop, two multiply-adds per entry."""
        from scipy import sparse

        by_class = columns(weights) if by_class is None else by_class
        hashed = np.zeros((self.n, 2))
        for entries, buckets, scale in self.blocks:
            indptr = np.zeros(self.n + 1, dtype=np.int32)
            np.cumsum(entries, out=indptr[1:])
            matrix = sparse.csr_matrix((_ones(len(buckets)), buckets.astype(np.int32), indptr),
                                       shape=(self.n, len(by_class)))
            hashed += (matrix @ by_class) * scale[:, None]
        rest = weights[HASH_BUCKETS:].astype(np.float64)
        rest = rest - rest[:, 1:2]
        out = self.dense @ rest[:-1] + rest[-1]
        out[:, 0] += hashed[:, 0]
        out[:, 2] += hashed[:, 1]
        return out


_ONES: list[np.ndarray] = [np.ones(0, dtype=np.float32)]


def _ones(n: int) -> np.ndarray:
    """n float32 ones (a view of a cached array that grows as batches grow)."""
    if len(_ONES[0]) < n:
        _ONES[0] = np.ones(max(n, 2 * len(_ONES[0])), dtype=np.float32)
    return _ONES[0][:n]


def to_scores(decision: np.ndarray) -> np.ndarray:
    """Compound-like scores from class scores (columns in LABELS order); see the module docstring."""
    z = decision - decision.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    best = decision.argmax(axis=1)
    diff = p[:, 2] - p[:, 0]
    return np.where(best == 2, np.clip(diff, 0.05, 1.0),
                    np.where(best == 0, np.clip(diff, -1.0, -0.05), diff * 0.049))


def weights_digest(weights: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(weights).tobytes()).hexdigest()


class TrainedScorer:
    """The shipped linear model (pipelines/models/sentiment_trained.npy)."""

    name = "trained"

    def __init__(self, weights: np.ndarray | None = None, chunk: int = 5000) -> None:
        if weights is None:
            weights = np.load(WEIGHTS, allow_pickle=False)
        if weights.shape != (N_FEATURES + 1, len(LABELS)):
            raise ValueError(f"weights of shape {weights.shape}; expected {(N_FEATURES + 1, len(LABELS))}")
        self._weights = weights
        self._by_class = columns(weights)  # float32 (float16 on disk: numpy gathers float32 far faster)
        self._chunk = chunk
        word_table()
        self.version = f"{weights_digest(weights)[:8]}+f{FEATURES_VERSION}+vader{VADER_VERSION}"

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        parts = [Features(texts[i : i + self._chunk]).decision(self._weights, self._by_class)
                 for i in range(0, len(texts), self._chunk)]
        return np.concatenate(parts) if parts else np.empty((0, len(LABELS)))

    def score(self, texts: Sequence[str]) -> list[float]:
        texts = list(texts)
        scores = to_scores(self.decision(texts)).tolist() if texts else []
        # As the other scorers: a post without text has no sentiment to read.
        return [s if isinstance(t, str) else 0.0 for s, t in zip(scores, texts)]


def metadata() -> dict:
    return json.loads(META.read_text(encoding="utf-8"))
