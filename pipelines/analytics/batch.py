"""Themes and risk pre-screens over a whole batch of posts at once, in compiled code (numpy over the batch's code
points, RE2 over Arrow strings), so Python runs per post only for the few posts a pre-screen selects.

Themes. The batch is joined, lower-cased and read as code points once.
- Tokens are the characters between themes._SPLIT separators, as `ThemeSet.classify` splits a post's bytes; each is
  hashed (a 64-bit polynomial hash from prefix sums) and each distinct hash gets its theme bits and phrase-key bits
  once per process (`_Matcher.token_bits`, the function the per-post path uses). A post's themes are the OR of its
  tokens' bits (`np.bitwise_or.reduceat`).
- Phrases ("grand rounds", "we're hiring", "clinical trial*") are found as sequences of words (runs of Python's \\w,
  accented letters read as the base letter a phrase's accented pattern allows), hashed the same way: that is where
  the phrase's regular expression matches. A phrase counts where its key word is among the post's tokens, as in the
  per-post path (so not inside a link).
- A post holding a NUL goes the per-post way.

Risk. `risk.assess` returns NO_RISK for a post in which none of the following occurs, and RE2 finds the posts in
which one does: digits shaped like a phone number, SSN or date; a hash before digits; an e-mail shape; look-alike
letters between letters; a claim word or a swear form; a record cue with three digits in a row, a birth cue with a
digit, a street cue with a house number or "box"; a name cue (honorific, "patient", greeting) before a capital, or a
capital before a patient verb; a character whose case mapping RE2 and Python read differently. Each pattern is a
superset of the detector it stands for. Only those posts are assessed, one by one.

`tests/test_batch.py` checks that the batch equals the per-post path on the sample, the labelled real posts, the
loader's fuzz corpus, mutated texts and 100k generated posts of both generator shapes. Two distinct tokens with one
64-bit hash would share theme bits; with short tokens of real text this is vanishingly rare.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.analytics import risk, themes
from pipelines.analytics.trained import _powers  # P^k and P^-k modulo 2**64: polynomial hashes by prefix sums

_U = np.uint64
_WHITESPACE = frozenset(b" \t\n\r\x0b\x0c")
# ASCII characters that end a theme token: what themes._SPLIT turns into bytes.split() whitespace, and NUL (the
# post separator).
_THEME_SEP = np.array([b == 0 or themes._SPLIT[b] in _WHITESPACE for b in range(128)], dtype=bool)


class _Buffer:
    """Texts joined by NUL into one string (lower-cased if asked).

    `clean` is False for a post that holds a NUL itself (the batch cannot tell where it ends): such posts go the
    per-post way."""

    def __init__(self, texts: Sequence[str], lower: bool) -> None:
        n = len(texts)
        joined = "\x00".join(texts)
        self.clean = np.ones(n, dtype=bool)
        if joined.count("\x00") != n - 1:
            self.clean = np.array(["\x00" not in t for t in texts], dtype=bool)
            joined = "\x00".join(t if ok else t.replace("\x00", " ") for t, ok in zip(texts, self.clean))
        self.text = joined.lower() if lower else joined


# --- themes ----------------------------------------------------------------------------------------------------------

# Python's \w for the Basic Multilingual Plane (str.isalnum() or "_"), and the base letter a phrase's accented pattern
# lets each accented letter stand for (themes._VARIANTS): "clínico" holds the word "clinico" for a phrase.
_BMP = 1 << 16
_IS_WORD = np.array([chr(c).isalnum() or c == 95 for c in range(_BMP)], dtype=bool)
_BASE = np.arange(_BMP, dtype=np.uint32)
for _plain, _accented in themes._VARIANTS.items():
    _BASE[[ord(c) for c in _accented]] = ord(_plain)


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _is_word(cps: np.ndarray) -> np.ndarray:
    small = cps < _BMP
    out = np.zeros(len(cps), dtype=bool)
    out[small] = _IS_WORD[cps[small]]
    if not small.all():
        big, inverse = np.unique(cps[~small], return_inverse=True)
        out[~small] = np.array([chr(c).isalnum() for c in big.tolist()], dtype=bool)[inverse]
    return out


def _runs(word: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    edges = np.diff(np.concatenate(([False], word, [False])).view(np.int8))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _prefix_hashes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prefix sums of values x P^k, and P^-k: the hash of values[s:e] is (prefix[e] - prefix[s]) x inverse[s]."""
    powers, inverse = _powers(len(values))
    return np.concatenate(([_U(0)], np.cumsum(values.astype(_U) * powers, dtype=_U))), inverse


