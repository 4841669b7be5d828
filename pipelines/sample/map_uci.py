"""Map the UCI "Health News in Twitter" tweets (16 health-news accounts, 2011-2015) to the input contract.

The dataset (Karami et al., UCI Machine Learning Repository, dataset 438, CC BY 4.0) ships one text file per
account, `<id>|<created_at>|<text>` a line. Copies in circulation were re-saved by spreadsheets: tabs in the date,
the id as a float (5.85978E+17). All three spellings are read; an id that lost its digits becomes
`<account>-<line>`. A line that matches none is still written (with an empty time), so the pipeline quarantines it
with a reason instead of this script dropping it.

    python -m pipelines.sample.map_uci --raw DIR_WITH_TXT_FILES --out DATA_DIR
"""

from __future__ import annotations

import argparse
import csv
import re
from datetime import datetime
from pathlib import Path

MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                      "Dec"), start=1)}
ORIGINAL = re.compile(r"^(\d+)\|\w{3} (\w{3}) (\d\d) (\d\d:\d\d:\d\d) \+0000 (\d{4})\|(.*)$")
TABBED = re.compile(r'^(\d+)\|\w{3}\t(\w{3})\t(\d+)\t(\d\d?:\d\d:\d\d)\t0\t"?(\d{4})\|\t?(.*)$')
FLOAT_ID = re.compile(r"^([\d.]+E\+\d+)\t ?\w{3}\t(\w{3})\t(\d+)\t(\d\d?:\d\d:\d\d)\t(\d{4})\t ?(.*)$")
# account file stem -> display name (all are health-news and health-media accounts)
ACCOUNTS = {
    "KaiserHealthNews": "Kaiser Health News", "NBChealth": "NBC News Health", "bbchealth": "BBC Health",
    "cbchealth": "CBC Health", "cnnhealth": "CNN Health", "everydayhealth": "Everyday Health",
    "foxnewshealth": "Fox News Health", "gdnhealthcare": "Guardian Healthcare", "goodhealth": "Good Health",
    "latimeshealth": "LA Times Health", "msnhealthnews": "MSN Health News", "nprhealth": "NPR Health",
    "nytimeshealth": "New York Times Health", "reuters_health": "Reuters Health", "usnewshealth": "US News Health",
    "wsjhealth": "WSJ Health",
}
POST_COLUMNS = ("post_id", "platform", "org_id", "posted_at", "text")


def parse_line(account: str, number: int, line: str) -> dict[str, str]:
    """One line as a contract row; posted_at is ISO 8601 UTC (the dataset's times are UTC) or empty."""
    for pattern in (ORIGINAL, TABBED, FLOAT_ID):
        found = pattern.match(line)
        if found:
            raw_id, month, day, clock, year, text = found.groups()
            stamp = datetime(int(year), MONTHS[month], int(day), *map(int, clock.split(":")))
            post_id = raw_id if raw_id.isdigit() else f"{account}-{number}"
            return {"post_id": post_id, "platform": "x", "org_id": account.lower(),
                    "posted_at": stamp.isoformat() + "Z", "text": text.strip().strip('"')}
    return {"post_id": f"{account}-{number}", "platform": "x", "org_id": account.lower(), "posted_at": "",
            "text": line}


def convert(raw: Path, out: Path) -> dict[str, int]:
    (out / "posts").mkdir(parents=True, exist_ok=True)
    counts = {}
    for path in sorted(raw.glob("*.txt")):
        account = path.stem
        if account not in ACCOUNTS:
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        rows = [parse_line(account, k, line) for k, line in enumerate(lines, start=1)
                if line.strip() and not (k == 1 and line.startswith("ID\t"))]
        with (out / "posts" / f"uci_{account.lower()}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, POST_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        counts[account] = len(rows)
    with (out / "organizations.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["org_id", "org_name", "org_type", "country", "region"])
        for account, name in sorted(ACCOUNTS.items()):
            writer.writerow([account.lower(), name, "health_media", "", ""])
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    counts = convert(args.raw, args.out)
    print(f"{sum(counts.values()):,} rows from {len(counts)} accounts: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
