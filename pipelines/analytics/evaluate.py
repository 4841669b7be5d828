"""Measure sentiment scorers against human labels: accuracy, macro-F1, per-class figures, confusion, speed.

    python -m pipelines.analytics.evaluate --csv data/eval/health_test.csv \
        --tweeteval ../shared/reference/tweeteval_val --scorer vader --scorer healthcare --scorer trained [--json OUT]
        [--speed N] [--ablate]

Results and the commands that produced them: data/eval/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from pipelines.analytics.sentiment import (
    LABELS,
    LEXICON_ADJUSTMENTS,
    RULES,
    HealthcareScorer,
    available_cores,
    get_scorer,
    label,
    score_parallel,
)

_TWEETEVAL_FILES = ("val_text.txt", "val_labels.txt", "mapping.txt")

Dataset = tuple[list[str], list[str]]


def confusion_matrix(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS) -> list[list[int]]:
    """Counts with rows = true label and columns = predicted label, both in `labels` order."""
    index = {name: i for i, name in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for true, pred in zip(truth, predicted, strict=True):
        matrix[index[true]][index[pred]] += 1
    return matrix


def classification_metrics(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS) -> dict:
    """Accuracy, macro-F1, macro-recall (TweetEval's headline metric), per-class P/R/F1 and the confusion matrix.

    A class never predicted (or never present) gets precision (or recall) 0.0, as scikit-learn's zero_division=0.
    """
    matrix = confusion_matrix(truth, predicted, labels)
    n = sum(map(sum, matrix))
    per_class = {}
    for i, name in enumerate(labels):
        hits = matrix[i][i]
        predicted_n = sum(row[i] for row in matrix)
        support = sum(matrix[i])
        precision = hits / predicted_n if predicted_n else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return {
        "n": n,
        "accuracy": sum(matrix[i][i] for i in range(len(labels))) / n if n else 0.0,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(labels),
        "macro_recall": sum(c["recall"] for c in per_class.values()) / len(labels),
        "per_class": per_class,
        "confusion": {"labels": list(labels), "matrix": matrix},
    }


def load_labelled_csv(path: str | Path) -> Dataset:
    """Read a `text,label` CSV whose labels are negative/neutral/positive."""
    texts, truth = [], []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
            raise ValueError(f"{path}: expected a header with columns text,label; got {reader.fieldnames}")
        for row in reader:
            if row["label"] not in LABELS:
                raise ValueError(f"{path}:{reader.line_num}: label {row['label']!r} is not one of {LABELS}")
            texts.append(row["text"])
            truth.append(row["label"])
    return texts, truth


def _lines(path: Path) -> list[str]:
    """A file's lines, split on "\n" alone: splitlines() would also cut tweets at U+2028 and the like."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def load_tweeteval(directory: str | Path) -> Dataset:
    """Read TweetEval's sentiment split (val_text.txt, val_labels.txt, mapping.txt) where it lies."""
    directory = Path(directory)
    text_file, labels_file, mapping_file = (directory / name for name in _TWEETEVAL_FILES)
    mapping = dict(line.split("\t") for line in _lines(mapping_file) if line.strip())
    texts, codes = _lines(text_file), _lines(labels_file)
    if len(texts) != len(codes):
        raise ValueError(f"{directory}: {len(texts)} texts but {len(codes)} labels")
    truth = [mapping[code.strip()].strip() for code in codes]
    if set(truth) - set(LABELS):
        raise ValueError(f"{directory}: unexpected labels {sorted(set(truth) - set(LABELS))}")
    return texts, truth


EVAL_DIR = Path(__file__).resolve().parents[2] / "data" / "eval"
# the labelled CSV sets in the repository, scored at every build (marts.sentiment_confusion)
LABELLED_CSVS = ("health_test", "health_dev", "nhs_fft")
# where TweetEval's validation split is looked for at build time: $HCSM_TWEETEVAL_DIR, else the team's copy beside
# the checkout; absent (as in CI) it is left out and the methodology page says so
TWEETEVAL_DEFAULT = Path(__file__).resolve().parents[3] / "shared" / "reference" / "tweeteval_val"


def tweeteval_dir() -> Path:
    return Path(os.environ.get("HCSM_TWEETEVAL_DIR") or TWEETEVAL_DEFAULT)


def _shown(path: Path) -> str:
    """A path as the reports show it: relative to the repository root (no machine's folders in a report)."""
    try:
        return os.path.relpath(path, EVAL_DIR.parents[1])
    except ValueError:
        return path.name


def available_sets(eval_dir: Path = EVAL_DIR, tweeteval: Path | None = None) -> tuple[dict[str, Dataset], dict[str, str]]:
    """The labelled sets present now, by name, and where each was read from (or, for a missing one, where it was
    looked for: `missing:<path>`)."""
    datasets: dict[str, Dataset] = {}
    sources: dict[str, str] = {}
    for name in LABELLED_CSVS:
        path = eval_dir / f"{name}.csv"
        if path.is_file():
            datasets[name] = load_labelled_csv(path)
            sources[name] = _shown(path)
        else:
            sources[name] = f"missing:{_shown(path)}"
    tweeteval = tweeteval or tweeteval_dir()
    if all((tweeteval / name).is_file() for name in _TWEETEVAL_FILES):
        datasets["tweeteval_val"] = load_tweeteval(tweeteval)
        sources["tweeteval_val"] = _shown(tweeteval)
    else:
        sources["tweeteval_val"] = f"missing:{_shown(tweeteval)}"
    return datasets, sources


def evaluate(datasets: dict[str, Dataset], scorer_names: Sequence[str]) -> dict:
    """Score every dataset with every scorer (each scorer built once) and measure it against the labels."""
    results: dict = {}
    for scorer_name in scorer_names:
        scorer = get_scorer(scorer_name)
        for dataset_name, (texts, truth) in datasets.items():
            predicted = [label(score) for score in scorer.score(texts)]
            metrics = classification_metrics(truth, predicted)
            results.setdefault(dataset_name, {})[scorer_name] = {"version": scorer.version, **metrics}
    return results


def measure_speed(
    scorer_names: Sequence[str], texts: Sequence[str], n: int, processes: int | None = None, repeats: int = 3
) -> dict:
    """Posts per second on `texts` repeated up to `n` posts, serial and with score_parallel (worker start-up
    included); best of `repeats` runs, scorers interleaved so that a busy shared machine slows each alike."""
    sample = [texts[i % len(texts)] for i in range(n)]
    scorers = {name: get_scorer(name) for name in scorer_names}
    best = {(name, way): float("inf") for name in scorer_names for way in ("serial", "parallel")}
    for _ in range(repeats):
        for name, scorer in scorers.items():
            start = time.perf_counter()
            serial = scorer.score(sample)
            middle = time.perf_counter()
            parallel = score_parallel(name, sample, processes=processes)
            end = time.perf_counter()
            if parallel != serial:
                raise AssertionError(f"{name}: parallel scores differ from serial scores")
            best[name, "serial"] = min(best[name, "serial"], middle - start)
            best[name, "parallel"] = min(best[name, "parallel"], end - middle)
    return {
        name: {
            "posts": n,
            "processes": processes or available_cores(),
            "serial_posts_per_s": n / best[name, "serial"],
            "parallel_posts_per_s": n / best[name, "parallel"],
            "speedup": best[name, "serial"] / best[name, "parallel"],
        }
        for name in scorer_names
    }


def ablate(texts: Sequence[str], truth: Sequence[str]) -> list[dict]:
    """The healthcare scorer with one rule or one lexicon entry left out at a time: how accuracy and macro-F1 move.

    A piece whose removal does not lower either figure on the dev set earns no place in the scorer.
    """

    def measure(scorer: HealthcareScorer) -> dict:
        return classification_metrics(truth, [label(score) for score in scorer.score(texts)])

    full = measure(HealthcareScorer())
    variants = [(f"rule {r.name}", HealthcareScorer(rules=[x for x in RULES if x is not r])) for r in RULES]
    variants += [
        (f"lexicon {word}", HealthcareScorer(lexicon={k: v for k, v in LEXICON_ADJUSTMENTS.items() if k != word}))
        for word in LEXICON_ADJUSTMENTS
    ]
    rows = []
    for piece, scorer in variants:
        m = measure(scorer)
        rows.append({
            "without": piece,
            "accuracy_change": m["accuracy"] - full["accuracy"],
            "macro_f1_change": m["macro_f1"] - full["macro_f1"],
        })
    return rows


def format_report(results: dict, speed: dict | None = None, ablation: dict | None = None) -> str:
    """The evaluation as plain text: one block per dataset and scorer."""
    lines = []
    for dataset_name, by_scorer in results.items():
        for scorer_name, m in by_scorer.items():
            lines.append(f"== {dataset_name} | {scorer_name} {m['version']} | n={m['n']}")
            lines.append(
                f"accuracy {m['accuracy']:.3f}  macro-F1 {m['macro_f1']:.3f}  macro-recall {m['macro_recall']:.3f}"
            )
            lines.append(f"{'class':<10}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}")
            for name, c in m["per_class"].items():
                lines.append(f"{name:<10}{c['precision']:>10.3f}{c['recall']:>8.3f}{c['f1']:>8.3f}{c['support']:>9}")
            labels = m["confusion"]["labels"]
            lines.append("confusion (rows = truth, columns = predicted)")
            lines.append(f"{'':<10}" + "".join(f"{name:>10}" for name in labels))
            for name, row in zip(labels, m["confusion"]["matrix"]):
                lines.append(f"{name:<10}" + "".join(f"{count:>10}" for count in row))
            lines.append("")
    if speed:
        lines.append(f"{'speed':<12}{'posts':>8}{'processes':>10}{'serial/s':>10}{'parallel/s':>12}{'speed-up':>10}")
        for scorer_name, s in speed.items():
            lines.append(
                f"{scorer_name:<12}{s['posts']:>8}{s['processes']:>10}{s['serial_posts_per_s']:>10.0f}"
                f"{s['parallel_posts_per_s']:>12.0f}{s['speedup']:>10.2f}"
            )
    for dataset_name, rows in (ablation or {}).items():
        lines.append(f"ablation on {dataset_name}: healthcare without one piece (negative = the piece helps)")
        for row in rows:
            lines.append(
                f"  {row['without']:<32} accuracy {row['accuracy_change']:+.3f}  macro-F1 {row['macro_f1_change']:+.3f}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.analytics.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--csv", action="append", default=[], help="labelled text,label CSV (repeatable)")
    parser.add_argument("--tweeteval", help="directory holding TweetEval's val_text.txt, val_labels.txt, mapping.txt")
    parser.add_argument("--scorer", action="append", help="scorer name (repeatable; default: vader, healthcare and trained)")
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    parser.add_argument("--speed", type=int, metavar="N", help="also time each scorer on N posts from the datasets")
    parser.add_argument("--processes", type=int, help="worker processes for the --speed parallel run")
    parser.add_argument("--ablate", action="store_true", help="also leave out each healthcare rule in turn (CSV sets)")
    args = parser.parse_args(argv)
    if not args.csv and not args.tweeteval:
        parser.error("give at least one --csv or --tweeteval")
    scorer_names = args.scorer or ["vader", "healthcare", "trained"]
    for path in args.csv:
        if not Path(path).is_file():
            parser.error(f"--csv {path}: no such file (run from the repository root; data/eval/ holds the labelled sets)")
    if args.tweeteval:
        missing = [name for name in ("val_text.txt", "val_labels.txt") if not (Path(args.tweeteval) / name).is_file()]
        if missing:
            parser.error(
                f"--tweeteval {args.tweeteval}: {', '.join(missing)} not found there. The folder must hold TweetEval's "
                "sentiment validation split (val_text.txt, val_labels.txt; from github.com/cardiffnlp/tweeteval, "
                "datasets/sentiment). The team's copy is ../shared/reference/tweeteval_val beside the checkout; "
                "without it, leave --tweeteval out and evaluate on the --csv sets only")

    datasets = {Path(path).stem: load_labelled_csv(path) for path in args.csv}
    if args.tweeteval:
        datasets["tweeteval_val"] = load_tweeteval(args.tweeteval)
    results = evaluate(datasets, scorer_names)
    speed = None
    if args.speed:
        all_texts = [text for texts, _ in datasets.values() for text in texts]
        speed = measure_speed(scorer_names, all_texts, args.speed, args.processes)
    ablation = None
    if args.ablate:
        ablation = {Path(path).stem: ablate(*datasets[Path(path).stem]) for path in args.csv}
    print(format_report(results, speed, ablation))
    if args.json:
        payload = {"datasets": results, "speed": speed, "ablation": ablation}
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