def _word_hash(word: str) -> int:
    cps = _code_points(word)
    prefix, inverse = _prefix_hashes(cps)
    return int((prefix[len(cps)] - prefix[0]) * inverse[0])


_BIGRAM = _U(0x9E3779B97F4A7C15)


def _sequence_hash(hashes: list[int]) -> int:
    h = 0
    for value in hashes:
        h = (h * int(_BIGRAM) + value) % (1 << 64)
    return h


class _Membership:
    """Whether 64-bit hashes are in a small set: a 2**20-bit filter on the low bits, then an exact check."""

    BITS = 20

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.unique(values)
        self.filter = np.zeros(1 << self.BITS, dtype=bool)
        self.filter[(self.values & _U((1 << self.BITS) - 1)).astype(np.int64)] = True

    def isin(self, hashes: np.ndarray) -> np.ndarray:
        maybe = self.filter[(hashes & _U((1 << self.BITS) - 1)).astype(np.int64)]
        if maybe.any():
            maybe[maybe] = np.isin(hashes[maybe], self.values)
        return maybe


class _Compiled:
    """A theme set's phrases as word sequences: per (words, wildcard prefix length) group, the sequence hashes."""

    def __init__(self, theme_set: themes.ThemeSet) -> None:
        self.theme_set = theme_set
        m = theme_set._matcher
        self.n_themes = m.n_themes
        self.n_phrases = len(m.phrases)
        self.phrase_theme = np.array([bit.bit_length() - 1 for _, _, bit in m.phrases], dtype=np.int64)
        # The same phrases as the matcher, in its order: themes._compile appends them as it reads the file.
        groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
        j = 0
        for words, wildcard in m.phrase_words:
            hashes = [_word_hash(w) for w in words]
            key = (len(words), len(words[-1]) if wildcard else 0)
            groups.setdefault(key, []).append((_sequence_hash(hashes), j))
            j += 1
        assert j == self.n_phrases, "phrases out of step with the matcher"
        firsts = np.unique(np.array([_word_hash(words[0]) for words, _ in m.phrase_words], dtype=_U))
        self.first_words = _Membership(firsts)
        self.groups = {}
        for key, entries in groups.items():
            entries.sort()
            self.groups[key] = (np.array([h for h, _ in entries], dtype=_U), np.array([p for _, p in entries]))
        self.tokens = _TokenTable(theme_set)


