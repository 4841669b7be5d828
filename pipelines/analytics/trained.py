"""A trained sentiment scorer: a linear model over hashed word and character n-grams plus the healthcare scorer's
VADER score and clinical-rule output, with weights shipped in the repository (pipelines/models/).

Features of a post (all computed for a whole batch at once with numpy, no Python loop per post):
- word unigrams and bigrams of the healthcare scorer's prepared text (links and handles dropped, hashtags split,
  clinical rules applied, so the rule tokens hc_good_news / hc_bad_news / hc_clinical_term are words too, emoji
  named), plus "!" and "?" as words;
- character (UTF-8 byte) 2- to 5-grams of the lowercased original text (emoji and emoticons are byte n-grams);
- each family hashed into HASH_BUCKETS buckets and scaled by 1/sqrt(its n-gram count in the post);
- dense: the healthcare compound score, its sign, one-hot bins of it, and counts of the three rule tokens.

The only per-post work is the healthcare scorer's own prepare() and VADER compound (its features); the n-gram
hashing, the weight look-up and the class scores are array operations over the batch.

`score()` returns a number in -1..1 whose `sentiment.label` is the model's most probable class:
p(positive) - p(negative), pushed to at least +-0.05 when positive or negative wins and scaled into (-0.05, 0.05)
when neutral wins. Train with `python -m pipelines.analytics.train` (see that module).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Sequence

import numpy as np

from pipelines.analytics.sentiment import BAD_NEWS, GOOD_NEWS, LABELS, NEUTRAL, HealthcareScorer

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
WEIGHTS = MODEL_DIR / "sentiment_trained.npy"
META = MODEL_DIR / "sentiment_trained.json"

HASH_BITS = 18
HASH_BUCKETS = 1 << HASH_BITS
CHAR_NGRAMS = (2, 3, 4, 5)
_BINS = np.array([-0.75, -0.5, -0.25, -0.05, 0.05, 0.25, 0.5, 0.75])
DENSE_NAMES = (
    "compound", "compound_positive", "compound_negative",
    *(f"compound_bin_{i}" for i in range(len(_BINS) + 1)),
    "rule_good_news", "rule_bad_news", "rule_clinical_term",
)
N_DENSE = len(DENSE_NAMES)
N_FEATURES = HASH_BUCKETS + N_DENSE

_U = np.uint64
_P = _U(0x100000001B3)  # FNV-64 prime: odd, so invertible modulo 2**64
_P_INV = _U(pow(int(_P), -1, 1 << 64))
_BIGRAM = _U(0x9E3779B97F4A7C15)
_MIX = _U(0xBF58476D1CE4E5B9)
_SALTS = {name: _U(int(hashlib.sha256(name.encode()).hexdigest()[:16], 16))
          for name in ("word1", "word2", *(f"char{n}" for n in CHAR_NGRAMS))}

# Byte classes for words: 1 = part of a word (a-z, 0-9, _, ', any non-ASCII byte), 2 = a word of its own (! ?),
# 0 = a separator. The buffer is lowercased text, so A-Z do not occur outside non-ASCII case mappings.
_WORD_CLASS = np.zeros(256, dtype=np.int8)
for _c in b"abcdefghijklmnopqrstuvwxyz0123456789_'":
    _WORD_CLASS[_c] = 1
_WORD_CLASS[128:] = 1
_WORD_CLASS[ord("!")] = _WORD_CLASS[ord("?")] = 2


TRASH = N_FEATURES + 1  # the bucket of n-grams that cross a post boundary: its weight is always 0


def _mix(h: np.ndarray, salt: np.uint64) -> np.ndarray:
    """A bucket number for each 64-bit hash, in place: multiplicative (Fibonacci) hashing of the salted hash,
    top HASH_BITS bits (uint64 arithmetic wraps modulo 2**64). Returns an int64 view."""
    h ^= salt
    h *= _MIX
    h >>= _U(64 - HASH_BITS)
    return h.view(np.int64)


def _buffer(texts: Sequence[str], pad: bool) -> tuple[np.ndarray, np.ndarray]:
    """The texts as one uint8 array, each followed by a NUL (padded with spaces if `pad`), and each byte's post."""
    sep = " \x00 " if pad else "\x00"
    joined = sep.join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a NUL inside a post: take it out so posts stay apart
        joined = sep.join(t.replace("\x00", " ") for t in texts)
    joined = f" {joined} \x00" if pad else joined + "\x00"
    data = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = data == 0
    doc = np.cumsum(ends) - ends  # the post each byte belongs to (a NUL counts for the post it ends)
    return data, doc


