"""Posts per second, on one core, of the sentiment scorers: vaderSentiment's own path against FastVader, and the
trained scorer (numpy over whole batches).

    python -m benchmarks.scorer_speed --posts 100000 [--repeats 1] [--generated]

Texts: the sample posts (data/sample/posts/*) repeated up to --posts, or with --generated the in-memory posts of
pipelines.sample.generate.labelled_posts. Every scorer runs serially in this one process; each figure is the best
of --repeats runs, scorers interleaved, as wall-clock and as CPU time (time.process_time: on a shared machine the
CPU figure is the steadier one). The fast paths' scores are checked equal (==) to the reference paths'.
"""

from __future__ import annotations

import argparse
import time

from pipelines.analytics.sentiment import HealthcareScorer, VaderScorer, get_scorer
from pipelines.sample import sample_post_texts


def sample_texts() -> list[str]:
    return sample_post_texts()


def generated_texts(n: int) -> list[str]:
    from pipelines.sample.generate import labelled_posts

    texts: list[str] = []
    for table in labelled_posts(n):
        texts += [t for t in table.column("text").to_pylist() if isinstance(t, str)]
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--generated", action="store_true", help="texts from pipelines.sample.generate")
    args = parser.parse_args(argv)

    base = generated_texts(args.posts) if args.generated else sample_texts()
    texts = [base[i % len(base)] for i in range(args.posts)]
    scorers = {
        "vaderSentiment vanilla": VaderScorer(reference=True),
        "vaderSentiment healthcare (old path)": HealthcareScorer(reference=True),
        "fast vanilla": VaderScorer(),
        "fast healthcare (prepare + fast)": HealthcareScorer(),
        "trained (numpy batch)": get_scorer("trained"),
    }
    best = dict.fromkeys(scorers, float("inf"))
    best_cpu = dict.fromkeys(scorers, float("inf"))
    scores: dict[str, list[float]] = {}
    for _ in range(args.repeats):
        for name, scorer in scorers.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            scores[name] = scorer.score(texts)
            best[name] = min(best[name], time.perf_counter() - start)
            best_cpu[name] = min(best_cpu[name], time.process_time() - start_cpu)
    same_vanilla = scores["fast vanilla"] == scores["vaderSentiment vanilla"]
    same_health = scores["fast healthcare (prepare + fast)"] == scores["vaderSentiment healthcare (old path)"]

    source = "generated" if args.generated else f"{len(base)} sample posts repeated"
    print(f"{args.posts} posts ({source}), one process, best of {args.repeats}")
    print(f"{'':<40} {'wall posts/s':>13} {'CPU s':>7} {'CPU posts/s':>12}")
    for name, seconds in best.items():
        print(f"{name:<40} {args.posts / seconds:>13,.0f} {best_cpu[name]:>7.2f} {args.posts / best_cpu[name]:>12,.0f}")
    for kind in ("vanilla", "healthcare"):
        ref = [k for k in scorers if k.startswith("vaderSentiment") and kind in k][0]
        fast = [k for k in scorers if k.startswith("fast") and kind in k][0]
        print(f"speed-up {kind}: {best[ref] / best[fast]:.2f}x")
    print(f"scores identical: vanilla {same_vanilla}, healthcare {same_health}")
    return 0 if same_vanilla and same_health else 1


if __name__ == "__main__":
    raise SystemExit(main())