class _TokenTable:
    """Theme bits and phrase-key bits of the token hashes seen so far, in sorted numpy arrays."""

    LIMIT = 2_000_000  # distinct tokens kept (about 60 MB) before the table starts again

    def __init__(self, theme_set: themes.ThemeSet) -> None:
        self.matcher = theme_set._matcher
        self.words = (len(self.matcher.phrases) + 63) // 64
        self._reset()

    def look_up(self, hashes: np.ndarray, text: str, starts: np.ndarray, ends: np.ndarray):
        """(theme bits, phrase-key bit words) of each token (text[start:end]), computing unseen ones."""
        if len(self.bits) > self.LIMIT:
            self._reset()
        pos = self.index.get_indexer(hashes)
        unknown = pos < 0
        if unknown.any():
            new_hashes, first = np.unique(hashes[unknown], return_index=True)
            where = np.flatnonzero(unknown)[first]
            n = self.matcher.n_themes
            new_bits = [self.matcher.token_bits(text[s:e].encode("utf-8", "replace"))
                        for s, e in zip(starts[where].tolist(), ends[where].tolist())]
            mask, word_mask = (1 << n) - 1, (1 << 64) - 1
            keys = np.array([[(b >> n >> 64 * w) & word_mask for w in range(self.words)] for b in new_bits],
                            dtype=_U).reshape(len(new_bits), self.words)
            self.index = self.index.append(pd.Index(new_hashes))
            self.bits = np.concatenate((self.bits, np.array([b & mask for b in new_bits], dtype=_U)))
            self.keys = np.concatenate((self.keys, keys))
            pos = self.index.get_indexer(hashes)
        return self.bits[pos], self.keys[pos]

    def _reset(self) -> None:
        self.index = pd.Index(np.empty(0, dtype=_U))
        self.bits = np.empty(0, dtype=_U)
        self.keys = np.empty((0, self.words), dtype=_U)


_compiled: dict[int, _Compiled] = {}


def _compiled_for(theme_set: themes.ThemeSet) -> _Compiled:
    found = _compiled.get(id(theme_set))
    if found is None or found.theme_set is not theme_set:
        found = _compiled[id(theme_set)] = _Compiled(theme_set)
    return found


def _or_by_post(values: np.ndarray, post: np.ndarray, n: int) -> np.ndarray:
    """OR of values per post (post ascending), zero for a post with none."""
    out = np.zeros((n,) + values.shape[1:], dtype=_U)
    if len(post):
        first = np.flatnonzero(np.concatenate(([True], post[1:] != post[:-1])))
        out[post[first]] = np.bitwise_or.reduceat(values, first, axis=0)
    return out