# A block of hashed features: (row of each entry, bucket of each entry, per-post scale); rows ascend.
Block = tuple[np.ndarray, np.ndarray, np.ndarray]


def _char_blocks(texts: Sequence[str]) -> list[Block]:
    """Byte n-grams (CHAR_NGRAMS) of the lowercased, space-padded texts; one block per n. An n-gram that holds a
    NUL (crosses into the next post) goes to TRASH, so rows stay views of the byte-to-post array."""
    data, doc = _buffer(texts, pad=True)
    n_posts = len(texts)
    length = np.bincount(doc, minlength=n_posts) - 1  # bytes of each padded post, NUL excluded
    count = sum(np.maximum(length - n + 1, 0) for n in CHAR_NGRAMS)  # the n-grams of each post
    scale = 1.0 / np.sqrt(np.maximum(count, 1))
    b = data.astype(_U)
    nul = data == 0
    blocks = []
    h, bad = b, nul
    for n in range(2, max(CHAR_NGRAMS) + 1):
        m = max(len(b) - n + 1, 0)  # a batch of one short post can be shorter than n bytes
        h = h[:m] * _P
        h += b[n - 1 : n - 1 + m]
        bad = bad[:m] | nul[n - 1 : n - 1 + m]
        if n in CHAR_NGRAMS:
            buckets = _mix(h.copy(), _SALTS[f"char{n}"])
            buckets[bad] = TRASH
            blocks.append((doc[:m], buckets, scale))
    return blocks


