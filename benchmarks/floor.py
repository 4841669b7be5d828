"""The floor: the same texts scored with `score_parallel` on every core, and nothing else (reading is not timed).

`python -m benchmarks.floor --out FILE PART.csv ...`. Texts go to score_parallel in batches of at most
--batch (one pool per batch, as the pipeline starts one per bucket) so memory stays bounded at 10M posts.
A serial sample gives the per-core rate, hence the ideal floor: posts / (rate x cores).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipelines.analytics.posts import DEFAULT_SCORER as SCORER  # the scorer the build uses


def _text_batches(files: list[Path], batch: int):
    import duckdb

    with duckdb.connect() as conn:
        relation = conn.sql(
            "select text from read_csv($files, all_varchar=true, header=true)", params={"files": [str(f) for f in files]}
        )
        pending: list[str] = []
        for record_batch in relation.to_arrow_reader(batch_size=min(batch, 100_000)):
            pending.extend(record_batch.column(0).to_pylist())
            if len(pending) >= batch:
                yield pending[:batch]
                pending = pending[batch:]
        if pending:
            yield pending


def measure(files: list[Path], batch: int, sample: int) -> dict:
    from pipelines.analytics.sentiment import available_cores, get_scorer, score_parallel

    scoring_s, posts, batches, serial_rate = 0.0, 0, 0, None
    for texts in _text_batches(files, batch):
        if serial_rate is None:
            scorer, head = get_scorer(SCORER), texts[:sample]
            began = time.perf_counter()
            scorer.score(head)
            serial_rate = len(head) / (time.perf_counter() - began)
        began = time.perf_counter()
        score_parallel(SCORER, texts)
        scoring_s += time.perf_counter() - began
        posts += len(texts)
        batches += 1
    cores = available_cores()
    return {
        "scorer": SCORER,
        "posts": posts,
        "processes": cores,
        "batches": batches,
        "seconds": round(scoring_s, 3),
        "posts_per_s": round(posts / scoring_s) if scoring_s else None,
        "serial_posts_per_s": round(serial_rate) if serial_rate else None,
        "ideal_seconds": round(posts / (serial_rate * cores), 3) if serial_rate else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--batch", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="texts scored serially for the per-core rate")
    args = parser.parse_args(argv)
    args.out.write_text(json.dumps(measure(args.files, args.batch, args.sample), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
