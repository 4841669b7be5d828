"""Whether the published site already shows what a build would write, so a refresh with nothing new skips it.

A site's key is a hash of everything its pages are made from: the version of every mart (audit.table_versions,
pipelines/warehouse/versions.py), the code, templates, styles and shipped result files that draw the pages, the
installed versions of the libraries that render them, and every HCSM_* setting. A good build writes its key into
the site's manifest (publish.py); the next build compares and writes nothing when the keys are equal and every file
of the manifest is still in place. A stopped run's site (status.py) carries no key, so the next good build always
replaces its banner.

One mart is keyed by its content instead of its version: `quality_checks` is rebuilt on every run because each
check records a new result row, but when only the times of the checks changed (every check passed again with the
same message) the pages would show the same verdicts; it is keyed without its `checked_at` column. The quality page
then keeps the time the present results were first recorded; Dagster's own check history has every run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import duckdb

PACKAGE = Path(__file__).resolve().parents[1]  # pipelines/
EVAL = PACKAGE.parent / "data" / "eval"
# what in pipelines/ can change a page: code, templates, styles, term lists and the shipped model
_CODE_SUFFIXES = {".py", ".html", ".css", ".js", ".csv", ".json", ".npy", ".sql"}
_LIBRARIES = ("plotly", "jinja2", "pandas", "numpy", "markupsafe")
# marts keyed by their content without these columns (see the module docstring)
CONTENT_KEYED = {"quality_checks": ("checked_at",)}
KEY = "inputs"  # the manifest entry


def _files() -> Iterable[Path]:
    yield from sorted(p for p in PACKAGE.rglob("*") if p.suffix in _CODE_SUFFIXES and p.is_file()
                      and "__pycache__" not in p.parts)
    # the result files the methodology and risk pages read (phi_results.json, results.json)
    yield from sorted(EVAL.glob("*.json"))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the files and library versions that draw the pages (cached: code does not change in a process)."""
    h = hashlib.sha256()
    root = PACKAGE.parent
    for path in _files():
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=none".encode())
    return h.hexdigest()


def _content_hash(conn: duckdb.DuckDBPyConnection, name: str, without: tuple[str, ...]) -> str | None:
    columns = {r[0] for r in conn.execute(
        "select column_name from information_schema.columns where table_schema = 'marts' and table_name = $n",
        {"n": name}).fetchall()}
    if not columns:
        return None
    drop = [c for c in without if c in columns]
    exclude = f" exclude ({', '.join(drop)})" if drop else ""
    # names come from our own constants and the catalog, never from data; rows in a fixed order
    rows = conn.execute(f"select *{exclude} from marts.{name} order by all").fetchall()
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


def site_key(conn: duckdb.DuckDBPyConnection, marts: Iterable[str],
             environ: Mapping[str, str] | None = None) -> str | None:
    """The key of the site a build would write now; None when a mart has no version (it is then always built)."""
    environ = os.environ if environ is None else environ
    known = dict(conn.execute("select table_name, version from audit.table_versions").fetchall())
    parts = [code_fingerprint(), repr(sorted((k, v) for k, v in environ.items() if k.startswith("HCSM_")))]
    for name in sorted(marts):
        if name in CONTENT_KEYED:
            value = _content_hash(conn, name, CONTENT_KEYED[name])
        else:
            value = known.get(f"marts.{name}")
        if value is None:
            return None
        parts.append(f"{name}={value}")
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:32]


def published_key(reports_dir: Path) -> str | None:
    """The key of the site `reports_dir` shows, or None when it has none or a file of its manifest is missing."""
    from pipelines.reporting.publish import read_manifest

    try:
        manifest = read_manifest(reports_dir)
    except (OSError, ValueError):
        return None
    root = Path(reports_dir)
    if not all((root / rel).is_file() for rel in manifest.get("files", {})):
        return None
    return manifest.get(KEY)
