"""Seeded fuzzing of the loader: mutated copies of valid posts files through the real loader and core step.

For every file: no exception escapes, the load balances (rows_read = loaded + quarantined + duplicate) and every
record is in core, in quarantine or counted as a duplicate, numbered 1..rows_read; a re-spelling of a valid file
(another encoding, delimiter, column order or line end) loads exactly the clean rows. A failure names the seed,
the case and its mutations, so `python tests/hostile_corpus.py OUT --fuzz N --seed S --load` reproduces it.
"""

from __future__ import annotations

import traceback

import pytest

from hostile_corpus import accounting_problems, expected_core, fuzz_cases, load_posts, open_warehouse

SEED = 20240204
CASES = 320
CHUNKS = 4


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_files_always_balance(tmp_path, chunk):
    conn, data = open_warehouse(tmp_path)
    cases = [c for c in fuzz_cases(SEED, CASES) if c.index % CHUNKS == chunk]
    failures = []
    outcomes = {"processed": 0, "rejected": 0, "failed": 0}
    for case in cases:
        path = data / "posts" / case.name
        path.write_bytes(case.data)
        where = f"seed {SEED} case {case.index} ({case.label})"
        try:
            landed = load_posts(conn, data)
        except Exception:
            failures.append(f"{where}: {traceback.format_exc(limit=4)}")
            path.unlink()
            continue
        path.unlink()  # keeps each round to one new file; core keeps its posts
        if len(landed) != 1:
            failures.append(f"{where}: {len(landed)} loads for one new file")
            continue
        failures += [f"{where}: {p}" for p in accounting_problems(conn, [landed[0].load_id])]
        status = conn.execute("select status from audit.loads where load_id = $l", {"l": landed[0].load_id}).fetchone()[0]
        outcomes[status] += 1
        if case.rows is not None:
            got = sorted(conn.execute(
                "select post_id, platform, org_id, posted_at, text, likes, shares, comments, views, url, lang "
                "from core.posts where post_id like $p", {"p": case.prefix + "-%"}).fetchall())
            if got != expected_core(case.rows):
                failures.append(f"{where}: re-spelled file did not load its rows exactly: {got[:2]}")
    conn.close()
    assert not failures, f"{len(failures)} of {len(cases)} fuzz cases broke a rule:\n" + "\n".join(failures[:20])
    # the corpus exercises every outcome, so the rules above were tested on each
    assert outcomes["processed"] > len(cases) // 2, outcomes
    assert outcomes["failed"] + outcomes["rejected"] > 0, outcomes


def _layout(rng):
    """A CSV of good rows (some over several lines, with blank lines inside quotes), bad rows and blank lines,
    with the data row each good and bad record must get (blank lines are not rows)."""
    from hostile_corpus import _row, csv_text

    lines, good, bad, row = [",".join(hc_header())], {}, {}, 0
    for k in range(rng.randint(3, 25)):
        kind = rng.choice(["good", "good", "multiline", "blank", "too-many", "too-few", "after-quote"])
        if kind == "blank":
            lines.append("")
            continue
        row += 1
        if kind in ("good", "multiline"):
            text = "para\n\nnext\n" if kind == "multiline" else "plain"
            lines.append(csv_text([_row(f"n{k}", text=text)]).split("\n", 1)[1].rstrip("\n"))
            good[f"n{k}"] = row
        else:
            lines.append({"too-many": f"n{k},Facebook,h1,2021-01-01T00:00:00Z,a,b,1,1,1,,,en",
                          "too-few": f"n{k},Facebook",
                          "after-quote": f'n{k},Facebook,h1,2021-01-01T00:00:00Z,"q" x,1,1,1,,,en'}[kind])
            bad[row] = kind
    return "\n".join(lines) + "\n", good, bad


def hc_header():
    from conftest import POST_HEADER

    return POST_HEADER


def test_row_numbers_survive_rejects_blank_lines_and_multiline_values(tmp_path):
    import random

    conn, data = open_warehouse(tmp_path)
    rng = random.Random(SEED)
    for n in range(40):
        text, good, bad = _layout(rng)
        name = f"layout_{n}.csv"
        (data / "posts" / name).write_text(text, encoding="utf-8")
        load_posts(conn, data)
        got_good = dict(conn.execute("select post_id, _source_row from raw.posts where _source_file = $f "
                                     "and _source_row not in (select source_row from quarantine.rejected_rows "
                                     "where source_file = $f)", {"f": f"posts/{name}"}).fetchall())
        got_bad = {r for (r,) in conn.execute("select source_row from quarantine.rejected_rows where source_file = $f",
                                              {"f": f"posts/{name}"}).fetchall()}
        assert (got_good, got_bad) == (good, set(bad)), f"layout {n}:\n{text}"
    assert accounting_problems(conn) == []
    conn.close()


def test_a_wrong_blank_line_count_still_numbers_every_row_once(tmp_path, monkeypatch):
    """If the blank-line scan ever disagrees with DuckDB, rows are numbered good ones first, then the bad ones."""
    from hostile_corpus import CASES
    from pipelines.warehouse import textfiles

    monkeypatch.setattr(textfiles, "blank_records", lambda path, delim: [2, 3, 4, 5, 6])
    conn, data = open_warehouse(tmp_path)
    name, build = CASES["ragged_rows"]
    (data / "posts" / name).write_bytes(build())
    load_posts(conn, data)
    assert accounting_problems(conn) == []
    assert conn.execute("select list(source_row order by source_row) from quarantine.rejected_rows").fetchone()[0] == [5, 6, 7, 8]
    conn.close()
