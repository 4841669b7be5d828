"""Themes of a post (multi-label) from the term lists in pipelines/config/themes.csv.

The file has one row per theme, in report order, with the columns `theme,label,terms`; the last row is `other`,
with no terms: the theme of a post no term matches. `terms` holds terms separated by `;`. Matching ignores case and
accents (`vacúnate` also matches "vacunate") and works on whole words, a word being a run of letters and digits:
- a word: `flu` matches "Flu", "flu-like" and "#flu", not "fluid";
- a suffix wildcard: `vaccin*` matches vaccine, vaccines, vaccination (at least MIN_STEM characters before `*`);
- a phrase: `grand rounds`, `we're hiring`, `check-in`: its words in order, separated by spaces or punctuation;
  a phrase may end in a wildcard (`clinical trial*`);
- a hashtag: `#NowHiring` matches "#nowhiring" only (while a plain word also matches its hashtag).
Links, e-mail addresses and @mentions are not read: their words say where a post points, not what it says.

Speed: a post is lower-cased, encoded and split into tokens in C; each distinct token's themes are computed once and
cached, so a post costs a few dictionary look-ups. A phrase is searched (one regular expression that starts with a
literal, so the engine skips ahead) only in posts holding its key word (its longest word) and not yet given its theme.
THEMES_VERSION hashes the file's bytes and MATCHER_VERSION: a change to either re-classifies every post.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CONFIG_FILE = Path(__file__).resolve().parents[1] / "config" / "themes.csv"
COLUMNS = ("theme", "label", "terms")
OTHER = "other"
# Bump when the way terms are matched changes; the file's own hash covers edits to the file.
MATCHER_VERSION = 1
# Shorter wildcard stems ("me*", "ca*") would match most words.
MIN_STEM = 3
# The token cache is emptied when it grows past this many entries (about 15 MB), so memory stays bounded.
CACHE_LIMIT = 100_000
_THEME_NAME = re.compile(r"[a-z][a-z0-9_]*")
_TERM = re.compile(r"#?\w[\w\s'’.&+/-]*\*?")
_WORD = re.compile(r"\w+")
_TAG_OR_WORD = re.compile(r"#?\w+")
# ASCII characters that end a token; the rest (letters, digits, # . / : - ' @ and all non-ASCII bytes) stay in it, so
# a link or an address stays one token, and the first look-up of a token splits it into words.
_SPLIT = bytes(32 if chr(b) in " \t\n\r\x0b\x0c,;!?()[]{}\"*|<>=~^`$%" else b for b in range(256))
_NOT_TEXT = re.compile(r"\w+://|www\.|[^/\s]*@|(?:[\w-]+\.)+[a-z]{2,}/")
# Letters a phrase's plain letter also stands for in text that is not pure ASCII (words are folded fully instead).
_VARIANTS = {"a": "áàâäã", "e": "éèêë", "i": "íìîï", "o": "óòôöõ", "u": "úùûü", "n": "ñ", "c": "ç"}


class ThemeConfigError(ValueError):
    """The themes file is not valid; the message names the file and the line."""


def _fold(word: str) -> str:
    """Lower case without accents: "Vacúnate" -> "vacunate"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class _Matcher:
    """Compiled terms. A token's bits: bit i for theme i (a word or stem matched), bit n_themes + j for phrase j (the
    token is phrase j's key word, so phrase j is searched)."""

    n_themes: int
    words: dict[str, int]
    hashtags: dict[str, int]  # without the '#'
    stems: dict[str, int]
    stem_lengths: tuple[int, ...]
    phrase_keys: dict[str, int]
    phrases: tuple[tuple[re.Pattern[str], re.Pattern[str], int], ...]  # ASCII and accented patterns, theme bit
    phrase_words: tuple[tuple[tuple[str, ...], bool], ...] = ()  # each phrase's folded words and wildcard
    cache: dict[bytes, int] = field(default_factory=dict)
    names: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def token_bits(self, token: bytes) -> int:
        """Theme and phrase bits of one token, cached."""
        bits = 0
        text = token.decode("utf-8", "replace")
        if not _NOT_TEXT.match(text):
            for found in _TAG_OR_WORD.findall(text):
                word = _fold(found.lstrip("#"))
                bits |= self.words.get(word, 0) | self.phrase_keys.get(word, 0)
                if found[0] == "#":
                    bits |= self.hashtags.get(word, 0)
                for n in self.stem_lengths:
                    if n > len(word):
                        break
                    bits |= self.stems.get(word[:n], 0)
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        self.cache[token] = bits
        return bits


