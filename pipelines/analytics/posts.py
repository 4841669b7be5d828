"""Everything the pipeline derives from one post's text: sentiment, themes and risk flags, on every core.

One analyzer id names the versions of all three, so a change to the scorer, the themes file or the risk rules
re-analyses every post, and nothing else does. Themes and the risk pre-screen run over whole batches
(pipelines/analytics/batch.py, equal to the per-post path by tests/test_batch.py), so Python runs per post only
for the posts the pre-screen selects; `PostAnalyzer.analyze_each` keeps the per-post path as the reference.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyarrow as pa

import numpy as np

from pipelines.analytics import batch, risk, themes
from pipelines.analytics.sentiment import THRESHOLD, available_cores, get_scorer, label

DEFAULT_SCORER = "trained"
# Texts per task sent to a worker: large enough to amortise pickling, small enough to balance two cores.
CHUNK = 4000


@dataclass
class Analysis:
    """Column-wise results, in input order."""

    sentiment_score: list[float] = field(default_factory=list)
    sentiment_label: list[str] = field(default_factory=list)
    themes: list[list[str]] = field(default_factory=list)
    phi_kinds: list[list[str]] = field(default_factory=list)
    health_claim: list[bool] = field(default_factory=list)
    unsourced_claim: list[bool] = field(default_factory=list)
    unprofessional: list[bool] = field(default_factory=list)
    risk_reasons: list[list[str]] = field(default_factory=list)
    text_redacted: list[str | None] = field(default_factory=list)

    def extend(self, other: Analysis) -> None:
        for name, values in vars(other).items():
            getattr(self, name).extend(values)

    def __len__(self) -> int:
        return len(self.sentiment_score)


_TEXT_LIST = pa.list_(pa.string())
# The columns core.posts_enriched takes from an analysis, as Arrow types.
SCHEMA = pa.schema([
    ("sentiment_score", pa.float64()),
    ("sentiment_label", pa.string()),
    ("themes", _TEXT_LIST),
    ("phi_kinds", _TEXT_LIST),
    ("health_claim", pa.bool_()),
    ("unsourced_claim", pa.bool_()),
    ("unprofessional", pa.bool_()),
    ("risk_reasons", _TEXT_LIST),
    ("text_redacted", pa.string()),
])


def to_arrow(result: Analysis) -> pa.Table:
    """The analysis as an Arrow table (built in the worker: it pickles as a few buffers, not millions of objects)."""
    return pa.table([pa.array(getattr(result, f.name), f.type) for f in SCHEMA], schema=SCHEMA)


def analyzer_id(scorer_name: str = DEFAULT_SCORER) -> str:
    scorer = get_scorer(scorer_name)
    return f"{scorer.name}:{scorer.version}|themes:{themes.THEMES_VERSION}|risk:{risk.RISK_VERSION}"


def _labels(scores: Sequence[float]) -> list[str]:
    """sentiment.label of each score, for the whole batch."""
    values = np.asarray(scores, dtype=np.float64)
    return np.where(values >= THRESHOLD, "positive", np.where(values <= -THRESHOLD, "negative", "neutral")).tolist()


class PostAnalyzer:
    """Sentiment, themes and risk of a batch. `analyze` works on the whole batch at once (pipelines/analytics/batch.py:
    Python runs per post only for posts a pre-screen selects); `analyze_each` is the per-post reference it equals."""

    def __init__(self, scorer_name: str = DEFAULT_SCORER) -> None:
        self._scorer = get_scorer(scorer_name)

    def analyze(self, texts: Sequence[str], org_types: Sequence[str | None] | None = None) -> Analysis:
        """org_types: the posting organization's type per text (core.organizations.org_type), a cue of the
        patient-information flag (risk.assess); None when unknown."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        types = _types(org_types, len(texts))
        out = Analysis()
        out.sentiment_score = self._scorer.score(texts)
        out.sentiment_label = _labels(out.sentiment_score)
        out.themes = [list(found) for found in batch.classify_themes(texts)]
        n = len(texts)
        out.phi_kinds = [[] for _ in range(n)]
        out.health_claim = [False] * n
        out.unsourced_claim = [False] * n
        out.unprofessional = [False] * n
        out.risk_reasons = [[] for _ in range(n)]
        out.text_redacted = [None] * n
        for i in np.flatnonzero(batch.risk_candidates(texts)).tolist():
            found = risk.assess(texts[i], types[i])
            if found is risk.NO_RISK:
                continue
            out.phi_kinds[i] = list(found.phi)
            out.health_claim[i] = found.health_claim
            out.unsourced_claim[i] = found.unsourced_claim
            out.unprofessional[i] = found.unprofessional
            out.risk_reasons[i] = list(found.reasons)
            out.text_redacted[i] = found.redacted
        return out

    def analyze_each(self, texts: Sequence[str], org_types: Sequence[str | None] | None = None) -> Analysis:
        texts = [t if isinstance(t, str) else "" for t in texts]
        types = _types(org_types, len(texts))
        out = Analysis()
        out.sentiment_score = self._scorer.score(texts)
        out.sentiment_label = [label(s) for s in out.sentiment_score]
        for text, org_type in zip(texts, types, strict=True):
            out.themes.append(list(themes.classify(text)))
            found = risk.assess(text, org_type)
            out.phi_kinds.append(list(found.phi))
            out.health_claim.append(found.health_claim)
            out.unsourced_claim.append(found.unsourced_claim)
            out.unprofessional.append(found.unprofessional)
            out.risk_reasons.append(list(found.reasons))
            out.text_redacted.append(found.redacted)
        return out


