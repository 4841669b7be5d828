"""The pandas baseline: what an analyst writes instead of the pipeline, run as a notebook runs (one process).

`python -m benchmarks.notebook --data DIR --out FILE`: read every posts CSV with pandas, score each row with
vaderSentiment's SentimentIntensityAnalyzer, then mean sentiment and counts per month and platform. It does
less than the pipeline (no validation, deduplication, quarantine, other marts or reports), which favours it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def notebook(data: Path, summary_csv: Path) -> dict:
    import pandas as pd
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    timings = {}
    began = time.perf_counter()
    posts = pd.concat([pd.read_csv(p) for p in sorted((data / "posts").glob("*.csv"))], ignore_index=True)
    timings["read_s"] = time.perf_counter() - began

    began = time.perf_counter()
    analyzer = SentimentIntensityAnalyzer()
    posts["sentiment"] = posts["text"].fillna("").apply(lambda text: analyzer.polarity_scores(text)["compound"])
    timings["score_s"] = time.perf_counter() - began

    began = time.perf_counter()
    posted = pd.to_datetime(posts["posted_at"], utc=True, format="ISO8601")
    posts["month"] = posted.dt.strftime("%Y-%m")
    posts["platform"] = posts["platform"].str.lower()
    summary = posts.groupby(["month", "platform"]).agg(
        posts=("post_id", "size"), mean_sentiment=("sentiment", "mean"),
        likes=("likes", "sum"), shares=("shares", "sum"), comments=("comments", "sum"),
    )
    summary.to_csv(summary_csv)
    timings["group_s"] = time.perf_counter() - began
    return {"rows": len(posts), "groups": len(summary), **{k: round(v, 3) for k, v in timings.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--summary", type=Path, help="where the monthly table goes (default: beside --out)")
    args = parser.parse_args(argv)
    result = notebook(args.data, args.summary or args.out.with_suffix(".csv"))
    args.out.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
