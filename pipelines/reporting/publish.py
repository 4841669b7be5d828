"""Put a whole report site in place at once, so a reader or a killed run never sees half of one.

The reports folder (`reports/`) is a symbolic link to a complete build in a hidden folder beside it
(`.reports.builds/<build id>/`). A new site is written into a new build folder, flushed to disk, and then the
link is replaced by a rename, which the OS does atomically: `reports/index.html` and every other page and asset
always come from one build, the old one or the new one. Files equal to the previous build's are hard links to
them (plotly.js is 4 MB). The previous build is kept (a shell or a viewer may sit in it); older ones and
leftovers of killed runs are removed by the next publish. No Dagster or DuckDB here.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = ".build.json"
_LINK_PREFIX = ".link-"
_LOCK = ".lock"
# What an old-style (pre-link) reports folder may hold; anything else is someone's file and is never moved.
_OLD_SITE_DIRS = {"assets"}


class ReportsFolderError(RuntimeError):
    """The reports folder cannot be replaced as a whole: the message says why and what to do."""


def builds_dir(reports_dir: Path) -> Path:
    return reports_dir.parent / f".{reports_dir.name}.builds"


def _absolute(path: Path) -> Path:
    path = Path(path).expanduser()
    return path.parent.resolve() / path.name


def _our_target(reports_dir: Path) -> str | None:
    """The build a reports link of ours points at (its folder name), else None."""
    if not reports_dir.is_symlink():
        return None
    target = Path(os.readlink(reports_dir))
    if target.parent.as_posix() == builds_dir(reports_dir).name and not target.name.startswith("."):
        return target.name
    return None


def site_root(reports_dir: Path) -> Path:
    """The path to replace: a link of someone else's (reports -> /mnt/share/reports) is followed to its end."""
    path = _absolute(reports_dir)
    for _ in range(40):
        if not path.is_symlink() or _our_target(path):
            return path
        path = _absolute(path.parent / os.readlink(path))
    raise ReportsFolderError(f"The reports folder {reports_dir} is a loop of symbolic links.")


@contextlib.contextmanager
def _exclusive(builds: Path) -> Iterator[None]:
    """One publisher per site at a time (runs are already serialized; this covers direct calls)."""
    fd = os.open(builds / _LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_file(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _write(path: Path, data: bytes, previous: Path | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if previous is not None and _same_file(previous, data):
        with contextlib.suppress(OSError):  # another file system or no hard links: write a copy instead
            os.link(previous, path)
            return
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _check_old_folder(root: Path) -> None:
    """A real folder from before links may be replaced only when it holds nothing but a report site."""
    foreign = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink() and entry.name in _OLD_SITE_DIRS:
            foreign += [f"{entry.name}/{p.name}" for p in entry.iterdir() if not p.is_file()]
        elif not (entry.is_file() and (entry.suffix == ".html" or entry.suffix == ".tmp" or entry.name == MANIFEST)):
            foreign.append(entry.name)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ReportsFolderError(
            f"The reports folder {root} holds files the reports did not write ({shown}). Reports are published by "
            "replacing the whole folder at once, so it must be a folder of their own: point HCSM_REPORTS_DIR at a "
            "new or empty folder, or move those files out."
        )


def _swap(root: Path, builds: Path, build_id: str) -> str | None:
    """Point root at builds/build_id with one rename; returns the build it pointed at before, if any."""
    link = builds / f"{_LINK_PREFIX}{build_id}"
    # relative, so the folder can be moved or mounted elsewhere with its builds
    os.symlink(f"{builds.name}/{build_id}", link)
    previous = _our_target(root)
    if root.is_symlink() or not root.exists():
        os.replace(link, root)
        return previous
    # First publish over a real folder (checked by _check_old_folder): move it into the builds, then link. A kill
    # between these two renames leaves no reports folder at all (never a mixed one); the next run links its build.
    old = f"old-{build_id}"
    os.rename(root, builds / old)
    os.replace(link, root)
    return old


def _clean(builds: Path, keep: set[str]) -> None:
    for entry in builds.iterdir():
        if entry.name in keep or entry.name == _LOCK:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()


def publish(reports_dir: Path, files: Mapping[str, bytes], meta: Mapping[str, str] | None = None) -> Path:
    """Write `files` (relative path -> bytes) as a new build and switch `reports_dir` to it; returns the build.
    `meta` goes into the manifest beside the file hashes (the site's inputs key, freshness.py)."""
    root = site_root(reports_dir)
    if root.is_file():
        raise ReportsFolderError(f"The reports path {root} is a file, not a folder: move it away or point "
                                 "HCSM_REPORTS_DIR elsewhere.")
    if root.is_dir() and not root.is_symlink():
        _check_old_folder(root)
    builds = builds_dir(root)
    builds.mkdir(parents=True, exist_ok=True)
    with _exclusive(builds):
        current = _our_target(root)
        previous_build = builds / current if current else None
        build_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.getpid()}"
        build = builds / build_id
        build.mkdir()
        for relative, data in files.items():
            _write(build / relative, data, previous_build / relative if previous_build else None)
        manifest = {
            **(meta or {}),
            "build": build_id,
            "files": {rel: hashlib.sha256(data).hexdigest() for rel, data in sorted(files.items())},
        }
        _write(build / MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"), None)
        for folder in {(build / rel).parent for rel in files} | {build}:
            _fsync_dir(folder)
        replaced = _swap(root, builds, build_id)
        _fsync_dir(root.parent)
        _clean(builds, {build_id, replaced} if replaced else {build_id})
    return build


def read_manifest(reports_dir: Path) -> dict:
    """The manifest of the build the reports folder shows (tests and tools use it to check a site is whole)."""
    return json.loads((Path(reports_dir) / MANIFEST).read_text(encoding="utf-8"))


def remove_site(reports_dir: Path) -> None:
    """Delete the reports folder (link or real folder) and its builds."""
    root = site_root(reports_dir)
    if root.is_symlink():
        root.unlink()
    elif root.is_dir():
        shutil.rmtree(root)
    shutil.rmtree(builds_dir(root), ignore_errors=True)
