"""VADER 3.3.2's compound score, computed faster and to the same float.

`FastVader(lexicon, emojis).compound(text)` equals `SentimentIntensityAnalyzer.polarity_scores(text)["compound"]`
of an analyzer holding that lexicon (and, when `emojis` is given, doing VADER's per-character emoji pass; with
`emojis=None` it stands in for an analyzer that skips that pass, like sentiment._NamedEmojiAnalyzer). Every rule
of the reference is kept, including its quirks; only the bookkeeping differs:

* the text is lowercased once (ASCII text as a whole, other text token by token as VADER does),
* tokens outside the lexicon cost one set lookup; the rules run only for the lexicon words of a text,
* negation words, boosters, idioms are precomputed sets and tuple-keyed dicts instead of per-word list rebuilds
  and string joins,
* emoji are looked up only at non-ASCII characters (found by a regular expression), not by a Python loop over
  every character; ASCII text skips the emoji pass.

The constants (booster, negation and idiom tables, the scalars) and the lexicons are read from the installed
vaderSentiment package at import/construction time, so they cannot drift from the analyzer they replace.
tests/test_vader_fast.py checks equality (==) with the real analyzers on thousands of texts.
"""

from __future__ import annotations

import math
import re
import string
from typing import Mapping, Sequence

from vaderSentiment import vaderSentiment as _vs

N_SCALAR = _vs.N_SCALAR
C_INCR = _vs.C_INCR
_PUNCTUATION = string.punctuation

# Single words only: a whitespace-split token never contains a space, so multi-word keys can only match n-grams.
_BOOSTERS: dict[str, float] = {w: v for w, v in _vs.BOOSTER_DICT.items() if " " not in w}
_BOOSTER_NGRAMS: dict[tuple[str, ...], float] = {
    tuple(w.split(" ")): v for w, v in _vs.BOOSTER_DICT.items() if " " in w
}
_SPECIAL: dict[tuple[str, ...], float] = {tuple(w.split(" ")): v for w, v in _vs.SPECIAL_CASES.items() if " " in w}
_NEGATE = frozenset(_vs.NEGATE)
_SO_THIS = ("so", "this")
_OR_NOR = ("or", "nor")
# Any word of a multi-word idiom or booster: an idiom can only match near a lexicon word if one of these is there.
_IDIOM_WORDS = frozenset(w for key in (*_BOOSTER_NGRAMS, *_SPECIAL) for w in key)


def _negated(word: str) -> bool:
    """vaderSentiment.negated([word]) for an already lowercased word (str.lower is idempotent)."""
    return word in _NEGATE or "n't" in word


def _amplifiers() -> dict[tuple[int, int], float]:
    """Punctuation emphasis by (exclamation marks capped at 4, question marks capped at 4), same arithmetic."""
    table = {}
    for ep in range(5):
        for qm in range(5):
            qm_amp = 0
            if qm > 1:
                qm_amp = qm * 0.18 if qm <= 3 else 0.96
            table[ep, qm] = ep * 0.292 + qm_amp
    return table


_AMPLIFIER = _amplifiers()


def _strip_token(token: str) -> str:
    stripped = token.strip(_PUNCTUATION)
    return token if len(stripped) <= 2 else stripped