def _types(org_types: Sequence[str | None] | None, n: int) -> list[str | None]:
    if org_types is None:
        return [None] * n
    if len(org_types) != n:
        raise ValueError(f"{len(org_types)} organization types for {n} texts")
    return [t if isinstance(t, str) else None for t in org_types]


_worker: PostAnalyzer | None = None


def _exit_with_parent(parent: int) -> None:
    """End this worker when the process that started it is gone (killed runs must not leave workers behind)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _start_worker(scorer_name: str, parent: int) -> None:
    """`parent` is the pool owner's pid, passed in: a worker still importing when its owner is killed has already
    been re-parented by the time this runs, so reading os.getppid() here would watch the wrong process."""
    global _worker
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _worker = PostAnalyzer(scorer_name)


def _analyze_chunk(texts: list[str], org_types: list[str | None] | None = None) -> pa.Table:
    return to_arrow(_worker.analyze(texts, org_types))


# submit(texts, org_types=None): org_types is the posting organization's type per text, or None.
Submit = Callable[..., Callable[[], pa.Table]]


@contextmanager
def analysis_pool(scorer_name: str = DEFAULT_SCORER, processes: int | None = None) -> Iterator[Submit]:
    """`submit(texts, org_types=None)` starts analysing texts (each posted by an organization of that type) on `processes` workers (default: every core) and returns a function
    that waits for the result (an Arrow table in SCHEMA, in input order). Submitting the next batch before waiting
    for the last keeps the workers busy while this process reads and writes DuckDB.

    Workers are spawned (forking a threaded Dagster process can deadlock), once for many batches; start-up costs
    about a second. With one process everything runs here, when the result is asked for.
    """
    processes = processes or available_cores()
    if processes <= 1:
        analyzer = PostAnalyzer(scorer_name)

        def submit_here(texts: Sequence[str], org_types: Sequence[str | None] | None = None) -> Callable[[], pa.Table]:
            return lambda: to_arrow(analyzer.analyze(texts, org_types))

        yield submit_here
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker,
                             initargs=(scorer_name, os.getpid())) as pool:

        def submit(texts: Sequence[str], org_types: Sequence[str | None] | None = None) -> Callable[[], pa.Table]:
            texts = list(texts)
            types = None if org_types is None else _types(org_types, len(texts))
            futures = [pool.submit(_analyze_chunk, texts[i : i + CHUNK], None if types is None else types[i : i + CHUNK])
                       for i in range(0, len(texts), CHUNK)]
            return lambda: pa.concat_tables([f.result() for f in futures]) if futures else SCHEMA.empty_table()

        yield submit
