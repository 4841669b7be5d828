"""Rebuild data/eval/nhs_fft.csv (3,000-row evaluation sample) and data/train/nhs_fft_train.csv (the other eligible
rows) from pxtextmining's datasets/v6framework_230831.csv (SHA-256 6c90cc74...; see data/train/nhs_fft.SOURCE.md).

    .venv/bin/python data/train/make_nhs_fft.py /path/to/v6framework_230831.csv [--check]

The filters and the seeded sample are those that made data/eval/nhs_fft.csv (data/eval/nhs_fft.SOURCE.md); with
--check nothing is written and the script only verifies that both files are reproduced byte for byte. Needs pandas.
"""

import csv
import hashlib
import io
import random
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
SOURCE_SHA256 = "6c90cc740f2c486a17ef89be852f13f8ca434da4e2a06254a43288de7dc39567"
LABEL = {1: "positive", 2: "positive", 3: "neutral", 4: "negative", 5: "negative"}


def norm(t: str) -> str:
    return " ".join(t.lower().split())


def eligible(path: Path) -> tuple[pd.DataFrame, dict]:
    if hashlib.sha256(path.read_bytes()).hexdigest() != SOURCE_SHA256:
        raise SystemExit(f"{path}: not the expected file (SHA-256 {SOURCE_SHA256})")
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    stats = {"rows": len(d)}
    rows = d[["FFT answer", "Comment sentiment", "FFT question", "Trust"]].copy()
    rows.columns = ["text", "sent", "question", "trust"]
    rows["text"] = rows["text"].str.strip()
    m = rows["sent"].isin(["1.0", "2.0", "3.0", "4.0", "5.0", "1", "2", "3", "4", "5"])
    stats["no_sentiment"] = int((~m).sum()); rows = rows[m]
    m = rows["text"].ne("") & rows["text"].str.lower().ne("did not answer")
    stats["empty_or_did_not_answer"] = int((~m).sum()); rows = rows[m]
    m = rows["text"].str.len() <= 280
    stats["over_280_chars"] = int((~m).sum()); rows = rows[m]
    rows["label"] = rows["sent"].map(lambda s: LABEL[int(float(s))])
    rows["key"] = rows["text"].str.lower().str.split().str.join(" ")
    g = rows.groupby("key")["label"].nunique()
    conflict = set(g[g > 1].index)
    stats["conflicting_label_rows"] = int(rows["key"].isin(conflict).sum())
    rows = rows[~rows["key"].isin(conflict)]
    before = len(rows)
    rows = rows.drop_duplicates("key", keep="first")
    stats["duplicate_rows"] = before - len(rows)
    # Texts of the other labelled data (TweetEval train/test text, health_dev, health_test): none, when the sample
    # was drawn; dropped here all the same, so that the eligible rows are the ones the sample was drawn from.
    other = set()
    for f in (REPO / "data" / "train" / "tweeteval_sentiment").glob("*_text.txt"):
        other |= {norm(line) for line in f.read_text(encoding="utf-8").split("\n") if line.strip()}
    for f in (REPO / "data" / "eval" / "health_dev.csv", REPO / "data" / "eval" / "health_test.csv"):
        with open(f, encoding="utf-8", newline="") as h:
            other |= {norm(r["text"]) for r in csv.DictReader(h)}
    overlap = rows["key"].isin(other)
    stats["overlap_other_sets"] = int(overlap.sum())
    rows = rows[~overlap]
    stats["eligible"] = len(rows)
    return rows, stats


def as_csv(frame: pd.DataFrame) -> bytes:
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["text", "label"])
    for t, lab in zip(frame["text"], frame["label"]):
        w.writerow([t, lab])
    return out.getvalue().encode("utf-8")


def main(argv: list[str]) -> int:
    rows, stats = eligible(Path(argv[0]))
    idx = list(range(len(rows)))
    random.Random(13).shuffle(idx)
    sample = rows.iloc[sorted(idx[:3000])]
    rest = rows.iloc[sorted(idx[3000:])]  # the training split: every eligible row not in the sample, file order
    assert not set(sample["key"]) & set(rest["key"]) and len(sample) + len(rest) == len(rows)
    files = {REPO / "data" / "eval" / "nhs_fft.csv": as_csv(sample),
             REPO / "data" / "train" / "nhs_fft_train.csv": as_csv(rest)}
    for name, frame in (("eval", sample), ("train", rest)):
        stats[name] = {"rows": len(frame), **frame["label"].value_counts().to_dict(),
                       **frame["trust"].value_counts().to_dict()}
    for k, v in stats.items():
        print(k, v)
    check = "--check" in argv
    for path, data in files.items():
        same = path.is_file() and path.read_bytes() == data
        print(f"{path.relative_to(REPO)}: {'identical' if same else 'differs'}; sha256 {hashlib.sha256(data).hexdigest()}")
        if check and not same:
            return 1
        if not check:
            path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