class FastVader:
    """VADER's compound score for one lexicon (word -> valence) and optional emoji lexicon (char -> description)."""

    def __init__(self, lexicon: Mapping[str, float], emojis: Mapping[str, str] | None = None) -> None:
        self.lexicon = dict(lexicon)
        # Words that carry valence themselves: boosters never do, whatever the lexicon says.
        self._scoring = {w: v for w, v in self.lexicon.items() if w not in _BOOSTERS}
        self._scoring_keys = frozenset(self._scoring)
        self._least_is_word = "least" in self.lexicon
        if emojis is None:
            self._emojis = None
            self._emoji_re = None
            self._ascii_emoji = False
        else:
            # VADER tests each character against the emoji dict, so only one-character keys ever match.
            self._emojis = {k: v for k, v in emojis.items() if len(k) == 1}
            self._ascii_emoji = any(c.isascii() for c in self._emojis)
            # Candidates only (a class of all 1,200 emoji is slow in `re`): the dict decides. Emoji are non-ASCII.
            self._emoji_re = re.compile(r"[^\x00-\x7f]" if not self._ascii_emoji else r".", re.DOTALL)

    @classmethod
    def vanilla(cls) -> "FastVader":
        """The package's own lexicons, read from the installed vaderSentiment files."""
        analyzer = _vs.SentimentIntensityAnalyzer()
        return cls(analyzer.lexicon, analyzer.emojis)

    # --- text -> tokens ------------------------------------------------------------------------------------
    def _name_emoji(self, text: str) -> str:
        """VADER's emoji pass: each emoji becomes its description, after a space unless one precedes it."""
        parts: list[str] = []
        last = 0
        emojis = self._emojis
        for match in self._emoji_re.finditer(text):
            char = match.group()
            if char not in emojis:
                continue
            start = match.start()
            parts.append(text[last:start])
            if start and text[start - 1] != " ":
                parts.append(" ")
            parts.append(emojis[char])
            last = start + 1
        if not parts:
            return text
        parts.append(text[last:])
        return "".join(parts).strip()

    def compound(self, text: str) -> float:
        """polarity_scores(text)["compound"] of the analyzer this instance stands in for."""
        if self._emoji_re is not None and (self._ascii_emoji or not text.isascii()):
            text = self._name_emoji(text)
        if text.isascii():
            # ASCII lowercasing and punctuation stripping commute, so lowercase the whole text once.
            low = text.lower()
            lows = [t if len(s := t.strip(_PUNCTUATION)) <= 2 else s for t in low.split()]
            if self._scoring_keys.isdisjoint(lows):
                return 0.0
            if low == text:
                words = lows
                cap_diff = False
            else:
                # Only str.isupper is asked of `words`, and stripping ASCII punctuation (uncased) cannot change it.
                words = text.split()
                caps = sum(map(str.isupper, words))
                cap_diff = 0 < caps < len(words)
        else:
            words = [t if len(s := t.strip(_PUNCTUATION)) <= 2 else s for t in text.split()]
            lows = [w.lower() for w in words]
            if self._scoring_keys.isdisjoint(lows):
                return 0.0
            caps = sum(map(str.isupper, words))
            cap_diff = 0 < caps < len(words)

        scoring = self._scoring
        n = len(lows)
        values: list = []
        positions: list[int] = []
        for i, w in enumerate(lows):
            if w in scoring:
                if w == "kind" and i + 1 < n and lows[i + 1] == "of":
                    continue
                positions.append(i)
                values.append(self._valence(i, w, lows, words, n, cap_diff))

        if "but" in lows:
            total = float(sum(self._but_weighted(lows, positions, values, n)))
        else:
            total = float(sum(values))
        if total == 0:
            return round(total / math.sqrt(total * total + 15), 4)
        ep = text.count("!")
        qm = text.count("?")
        amplifier = _AMPLIFIER[4 if ep > 4 else ep, 4 if qm > 4 else qm]
        if total > 0:
            total += amplifier
        else:
            total -= amplifier
        score = total / math.sqrt(total * total + 15)
        if score < -1.0:
            score = -1.0
        elif score > 1.0:
            score = 1.0
        return round(score, 4)

    def score(self, texts: Sequence[str]) -> list[float]:
        compound = self.compound
        return [compound(text) for text in texts]

    # --- the rules -------------------------------------------------------------------------------------------
    def _valence(self, i: int, w: str, lows: list[str], words: list[str], n: int, cap_diff: bool) -> float:
        lexicon = self.lexicon
        valence = lexicon[w]
        p1 = lows[i - 1] if i > 0 else None
        p2 = lows[i - 2] if i > 1 else None
        p3 = lows[i - 3] if i > 2 else None
        # "no" before another lexicon word negates that word instead of counting itself.
        if w == "no" and i != n - 1 and lows[i + 1] in lexicon:
            valence = 0.0
        if p1 == "no" or p2 == "no" or (p3 == "no" and p1 in _OR_NOR):
            valence = lexicon[w] * N_SCALAR
        if cap_diff and words[i].isupper():
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR

        # One, two and three words back, each only if that word is not itself a lexicon word.
        if p1 is not None and p1 not in lexicon:
            if p1 in _BOOSTERS:
                valence = valence + self._booster(p1, words[i - 1], valence, cap_diff)
            if _negated(p1):
                valence = valence * N_SCALAR
        if p2 is not None and p2 not in lexicon:
            if p2 in _BOOSTERS:
                valence = valence + self._booster(p2, words[i - 2], valence, cap_diff) * 0.95
            if p2 == "never" and p1 in _SO_THIS:
                valence = valence * 1.25
            elif p2 == "without" and p1 == "doubt":
                pass
            elif _negated(p2):
                valence = valence * N_SCALAR
        if p3 is not None and p3 not in lexicon:
            if p3 in _BOOSTERS:
                valence = valence + self._booster(p3, words[i - 3], valence, cap_diff) * 0.9
            # As in VADER: ("never" and "so"/"this") or "so"/"this" right before the word.
            if (p3 == "never" and p2 in _SO_THIS) or p1 in _SO_THIS:
                valence = valence * 1.25
            elif p3 == "without" and (p2 == "doubt" or p1 == "doubt"):
                pass
            elif _negated(p3):
                valence = valence * N_SCALAR
            if not _IDIOM_WORDS.isdisjoint(lows[i - 3 : i + 3]):
                valence = self._idioms(valence, lows, i, n)

        # "least" before the word negates it, unless "at least" or "very least".
        if p1 == "least" and not self._least_is_word:
            if i > 1:
                if p2 != "at" and p2 != "very":
                    valence = valence * N_SCALAR
            else:
                valence = valence * N_SCALAR
        return valence

    @staticmethod
    def _booster(low: str, word: str, valence: float, cap_diff: bool) -> float:
        scalar = _BOOSTERS[low]
        if valence < 0:
            scalar *= -1
        if cap_diff and word.isupper():
            if valence > 0:
                scalar += C_INCR
            else:
                scalar -= C_INCR
        return scalar

    @staticmethod
    def _idioms(valence: float, lows: list[str], i: int, n: int) -> float:
        w0, w1, w2, w3 = lows[i], lows[i - 1], lows[i - 2], lows[i - 3]
        for key in ((w1, w0), (w2, w1, w0), (w2, w1), (w3, w2, w1), (w3, w2)):
            if key in _SPECIAL:
                valence = _SPECIAL[key]
                break
        if n - 1 > i:
            key = (w0, lows[i + 1])
            if key in _SPECIAL:
                valence = _SPECIAL[key]
        if n - 1 > i + 1:
            key = (w0, lows[i + 1], lows[i + 2])
            if key in _SPECIAL:
                valence = _SPECIAL[key]
        for key in ((w3, w2, w1), (w3, w2), (w2, w1)):
            if key in _BOOSTER_NGRAMS:
                valence = valence + _BOOSTER_NGRAMS[key]
        return valence

    @staticmethod
    def _but_weighted(lows: list[str], positions: list[int], values: list, n: int) -> list:
        """VADER's 'but' rule with its quirk: each value is re-weighted at the first position holding an equal
        value (list.index), so repeated values (zeros included) weigh where their first copy sits."""
        sentiments: list = [0] * n
        for i, v in zip(positions, values):
            sentiments[i] = v
        but = lows.index("but")
        for k in range(n):
            value = sentiments[k]
            first = sentiments.index(value)
            if first < but:
                sentiments[first] = value * 0.5
            elif first > but:
                sentiments[first] = value * 1.5
        return sentiments
