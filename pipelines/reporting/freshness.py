"""Whether the published site already shows what a build would write, so a refresh with nothing new skips it.

A site's key is a hash of everything its pages are made from: the version of every mart (audit.table_versions,
pipelines/warehouse/versions.py), the code, templates, styles and shipped result files that draw the pages, the
installed versions of the libraries that render them, and every HCSM_* setting. A good build writes its key into
the site's manifest (publish.py); the next build compares and writes nothing when the keys are equal and every file
of the manifest is still in place. A stopped run's site (status.py) carries no key, so the next good build always
replaces its banner.

One mart is keyed by its content instead of its version: `quality_checks` is rebuilt on every run because each
check records a new result row, but when every check has the verdict it had, the pages would say the same; it is
keyed by each check's verdict, and by the message of every check that failed (a passed check's message changes
from "passed on N rows" to "... in earlier runs; no new rows" on the next run). The quality page then keeps the
times and messages of the run that last changed a verdict; Dagster's own check history has every run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import duckdb

from pipelines.warehouse import versions

PACKAGE = Path(__file__).resolve().parents[1]  # pipelines/
EVAL = PACKAGE.parent / "data" / "eval"
# what in pipelines/ can change a page: code, templates, styles, term lists and the shipped model
_CODE_SUFFIXES = {".py", ".html", ".css", ".js", ".csv", ".json", ".npy", ".sql"}
_LIBRARIES = ("plotly", "jinja2", "pandas", "numpy", "markupsafe")
# the mart keyed by its content (see the module docstring)
CONTENT_KEYED = "quality_checks"
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


def _checks_hash(conn: duckdb.DuckDBPyConnection) -> str | None:
    """marts.quality_checks without what changes on every run although the verdict does not: the check times, and
    the message of a check that passed ("passed on 1,000 rows" becomes "passed on 1,000 rows in earlier runs; no new
    rows" on the next run). A failed check or file issue is keyed with its message, which the pages show."""
    if not versions.table_exists(conn, "marts.quality_checks"):
        return None
    rows = conn.execute(
        "select check_name, asset, passed, severity, case when passed then null else message end "
        "from marts.quality_checks order by all").fetchall()
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


def site_key(conn: duckdb.DuckDBPyConnection, marts: Iterable[str],
             environ: Mapping[str, str] | None = None) -> str | None:
    """The key of the site a build would write now; None when a mart has no version (it is then always built)."""
    environ = os.environ if environ is None else environ
    known = versions.versions(conn)
    parts = [code_fingerprint(), repr(sorted((k, v) for k, v in environ.items() if k.startswith("HCSM_")))]
    for name in sorted(marts):
        if name == CONTENT_KEYED:
            value = _checks_hash(conn)
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