@dataclass(frozen=True)
class ThemeSet:
    themes: tuple[str, ...]
    labels: dict[str, str]
    version: str
    _matcher: _Matcher = field(repr=False, compare=False)

    def classify(self, text: str) -> tuple[str, ...]:
        """Every theme whose terms occur in text, in file order; ("other",) when none does."""
        m = self._matcher
        lower = text.lower()
        tokens = lower.encode("utf-8", "replace").translate(_SPLIT).split()
        found = set(map(m.cache.get, tokens))
        if None in found:
            found = {m.token_bits(t) if (b := m.cache.get(t)) is None else b for t in tokens}
        bits = 0
        for b in found:
            bits |= b
        n = m.n_themes
        matched = bits & ((1 << n) - 1)
        todo = bits >> n
        accented = not lower.isascii()
        while todo:
            j = (todo & -todo).bit_length() - 1
            plain, variants, theme_bit = m.phrases[j]
            if not matched & theme_bit and (variants if accented else plain).search(lower):
                matched |= theme_bit
            todo &= todo - 1
        names = m.names.get(matched)
        if names is None:
            names = m.names[matched] = tuple(t for i, t in enumerate(self.themes[:n]) if matched >> i & 1) or (OTHER,)
        return names


def _phrase_regex(words: list[str], wildcard: bool, accented: bool) -> re.Pattern[str]:
    """Folded words in order with any punctuation or spaces between; with accented, a plain letter also matches its
    accented forms. The pattern opens with the first word's literal letters and checks the word boundary behind
    them, so a search skips ahead to that literal instead of trying every position."""
    def letter(c: str) -> str:
        return f"[{c}{_VARIANTS[c]}]" if accented and c in _VARIANTS else re.escape(c)

    parts = ["".join(letter(c) for c in w) for w in words]
    head = re.match(r"[^\[]*", parts[0]).group()  # the literal start of the first word, up to a letter class
    start = head + rf"(?<!\w{head})" + parts[0][len(head):] if head else r"(?<!\w)" + parts[0]
    tail = r"\w*" if wildcard else r"(?!\w)"
    return re.compile(r"\W+".join([start, *parts[1:]]) + tail)


def _fail(path: Path, line: int, message: str) -> ThemeConfigError:
    return ThemeConfigError(f"{path}, line {line}: {message}")


def _check_term(path: Path, line: int, theme: str, term: str) -> None:
    if "*" in term[:-1] or term.endswith("**"):
        raise _fail(path, line, f"theme {theme!r}: bad wildcard in {term!r}: '*' may only end a term, once")
    if not _TERM.fullmatch(term):
        raise _fail(path, line, f"theme {theme!r}: term {term!r} must start with a letter, a digit or '#' and "
                                "hold only letters, digits, spaces and ' . & + / -")
    if term.startswith("#") and (len(_WORD.findall(term)) != 1 or term.endswith("*")):
        raise _fail(path, line, f"theme {theme!r}: hashtag {term!r} must be one word, without '*'")
    if term.endswith("*") and len(_WORD.findall(term)) == 1 and len(_WORD.findall(term)[0]) < MIN_STEM:
        raise _fail(path, line, f"theme {theme!r}: bad wildcard in {term!r}: the stem before '*' needs at least "
                                f"{MIN_STEM} letters")