def _phrase_hits(compiled: _Compiled, cps: np.ndarray, char_post: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(post, phrase) of every phrase occurrence: its words in order as whole words (runs of Python's \\w in the
    lowered text, accented letters read as their base letter), the last one a prefix when the phrase ends in '*'.
    That is where the phrase's regular expression matches (what ThemeSet.classify searches), word for word."""
    starts, ends = _runs(_is_word(cps))
    if not len(starts):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    base = np.where(cps < _BMP, _BASE[np.minimum(cps, _BMP - 1)], cps)
    prefix, inverse = _prefix_hashes(base)
    word_hash = (prefix[ends] - prefix[starts]) * inverse[starts]
    word_post = char_post[starts]
    length = ends - starts
    # Only words that open some phrase can start an occurrence.
    opening = np.flatnonzero(compiled.first_words.isin(word_hash))
    posts, phrases = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    for (k, wildcard), (table, ids) in compiled.groups.items():
        at = opening[opening + k <= len(starts)]
        at = at[word_post[at] == word_post[at + k - 1]]
        h = np.zeros(len(at), dtype=_U)
        for i in range(k):
            if i == k - 1 and wildcard:
                last = starts[at + i]
                long_enough = length[at + i] >= wildcard
                at, last, h = at[long_enough], last[long_enough], h[long_enough]
                value = (prefix[last + wildcard] - prefix[last]) * inverse[last]
            else:
                value = word_hash[at + i]
            h = h * _BIGRAM + value
        found = np.searchsorted(table, h)
        found[found == len(table)] = 0
        hit = table[found] == h
        posts.append(word_post[at[hit]])
        phrases.append(ids[found[hit]])
    return np.concatenate(posts), np.concatenate(phrases)


def classify_themes(texts: Sequence[str], theme_set: themes.ThemeSet | None = None) -> list[tuple[str, ...]]:
    """themes.classify of every text, for a whole batch; equal to `[theme_set.classify(t) for t in texts]`."""
    theme_set = theme_set or themes.default_themes()
    compiled = _compiled_for(theme_set)
    n = len(texts)
    if n == 0:
        return []
    buffer = _Buffer(texts, lower=True)
    cps = _code_points(buffer.text)
    nul = cps == 0
    char_post = np.cumsum(nul) - nul
    # Tokens as ThemeSet.classify splits the UTF-8 bytes: ASCII separators end one; a lone surrogate, written as
    # "?" by the "replace" encoding, does too; every other non-ASCII character stays inside.
    sep = np.where(cps < 128, _THEME_SEP[np.minimum(cps, 127)], (cps >= 0xD800) & (cps < 0xE000))
    starts, ends = _runs(~sep)
    prefix, inverse = _prefix_hashes(cps)
    hashes = (prefix[ends] - prefix[starts]) * inverse[starts]
    post = char_post[starts]
    bits, keys = compiled.tokens.look_up(hashes, buffer.text, starts, ends)
    post_bits = _or_by_post(bits, post, n)
    if compiled.n_phrases:
        post_keys = _or_by_post(keys, post, n)
        hit_post, hit_phrase = _phrase_hits(compiled, cps, char_post)
        # A phrase counts only where its key word is one of the post's words (not inside a link), as per post.
        keyed = (post_keys[hit_post, hit_phrase // 64] >> (hit_phrase % 64).astype(_U)) & _U(1) == 1
        np.bitwise_or.at(post_bits, hit_post[keyed], _U(1) << compiled.phrase_theme[hit_phrase[keyed]].astype(_U))
    names_of = theme_set._matcher.names
    combos, inverse = np.unique(post_bits, return_inverse=True)
    all_themes = theme_set.themes[: compiled.n_themes]
    names = []
    for value in combos.tolist():
        found = names_of.get(value)
        if found is None:
            found = names_of[value] = tuple(t for i, t in enumerate(all_themes) if value >> i & 1) or (themes.OTHER,)
        names.append(found)
    out = [names[i] for i in inverse.tolist()]
    for i in np.flatnonzero(~buffer.clean).tolist():
        out[i] = theme_set.classify(texts[i])
    return out


# --- risk ------------------------------------------------------------------------------------------------------------
# RE2 (Arrow's regular expressions, over the whole batch in C++) finds the posts in which a detector could fire. Each
# pattern below matches wherever the per-post path's pattern does (a superset): Python's \s and \d are Unicode, so
# they become WS and \p{Nd}; lookarounds RE2 lacks are dropped or rewritten; case-insensitive words are matched with
# (?i) on the original text, and a post holding a character whose case mapping RE2 and Python's lower() treat
# differently (the dotted capital I, the Kelvin sign, the long s...) goes to the per-post path whatever it says.

_WS = r"[\s\p{Z}\x{85}\x{0b}\x{1c}-\x{1f}]"
_UPPER = r"\p{Lu}"


def _re2(fragment: str) -> str:
    return fragment.replace(" ", _WS + "+").replace(r"\d", r"\p{Nd}")


def _words_re2(words) -> str:
    """Any of words as a whole risk word (bounded by what is not an ASCII letter or digit), ignoring case."""
    body = "|".join(re.escape(w.decode() if isinstance(w, bytes) else w) for w in sorted(words, key=len, reverse=True))
    return rf"(?i)(?:^|[^0-9a-z])(?:{body})(?:[^0-9a-z]|$)"


_RISK_SCANS = {
    "shape": risk._DIGIT_SHAPE.pattern.replace(r"\s", _WS[1:-1]),
    "hashed": r"#" + _WS + r"?[0-9]{3}",
    "obfuscated": r"(?i)[a-z][*$!|@0134][a-z*$!|@0134]",
    "names": "|".join((
        rf"(?:{'|'.join(risk.HONORIFICS)})\.?{_WS}+{_UPPER}",
        rf"(?i:patient|pt\.|paciente|baby|bebé)(?:{_WS}+named)?{_WS}+{_UPPER}",
        rf"(?i:{'|'.join(_re2(g) for g in risk.GREETINGS)}),?{_WS}+(?:(?i:to|a){_WS}+)?{_UPPER}",
    )),
    "verbs": rf"(?s){_UPPER}.*(?:{'|'.join(_re2(v) for v in risk.PATIENT_VERBS)})",
    "claim_or_swear": _words_re2(risk._CLAIM_KEYS | risk._SWEAR_FORMS),
}
_RISK_PAIRS = (
    (_words_re2(risk._RECORD_KEYS), r"[0-9]{3}"),
    (_words_re2(risk._DOB_KEYS), r"[0-9]"),
    (_words_re2(risk._STREET_KEYS), rf"{_words_re2([b'box'])}|[0-9]{_WS}+(?:[NSEW]\.{_WS}+)?[A-Z0-9]"),
)
_PAIR_CUES = _words_re2(risk._RECORD_KEYS | risk._DOB_KEYS | risk._STREET_KEYS)
# Characters that lower-case to ASCII or to more than one character, or fold otherwise than they lower-case.
_ODD_CASE = "".join(
    c for c in map(chr, range(128, 1 << 16))
    if (c.lower() != c and (len(c.lower()) > 1 or c.lower().isascii())) or c.casefold() != c.lower()
    or (c.upper() != c and c.upper().isascii())
)
_RISK_SCANS["odd_case"] = "[" + "".join(re.escape(c) for c in _ODD_CASE) + "]"


# The scans that RE2 runs fastest together in one pattern (one read of each post); the patient-verb scan and the
# cue-and-digits pairs run apart, since joined with the others they push RE2 off its fast automaton.
# "@" matters to the detectors only in an e-mail address (risk._EMAIL: an ASCII domain with a dot after it), so
# replies opening with an @handle are not candidates for that alone.
_EMAIL_SCAN = r"(?s).@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_RISK_SCAN = "|".join([_EMAIL_SCAN] + [f"(?:{p})" for name, p in _RISK_SCANS.items() if name != "verbs"])


def risk_candidates(texts: Sequence[str]) -> np.ndarray:
    """A boolean per text: False only where risk.assess(text, org_type) is NO_RISK for certain, whatever the type."""
    if len(texts) == 0:
        return np.zeros(0, dtype=bool)
    array = pa.array(texts, pa.string())
    found = pc.or_(pc.match_substring_regex(array, _RISK_SCAN), pc.match_substring_regex(array, _RISK_SCANS["verbs"]))
    found = found.to_numpy(zero_copy_only=False)
    # The cue-and-digits pairs: their cue words first, in one scan; the rest only on the few posts holding one.
    cued = np.flatnonzero(pc.match_substring_regex(array, _PAIR_CUES).to_numpy(zero_copy_only=False) & ~found)
    if len(cued):
        some = array.take(pa.array(cued))
        hit = np.zeros(len(cued), dtype=bool)
        for first, second in _RISK_PAIRS:
            hit |= pc.and_(pc.match_substring_regex(some, first), pc.match_substring_regex(some, second)) \
                .to_numpy(zero_copy_only=False)
        found[cued[hit]] = True
    return found


def assess_risks(texts: Sequence[str], org_types: Sequence[str | None] | None = None) -> list[risk.Risk]:
    """risk.assess(text, org_type) of every text, for a whole batch: only the pre-screen's candidates are assessed one
    by one. The pre-screen ignores the organization's type: a type only ever takes findings away (risk.NEWS_ORG_TYPES),
    so the posts it selects stay a superset of those flagged for any type."""
    out = [risk.NO_RISK] * len(texts)
    for i in np.flatnonzero(risk_candidates(texts)).tolist():
        out[i] = risk.assess(texts[i], org_types[i] if org_types is not None else None)
    return out
