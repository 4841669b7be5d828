"""How well the patient-information flag (risk.assess(...).phi) works on real posts, and on the generator's seeds.

`python -m pipelines.analytics.phi_eval` reads data/eval/phi_real.csv (real health-news and federal-agency tweets,
each labelled by hand against data/eval/PHI.md) and writes data/eval/phi_results.json:
- `current`: the detector as it is now, told each row's organization type (SOURCE_ORG_TYPES: the UCI accounts are
  health-news accounts, CDC and IHS public-health agencies): flagged, TP/FP/FN/TN, precision and recall with 95%
  Wilson intervals;
- `revision_3`, `revision_2`: the same figures for revision 3 (commit a84de5c, which had no organization type) and
  revision 2 (commit 5c2f1b2), from the `flagged_rev3` and `flagged_rev2` columns, which one-off runs of those
  revisions wrote into the labelled set;
- `per_source`: those figures for each source of the labelled set;
- `seeded`: recall on the identifiers seeded by the synthetic generator (pipelines/sample/generate.py), each post
  assessed with its generated organization's type, counted only when the seeded kind itself is found (a phone post
  flagged for its name does not count), and the generator's ordinary posts flagged (false alarms), now and for
  revisions 2 and 3 (SEEDED_REV2, SEEDED_REV3, from the same runs).

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
COLUMNS = ("source", "stratum", "post_id", "org_id", "text", "flagged_rev2", "flagged_rev3", "label", "note")
CDC_IHS_ORGS = CDC_IHS_POSTS.parent / "organizations.csv"
# The organization type (core.organizations.org_type) each source's posts are assessed with: the UCI accounts are
# health-news accounts; rm2023's types come from its organizations.csv (CDC and IHS: public_health_agency).
SOURCE_ORG_TYPES = {"uci": "health_media"}
SOURCE_NAMES = {"uci": "UCI health news", "rm2023": "CDC and IHS"}
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
# Revisions 2 and 3 on SEEDED_ARGS, from one-off runs of commit 5c2f1b2's and commit a84de5c's risk.py (found,
# seeded, false alarms).
SEEDED_REV2 = {"found": 717, "seeded": 717, "false_alarms": 0, "ordinary": 196_975}
SEEDED_REV3 = {"found": 717, "seeded": 717, "false_alarms": 0, "ordinary": 196_975}
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


def _rm2023_org_types(path: Path = CDC_IHS_ORGS) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as f:
        return {r["org_id"]: r["org_type"] for r in csv.DictReader(f)}


def org_type(row: dict[str, str]) -> str | None:
    """The organization type a labelled row (or a source post) is assessed with."""
    if row["source"] == "rm2023":
        return _rm2023_org_types().get(row["org_id"])
    return SOURCE_ORG_TYPES.get(row["source"])


def flags(text: str, org: str | None = None) -> bool:
    return bool(assess(text, org).phi)


def seeded(flag_kinds: Callable[[str, str | None], tuple[str, ...]] = lambda t, o: assess(t, o).phi) -> dict:
    """Recall on the generator's seeded patient-information posts (the seeded kind must be found), per kind, and
    how many of its ordinary posts (no risk, or the organization's own contact) are flagged; each post is assessed
    with the type of the organization the generator made it for."""
    from pipelines.sample.generate import labelled_posts, make_orgs

    orgs = make_orgs(SEEDED_ARGS["orgs"], SEEDED_ARGS["seed"]).table
    types = dict(zip(orgs.column("org_id").to_pylist(), orgs.column("org_type").to_pylist(), strict=True))
    found, total = Counter(), Counter()
    false_alarms = ordinary = 0
    for block in labelled_posts(SEEDED_ARGS["posts"], orgs=SEEDED_ARGS["orgs"], seed=SEEDED_ARGS["seed"]):
        for text, kind, org in zip(block["text"].to_pylist(), block["true_risk"].to_pylist(),
                                   block["org_id"].to_pylist(), strict=True):
            if kind in SEEDED_KINDS:
                total[kind] += 1
                found[kind] += SEEDED_KINDS[kind] in flag_kinds(text, types[org])
            elif kind in ("none", "org_contact"):
                ordinary += 1
                false_alarms += bool(flag_kinds(text, types[org]))
    return {"args": SEEDED_ARGS, "recall": _interval(sum(found.values()), sum(total.values())),
            "per_kind": {k: {"found": found[k], "seeded": total[k]} for k in SEEDED_KINDS},
            "false_alarms": false_alarms, "ordinary": ordinary}


def evaluate(path: Path = LABELS) -> dict:
    rows = read_labels(path)
    labels = [int(r["label"]) for r in rows]
    strata = Counter(r["stratum"] for r in rows)
    flagged = {
        "current": [flags(r["text"], org_type(r)) for r in rows],
        "revision_3": [r["flagged_rev3"] == "1" for r in rows],
        "revision_2": [r["flagged_rev2"] == "1" for r in rows],
    }
    rev2 = dict(scores(labels, flagged["revision_2"]))
    rev2["seeded"] = {"recall": _interval(SEEDED_REV2["found"], SEEDED_REV2["seeded"]),
                      "false_alarms": SEEDED_REV2["false_alarms"]}
    rev3 = dict(scores(labels, flagged["revision_3"]))
    rev3["seeded"] = {"recall": _interval(SEEDED_REV3["found"], SEEDED_REV3["seeded"]),
                      "false_alarms": SEEDED_REV3["false_alarms"]}
    current = scores(labels, flagged["current"])
    current["seeded"] = seeded()
    per_source = {}
    for source in sorted({r["source"] for r in rows}):
        keep = [i for i, r in enumerate(rows) if r["source"] == source]
        per_source[source] = {
            "name": SOURCE_NAMES.get(source, source),
            "org_types": sorted({org_type(rows[i]) or "unknown" for i in keep}),
            "labelled": len(keep),
            "positives": sum(labels[i] for i in keep),
            **{key: scores([labels[i] for i in keep], [values[i] for i in keep]) for key, values in flagged.items()},
        }
    return {
        "source": SOURCE,
        "labelled": len(rows),
        "positives": sum(labels),
        "strata": dict(sorted(strata.items())),
        "by_source": dict(sorted(Counter(r["source"] for r in rows).items())),
        "revision": REVISION,
        "risk_version": RISK_VERSION,
        "current": current,
        "revision_3": rev3,
        "revision_2": rev2,
        "per_source": per_source,
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
    return [p for p in posts if (p["source"], p["post_id"]) not in have and flags(p["text"], org_type(p))]


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
    for name, s in (("revision 2", old), ("revision 3", result["revision_3"]), (f"revision {REVISION}", cur)):
        p, r = s["precision"], s["recall"]
        print(f"{name}: flagged {s['flagged']}, TP {s['tp']} FP {s['fp']} FN {s['fn']}; precision {p['estimate']} "
              f"[{p['low']}, {p['high']}], recall {r['estimate']} [{r['low']}, {r['high']}]; seeded recall "
              f"{s['seeded']['recall']['k']}/{s['seeded']['recall']['n']}")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