def _read(path: Path, raw: bytes) -> list[tuple[int, str, str, list[str]]]:
    """(line, theme, label, terms) per row, validated."""
    reader = csv.reader(raw.decode("utf-8-sig").splitlines())
    header = next(reader, None)
    if header is None:
        raise _fail(path, 1, "the file is empty; expected the header theme,label,terms")
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in COLUMNS]
    missing = [c for c in COLUMNS if c not in names]
    if unknown or missing or len(names) != len(COLUMNS):
        raise _fail(path, 1, f"columns must be theme,label,terms; unknown column(s) {unknown}, missing {missing}")
    rows, first_line = [], {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            raise _fail(path, line, f"expected {len(names)} fields, found {len(row)} (quote a cell holding commas)")
        theme, label, cell = (row[names.index(c)].strip() for c in COLUMNS)
        if not _THEME_NAME.fullmatch(theme):
            raise _fail(path, line, f"theme {theme!r} must be lower-case letters, digits and '_'")
        if theme in first_line:
            raise _fail(path, line, f"duplicate theme {theme!r} (first on line {first_line[theme]})")
        if not label:
            raise _fail(path, line, f"theme {theme!r} has no label")
        if ";;" in cell.replace(" ", ""):
            raise _fail(path, line, f"theme {theme!r} has an empty term (two ';' in a row)")
        terms = [t.strip().lower() for t in cell.split(";") if t.strip()]
        if theme == OTHER and terms:
            raise _fail(path, line, f"{OTHER!r} is the theme of posts no term matches and takes no terms")
        if theme != OTHER and not terms:
            raise _fail(path, line, f"theme {theme!r} has empty terms")
        for term in terms:
            _check_term(path, line, theme, term)
        first_line[theme] = line
        rows.append((line, theme, label, terms))
    if not rows or rows[-1][1] != OTHER:
        raise _fail(path, rows[-1][0] if rows else 1, f"the last theme must be {OTHER!r}, with no terms")
    return rows


def _compile(rows: list[tuple[int, str, str, list[str]]]) -> _Matcher:
    words: dict[str, int] = {}
    hashtags: dict[str, int] = {}
    stems: dict[str, int] = {}
    keys: dict[str, int] = {}
    phrases: list[tuple[re.Pattern[str], re.Pattern[str], int]] = []
    phrase_words: list[tuple[tuple[str, ...], bool]] = []
    n = len(rows) - 1
    for i, (_, _, _, terms) in enumerate(rows[:-1]):
        bit = 1 << i
        for term in terms:
            parts = _WORD.findall(term)
            folded = [_fold(w) for w in parts]
            wildcard = term.endswith("*")
            if term.startswith("#"):
                hashtags[folded[0]] = hashtags.get(folded[0], 0) | bit
            elif len(parts) == 1 and wildcard:
                stems[folded[0]] = stems.get(folded[0], 0) | bit
            elif len(parts) == 1:
                words[folded[0]] = words.get(folded[0], 0) | bit
            else:
                key = max(folded[:-1] if wildcard else folded, key=len)  # the longest whole word: usually the rarest
                keys[key] = keys.get(key, 0) | 1 << (n + len(phrases))
                phrases.append((_phrase_regex(folded, wildcard, False), _phrase_regex(folded, wildcard, True), bit))
                phrase_words.append((tuple(folded), wildcard))
    return _Matcher(n, words, hashtags, stems, tuple(sorted({len(s) for s in stems})), keys, tuple(phrases),
                    tuple(phrase_words))


def load_themes(path: Path | str | None = None) -> ThemeSet:
    """Read and validate a themes file (default pipelines/config/themes.csv); ThemeConfigError names file and line."""
    path = Path(path) if path is not None else CONFIG_FILE
    raw = path.read_bytes()
    rows = _read(path, raw)
    version = hashlib.sha256(raw + f"|matcher:{MATCHER_VERSION}".encode()).hexdigest()[:12]
    return ThemeSet(tuple(r[1] for r in rows), {r[1]: r[2] for r in rows}, version, _compile(rows))


@lru_cache(maxsize=1)
def default_themes() -> ThemeSet:
    return load_themes(CONFIG_FILE)


def classify(text: str) -> tuple[str, ...]:
    """Themes of one post from the default file, in THEMES order; ("other",) when no term matches."""
    return default_themes().classify(text)


def __getattr__(name: str):
    # THEMES, THEME_LABELS and THEMES_VERSION come from the default file on first use, not at import.
    if name == "THEMES":
        return default_themes().themes
    if name == "THEME_LABELS":
        return default_themes().labels
    if name == "THEMES_VERSION":
        return default_themes().version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
