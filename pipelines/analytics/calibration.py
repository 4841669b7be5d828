"""Sentiment shares corrected for the scorer's measured confusion: adjusted classify-and-count (ACC).

A scorer that labels posts with known error rates biases every share it counts: if it calls 23% of truly
negative posts neutral and 6% of truly neutral posts negative, the counted negative share is off by a margin that
depends on the true shares. With P[t][j] = P(predicted j | true t), measured on a labelled set, the expected shares
of predicted labels q are the true shares p pushed through P:

    q = p · P            so            p = q · P⁻¹

(Forman 2008, "Quantifying counts and costs via classification", Data Min Knowl Disc 17:164; Buck and Sukhatme
1966 for the same correction in epidemiology). Because every row of P sums to 1, p sums to 1 too, but sampling
noise can push a component below 0 (or above 1): the estimate is clipped to [0, 1] and renormalised to sum to 1.

Interval: a parametric simulation of both sources of error, with a fixed seed (`SEED`), `DRAWS` times:
  - each row t of the confusion matrix is drawn from Dirichlet(M[t] + ½), the Jeffreys posterior of the scorer's
    rates on the labelled set's rows of true class t (small labelled sets give wide intervals);
  - the group's predicted-label shares are drawn from Dirichlet(counts + ½), the Jeffreys posterior of the
    observed shares (unlike a multinomial resample at the observed shares, a class a small group never shows
    still gets a non-zero spread, as a Wilson interval does);
  - each draw is corrected as above (clip, renormalise); the 2.5th and 97.5th percentiles are the 95% interval.
The confusion draws are one fixed set per build (the same for every group, so a difference between two groups
carries the confusion uncertainty once); a group's own draws are seeded from its counts, so the same counts give
the same interval wherever they are shown.

ACC assumes the scorer errs on the reported posts as it did on the labelled set (the same P(predicted | true)):
prior shift, not a change in how posts read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import pandas as pd

from pipelines.analytics.sentiment import LABELS
from pipelines.analytics.stats import wilson

# The labelled set whose confusion corrects the shares: held out from every scorer (the healthcare rules were
# tuned on health_dev and the trained scorer is fitted on it, so its confusion there is in-sample and would
# under-correct), and written in organizations' healthcare wording, like the reported posts (TweetEval is
# general users' tweets).
CALIBRATION_SET = "health_test"
SEED = 13  # issue 13
DRAWS = 2000
JEFFREYS = 0.5


def rates(matrix: Sequence[Sequence[float]]) -> np.ndarray:
    """P(predicted | true) from a confusion matrix of counts (rows true, columns predicted, in LABELS order)."""
    m = np.asarray(matrix, dtype=float)
    if m.shape != (3, 3) or (m < 0).any():
        raise ValueError(f"need a 3x3 matrix of counts >= 0, got {m.tolist()}")
    totals = m.sum(axis=1, keepdims=True)
    if (totals == 0).any():
        raise ValueError("every true class needs at least one labelled post")
    return m / totals


def _clip_renormalise(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 0.0, 1.0)
    return p / p.sum(axis=-1, keepdims=True)


def acc_shares(counts: Sequence[float], matrix: Sequence[Sequence[float]]) -> np.ndarray:
    """The true-class shares p solving q = p · P for observed predicted-label counts, clipped and renormalised."""
    counts = np.asarray(counts, dtype=float)
    if counts.sum() <= 0:
        raise ValueError("need at least one post")
    q = counts / counts.sum()
    # q = p P  <=>  Pᵀ pᵀ = qᵀ; a singular P (a scorer that never tells two classes apart) gets the least-squares one
    p, *_ = np.linalg.lstsq(rates(matrix).T, q, rcond=None)
    return _clip_renormalise(p)


@dataclass(frozen=True)
class Corrected:
    """Shares in LABELS order: estimate, 95% low and high, each an array of 3."""

    estimate: np.ndarray
    low: np.ndarray
    high: np.ndarray


class Calibrator:
    """ACC with its simulated interval for one confusion matrix (see the module docstring)."""

    def __init__(self, matrix: Sequence[Sequence[float]], *, draws: int = DRAWS, seed: int = SEED) -> None:
        self.matrix = np.asarray(matrix, dtype=float)
        self.rates = rates(self.matrix)
        self.draws = draws
        self.seed = seed
        rng = np.random.default_rng([seed, *self.matrix.astype(np.int64).ravel().tolist()])
        sampled = rng.standard_gamma(self.matrix + JEFFREYS, size=(draws, 3, 3))
        sampled /= sampled.sum(axis=2, keepdims=True)
        # p = q P⁻¹ for every draw at once; pinv keeps a near-singular draw finite
        self._inverse = np.linalg.pinv(sampled)
        self._point_inverse = np.linalg.pinv(self.rates)

    def _draw_shares(self, counts: np.ndarray, stream: int = 1) -> np.ndarray:
        rng = np.random.default_rng([self.seed, stream, *counts.astype(np.int64).tolist()])
        q = rng.standard_gamma(counts + JEFFREYS, size=(self.draws, 3))
        return q / q.sum(axis=1, keepdims=True)

    def _corrected_draws(self, counts: np.ndarray, stream: int = 1) -> np.ndarray:
        return _clip_renormalise(np.einsum("bj,bjk->bk", self._draw_shares(counts, stream), self._inverse))

    def correct(self, counts: Sequence[float]) -> Corrected | None:
        """Corrected shares of one group's predicted counts (negative, neutral, positive); None without posts."""
        counts = np.asarray(counts, dtype=float)
        if counts.shape != (3,) or (counts < 0).any():
            raise ValueError(f"need 3 counts >= 0, got {counts.tolist()}")
        if counts.sum() == 0:
            return None
        estimate = _clip_renormalise((counts / counts.sum()) @ self._point_inverse)
        low, high = np.percentile(self._corrected_draws(counts), [2.5, 97.5], axis=0)
        # clipping can leave a point estimate of exactly 0 or 1 on the interval's edge; never outside it
        return Corrected(estimate, np.minimum(low, estimate), np.maximum(high, estimate))

    def difference(self, before: Sequence[float], after: Sequence[float], label: str = "negative"
                   ) -> tuple[float, float, float] | None:
        """Corrected share of `label` in `after` minus in `before`, with a 95% interval over both groups' draws
        and the same confusion draws (one scorer corrects both)."""
        before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
        if before.sum() == 0 or after.sum() == 0:
            return None
        k = LABELS.index(label)
        estimate = float(self.correct(after).estimate[k] - self.correct(before).estimate[k])
        # the two groups are independent samples: their draws come from different streams even when their counts
        # are equal (the confusion draws are shared: one scorer corrects both)
        draws = self._corrected_draws(after, stream=3)[:, k] - self._corrected_draws(before, stream=2)[:, k]
        low, high = np.percentile(draws, [2.5, 97.5])
        return estimate, float(min(low, estimate)), float(max(high, estimate))


