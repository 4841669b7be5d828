"""The batch analysis (pipelines/analytics/batch.py) equals the per-post reference on every corpus we have: the
embedded sample, real labelled posts, the loader's fuzz corpus, seeded mutations built to hit the batch's edges
(NUL inside a post, case mappings that change length, accents, Unicode spaces, look-alike letters), and 100k
generated posts of each generator shape."""

from __future__ import annotations

import csv
import glob
import random
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from hostile_corpus import fuzz_cases
from pipelines.analytics import batch, risk, themes
from pipelines.analytics.posts import PostAnalyzer
from pipelines.sample.generate import generate

ROOT = Path(__file__).resolve().parents[1]
# Every organization type, and unknown (None), assigned to posts in turn.
ORG_TYPES = [None, "hospital", "health_system", "clinic", "pharma", "insurer", "public_health_agency",
             "professional_association", "health_media", "other"]
MULTILINE = pacsv.ParseOptions(newlines_in_values=True)
# Characters the batch treats specially or that Python and RE2 read differently.
TRICKY = ["\x00", "İ", "ı", "K", "ſ", "ß", "Σ", "ς", "á", "É", "ñ", "ç", "ü", "’", "“", "—", "…", "¡", "¿", "\u00a0",
          "\u2028", "\u3000", "\x0b", "\x1c", "\x85", "\n", "\t", "😀", "👍🏽", "🇺🇸", "#", "@", "*", "$", "!", "|", "0",
          "1", "3", "4", "5", "555-", "(555) ", "/", "-", ".", ",", " ", "Mr. ", "Ms ", "patient ", "Get well soon, ",
          "Thanks ", " was admitted", " diagnosed", " born on ", "DOB: 1/2/1990", " MRN 00482913", "12 Oak St",
          "P.O. Box 12", "miracle cure", "f*ck", "sh!t", "https://x.org/join-us ", "www.grand-rounds.org ",
          "We're hiring", "flu shots", "clínico", "vacúnate", "Jane Smith", "\u0130stanbul", "ＡＢＣ", "١٢٣"]


def _texts_of(paths: list[str], column: str = "text") -> list[str]:
    out = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            out += [row[column] for row in csv.DictReader(f) if row.get(column)]
    return out


def _sample_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "data" / "sample" / "posts").glob("*.csv")):
        texts += [t for t in pacsv.read_csv(path, parse_options=MULTILINE).column("text").to_pylist() if t]
    return texts


def _real_texts() -> list[str]:
    return _texts_of(sorted(glob.glob(str(ROOT / "data" / "eval" / "*.csv"))))


def _fuzz_texts() -> list[str]:
    texts = []
    for case in fuzz_cases(20240204, 320):
        text = case.data.decode("utf-8", "replace")
        texts += text.splitlines() + [text]
    return texts


def _mutations(seeds: list[str], n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        text = list(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            pos = rng.randint(0, len(text))
            action = rng.random()
            if action < 0.55:
                text[pos:pos] = list(rng.choice(TRICKY))
            elif action < 0.75 and text:
                i = rng.randrange(len(text))
                text[i] = text[i].swapcase()
            elif action < 0.9:
                text = text[:pos] + list(rng.choice(seeds))[: rng.randint(0, 60)] + text[pos:]
            else:
                text = [c.upper() for c in text] if rng.random() < 0.5 else text[pos:]
        out.append("".join(text))
    return out + ["", " ", "\x00", "\x00\x00", "İ" * 3, "Mr.\x00Smith was admitted"]


def _assert_equal(texts: list[str], chunk: int = 4000) -> None:
    for i in range(0, len(texts), chunk):
        part = texts[i : i + chunk]
        got_themes = batch.classify_themes(part)
        want_themes = [themes.classify(t) for t in part]
        bad = [(t, g, w) for t, g, w in zip(part, got_themes, want_themes) if g != w]
        assert not bad, f"{len(bad)} of {len(part)} posts got other themes, e.g. {bad[:3]}"
        candidates = batch.risk_candidates(part)
        missed = [t for t, c in zip(part, candidates) if not c and risk.assess(t) is not risk.NO_RISK]
        assert not missed, f"{len(missed)} posts with risk findings were not pre-screened, e.g. {missed[:3]}"
        assert batch.assess_risks(part) == [risk.assess(t) for t in part]
        # with the posting organizations' types (news accounts among them): still the per-post path's result
        types = [ORG_TYPES[(i + k) % len(ORG_TYPES)] for k in range(len(part))]
        assert batch.assess_risks(part, types) == [risk.assess(t, o) for t, o in zip(part, types)]


def test_sample_and_real_posts():
    texts = _sample_texts() + _real_texts()
    assert len(texts) > 2000
    _assert_equal(texts)


def test_fuzz_corpus_and_mutations():
    seeds = _sample_texts()[:300] + _real_texts()[:300] + TRICKY
    texts = _fuzz_texts() + _mutations(seeds, 6000)
    _assert_equal(texts, chunk=997)  # an odd chunk size: posts with NULs and odd characters land anywhere in a chunk


def test_the_pre_screen_selects_few_posts():
    texts = _sample_texts()
    share = batch.risk_candidates(texts).mean()
    flagged = sum(risk.assess(t) is not risk.NO_RISK for t in texts) / len(texts)
    assert flagged <= share < 0.35, (flagged, share)


def test_analyzer_batch_equals_per_post():
    texts = _sample_texts()[:1500] + _mutations(TRICKY + _real_texts()[:100], 500) + [None]
    analyzer = PostAnalyzer("healthcare")
    assert vars(analyzer.analyze(texts)) == vars(analyzer.analyze_each(texts))
    types = [ORG_TYPES[i % len(ORG_TYPES)] for i in range(len(texts))]
    assert vars(analyzer.analyze(texts, types)) == vars(analyzer.analyze_each(texts, types))


def test_a_news_accounts_type_reaches_the_flag():
    texts = ["Mr. Duncan died of Ebola more than a week after the virus was detected in him."] * 2
    found = PostAnalyzer("healthcare").analyze(texts, ["health_media", "hospital"])
    assert found.phi_kinds == [[], ["name_condition"]]
    with pytest.raises(ValueError):
        PostAnalyzer("healthcare").analyze(texts, ["health_media"])


@pytest.mark.parametrize("shape", ["default", "social"])
def test_100k_generated_posts(tmp_path, shape):
    generate(tmp_path, posts=100_000, orgs=60, seed=11, shape=shape)
    texts = []
    for path in sorted((tmp_path / "posts").glob("part-*.csv")):
        texts += [t or "" for t in pacsv.read_csv(path, parse_options=MULTILINE).column("text").to_pylist()]
    assert len(texts) == 100_000
    _assert_equal(texts)
