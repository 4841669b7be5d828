"""Hostile input files for the loader tests, and the row-accounting rules every load must keep.

    python tests/hostile_corpus.py OUT_DIR [--fuzz 300 --seed 20240204] [--load]

writes a data folder (organizations.csv, user_growth/, posts/ with one file per hostile case and, with --fuzz,
the seeded mutations), and with --load runs the real loader and core step on it and prints what happened.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import ORGS, POST_HEADER  # noqa: E402

# Valid values a file may carry anywhere: commas, quotes, a line break, accents, an emoji.
TEXTS = [
    "Flu shots are available now at all clinics, walk in any weekday.",
    'Our nurses say "thank you" to every volunteer.',
    "Heart health webinar on Thursday.\nRegister at https://example.org/webinar",
    "Café de la santé: inscriptions ouvertes à Montréal.",
    "We're hiring respiratory therapists 💙 #NowHiring",
    "Road closure near the east entrance; use the north door.",
    "Vaccinación gratuita este sábado en la clínica.",
    "Screening saves lives | book yours today",
]
PLATFORMS = ["Facebook", "Twitter", "LinkedIn", "instagram", "X", "YouTube"]


def base_rows(prefix: str, n: int = 8) -> list[list[str]]:
    """n valid posts (every value as text) with ids prefix-0.. prefix-(n-1)."""
    rows = []
    for i in range(n):
        rows.append([
            f"{prefix}-{i}", PLATFORMS[i % len(PLATFORMS)], ORGS[i % len(ORGS)][0],
            f"{2015 + i % 9}-{1 + i % 12:02d}-{1 + (i * 3) % 28:02d}T{(i * 5) % 24:02d}:{i % 60:02d}:00Z",
            TEXTS[i % len(TEXTS)], str(i * 7), str(i % 4), str(i % 3), "" if i % 2 else str(100 * i),
            f"https://example.org/p/{i}", "en",
        ])
    return rows


def csv_text(rows: list[list[str]], header: list[str] | None = None, delim: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delim, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    w.writerow(header or POST_HEADER)
    w.writerows(rows)
    return out.getvalue()


def jsonl_text(rows: list[list[str]], header: list[str] | None = None) -> str:
    return "".join(json.dumps(dict(zip(header or POST_HEADER, r)), ensure_ascii=False) + "\n" for r in rows)


def organizations_csv() -> bytes:
    return csv_text([[*o, "US", ""] for o in ORGS], ["org_id", "org_name", "org_type", "country", "region"]).encode()


def user_growth_csv() -> bytes:
    rows = [[p, str(y), "World", str(int(1e9 * 1.1 ** k)), "test figures", ""]
            for p in ("Facebook", "YouTube") for k, y in enumerate(range(2016, 2020))]
    return csv_text(rows, ["platform", "period", "region", "users", "source", "license"]).encode()


# ---- the hostile cases: file name -> bytes, one builder per case -------------------------------------------------

def _row(post_id: str, **values: str) -> list[str]:
    base = dict(zip(POST_HEADER, base_rows("x", 1)[0]))
    base.update(post_id=post_id, **values)
    return [base[c] for c in POST_HEADER]


def cp1252() -> bytes:
    text = "Café – “open late” €5 co-pay, naïve"
    return csv_text([_row("enc-cp1252", text=text)]).encode("cp1252")


def latin1() -> bytes:
    # no byte in 0x80-0x9F: Latin-1 and Windows-1252 read it the same
    return csv_text([_row("enc-latin1", text="Ærø naïve café © 1990")]).encode("latin-1")


def latin1_c1() -> bytes:
    # 0x81 is undefined in Windows-1252, so only Latin-1 fits; U+0081 is a control character and is dropped in core
    return csv_text([_row("enc-latin1c1", text="Zürich\x81 clinic")]).encode("latin-1")


def utf8_bom() -> bytes:
    return codecs.BOM_UTF8 + csv_text([_row("bom-1")]).encode()


def utf16() -> bytes:
    return csv_text([_row("u16-1", text="Grüße aus der Klinik 💙")]).encode("utf-16")


def damaged_utf8() -> bytes:
    data = csv_text([_row("dmg-1", text="Ünïcödé ëvërywhërë"), _row("dmg-2", text="broken here: X")]).encode()
    return data.replace(b"here: X", b"here: \xff")


def mixed_newlines() -> bytes:
    """CRLF and LF line ends in one file, and a CRLF inside a quoted value."""
    header, nl1, nl3 = (csv_text([_row(i)]).split("\n")[k] for i, k in (("nl-1", 0), ("nl-1", 1), ("nl-3", 1)))
    nl2 = csv_text([_row("nl-2", text="line one\r\nline two")]).split("\n", 1)[1].rstrip("\n")
    return (header + "\r\n" + nl1 + "\n" + nl2 + "\r\n" + nl3 + "\n").encode()


def embedded_newlines() -> bytes:
    rows = [_row("ml-1", text="para one\n\npara two"), _row("ml-2", text="a\nb\nc"), _row("ml-3"),
            _row("ml-4", posted_at="not a date")]
    return csv_text(rows).encode()


def pipe_delimited() -> bytes:
    return csv_text([_row("pipe-1", text="comma, inside"), _row("pipe-2")], delim="|").encode()


def tab_delimited() -> bytes:
    return csv_text([_row("tab-1", text="comma, and | pipe"), _row("tab-2")], delim="\t").encode()


def semicolon_delimited() -> bytes:
    # European spreadsheets: semicolons, because the comma is the decimal mark
    return csv_text([_row("semi-1", text="prix: 3,50 €"), _row("semi-2")], delim=";").encode()


def missing_columns() -> bytes:
    header = [c for c in POST_HEADER if c not in ("text", "org_id")]
    rows = [[v for c, v in zip(POST_HEADER, _row(f"miss-{i}")) if c in header] for i in range(3)]
    return csv_text(rows, header).encode()


def extra_columns() -> bytes:
    header = [*POST_HEADER, "Campaign", "text); drop table raw.posts; --"]
    return csv_text([[*_row("extra-1"), "spring", "x"]], header).encode()


def reordered_columns() -> bytes:
    header = list(reversed(POST_HEADER))
    header = [h.upper().replace("_", " ") for h in header]  # "POST ID" = post_id
    return csv_text([list(reversed(_row("order-1", likes="5", text="reordered")))], header).encode()


def wrong_types() -> bytes:
    values = ["12k", "1,234", "abc", "-3", "1e3", "12.0", "n/a", "0x10", "1.5", "1 234", "+7", "99999999999999999999", "call 555-123-4567"]
    return csv_text([_row(f"type-{i}", likes=v) for i, v in enumerate(values)]).encode()


WRONG_TYPE_OUTCOMES = {  # likes value -> (core likes, or None when quarantined with this reason)
    "12k": (None, "likes is abbreviated (like 12k); export exact counts"),
    "1,234": (1234, None),
    "abc": (None, "likes 'abc' is not a whole number; export counts as plain integers"),
    "-3": (None, "negative likes"),
    "1e3": (None, "likes is in scientific notation, which spreadsheets round; export exact counts"),
    "12.0": (12, None),
    "n/a": (None, None),  # loaded, likes empty
    "0x10": (None, "likes '0x10' is not a whole number; export counts as plain integers"),
    "1.5": (None, "likes '1.5' is not a whole number; export counts as plain integers"),
    "1 234": (1234, None),
    "+7": (7, None),
    "99999999999999999999": (None, "likes '99999999999999999999' is not a whole number; export counts as plain integers"),
    # a shifted row can put post text in a count: what could be patient information is masked in the reason
    "call 555-123-4567": (None, "likes 'call [phone]' is not a whole number; export counts as plain integers"),
}


def empty() -> bytes:
    return b""


def header_only() -> bytes:
    return csv_text([]).encode()


def whitespace_only() -> bytes:
    return b"\n\n   \n"


def huge_text() -> bytes:
    return csv_text([_row("huge-1", text="x" * (1 << 20)), _row("huge-2")]).encode()


def control_chars() -> bytes:
    rows = [_row("ctl-1", text="NUL\x00 here, ESC\x1b[31m red, bell\x07, tab\tand\nnewline kept"),
            _row("ctl\x01-2"), _row("ctl-3")]
    return csv_text(rows).encode()


def binary_garbage() -> bytes:
    return random.Random(7).randbytes(4096)


def zip_renamed() -> bytes:
    return b"PK\x03\x04" + random.Random(8).randbytes(512)


def nul_heavy() -> bytes:
    return csv_text([_row("nul-1")]).encode("utf-16-le")  # UTF-16 without its byte-order mark


def duplicates_within() -> bytes:
    return csv_text([_row("dup-1", text="first"), _row("dup-2"), _row("dup-1", text="second, wins")]).encode()


def duplicates_across_old() -> bytes:
    return csv_text([_row("dupx-1", text="old version"), _row("dupx-2", text="same in both")]).encode()


def duplicates_across_new() -> bytes:
    return csv_text([_row("dupx-1", text="new version"), _row("dupx-2", text="same in both")]).encode()


TIMESTAMPS = {  # posted_at as written -> UTC as stored (None: quarantined as unparseable)
    "2021-03-04T05:06:07Z": "2021-03-04 05:06:07",
    "2021-03-04T05:06:07+05:30": "2021-03-03 23:36:07",
    "2021-03-04T05:06:07.250-0800": "2021-03-04 13:06:07.25",
    "2021-03-04 05:06:07 +01:00": "2021-03-04 04:06:07",
    "2021-03-04 05:06:07": "2021-03-04 05:06:07",
    "2021-03-04": "2021-03-04 00:00:00",
    "2021-03-04 05:06:07 America/New_York": "2021-03-04 10:06:07",
    "Thu Mar 04 10:02:11 +0000 2021": "2021-03-04 10:02:11",
    "Thu, 04 Mar 2021 10:02:11 +0100": "2021-03-04 09:02:11",
    "1614834367": "2021-03-04 05:06:07",
    "1614834367000": "2021-03-04 05:06:07",
    "2021/03/04 05:06": "2021-03-04 05:06:00",
    "03/04/2021 05:06": "2021-03-04 05:06:00",  # ambiguous in this file: month first, with a warning
    "3/4/2021 5:06 PM": "2021-03-04 17:06:00",
    "44259.21": None,
    "20210304T050607Z": None,
    "2021-02-30": None,
}


def timestamps() -> bytes:
    return csv_text([_row(f"ts-{i}", posted_at=v) for i, v in enumerate(TIMESTAMPS)]).encode()


def day_first_dates() -> bytes:
    values = ["25/03/2021 10:00", "04/03/2021 10:00", "12/11/2020"]
    return csv_text([_row(f"dmy-{i}", posted_at=v) for i, v in enumerate(values)]).encode()


def out_of_range_dates() -> bytes:
    future = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    values = ["1970-01-01T00:00:00Z", "2004-02-03T23:59:59Z", "2004-02-04T00:00:00Z", future, "infinity"]
    return csv_text([_row(f"range-{i}", posted_at=v) for i, v in enumerate(values)]).encode()


def ragged_rows() -> bytes:
    """Rows DuckDB cannot parse, after a blank line and a multi-line value so row numbers are tested too."""
    good = csv_text([_row("rag-1", text="two\n\nparagraphs"), _row("rag-2")])
    lines = [
        "rag-3,Facebook,h1,2021-01-01T00:00:00Z,unquoted, comma,1,1,1,,,en",    # one field too many
        "rag-4,Facebook,h1,2021-01-01T00:00:00Z",                              # too few
        "",                                                                   # blank line: skipped, not a row
        csv_text([_row("rag-5")]).split("\n", 1)[1].rstrip("\n"),
        'rag-6,Facebook,h1,2021-01-01T00:00:00Z,"closed" then text,1,1,1,,,en',  # text after a closing quote
        csv_text([_row("rag-7")]).split("\n", 1)[1].rstrip("\n"),
        'rag-8,Facebook,h1,2021-01-01T00:00:00Z,"never closed,1,1,1,,,en',      # open quote eats the rest
        csv_text([_row("rag-9")]).split("\n", 1)[1].rstrip("\n"),
    ]
    return (good + "\n".join(lines) + "\n").encode()


def jsonl_hostile() -> bytes:
    good = dict(zip(POST_HEADER, _row("js-1")))
    lines = [
        codecs.BOM_UTF8.decode() + json.dumps(good),
        "",
        json.dumps({**good, "post_id": "js-2", "a/b~c": "odd key", 'q"k': 1, "likes": 3}),
        "not json at all",
        "[1, 2, 3]",
        "   ",
        json.dumps({**good, "post_id": "js-3", "text": {"nested": True}}),
        '{"post_id": "js-4", "text": "tab\there"}',  # a raw tab inside a string is not valid JSON
        json.dumps({**good, "post_id": "js-5"}),
    ]
    return ("\n".join(lines) + "\n").encode()


def repeated_and_blank_headers() -> bytes:
    header = [*POST_HEADER[:5], "text", "", "likes"]
    row = _row("rep-1")[:5] + ["second text", "blank-named", "4"]
    return csv_text([row], header).encode()


def parquet(post_id: str) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.table({c: [v] for c, v in zip(POST_HEADER, _row(post_id))}), buf)
    return buf.getvalue()


def truncated_parquet() -> bytes:
    return parquet("pq-1")[:-40]


# case name -> (file name under posts/, builder); names with quotes and globs test that paths are never pasted
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "cp1252": ("cp1252.csv", cp1252),
    "latin1": ("latin1.csv", latin1),
    "latin1_c1": ("latin1_c1.csv", latin1_c1),
    "utf8_bom": ("utf8_bom.csv", utf8_bom),
    "utf16": ("utf16.csv", utf16),
    "damaged_utf8": ("damaged_utf8.csv", damaged_utf8),
    "mixed_newlines": ("mixed_newlines.csv", mixed_newlines),
    "embedded_newlines": ("embedded_newlines.csv", embedded_newlines),
    "pipe_delimited": ("pipe.txt", pipe_delimited),
    "tab_delimited": ("tab.tsv", tab_delimited),
    "semicolon_delimited": ("semicolon.csv", semicolon_delimited),
    "missing_columns": ("missing_columns.csv", missing_columns),
    "extra_columns": ("extra_columns.csv", extra_columns),
    "reordered_columns": ("reordered.csv", reordered_columns),
    "wrong_types": ("wrong_types.csv", wrong_types),
    "empty": ("empty.csv", empty),
    "header_only": ("header_only.csv", header_only),
    "whitespace_only": ("whitespace_only.csv", whitespace_only),
    "huge_text": ("huge_text.csv", huge_text),
    "control_chars": ("control_chars.csv", control_chars),
    "binary_garbage": ("binary_garbage.csv", binary_garbage),
    "zip_renamed": ("report.xlsx.csv", zip_renamed),
    "nul_heavy": ("utf16_no_bom.csv", nul_heavy),
    "duplicates_within": ("duplicates_within.csv", duplicates_within),
    "timestamps": ("timestamps.csv", timestamps),
    "day_first_dates": ("day_first.csv", day_first_dates),
    "out_of_range_dates": ("out_of_range.csv", out_of_range_dates),
    "ragged_rows": ("ragged_rows.csv", ragged_rows),
    "jsonl_hostile": ("hostile.jsonl", jsonl_hostile),
    "repeated_headers": ("repeated_headers.csv", repeated_and_blank_headers),
    "truncated_parquet": ("truncated.parquet", truncated_parquet),
    "sql_in_file_name": ("x'; drop table raw.posts; --.csv", lambda: csv_text([_row("name-1")]).encode()),
    "glob_in_file_name": ("a*.csv", lambda: csv_text([_row("glob-1")]).encode()),
    "glob_in_parquet_name": ("p[1].parquet", lambda: parquet("globpq-1")),
}


# ---- fuzzing: seeded mutations of valid files ---------------------------------------------------------------------

@dataclass
class FuzzCase:
    index: int
    label: str          # the mutations applied, in order, e.g. "csv:flip(3)+truncate(211)"
    name: str           # file name under posts/
    data: bytes
    prefix: str         # post ids in the file start with this
    rows: list[list[str]] | None  # for a re-spelling that keeps the rows: the rows core must hold


def _flip(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    b = bytearray(data)
    k = rng.randint(1, 4)
    for _ in range(k):
        if b:
            i = rng.randrange(len(b))
            b[i] = rng.randrange(256)
    return f"flip({k})", bytes(b)


def _insert(token: bytes, name: str) -> Callable[[bytes, random.Random], tuple[str, bytes]]:
    def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
        i = rng.randrange(len(data) + 1)
        return f"{name}@{i}", data[:i] + token + data[i:]
    return mutate


def _truncate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    i = rng.randrange(len(data) + 1)
    return f"truncate({i})", data[:i]


def _delete_range(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    i = rng.randrange(len(data) + 1)
    j = min(len(data), i + rng.randint(1, 40))
    return f"delete({i}:{j})", data[:i] + data[j:]


def _lines(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    lines = data.split(b"\n")
    op = rng.choice(["drop", "dup", "swap"])
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    if op == "drop":
        del lines[i]
    elif op == "dup":
        lines.insert(i, lines[j])
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return f"lines-{op}({i},{j})", b"\n".join(lines)


def _garbage(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    return "append-garbage", data + rng.randbytes(rng.randint(1, 64))


def _header(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    head, sep, rest = data.partition(b"\n")
    names = head.split(b",")
    i = rng.randrange(len(names))
    op = rng.choice(["drop", "dup", "rename", "case", "space", "blank"])
    if op == "drop":
        del names[i]
    elif op == "dup":
        names.insert(i, names[i])
    elif op == "rename":
        names[i] = b"col_" + str(rng.randrange(100)).encode()
    elif op == "case":
        names[i] = names[i].upper()
    elif op == "space":
        names[i] = b" " + names[i].replace(b"_", b" ") + b" "
    else:
        names[i] = b""
    return f"header-{op}({i})", b",".join(names) + sep + rest


RANDOM_MUTATIONS = [
    _flip, _truncate, _delete_range, _lines, _garbage, _header,
    _insert(b'"', "quote"), _insert(b",", "comma"), _insert(b"|", "pipe"), _insert(b"\t", "tab"),
    _insert(b"\n", "lf"), _insert(b"\r", "cr"), _insert(b"\r\n", "crlf"), _insert(b"\x00", "nul"),
    _insert(b"\x00" * 50, "nul-run"), _insert(b"\x1b\x07\x7f", "controls"), _insert("é".encode(), "utf8"),
    _insert(b"\xe9", "latin1-byte"), _insert(b"\n\n", "blank-line"), _insert(b'""', "quote-pair"),
]


def _preserving_variant(rows: list[list[str]], rng: random.Random, fmt: str) -> tuple[str, bytes, list[list[str]]]:
    """A different spelling of the same rows (returned last): the loader must read exactly those rows."""
    if fmt == "jsonl":
        op = rng.choice(["bom", "crlf", "shuffle-keys"])
        if op == "shuffle-keys":
            keys = list(POST_HEADER)
            rng.shuffle(keys)
            lines = [json.dumps({k: dict(zip(POST_HEADER, r))[k] for k in keys}) + "\n" for r in rows]
            return op, "".join(lines).encode(), rows
        text = jsonl_text(rows)
        return op, (codecs.BOM_UTF8 + text.encode()) if op == "bom" else text.replace("\n", "\r\n").encode(), rows
    op = rng.choice(["cp1252", "utf-16", "utf-8-sig", "crlf", "shuffle-columns", "pipe", "tab", "quote-all"])
    if op == "shuffle-columns":
        order = list(range(len(POST_HEADER)))
        rng.shuffle(order)
        return op, csv_text([[r[i] for i in order] for r in rows], [POST_HEADER[i] for i in order]).encode(), rows
    if op in ("pipe", "tab"):
        return op, csv_text(rows, delim="|" if op == "pipe" else "\t").encode(), rows
    if op == "quote-all":
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writerow(POST_HEADER)
        w.writerows(rows)
        return op, out.getvalue().encode(), rows
    if op == "crlf":
        return op, csv_text(rows, newline="\r\n").encode(), rows
    if op == "cp1252":
        # Windows-1252 cannot spell every text (the emoji): those rows stay out
        rows = [r for r in rows if _encodable(r[4], "cp1252")]
    return op, csv_text(rows).encode(op), rows


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def fuzz_cases(seed: int, n: int) -> Iterator[FuzzCase]:
    """n files, each a valid CSV or JSON-lines file of 8 posts changed by 1-3 random mutations, or (one in five)
    re-spelled without changing its rows (another encoding, delimiter, column order or line end)."""
    rng = random.Random(seed)
    for index in range(n):
        prefix = f"f{index}"
        fmt = "jsonl" if rng.random() < 0.25 else "csv"
        rows = base_rows(prefix)
        kept = None
        if rng.random() < 0.2:
            label, data, kept = _preserving_variant(rows, rng, fmt)
        else:
            data = (csv_text(rows) if fmt == "csv" else jsonl_text(rows)).encode()
            labels = []
            for _ in range(rng.randint(1, 3)):
                mutation = rng.choice(RANDOM_MUTATIONS)
                if fmt == "jsonl" and mutation is _header:
                    mutation = _flip
                label, data = mutation(data, rng)
                labels.append(label)
            label = "+".join(labels)
        yield FuzzCase(index, f"{fmt}:{label}", f"fuzz_{index:04d}.{'jsonl' if fmt == 'jsonl' else 'csv'}", data,
                       prefix, kept)


# ---- the rules every load must keep ------------------------------------------------------------------------------

def accounting_problems(conn, load_ids: list[str] | None = None) -> list[str]:
    """Every load: reconciled and balanced; its quarantine rows, raw rows and core rows add up to rows_read; no
    two records share a source row, and rows are numbered 1..rows_read; a failed load has an error naming its file."""
    problems = []
    loads = conn.execute(
        "select l.load_id, l.source_file, l.status, l.rows_read, r.rows_read, r.rows_loaded, r.rows_quarantined, "
        "r.rows_duplicate from audit.loads l left join audit.load_reconciliation r using (load_id) "
        "where l.kind = 'posts' and ($ids is null or l.load_id in (select unnest($ids::varchar[])))",
        {"ids": load_ids},
    ).fetchall()
    for load_id, source, status, read, r_read, loaded, quarantined, duplicate in loads:
        where = f"{source} ({load_id})"
        if r_read is None:
            problems.append(f"{where}: no reconciliation row (status {status})")
            continue
        if read != r_read or r_read != loaded + quarantined + duplicate:
            problems.append(f"{where}: unbalanced read {read}/{r_read} = {loaded} + {quarantined} + {duplicate}")
        q_rows = conn.execute("select count(*) from quarantine.rejected_rows where load_id = $l", {"l": load_id}).fetchone()[0]
        if q_rows != quarantined:
            problems.append(f"{where}: {q_rows} quarantine rows but rows_quarantined = {quarantined}")
        rows = conn.execute(
            "select list(source_row order by source_row) from ("
            "select _source_row as source_row from raw.posts where _load_id = $l and _source_row not in "
            "(select source_row from quarantine.rejected_rows where load_id = $l) "
            "union all select source_row from quarantine.rejected_rows where load_id = $l)",
            {"l": load_id},
        ).fetchone()[0] or []
        if rows != list(range(1, read + 1)):
            problems.append(f"{where}: source rows are not 1..{read}: {rows[:20]}")
        if status == "failed":
            errors = conn.execute(
                "select detail from audit.file_issues where load_id = $l and severity = 'error'", {"l": load_id}
            ).fetchall()
            if not errors or not all(e[0].startswith(source + ":") for e in errors):
                problems.append(f"{where}: failed without an error naming the file: {errors}")
        elif status == "processed":
            unaccounted = conn.execute(
                "select count(*) from raw.posts r where r._load_id = $l "
                "and not exists (select 1 from quarantine.rejected_rows q where q.load_id = r._load_id "
                "                and q.source_row = r._source_row) "
                "and not exists (select 1 from core.posts c where c.post_id = trim(r.post_id))",
                {"l": load_id},
            ).fetchone()[0]
            if unaccounted:
                problems.append(f"{where}: {unaccounted} raw rows neither in quarantine nor in core")
        elif status != "rejected":
            problems.append(f"{where}: status {status} after processing")
    return problems


# ---- a warehouse to load them into ------------------------------------------------------------------------------

PLATFORM_SLUGS = {"facebook": "facebook", "twitter": "x", "x": "x", "linkedin": "linkedin", "instagram": "instagram",
                  "youtube": "youtube"}


def open_warehouse(root: Path):
    """A fresh warehouse file under root with the test organizations loaded; returns (connection, data folder)."""
    import duckdb

    from pipelines.warehouse import core
    from pipelines.warehouse.contracts import ORGANIZATIONS
    from pipelines.warehouse.loader import land_new_files
    from pipelines.warehouse.sql import setup_warehouse

    data = root.resolve() / "data"
    (data / "posts").mkdir(parents=True, exist_ok=True)
    (data / "organizations.csv").write_bytes(organizations_csv())
    conn = duckdb.connect(str(root / "warehouse.duckdb"))
    setup_warehouse(conn)
    land_new_files(conn, ORGANIZATIONS, data)
    core.process(conn, ORGANIZATIONS, ["organizations.csv"])
    return conn, data


def load_posts(conn, data: Path):
    """Land every new posts file and type it into core, as the raw/posts and core/posts assets do."""
    from pipelines.warehouse import core
    from pipelines.warehouse.contracts import POSTS
    from pipelines.warehouse.loader import land_new_files

    landed = land_new_files(conn, POSTS, data)
    core.process(conn, POSTS, [p.relative_to(data).as_posix() for p in POSTS.files(data)])
    return landed


def expected_core(rows: list[list[str]]) -> list[tuple]:
    """The core.posts values (post_id .. lang) clean rows must produce, computed without the warehouse."""
    out = []
    for r in rows:
        v = dict(zip(POST_HEADER, r))
        at = datetime.fromisoformat(v["posted_at"].replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)
        out.append((v["post_id"], PLATFORM_SLUGS[v["platform"].lower()], v["org_id"], at, v["text"],
                    *(int(v[c]) if v[c] else None for c in ("likes", "shares", "comments", "views")),
                    v["url"] or None, v["lang"] or None))
    return sorted(out)


# ---- the command ----------------------------------------------------------------------------------------------

def write_corpus(out: Path, fuzz: int = 0, seed: int = 20240204) -> list[Path]:
    (out / "posts").mkdir(parents=True, exist_ok=True)
    (out / "user_growth").mkdir(exist_ok=True)
    (out / "organizations.csv").write_bytes(organizations_csv())
    (out / "user_growth" / "figures.csv").write_bytes(user_growth_csv())
    written = []
    for name, build in CASES.values():
        written.append(out / "posts" / name)
        written[-1].write_bytes(build())
    for case in fuzz_cases(seed, fuzz):
        written.append(out / "posts" / case.name)
        written[-1].write_bytes(case.data)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--fuzz", type=int, default=0, help="also write this many seeded mutations")
    parser.add_argument("--seed", type=int, default=20240204)
    parser.add_argument("--load", action="store_true", help="load the folder into OUT/warehouse.duckdb and report")
    args = parser.parse_args(argv)
    files = write_corpus(args.out, args.fuzz, args.seed)
    print(f"wrote {len(files)} files under {args.out / 'posts'}")
    if args.load:
        import duckdb

        from pipelines.warehouse import core
        from pipelines.warehouse.contracts import CONTRACTS
        from pipelines.warehouse.loader import land_new_files
        from pipelines.warehouse.sql import setup_warehouse

        data = args.out.resolve()
        with duckdb.connect(str(data / "warehouse.duckdb")) as conn:
            setup_warehouse(conn)
            for contract in (CONTRACTS[k] for k in ("organizations", "user_growth", "posts")):
                land_new_files(conn, contract, data)
                core.process(conn, contract, [p.relative_to(data).as_posix() for p in contract.files(data)])
            for row in conn.execute(
                "select r.source_file, l.status, r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_duplicate "
                "from audit.load_reconciliation r join audit.loads l using (load_id) order by 1"
            ).fetchall():
                print("{:<45} {:<9} read {:>4} = loaded {:>4} + quarantined {:>4} + duplicate {:>3}".format(*row))
            for (detail,) in conn.execute("select detail from audit.file_issues order by source_file").fetchall():
                print("  -", detail[:200])
            problems = accounting_problems(conn)
        print("\n".join(problems) or "every load balances")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
