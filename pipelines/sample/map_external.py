"""Map the stored RM2023 excerpt (real tweets by healthcare organizations' own accounts) to the input contract.

The excerpt lives in data/external/rm2023_healthcare_org_tweets/raw/ (see SOURCE.md there); this writes
contract/posts/rm2023_<account>.csv and contract/organizations.csv beside it. Every source row becomes one
contract row, odd or not: deciding what is unusable is the pipeline's job (load or quarantine with a reason).

    python -m pipelines.sample.map_external [--raw DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

DATASET_DIR = Path(__file__).resolve().parents[2] / "data" / "external" / "rm2023_healthcare_org_tweets"
POST_COLUMNS = ("post_id", "platform", "org_id", "posted_at", "text", "likes", "shares", "comments", "views", "url", "lang")
ORG_COLUMNS = ("org_id", "org_name", "org_type", "country", "region")
SOURCE_COLUMNS = (
    "id", "created_at", "conversation_id", "tweet", "retweet_count", "like_count", "reply_count", "quote_count",
    "expanded_url", "language", "possibly_sensitive", "in_reply_to_user_id", "username",
)
OUTPUT_PREFIX = "rm2023_"


@dataclass(frozen=True)
class Org:
    org_id: str
    org_name: str
    org_type: str
    country: str  # ISO 3166-1 alpha-2 of the headquarters
    region: str


# One row per account in the excerpt, keyed by the source's `username`; classification is ours (see SOURCE.md).
ACCOUNTS: dict[str, Org] = {
    "CDCgov": Org("cdcgov", "Centers for Disease Control and Prevention (CDC)", "public_health_agency", "US", "North America"),
    "IHSgov": Org("ihsgov", "Indian Health Service (IHS)", "public_health_agency", "US", "North America"),
    "GCIndigenous": Org("gcindigenous", "Indigenous Services Canada", "other", "CA", "North America"),
    "pfizer": Org("pfizer", "Pfizer", "pharma", "US", "North America"),
    "JNJNews": Org("jnjnews", "Johnson & Johnson", "pharma", "US", "North America"),
    "AstraZeneca": Org("astrazeneca", "AstraZeneca", "pharma", "GB", "Europe"),
    "GSK": Org("gsk", "GSK", "pharma", "GB", "Europe"),
    "Novartis": Org("novartis", "Novartis", "pharma", "CH", "Europe"),
}


def to_utc_iso(created_at: str) -> str:
    """'2022-06-30 21:11:07+00:00' -> '2022-06-30T21:11:07Z'; anything unparseable is passed on unchanged."""
    try:
        parsed = datetime.strptime(created_at.strip(), "%Y-%m-%d %H:%M:%S%z")
    except ValueError:
        # the pipeline, not the mapping, quarantines bad timestamps with a reason
        return created_at
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def org_id_for(username: str) -> str:
    """The contract org_id of a source account; unknown accounts keep their handle so the pipeline can flag them."""
    known = ACCOUNTS.get(username)
    return known.org_id if known else username.strip().lower()


def map_row(row: dict[str, str]) -> dict[str, str]:
    """One source tweet -> one contract post; counts are copied as text, views stay empty (not in the source)."""
    username = row["username"]
    return {
        "post_id": row["id"],
        "platform": "Twitter",
        "org_id": org_id_for(username),
        "posted_at": to_utc_iso(row["created_at"]),
        "text": row["tweet"],
        "likes": row["like_count"],
        "shares": row["retweet_count"],
        "comments": row["reply_count"],
        "views": "",
        "url": f"https://twitter.com/{username}/status/{row['id']}" if row["id"].strip() else "",
        "lang": row["language"],
    }


def read_source(path: Path) -> list[dict[str, str]]:
    """Rows of one raw file; a header other than the RM2023 one is an error, not something to guess around."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != SOURCE_COLUMNS:
            raise ValueError(f"{path}: unexpected header {reader.fieldnames}; expected {list(SOURCE_COLUMNS)}")
        return list(reader)


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def map_external(raw_dir: Path, out_dir: Path) -> dict[str, int]:
    """Write out_dir/posts/rm2023_<account>.csv per raw file and out_dir/organizations.csv; return rows per file."""
    sources = sorted(raw_dir.glob("*.csv"))
    if not sources:
        raise FileNotFoundError(f"no raw .csv files in {raw_dir}")
    posts_dir = out_dir / "posts"
    # only our own earlier output is replaced, so a rerun leaves no stale file behind
    for stale in posts_dir.glob(f"{OUTPUT_PREFIX}*.csv"):
        stale.unlink()
    written: dict[str, int] = {}
    for source in sources:
        posts = [map_row(row) for row in read_source(source)]
        target = posts_dir / f"{OUTPUT_PREFIX}{source.stem.lower()}.csv"
        write_csv(target, POST_COLUMNS, posts)
        written[target.relative_to(out_dir).as_posix()] = len(posts)
    orgs = [asdict(org) for org in sorted(ACCOUNTS.values(), key=lambda o: o.org_id)]
    write_csv(out_dir / "organizations.csv", ORG_COLUMNS, orgs)
    written["organizations.csv"] = len(orgs)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=DATASET_DIR / "raw", help="folder of raw RM2023 .csv files")
    parser.add_argument("--out", type=Path, default=DATASET_DIR / "contract", help="contract folder to write")
    args = parser.parse_args(argv)
    for name, rows in map_external(args.raw, args.out).items():
        print(f"{rows:5d}  {args.out / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
