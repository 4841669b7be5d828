"""The raw-input contract: which files make each input kind and which columns they must carry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TABLE_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
# posts also come as platform exports (pipelines/warehouse/formats.py): JSON documents and LinkedIn workbooks
POST_FORMATS = {**TABLE_FORMATS, ".json": "json", ".xlsx": "xlsx"}
# organizations.csv columns naming an organization's accounts: (column, platform, which post field it matches)
ACCOUNT_COLUMNS = (
    ("x_handle", "x", "account"), ("x_user_id", "x", "account_id"),
    ("facebook_page", "facebook", "account"), ("facebook_page_id", "facebook", "account_id"),
    ("instagram_username", "instagram", "account"), ("instagram_account_id", "instagram", "account_id"),
    ("linkedin_page", "linkedin", "account"), ("youtube_channel_id", "youtube", "account_id"),
    ("tiktok_username", "tiktok", "account"), ("reddit_username", "reddit", "account"),
    ("bluesky_handle", "bluesky", "account"), ("bluesky_did", "bluesky", "account_id"),
    ("mastodon_account", "mastodon", "account"),
)
ORG_TYPES = (
    "hospital", "health_system", "clinic", "pharma", "insurer", "public_health_agency",
    "professional_association", "health_media", "other",
)


@dataclass(frozen=True)
class Contract:
    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    # merge: new loads are merged into core (posts); snapshot: core is rebuilt from the current files
    mode: str
    folder: str | None = None
    filename: str | None = None
    native: bool = False  # platform exports accepted beside the contract layout
    # an input the reports can do without (reference figures): an empty table is not a reason to stop
    needed: bool = True

    @property
    def formats(self) -> dict[str, str]:
        return POST_FORMATS if self.native else TABLE_FORMATS

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def files(self, data_dir: Path) -> list[Path]:
        """The contract's files under data_dir, sorted. Hidden files and folders (.name: editor backups, macOS
        ._ resource forks) are skipped; a file or folder whose real path leaves data_dir stops the run."""
        root = data_dir.resolve()
        if self.filename:
            candidates = [data_dir / self.filename]
        else:
            folder = data_dir / self.folder
            # rglob does not descend into symlinked folders; one pointing outside is refused below all the same
            candidates = sorted(
                p for p in folder.rglob("*")
                if (p.suffix.lower() in self.formats or p.is_symlink())
                and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            ) if folder.is_dir() else []
        found = []
        for p in candidates:
            is_input = p.suffix.lower() in self.formats
            if (is_input or p.is_dir()) and not p.resolve().is_relative_to(root):
                raise ValueError(f"{p.relative_to(data_dir).as_posix()}: resolves outside the data folder {root} "
                                 f"(a symlink to {p.resolve()}?); copy the file into the data folder instead")
            # a folder named x.csv, a FIFO or a device is not an input file (reading a FIFO would hang)
            if is_input and p.is_file():
                found.append(p)
        return found


POSTS = Contract(
    kind="posts",
    required=("post_id", "platform", "org_id", "posted_at", "text"),
    # account/account_id/time_zone: filled by the native-export adapters; a contract file may carry them too
    optional=("likes", "shares", "comments", "views", "url", "lang", "account", "account_id", "time_zone"),
    mode="merge",
    folder="posts",
    native=True,
)
ORGANIZATIONS = Contract(
    kind="organizations",
    required=("org_id", "org_name", "org_type"),
    optional=("country", "region", "time_zone") + tuple(c for c, _, _ in ACCOUNT_COLUMNS),
    mode="snapshot",
    filename="organizations.csv",
)
USER_GROWTH = Contract(
    kind="user_growth",
    required=("platform", "period", "region", "users", "source"),
    optional=("license",),
    mode="snapshot",
    folder="user_growth",
)
# Published healthcare adoption figures (hospitals, health departments, physicians, the public), one figure a row
# with its source; drawn beside the tracked organizations on the adoption page. unit: fraction or percent for
# shares, a count unit (people, hospitals, ...) otherwise; a count with a denominator also gives a share.
REFERENCE_UNITS = ("fraction", "percent", "people", "hospitals", "departments", "organizations", "accounts")
REFERENCE = Contract(
    kind="reference",
    required=("subject", "platform", "period", "region", "metric", "value", "unit", "source"),
    optional=("denominator", "license"),
    mode="snapshot",
    folder="reference",
    needed=False,
)
CONTRACTS = {c.kind: c for c in (POSTS, ORGANIZATIONS, USER_GROWTH, REFERENCE)}


def normalize_header(name: str) -> str:
    """Header as exports spell it -> contract spelling ("Post ID" -> post_id)."""
    return name.replace("\ufeff", "").strip().strip('"').lower().replace(" ", "_").replace("-", "_")