@dataclass(frozen=True)
class Calibration:
    """The calibrator with where its matrix comes from, for the pages to say."""

    calibrator: Calibrator
    scorer: str
    scorer_version: str
    dataset: str
    posts: int


def from_confusion_mart(df: pd.DataFrame, dataset: str = CALIBRATION_SET) -> Calibration | None:
    """The Calibration of the scorer that scored the posts (`scores_posts`), on `dataset`, from
    marts.sentiment_confusion; None when the mart lacks those rows."""
    needed = {"dataset", "scorer", "scores_posts", "true_label", "pred_negative", "pred_neutral", "pred_positive"}
    if df is None or df.empty or not needed <= set(df.columns):
        return None
    rows = df[(df["dataset"] == dataset) & df["scores_posts"].fillna(False).astype(bool)]
    if rows.empty or set(rows["true_label"]) != set(LABELS) or rows["scorer"].nunique() != 1:
        return None
    rows = rows.set_index("true_label").loc[list(LABELS)]
    matrix = rows[[f"pred_{name}" for name in LABELS]].to_numpy(dtype=float)
    if (matrix.sum(axis=1) == 0).any():
        return None
    version = str(rows["scorer_version"].iloc[0]) if "scorer_version" in rows else ""
    return Calibration(_calibrator(tuple(matrix.ravel().tolist())), str(rows["scorer"].iloc[0]), version, dataset,
                       int(matrix.sum()))


@lru_cache(maxsize=8)
def _calibrator(cells: tuple[float, ...]) -> Calibrator:
    """One calibrator per matrix: every page of a build draws the same confusion replicates."""
    return Calibrator(np.reshape(cells, (3, 3)))


COUNT_COLUMNS = tuple(f"n_{name}" for name in LABELS)


def add_shares(df: pd.DataFrame, calibration: Calibration | None) -> pd.DataFrame:
    """For each row's n_negative, n_neutral, n_positive: the raw share of each label with its Wilson interval
    (`raw_<label>`, `raw_<label>_low`, `raw_<label>_high`) and, with a calibration, the corrected share with its
    widened interval (`corrected_<label>`, `..._low`, `..._high`). Rows without posts get missing values."""
    out = df.copy()
    counts = out[list(COUNT_COLUMNS)].fillna(0).astype(float).to_numpy()
    totals = counts.sum(axis=1)
    for k, name in enumerate(LABELS):
        intervals = [wilson(int(c), int(n)) for c, n in zip(counts[:, k], totals)]
        for suffix, part in (("", "estimate"), ("_low", "low"), ("_high", "high")):
            out[f"raw_{name}{suffix}"] = [np.nan if getattr(i, part) is None else getattr(i, part) for i in intervals]
    corrected = [calibration.calibrator.correct(row) if calibration is not None and row.sum() > 0 else None
                 for row in counts]
    for k, name in enumerate(LABELS):
        for suffix, part in (("", "estimate"), ("_low", "low"), ("_high", "high")):
            out[f"corrected_{name}{suffix}"] = [float(getattr(c, part)[k]) if c is not None else np.nan
                                                for c in corrected]
    return out
