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
                if (p.suffix.lower() in POST_FORMATS or p.is_symlink())
                and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            ) if folder.is_dir() else []
        found = []
        for p in candidates:
            is_input = p.suffix.lower() in POST_FORMATS
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
