"""How well the patient-information flag (risk.assess(...).phi) works on real posts, and on the generator's seeds.

`python -m pipelines.analytics.phi_eval` reads data/eval/phi_real.csv (real health-news and federal-agency tweets,
each labelled by hand against data/eval/PHI.md) and writes data/eval/phi_results.json:
- `current`: the detector as it is now: flagged, TP/FP/FN/TN, precision and recall with 95% Wilson intervals;
- `revision_2`: the same figures for revision 2 (commit 5c2f1b2), from the `flagged_rev2` column, which a one-off
  run of that revision wrote into the labelled set (its code is not kept);
- `seeded`: recall on the identifiers seeded by the synthetic generator (pipelines/sample/generate.py), counted
  only when the seeded kind itself is found (a phone post flagged for its name does not count), and the
  generator's ordinary posts flagged (false alarms), now and for revision 2 (SEEDED_REV2, from the same run).

`python -m pipelines.analytics.phi_eval --missing [--uci DIR]` lists posts of the sources that the detector flags
but that the labelled set lacks (they must be labelled and added, PHI.md says how), and exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from pipelines.analytics.risk import REVISION, RISK_VERSION, assess
from pipelines.analytics.stats import wilson

REPO = Path(__file__).resolve().parents[2]
LABELS = REPO / "data" / "eval" / "phi_real.csv"
RESULTS = REPO / "data" / "eval" / "phi_results.json"
CDC_IHS_POSTS = REPO / "data" / "external" / "rm2023_healthcare_org_tweets" / "contract" / "posts"
# The UCI posts as pipelines/sample/map_uci.py writes them (not shipped: 63,327 tweets); HCSM_UCI_POSTS overrides.
UCI_POSTS = Path(os.environ.get("HCSM_UCI_POSTS", "/tmp/ucidata/posts"))
COLUMNS = ("source", "stratum", "post_id", "org_id", "text", "flagged_rev2", "label", "note")
# The labelled set's strata (PHI.md): every post flagged by revision 2 or 3, every post with first-person care or
# family wording or record/birth-date words that neither flags (where missed patient information would be), and a
# seeded random sample of all posts.
SAMPLE_SEED, SAMPLE_SIZE = 438, 470
TARGETED = re.compile(
    r"\b(?:my|our)\s+(?:patients?|pt)\b|\bmy\s+(?:mom|mother|dad|father|son|daughter|wife|husband|baby)\b|\bdob\b"
    r"|\bdate of birth\b|\bmrn\b|\bmedical record number",
    re.IGNORECASE,
)
# The generator's posts the seeded recall is measured on.
SEEDED_ARGS = {"posts": 200_000, "orgs": 40, "seed": 0}
SEEDED_KINDS = {"phi_phone": "phone", "phi_email": "email", "phi_record": "record_number", "phi_dob": "dob",
                "phi_address": "address", "phi_name": "name_condition"}
# Revision 2 on SEEDED_ARGS, from a one-off run of commit 5c2f1b2's risk.py (found, seeded, false alarms).
SEEDED_REV2 = {"found": 717, "seeded": 717, "false_alarms": 0, "ordinary": 196_975}
SOURCE = ("Karami, A. et al., Health News in Twitter, UCI Machine Learning Repository dataset 438 (CC BY 4.0), "
          "tweets of 16 health-news accounts, 2011-2015; and 84 public-domain tweets of CDC and IHS (2022)")


def read_labels(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _interval(k: int, n: int) -> dict:
    est, low, high = wilson(k, n)
    return {"estimate": est, "low": low, "high": high, "k": k, "n": n}


def scores(labels: Iterable[int], flagged: Iterable[bool]) -> dict:
    """TP/FP/FN/TN, precision and recall with 95% Wilson intervals (None where the denominator is 0)."""
    counts = Counter((bool(f), bool(y)) for y, f in zip(labels, flagged, strict=True))
    tp, fp, fn, tn = counts[True, True], counts[True, False], counts[False, True], counts[False, False]
    return {"flagged": tp + fp, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": _interval(tp, tp + fp), "recall": _interval(tp, tp + fn)}


def flags(text: str) -> bool:
    return bool(assess(text).phi)


def seeded(flag_kinds: Callable[[str], tuple[str, ...]] = lambda t: assess(t).phi) -> dict:
    """Recall on the generator's seeded patient-information posts (the seeded kind must be found), per kind, and
    how many of its ordinary posts (no risk, or the organization's own contact) are flagged."""
    from pipelines.sample.generate import labelled_posts

    found, total = Counter(), Counter()
    false_alarms = ordinary = 0
    for block in labelled_posts(SEEDED_ARGS["posts"], orgs=SEEDED_ARGS["orgs"], seed=SEEDED_ARGS["seed"]):
        for text, kind in zip(block["text"].to_pylist(), block["true_risk"].to_pylist(), strict=True):
            if kind in SEEDED_KINDS:
                total[kind] += 1
                found[kind] += SEEDED_KINDS[kind] in flag_kinds(text)
            elif kind in ("none", "org_contact"):
                ordinary += 1
                false_alarms += bool(flag_kinds(text))
    return {"args": SEEDED_ARGS, "recall": _interval(sum(found.values()), sum(total.values())),
            "per_kind": {k: {"found": found[k], "seeded": total[k]} for k in SEEDED_KINDS},
            "false_alarms": false_alarms, "ordinary": ordinary}


def evaluate(path: Path = LABELS) -> dict:
    rows = read_labels(path)
    labels = [int(r["label"]) for r in rows]
    strata = Counter(r["stratum"] for r in rows)
    rev2 = dict(scores(labels, (r["flagged_rev2"] == "1" for r in rows)))
    rev2["seeded"] = {"recall": _interval(SEEDED_REV2["found"], SEEDED_REV2["seeded"]),
                      "false_alarms": SEEDED_REV2["false_alarms"]}
    current = scores(labels, (flags(r["text"]) for r in rows))
    current["seeded"] = seeded()
    return {
        "source": SOURCE,
        "labelled": len(rows),
        "positives": sum(labels),
        "strata": dict(sorted(strata.items())),
        "by_source": dict(sorted(Counter(r["source"] for r in rows).items())),
        "revision": REVISION,
        "risk_version": RISK_VERSION,
        "current": current,
        "revision_2": rev2,
    }


def write(path: Path = RESULTS, labels: Path = LABELS) -> dict:
    result = evaluate(labels)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


# --- the sources, and which flagged posts the labelled set lacks -----------------------------------------------------

def source_posts(uci: Path | None = UCI_POSTS) -> list[dict[str, str]]:
    """Every post of the sources, in a fixed order: the UCI files (when present), then CDC and IHS."""
    posts = []
    folders = [("uci", uci)] if uci is not None and uci.is_dir() else []
    for source, folder in [*folders, ("rm2023", CDC_IHS_POSTS)]:
        for path in sorted(folder.glob("*.csv")):
            with path.open(newline="", encoding="utf-8") as f:
                posts += [{"source": source, "post_id": r["post_id"], "org_id": r["org_id"], "text": r["text"]}
                          for r in csv.DictReader(f)]
    return posts


def random_sample(posts: list[dict[str, str]]) -> list[dict[str, str]]:
    """The seeded random stratum: SAMPLE_SIZE posts drawn from all posts, in source_posts order."""
    return random.Random(SAMPLE_SEED).sample(posts, SAMPLE_SIZE)


def missing(posts: list[dict[str, str]], path: Path = LABELS) -> list[dict[str, str]]:
    """Posts the detector flags that the labelled set lacks."""
    have = {(r["source"], r["post_id"]) for r in read_labels(path)}
    return [p for p in posts if (p["source"], p["post_id"]) not in have and flags(p["text"])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--missing", action="store_true", help="list flagged posts the labelled set lacks")
    parser.add_argument("--uci", type=Path, default=UCI_POSTS, help="the mapped UCI posts folder")
    args = parser.parse_args(argv)
    if args.missing:
        lacking = missing(source_posts(args.uci))
        for p in lacking:
            print(json.dumps(p, ensure_ascii=False))
        return 1 if lacking else 0
    result = write()
    cur, old = result["current"], result["revision_2"]
    for name, s in (("revision 2", old), (f"revision {REVISION}", cur)):
        p, r = s["precision"], s["recall"]
        print(f"{name}: flagged {s['flagged']}, TP {s['tp']} FP {s['fp']} FN {s['fn']}; precision {p['estimate']} "
              f"[{p['low']}, {p['high']}], recall {r['estimate']} [{r['low']}, {r['high']}]; seeded recall "
              f"{s['seeded']['recall']['k']}/{s['seeded']['recall']['n']}")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
