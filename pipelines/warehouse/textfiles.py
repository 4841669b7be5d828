"""Make a text input file safe for DuckDB's readers: refuse binary content, detect the encoding, and write a
UTF-8, LF-only staging copy when the file is not one already. Also reads a CSV header and finds blank records.

DuckDB reads UTF-8 only without its `encodings` extension (a download), and silently returns no rows for a CRLF
file read with new_line='\\n', so every file that is not plain UTF-8 with LF line ends is rewritten first.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

BLOCK = 1 << 20
# Control bytes that never occur in text (tab, LF, CR, form feed and escape excepted); a file where they make
# up more than this share is binary, whatever its name says.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
MAX_CONTROL_SHARE = 0.05
# Bytes Windows-1252 leaves undefined: their presence rules cp1252 out, and Latin-1 remains.
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
_C1 = bytes(range(0x80, 0xA0))
_NOT_C1 = bytes(b for b in range(256) if b not in _C1)
_NOT_HIGH = bytes(range(0x80))
# DuckDB expands these in a path as a glob, so such a file is read through a staging link with a plain name.
_GLOB_CHARS = set("*?[]{}\\")
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?)", "export it as CSV UTF-8"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook", "export it as CSV UTF-8"),
    (b"\x1f\x8b", "gzip-compressed", "decompress it"),
    (b"BZh", "bzip2-compressed", "decompress it"),
    (b"\xfd7zXZ", "xz-compressed", "decompress it"),
    (b"PAR1", "a Parquet file", "rename it to .parquet"),
    (b"%PDF", "a PDF document", "export the data as CSV"),
    (b"\x89PNG", "a PNG image", "remove it"),
    (b"\xff\xd8\xff", "a JPEG image", "remove it"),
    (b"SQLite format 3\x00", "an SQLite database", "export the table as CSV"),
)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class UnreadableFile(Exception):
    """The file cannot be read as text; the message says what it is and what to do."""


@dataclass
class Profile:
    encoding: str               # how to decode it: utf-8, utf-8-sig, utf-16, utf-32, cp1252, latin-1
    size: int
    has_cr: bool
    has_bom: bool
    has_empty_line: bool = False  # an LF right after an LF (or at the start): maybe a blank record
    damaged: int = 0            # invalid UTF-8 sequences in an otherwise UTF-8 file (replaced by U+FFFD)
    notes: list[tuple[str, str]] = field(default_factory=list)   # (issue, detail without the file name)


@dataclass
class Prepared:
    path: Path                  # what DuckDB reads: the file itself or its staging copy
    profile: Profile


def inspect(path: Path) -> Profile:
    """Stream over the file once (twice when it is not UTF-8) and decide how to read it."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(64)
    for magic, what, fix in _MAGIC:
        if head.startswith(magic):
            raise UnreadableFile(f"is {what}, not text; {fix}")
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            if encoding in ("utf-16", "utf-32"):
                return _check_wide(path, size, encoding)
            break
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    replaced = control = nul = 0
    has_cr = has_empty_line = False
    last = b"\n"
    with path.open("rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            replaced += decoder.decode(block).count("\ufffd")
            control += len(block.translate(None, _NOT_CONTROL))
            nul += block.count(0)
            has_cr = has_cr or b"\r" in block
            has_empty_line = has_empty_line or b"\n\n" in last + block[:1] or b"\n\n" in block
            last = block[-1:]
        replaced += decoder.decode(b"", final=True).count("\ufffd")
    if size and control / size > MAX_CONTROL_SHARE:
        if nul / size > 0.3:
            raise UnreadableFile("is mostly NUL bytes: binary, or UTF-16 text without a byte-order mark; "
                                 "save it as CSV UTF-8")
        raise UnreadableFile(f"is binary, not text ({control:,} control bytes in {size:,}); "
                             "check that it is the export itself and not another file renamed")
    has_bom = head.startswith(codecs.BOM_UTF8)
    # after CR -> LF conversion a CR may make an empty line too
    profile = Profile("utf-8-sig" if has_bom else "utf-8", size, has_cr, has_bom, has_empty_line or has_cr)
    if replaced:
        _decide_single_byte(path, profile, replaced)
    return profile


def _check_wide(path: Path, size: int, encoding: str) -> Profile:
    try:
        with path.open("r", encoding=encoding, newline="") as f:
            while f.read(BLOCK):
                pass
    except UnicodeDecodeError as e:
        raise UnreadableFile(f"starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} "
                             f"({e.reason} at byte {e.start}); save it as CSV UTF-8") from e
    profile = Profile(encoding, size, False, True, has_empty_line=True)
    profile.notes.append(("encoding", f"read as {encoding.upper()}; save it as UTF-8 to avoid conversion"))
    return profile


def _decide_single_byte(path: Path, profile: Profile, replaced: int) -> None:
    """Not valid UTF-8: a damaged UTF-8 file, or Windows-1252, or Latin-1."""
    high = c1 = 0
    undefined = False
    with path.open("rb") as f:
        for block in iter(lambda: f.read(BLOCK), b""):
            high += len(block.translate(None, _NOT_HIGH))
            c1 += len(block.translate(None, _NOT_C1))
            undefined = undefined or any(bytes([b]) in block for b in _CP1252_UNDEFINED)
    # Windows-1252 text almost never forms valid UTF-8 sequences, so many valid ones mean damaged UTF-8
    if high - replaced > 2 * replaced:
        profile.damaged = replaced
        profile.notes.append(("encoding", f"{replaced:,} invalid UTF-8 byte sequence(s) replaced by \ufffd; "
                                          "re-export the file as UTF-8"))
        return
    profile.encoding = "latin-1" if undefined or not c1 else "cp1252"
    profile.has_bom = False
    profile.notes.append(("encoding", f"not UTF-8: read as {profile.encoding}; save it as UTF-8 to avoid guessing"))


def globbed(path: Path) -> bool:
    """Whether DuckDB would read the path as a glob pattern rather than as this one file."""
    return bool(_GLOB_CHARS & set(str(path)))


def needs_staging(path: Path, profile: Profile) -> bool:
    return (profile.encoding not in ("utf-8", "utf-8-sig") or profile.damaged > 0 or profile.has_cr
            or globbed(path))


def prepare(path: Path, staging: Path, *, keep_bom: bool = True) -> Prepared:
    """The file as DuckDB should read it: itself, or a UTF-8, LF-only copy in staging named input<suffix>."""
    profile = inspect(path)
    bom_in_the_way = profile.has_bom and not keep_bom
    if not (needs_staging(path, profile) or bom_in_the_way):
        return Prepared(path, profile)
    target = staging / f"input{path.suffix.lower()}"
    target.unlink(missing_ok=True)
    if profile.encoding in ("utf-8", "utf-8-sig") and not (profile.damaged or profile.has_cr or bom_in_the_way):
        link_or_copy(path, target)
        return Prepared(target, profile)
    # newline=None turns CRLF and lone CR into LF, across block boundaries too; utf-8-sig drops the BOM
    with path.open("r", encoding=profile.encoding, errors="replace", newline=None) as src, \
            target.open("w", encoding="utf-8", newline="\n") as dst:
        for text in iter(lambda: src.read(BLOCK), ""):
            dst.write(text)
    return Prepared(target, profile)


def link_or_copy(path: Path, target: Path) -> None:
    try:
        os.symlink(path.resolve(), target)
    except OSError:
        shutil.copyfile(path, target)


def csv_header(path: Path, wanted: tuple[str, ...], normalize) -> tuple[str, list[str]]:
    """(delimiter, header names) of a UTF-8 CSV file: the delimiter that splits the header into the most
    contract column names (comma, tab, pipe or semicolon; comma when none does)."""
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f:
        first = _first_record(f)
    best = (",", _split(first, ","))
    best_score = (sum(normalize(h) in wanted for h in best[1]), len(best[1]))
    for delim in ("\t", "|", ";"):
        names = _split(first, delim)
        score = (sum(normalize(h) in wanted for h in names), len(names))
        if score > best_score:
            best, best_score = (delim, names), score
    return best


def _first_record(f: io.TextIOBase) -> str:
    """The header record, which may span lines inside quotes; capped so a quote left open cannot eat the file."""
    text, quotes = "", 0
    for line in f:
        text += line
        quotes += line.count('"')
        if quotes % 2 == 0 or len(text) > 1 << 16:
            break
    return text.rstrip("\r\n")


def _split(record: str, delim: str) -> list[str]:
    if not record:
        return []
    try:
        return next(csv.reader(io.StringIO(record, newline=""), delimiter=delim, quotechar='"', doublequote=True), [])
    except csv.Error:  # a header Python's csv cannot split this way: the delimiter does not fit
        return [record]


def blank_records(path: Path, delim: str | None) -> list[int]:
    """Record numbers (1 = header or first line) of empty lines outside quotes in an LF-only UTF-8 file: DuckDB's
    CSV reader skips them but counts them in the line numbers of its rejects. delim=None reads lines without
    quoting (JSON lines). Mirrors DuckDB: a quote opens a value only at its start, "" inside quotes is a quote,
    and text after a closing quote is an error that ends the record at the line end."""
    blanks: list[int] = []
    record, in_quotes = 1, False
    events = re.compile('"' if delim is None else '["' + re.escape(delim) + "]")
    with path.open("r", encoding="utf-8", errors="replace", newline="\n") as f:
        for line in f:
            body = line[:-1] if line.endswith("\n") else line
            if not in_quotes and body == "":
                blanks.append(record)
            elif delim is not None and (in_quotes or '"' in body):
                in_quotes = _quote_state(body, events, delim, in_quotes)
            if not in_quotes:
                record += 1
    return blanks


def _quote_state(line: str, events: re.Pattern, delim: str, in_quotes: bool) -> bool:
    """Whether the line ends inside a quoted value, given whether it started inside one."""
    field_start = 0 if not in_quotes else -1
    skip_to = 0
    for m in events.finditer(line):
        i = m.start()
        if i < skip_to:
            continue
        if m.group() == delim:
            if not in_quotes:
                field_start = i + 1
            continue
        if not in_quotes:
            in_quotes = i == field_start
            continue
        if line.startswith('""', i):
            skip_to = i + 2
            continue
        in_quotes = False
        if i + 1 < len(line) and line[i + 1] != delim:
            return False  # text after the closing quote: DuckDB rejects the record at the line end
    return in_quotes