_POWERS: list[np.ndarray] = [np.ones(1, dtype=_U), np.ones(1, dtype=_U)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P^k and P^-k for k < n (modulo 2**64), from a cache that grows as batches grow."""
    if len(_POWERS[0]) < n:
        size = max(n, 2 * len(_POWERS[0]))
        _POWERS[0] = np.cumprod(np.full(size, _P, dtype=_U)) * _P_INV
        _POWERS[1] = np.cumprod(np.full(size, _P_INV, dtype=_U)) * _P
    return _POWERS[0][:n], _POWERS[1][:n]


def _tokens(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(post, 64-bit hash) of every word of the texts, in order."""
    data, doc = _buffer(texts, pad=False)
    cls = _WORD_CLASS[data]
    prev = np.concatenate(([0], cls[:-1]))
    nxt = np.concatenate((cls[1:], [0]))
    starts = np.flatnonzero((cls == 2) | ((cls == 1) & (prev != 1)))
    ends = np.flatnonzero((cls == 2) | ((cls == 1) & (nxt != 1)))  # inclusive
    # Position-independent polynomial hash of each token from prefix sums: sum b[k] P^(k - start).
    powers, inverse = _powers(len(data))
    prefix = np.concatenate(([_U(0)], np.cumsum(data.astype(_U) * powers, dtype=_U)))
    hashes = (prefix[ends + 1] - prefix[starts]) * inverse[starts]
    return doc[starts], hashes


def _word_hash(word: str) -> np.uint64:
    return _tokens([word])[1][0]


_RULE_TOKENS = tuple(_word_hash(w) for w in (GOOD_NEWS, BAD_NEWS, NEUTRAL))


def _word_blocks(prepared: Sequence[str]) -> tuple[list[Block], np.ndarray]:
    """Word unigrams and bigrams (two blocks sharing one per-post scale), and per-post counts of the rule tokens."""
    doc, hashes = _tokens(prepared)
    n = len(prepared)
    same = doc[1:] == doc[:-1]
    bigrams = hashes[:-1][same] * _BIGRAM + hashes[1:][same]
    bigram_doc = doc[:-1][same]
    scale = 1.0 / np.sqrt(np.maximum(np.bincount(doc, minlength=n) + np.bincount(bigram_doc, minlength=n), 1))
    rules = np.stack([np.bincount(doc[hashes == t], minlength=n) for t in _RULE_TOKENS], axis=1)
    blocks = [(doc, _mix(hashes.copy(), _SALTS["word1"]), scale), (bigram_doc, _mix(bigrams, _SALTS["word2"]), scale)]
    return blocks, rules


def _dense(compound: np.ndarray, rules: np.ndarray) -> np.ndarray:
    bins = np.zeros((len(compound), len(_BINS) + 1))
    bins[np.arange(len(compound)), np.searchsorted(_BINS, compound, side="right")] = 1.0
    return np.column_stack((compound, compound >= 0.05, compound <= -0.05, bins, np.minimum(rules, 3)))


def columns(weights: np.ndarray) -> np.ndarray:
    """Weights of shape (N_FEATURES + 1, 3) as float32 rows, one per class, with a zero weight for TRASH."""
    out = np.zeros((weights.shape[1], TRASH + 1), dtype=np.float32)
    out[:, : N_FEATURES + 1] = weights.T
    return out


class Features:
    """The features of a batch: hashed blocks (each entry worth its post's scale; repeats add up) and a dense part
    of N_DENSE columns per post. Hashed buckets are columns 0..HASH_BUCKETS-1, dense ones follow."""

    def __init__(self, texts: Sequence[str], healthcare: HealthcareScorer) -> None:
        texts = [t if isinstance(t, str) else "" for t in texts]
        self.n = len(texts)
        compound, prepare = healthcare._compound, healthcare.prepare
        prepared = [prepare(t) for t in texts]
        compound_scores = np.array([compound(p) for p in prepared], dtype=np.float64)
        word_blocks, rules = _word_blocks([p.lower() for p in prepared])
        self.blocks = _char_blocks([t.lower() for t in texts]) + word_blocks
        self.dense = _dense(compound_scores, rules)

    def sparse_matrix(self):
        """The whole feature matrix as scipy CSR (for training; needs scipy)."""
        from scipy import sparse

        rows = np.concatenate([r for r, _, _ in self.blocks])
        buckets = np.concatenate([b for _, b, _ in self.blocks])
        values = np.concatenate([scale[r] for r, _, scale in self.blocks])
        keep = buckets != TRASH
        hashed = sparse.csr_matrix((values[keep], (rows[keep], buckets[keep])), shape=(self.n, HASH_BUCKETS))
        hashed.sum_duplicates()
        return sparse.hstack([hashed, sparse.csr_matrix(self.dense)], format="csr")

    def decision(self, weights: np.ndarray, by_class: np.ndarray | None = None) -> np.ndarray:
        """Class scores, shape (n, 3), for weights of shape (N_FEATURES + 1, 3) (last row: intercepts);
        `by_class` is columns(weights), if the caller keeps it."""
        by_class = columns(weights) if by_class is None else by_class
        out = np.zeros((self.n, weights.shape[1]))
        for rows, buckets, scale in self.blocks:
            for c in range(weights.shape[1]):
                out[:, c] += np.bincount(rows, weights=by_class[c][buckets], minlength=self.n) * scale
        dense = weights[HASH_BUCKETS:N_FEATURES].astype(np.float64)
        return out + self.dense @ dense + weights[N_FEATURES].astype(np.float64)


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
    """The shipped linear model (pipelines/models/sentiment_trained.npy), over the healthcare scorer's features."""

    name = "trained"

    def __init__(self, weights: np.ndarray | None = None, chunk: int = 20000) -> None:
        if weights is None:
            weights = np.load(WEIGHTS, allow_pickle=False)
        if weights.shape != (N_FEATURES + 1, len(LABELS)):
            raise ValueError(f"weights of shape {weights.shape}; expected {(N_FEATURES + 1, len(LABELS))}")
        self._weights = weights
        self._by_class = columns(weights)  # float32 (float16 on disk: numpy gathers float32 far faster)
        self._healthcare = HealthcareScorer()
        self._chunk = chunk
        self.version = f"{weights_digest(weights)[:8]}+hc{self._healthcare.version.split('+')[0]}"

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        parts = [Features(texts[i : i + self._chunk], self._healthcare).decision(self._weights, self._by_class)
                 for i in range(0, len(texts), self._chunk)]
        return np.concatenate(parts) if parts else np.empty((0, len(LABELS)))

    def score(self, texts: Sequence[str]) -> list[float]:
        texts = list(texts)
        scores = to_scores(self.decision(texts)).tolist() if texts else []
        # As the other scorers: a post without text has no sentiment to read.
        return [s if isinstance(t, str) else 0.0 for s, t in zip(scores, texts)]


def metadata() -> dict:
    return json.loads(META.read_text(encoding="utf-8"))
