"""The raw-input contract: which files make each input kind and which columns they must carry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

POST_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
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

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def files(self, data_dir: Path) -> list[Path]:
        """The contract's files under data_dir, sorted; symlinks that leave data_dir are refused."""
        root = data_dir.resolve()
        if self.filename:
            candidates = [data_dir / self.filename]
        else:
            folder = data_dir / self.folder
            candidates = sorted(p for p in folder.rglob("*") if p.suffix.lower() in POST_FORMATS) if folder.is_dir() else []
        found = []
        for p in candidates:
            if not p.is_file():
                continue
            if not p.resolve().is_relative_to(root):
                raise ValueError(f"{p}: resolves outside the data folder {root}; move the file into it")
            found.append(p)
        return found


POSTS = Contract(
    kind="posts",
    required=("post_id", "platform", "org_id", "posted_at", "text"),
    optional=("likes", "shares", "comments", "views", "url", "lang"),
    mode="merge",
    folder="posts",
)
ORGANIZATIONS = Contract(
    kind="organizations",
    required=("org_id", "org_name", "org_type"),
    optional=("country", "region"),
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
CONTRACTS = {c.kind: c for c in (POSTS, ORGANIZATIONS, USER_GROWTH)}


def normalize_header(name: str) -> str:
    """Header as exports spell it -> contract spelling ("Post ID" -> post_id)."""
    return name.replace("\ufeff", "").strip().strip('"').lower().replace(" ", "_").replace("-", "_")
