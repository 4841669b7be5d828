"""Faults, with real processes: runs killed at each stage, two runs at once, a damaged or busy warehouse.

Every pipeline run here is `python -m dagster asset materialize -m pipelines.definitions --select '*'` in its own
process, on 14,000 generated posts in four files. A is the first file, AB all four; the reference runs build A,
and AB from scratch. After a run is killed, every table must hold what it held before the run (the A state) or
what a complete run leaves (the AB state), never something between; each file landed must be landed whole; every
processed load must be reconciled and its rows in core; and the reports folder must show one complete build.
Runs again after the kills must end equal to the clean AB run.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from pipelines.reporting import publish as site_publish
from pipelines.warehouse import access

ROOT = Path(__file__).resolve().parents[1]
# A is one part of 3,500 posts; B three more, 10,500 posts, analysed in a process pool (see _env).
POSTS, PARTS = 14_000, 4
# Tables that depend on how many runs there were, not only on the input: one row per check and run, and the mart
# of each check's latest result (a run rebuilds it before its own alert check, so a second run adds that row).
# audit.gx_validated_loads is written by each GX check on its own (a load passed by the suite stays passed), so a
# run killed between two checks leaves some of them: a record of work done, not a half-written table.
# tables every run adds to (check results, validated loads, site publications), not state a kill can split
RUN_LOGS = {"audit.check_results", "marts.quality_checks", "audit.gx_validated_loads", "audit.site_builds",
            "audit.table_versions"}
STEP_STARTED = 'Started execution of step "{}'
RUN_TIMEOUT = 240


# --- processes ---------------------------------------------------------------------------------------------------


def _env(work: Path, data: Path, wait: int) -> dict:
    # the instance a user keeps (README): DAGSTER_HOME with the project's dagster.yaml, shared by runs on this folder
    home = work / ".dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HCSM_", "DAGSTER_"))}
    env.update({
        "DAGSTER_HOME": str(home),
        "HCSM_DATA_DIR": str(data),
        "HCSM_WAREHOUSE": str(work / "warehouse.duckdb"),
        "HCSM_REPORTS_DIR": str(work / "reports"),
        "HCSM_WAREHOUSE_WAIT": str(wait),
        # B's 10,500 posts are analysed in a process pool (the default starts one from 20,000): kills hit it busy
        "HCSM_ANALYSIS_SERIAL_BELOW": "5000",
        "GX_ANALYTICS_ENABLED": "False",
        "PYTHONUNBUFFERED": "1",
    })
    return env


class Proc:
    """A child process whose combined output is read line by line as it comes."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.popen = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, start_new_session=True)
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.popen.stdout:
            self.lines.append(line)
            self._queue.put(line)
        self._queue.put(None)

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = RUN_TIMEOUT) -> None:
        """Block until a line containing `text` is printed; fail if the process ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.05)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"the process ended before printing {text!r}:\n{self.output[-5000:]}")
            if text in line:
                return
        pytest.fail(f"no {text!r} within {timeout} s:\n{self.output[-5000:]}")

    def finish(self, timeout: float = RUN_TIMEOUT) -> int:
        try:
            return self.popen.wait(timeout)
        finally:
            self.cleanup()

    def kill(self, sig: int = signal.SIGKILL) -> int:
        """Signal the process itself only (its children are left as a killed parent leaves them)."""
        os.kill(self.pid, sig)
        return self.popen.wait(60)

    def cleanup(self) -> None:
        """Kill whatever is left of the process group this test started."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(60)


def start_run(work: Path, data: Path, wait: int = 600) -> Proc:
    return Proc([sys.executable, "-m", "dagster", "asset", "materialize", "-m", "pipelines.definitions",
                 "--select", "*"], _env(work, data, wait))


def complete_run(work: Path, data: Path) -> Proc:
    run = start_run(work, data)
    assert run.finish() == 0, run.output[-5000:]
    return run


def pool_workers(pid: int) -> list[int]:
    """Live multiprocessing children of pid (workers and their resource tracker), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z" and b"multiprocessing" in command:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# --- the state of a workspace ------------------------------------------------------------------------------------


@dataclass
class State:
    counts: dict[str, int]
    raw_by_file: dict[tuple[str, str], int]
    posts_digest: int
    build: str | None
    stamps: set[str] = field(default_factory=set)


def _tables(conn) -> list[str]:
    rows = conn.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('raw', 'core', 'marts', 'quarantine', 'audit') and table_type = 'BASE TABLE'"
    ).fetchall()
    return sorted(r[0] for r in rows)


def read_site(reports: Path) -> tuple[str | None, set[str]]:
    """(build id, the set of "Generated ..." stamps of its pages) after checking the folder is one whole build."""
    if not reports.exists():
        assert not reports.is_symlink() or not os.path.lexists(reports), f"{reports} is a dangling link"
        return None, set()
    manifest = site_publish.read_manifest(reports)
    on_disk = {p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file()}
    assert on_disk == set(manifest["files"]) | {site_publish.MANIFEST}, "files differ from the manifest"
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((reports / rel).read_bytes()).hexdigest() == digest, f"{rel} is not from this build"
    stamps = set()
    for page in reports.glob("*.html"):
        stamps |= set(re.findall(r"Generated [0-9-]+ [0-9:]+ UTC", page.read_text(encoding="utf-8")))
    assert len(stamps) == 1, f"pages from different builds: {stamps}"
    return manifest["build"], stamps


def _cube_lag(conn) -> int:
    """Cells whose counts in core.post_cube differ from the posts' and that are not marked (sums of floats left out:
    their last bits depend on the order of the rows)."""
    from pipelines.warehouse.sql import read_sql

    counts = ("posts", "analysed", "likes", "n_negative", "n_positive", "phi_posts", "unsourced_claims")
    cols = ", ".join(("org_id", "platform", "month") + counts)
    conn.execute("create or replace temp table _cube_scope as select distinct org_id, platform, "
                 "date_trunc('month', posted_at)::date as month from core.posts")
    conn.execute(f"create or replace temp table _cube_truth as {read_sql('core/post_cube.sql')}")
    unmarked = ("anti join core.post_cube_dirty d on d.org_id = t.org_id and d.platform = t.platform "
                "and d.month = t.month")
    stored, truth = (f"(select {cols} from {table} t {unmarked})" for table in ("core.post_cube", "_cube_truth"))
    return sum(conn.execute(f"select count(*) from ({a} except {b})").fetchone()[0]
               for a, b in ((stored, truth), (truth, stored)))


def state(work: Path) -> State:
    """What a workspace holds, after checking the invariants every state must meet."""
    with duckdb.connect(str(work / "warehouse.duckdb")) as conn:  # read-write: replays what a killed run logged
        tables = _tables(conn)
        counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        if "audit.load_reconciliation" in counts:  # core processes each kind in one step: compare kind by kind
            counts.pop("audit.load_reconciliation")
            counts.update({f"audit.load_reconciliation[{kind}]": n for kind, n in conn.execute(
                "select kind, count(*) from audit.load_reconciliation group by kind").fetchall()})
        raw_by_file = {}
        if "audit.loads" in counts:
            # each file lands whole: no raw rows without a load, and the reconciliation balances
            for kind in ("posts", "organizations", "user_growth"):
                orphans = conn.execute(f"select count(*) from raw.{kind} where _load_id not in "
                                       "(select load_id from audit.loads)").fetchone()[0]
                assert orphans == 0, f"raw.{kind} has rows of an unrecorded load"
                for source_file, n in conn.execute(
                        f"select l.source_file, count(r._load_id) from audit.loads l left join raw.{kind} r "
                        "on r._load_id = l.load_id where l.kind = $k group by 1", {"k": kind}).fetchall():
                    raw_by_file[(kind, source_file)] = n
            unbalanced = conn.execute(
                "select count(*) from audit.load_reconciliation "
                "where rows_read <> rows_loaded + rows_quarantined + rows_duplicate").fetchone()[0]
            assert unbalanced == 0
            # a load is processed exactly when it is reconciled, and then its rows are in core and quarantine
            mismatched = conn.execute(
                "select l.load_id, l.status, r.load_id from audit.loads l full join audit.load_reconciliation r "
                "using (load_id) where (l.status = 'processed') <> (r.load_id is not null) "
                "and coalesce(l.status, '') <> 'failed'").fetchall()
            assert mismatched == [], mismatched
            # (exact while the inputs resend no post, see test_reference_runs_differ_where_the_kills_are_checked)
            missing = conn.execute(
                "select r.load_id, r.rows_loaded, count(p._load_id) from audit.load_reconciliation r "
                "left join core.posts p on p._load_id = r.load_id where r.kind = 'posts' "
                "group by all having r.rows_loaded <> count(p._load_id)").fetchall()
            assert missing == [], f"processed loads whose rows are not in core.posts: {missing}"
            stray = conn.execute("select count(*) from core.posts where _load_id not in (select load_id from "
                                 "audit.loads where status = 'processed')").fetchone()[0]
            assert stray == 0, "core.posts has rows of loads not marked processed"
            quarantined = conn.execute(
                "select r.load_id from audit.load_reconciliation r left join quarantine.rejected_rows q "
                "using (load_id) group by r.load_id, r.rows_quarantined "
                "having r.rows_quarantined <> count(q.load_id)").fetchall()
            assert quarantined == [], f"reconciled rejects missing from quarantine: {quarantined}"
        if "core.post_cube" in counts:
            # the cube may lag the posts only in the cells marked to be summed again (pipelines/warehouse/cube.py)
            assert _cube_lag(conn) == 0, "core.post_cube differs from its posts in a cell not marked to be summed again"
        digest = 0
        if "core.posts" in counts:
            digest = conn.execute("select coalesce(sum(hash(post_id, content_hash)), 0) from core.posts").fetchone()[0]
            if "core.posts_enriched" in counts:
                unknown = conn.execute("select count(*) from core.posts_enriched where post_id not in "
                                       "(select post_id from core.posts)").fetchone()[0]
                assert unknown == 0
    build, stamps = read_site(work / "reports")
    return State(counts, raw_by_file, int(digest), build, stamps)


def assert_before_or_after(now: State, before: State, after: State) -> None:
    for table, n in now.counts.items():
        if table in RUN_LOGS:
            continue
        if table.startswith("raw.") or table in ("audit.loads", "audit.file_issues", "quarantine.rejected_rows"):
            continue  # these grow file by file; each file is checked whole below
        if table == "core.post_cube_dirty":
            continue  # cells waiting to be summed again: the cube is checked against its posts instead (state)
        if table in ("audit.memo", "audit.file_fingerprints"):
            continue  # caches filled entry by entry (a summary, a file's hash): a missing entry is computed again
        allowed = {before.counts.get(table, 0), after.counts.get(table, 0)}
        assert n in allowed, f"{table} has {n} rows: neither before nor after ({allowed})"
    for key, n in now.raw_by_file.items():
        assert n == after.raw_by_file[key], f"{key} landed {n} of {after.raw_by_file[key]} rows"
    assert now.posts_digest in {before.posts_digest, after.posts_digest}, "core.posts holds a mix of two states"
    if now.build not in (None, before.build):  # new reports are built from complete marts only
        for table, n in now.counts.items():
            if table.startswith("marts.") and table not in RUN_LOGS:
                assert n == after.counts[table], f"new reports, but {table} is not rebuilt"


def assert_same_as(now: State, clean: State) -> None:
    mine = {t: n for t, n in now.counts.items() if t not in RUN_LOGS}
    assert mine == {t: n for t, n in clean.counts.items() if t not in RUN_LOGS}
    assert now.raw_by_file == clean.raw_by_file
    assert now.posts_digest == clean.posts_digest
    assert now.build is not None


# --- fixtures: inputs and the two reference states -----------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("faults-inputs")
    everything = base / "ab"
    subprocess.run([sys.executable, "-m", "pipelines.sample.generate", "--posts", str(POSTS), "--orgs", "40",
                    "--seed", "5", "--out", str(everything), "--rows-per-file", str(POSTS // PARTS),
                    "--formats", "csv,jsonl,parquet,csv"], cwd=ROOT, check=True, capture_output=True)
    shutil.copytree(ROOT / "data" / "sample" / "user_growth", everything / "user_growth")
    first = base / "a"
    shutil.copytree(everything, first, ignore=lambda folder, names: [n for n in names if n.startswith("part-")
                                                                     and not n.startswith("part-00000")])
    assert len(list((everything / "posts").iterdir())) == PARTS
    return {"a": first, "ab": everything}


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory) -> dict:
    """A complete run on A (kept, to copy as the state before a run), and a clean complete run on AB."""
    a = tmp_path_factory.mktemp("ref-a")
    complete_run(a, inputs["a"])
    ab = tmp_path_factory.mktemp("ref-ab")
    complete_run(ab, inputs["ab"])
    return {"a_dir": a, "ab_dir": ab, "a": state(a), "ab": state(ab)}


def copy_of_a(reference: dict, target: Path) -> Path:
    shutil.copytree(reference["a_dir"], target, symlinks=True)
    return target


# --- kills ---------------------------------------------------------------------------------------------------------


def test_reference_runs_differ_where_the_kills_are_checked(reference):
    a, ab = reference["a"], reference["ab"]
    # otherwise "before or after" would prove nothing
    for table in ("core.posts", "core.posts_enriched", "audit.load_reconciliation[posts]"):
        assert a.counts[table] < ab.counts[table], table
    assert a.posts_digest != ab.posts_digest
    assert a.build and ab.build and a.build != ab.build
    # state() expects each processed load's rows in core: true while no part resends another part's posts
    with duckdb.connect(str(reference["ab_dir"] / "warehouse.duckdb"), read_only=True) as conn:
        assert conn.execute("select sum(rows_duplicate) from audit.load_reconciliation where kind = 'posts'"
                            ).fetchone()[0] == 0


def test_killed_at_every_stage_leaves_before_or_after_and_resumes(reference, inputs, tmp_path):
    """One run after another on the same warehouse, each killed later in the pipeline than the last."""
    work = copy_of_a(reference, tmp_path / "work")
    before, after = reference["a"], reference["ab"]
    observed = []

    def killed(step: str, sig: int = signal.SIGKILL, settle: float = 0.0, until=None, when: str = "") -> list[int]:
        """Kill a run once `step` has started (or `when` is printed) and `until` holds; returns its pool workers
        still alive after the kill."""
        run = start_run(work, inputs["ab"])
        workers: list[int] = []
        try:
            run.wait_for(when or STEP_STARTED.format(step))
            deadline = time.monotonic() + 60
            while until is not None and not until(run) and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(settle)
            workers = pool_workers(run.pid)
            code = run.kill(sig)
            # a killed parent's workers must go too (a bounded wait for them to notice, not a timing check)
            deadline = time.monotonic() + 20
            while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
                time.sleep(0.1)
            orphans = [pid for pid in workers if alive(pid)]
        finally:
            run.cleanup()  # the whole process group, orphans included
        wal = (work / "warehouse.duckdb.wal").exists()
        now = state(work)
        assert_before_or_after(now, before, after)
        observed.append((step, signal.Signals(sig).name, code, now.counts.get("core.posts"), len(workers),
                         "old" if now.build == before.build else "new", wal))
        return orphans

    killed("raw__posts", settle=0.1)
    killed("core__posts", settle=0.05)
    # scoring in worker processes: the kill hits the parent while its pool is busy
    orphans = killed("core__posts_enriched", until=lambda run: len(pool_workers(run.pid)) >= 2, settle=0.5)
    killed("marts__sentiment_trend", sig=signal.SIGTERM, settle=0.1)
    # the reports are published: killed while the run lets go of the warehouse (DuckDB's checkpoint at close)
    killed("end of run", when='Finished execution of step "reports__site"')

    complete_run(work, inputs["ab"])
    final = state(work)
    assert_same_as(final, after)
    print("\n".join(f"killed at {s} with {sig}: exit {c}, core.posts {n}, pool processes {w}, {site} reports, "
                    f"{'a' if wal else 'no'} WAL to replay" for s, sig, c, n, w, site, wal in observed))
    assert observed[2][4] >= 2, "the scoring pool never started"
    assert orphans == [], f"pool workers outlived the killed run: {orphans}"


def test_killed_first_run_leaves_nothing_half_written(inputs, reference, tmp_path):
    """From an empty folder: killed while typing posts, the warehouse holds no posts or all of them."""
    empty = State(counts={}, raw_by_file={}, posts_digest=0, build=None)
    run = start_run(tmp_path, inputs["ab"])
    try:
        run.wait_for(STEP_STARTED.format("core__posts"))
        run.kill()
    finally:
        run.cleanup()
    now = state(tmp_path)
    assert_before_or_after(now, empty, reference["ab"])
    assert now.build is None and not (tmp_path / "reports").exists()


PUBLISHER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pipelines.reporting.publish import publish

    n = 0
    while True:
        n += 1
        # 40 pages of 256 KB, every one naming its build: a mix of builds is visible in any page
        files = {f"page{i:02d}.html": (f"build {n} page {i};".ljust(64) * 4096).encode() for i in range(40)}
        files["index.html"] = f"Generated build {n}".encode()
        publish(Path(sys.argv[1]), files)
        print("published", n, flush=True)
""")


@pytest.mark.parametrize("written", [1, 20, 39])
def test_publisher_killed_while_writing_a_build_leaves_the_previous_site(tmp_path, written):
    """A publisher is stopped once a new build holds `written` of its 40 pages but no manifest yet, then killed."""
    reports = tmp_path / "reports"
    builds = site_publish.builds_dir(reports)
    proc = Proc([sys.executable, "-c", PUBLISHER, str(reports)])
    try:
        proc.wait_for("published 1")
        partial = None
        deadline = time.monotonic() + 60
        while partial is None and time.monotonic() < deadline:
            shown = site_publish.read_manifest(reports)["build"]
            for build in builds.iterdir():
                if build.name > shown and len(list(build.glob("page*.html"))) >= written:
                    os.kill(proc.pid, signal.SIGSTOP)
                    if (build / site_publish.MANIFEST).exists():  # finished meanwhile: try the next one
                        os.kill(proc.pid, signal.SIGCONT)
                    else:
                        partial = build
                    break
        assert partial is not None, "never saw a build being written"
        os.kill(proc.pid, signal.SIGKILL)
        proc.popen.wait(60)
    finally:
        proc.cleanup()
    manifest = site_publish.read_manifest(reports)
    assert manifest["build"] < partial.name  # the site shown is a finished one, from before
    pages = {p.name: p.read_bytes() for p in reports.glob("*.html")}
    assert set(pages) == {f"page{i:02d}.html" for i in range(40)} | {"index.html"}
    numbers = {re.search(rb"build (\d+)", data).group(1) for data in pages.values()}
    assert len(numbers) == 1, f"pages of builds {numbers}"
    for rel, digest in manifest["files"].items():
        assert hashlib.sha256((reports / rel).read_bytes()).hexdigest() == digest
    # the next publish removes the killed build
    site_publish.publish(reports, {"index.html": b"next"})
    assert not partial.exists()


# --- two runs at once ---------------------------------------------------------------------------------------------


def wait_until(condition, timeout: float = RUN_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_two_runs_at_once_queue_and_a_third_gives_up_clearly(reference, inputs, tmp_path):
    work = copy_of_a(reference, tmp_path / "work")
    warehouse = work / "warehouse.duckdb"
    runs = [start_run(work, inputs["ab"]), start_run(work, inputs["ab"])]
    impatient = None
    try:
        # the one that got the warehouse runs steps; the other waits (it cannot start one until the first ends)
        wait_until(lambda: any("STEP_START" in run.output for run in runs))
        holder, waiter = runs if "STEP_START" in runs[0].output else runs[::-1]
        impatient = start_run(work, inputs["ab"], wait=1)
        # a notebook opening the file meanwhile is told who is writing it
        with pytest.raises(access.WarehouseBusy, match=rf"being written by another pipeline run \(pid {holder.pid} "):
            access.open_reader(warehouse)
        codes = [run.finish() for run in (holder, waiter, impatient)]
    finally:
        for run in (*runs, impatient):
            if run is not None:
                run.cleanup()
    assert codes[:2] == [0, 0], holder.output[-3000:] + waiter.output[-3000:]
    told = f"The warehouse {warehouse} is being written by another pipeline run (pid {holder.pid} "
    assert told in waiter.output and "waiting for it" in waiter.output
    assert re.search(r"Got the warehouse .* after waiting \d+ s", waiter.output)
    assert "waiting for it" not in holder.output
    # the waiter's steps began after the holder's run had ended
    assert "STEP_START" not in waiter.output.split("Got the warehouse")[0]
    assert codes[2] == 1
    assert told in impatient.output and "gave up waiting" in impatient.output
    assert "HCSM_WAREHOUSE_WAIT sets how many seconds a run waits" in impatient.output
    assert "RESOURCE_INIT_FAILURE" in impatient.output and "STEP_START" not in impatient.output
    assert_same_as(state(work), reference["ab"])


# --- a damaged or busy warehouse ----------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["random bytes", "truncated"])
def test_damaged_warehouse_gives_a_clear_message_and_is_left_alone(reference, inputs, tmp_path, damage):
    warehouse = tmp_path / "warehouse.duckdb"
    if damage == "random bytes":
        warehouse.write_bytes(os.urandom(300_000))
    else:
        good = (reference["a_dir"] / "warehouse.duckdb").read_bytes()
        warehouse.write_bytes(good[: len(good) * 2 // 3])
    before = warehouse.read_bytes()
    run = start_run(tmp_path, inputs["a"], wait=1)
    assert run.finish() == 1
    assert f"The warehouse {warehouse} is damaged or is not a DuckDB database" in run.output
    assert f"`mv {warehouse} {warehouse}.damaged`" in run.output
    assert "STEP_START" not in run.output  # found before any step could write to it
    assert warehouse.read_bytes() == before


@pytest.mark.parametrize("mode", ["write", "read"])
def test_warehouse_held_by_another_process_gives_a_clear_message(reference, inputs, tmp_path, mode):
    work = copy_of_a(reference, tmp_path / "work")
    warehouse = work / "warehouse.duckdb"
    holder = Proc([sys.executable, "-c", "import duckdb, sys, time; "
                   f"c = duckdb.connect(sys.argv[1], read_only={mode == 'read'}); print('holding', flush=True); "
                   "time.sleep(120)", str(warehouse)])
    try:
        holder.wait_for("holding")
        run = start_run(work, inputs["ab"], wait=2)
        code = run.finish()
    finally:
        holder.cleanup()
    assert code == 1
    assert f"The warehouse {warehouse} is open in another process (PID {holder.pid}," in run.output
    assert "not a run of this pipeline" in run.output and "Close that connection" in run.output
    assert "waiting for it" in run.output
    now = state(work)
    assert_same_as(now, reference["a"])  # nothing was written


def test_reader_is_told_which_run_holds_the_warehouse(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    holder = Proc([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from pathlib import Path
        from pipelines.warehouse import access
        s = access.open_writer(Path(sys.argv[1]), wait_seconds=5, owner=access.owner_info("run-42", "refresh_all"))
        print("holding", flush=True)
        time.sleep(120)
    """), str(warehouse)])
    try:
        holder.wait_for("holding")
        with pytest.raises(access.WarehouseBusy) as busy:
            access.open_reader(warehouse)
        with pytest.raises(access.WarehouseBusy) as second_writer:
            access.open_writer(warehouse, wait_seconds=0)
    finally:
        holder.cleanup()
    assert f"is being written by another pipeline run (pid {holder.pid} on " in str(busy.value)
    assert ", run run-42, started " in str(busy.value)
    assert "gave up waiting" in str(second_writer.value) and f"pid {holder.pid}" in str(second_writer.value)
    # the holder was killed: its name is still in the lock file, but the lock went with it
    assert f'"pid": {holder.pid}' in access.lock_path(warehouse).read_text()
    assert access.run_in_progress(warehouse) is None
    with access.open_writer(warehouse, wait_seconds=0) as session:
        assert session.conn.execute("select 42").fetchone() == (42,)


# --- publishing, operation by operation (in-process) ---------------------------------------------------------------


def _site(n: int) -> dict[str, bytes]:
    return {"index.html": f"Generated build {n}".encode(), "adoption.html": f"build {n}".encode(),
            "assets/plotly.min.js": b"same every time"}


@pytest.mark.parametrize("operation", ["symlink", "replace", "link", "fsync"])
def test_publish_failing_at_any_operation_leaves_old_or_new(tmp_path, monkeypatch, operation):
    reports = tmp_path / "reports"
    site_publish.publish(reports, _site(1))
    real = getattr(os, operation)

    def fail(*args, **kwargs):
        raise OSError(f"simulated failure in os.{operation}")

    monkeypatch.setattr(site_publish.os, operation, fail)
    try:
        site_publish.publish(reports, _site(2))
    except OSError:
        pass
    monkeypatch.setattr(site_publish.os, operation, real)
    shown = {p.relative_to(reports).as_posix(): p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    shown.pop(site_publish.MANIFEST)
    assert shown in (_site(1), _site(2))
    site_publish.publish(reports, _site(3))  # and the next publish cleans up after it
    left = sorted(p.name for p in site_publish.builds_dir(reports).iterdir())
    assert left[0] == ".lock" and len(left) <= 3 and not any(name.startswith(".link") for name in left), left


def test_first_publish_over_an_old_folder_is_repaired_if_cut_between_its_two_renames(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "index.html").write_text("old site")

    def fail(*args):
        raise OSError("simulated kill after the old folder was moved away")

    monkeypatch.setattr(site_publish.os, "replace", fail)
    with pytest.raises(OSError):
        site_publish.publish(reports, _site(1))
    assert not os.path.lexists(reports)  # the documented window: no reports folder, never a mixed one
    monkeypatch.undo()
    site_publish.publish(reports, _site(2))
    assert (reports / "index.html").read_bytes() == b"Generated build 2"


def test_publish_replaces_an_old_style_folder_but_never_someone_elses(tmp_path):
    old = tmp_path / "reports"
    (old / "assets").mkdir(parents=True)
    (old / "index.html").write_text("old site")
    (old / "assets" / "plotly.min.js").write_text("js")
    (old / ".index.html.abc.tmp").write_text("leftover")
    site_publish.publish(old, _site(1))
    assert old.is_symlink() and (old / "index.html").read_bytes() == b"Generated build 1"

    mine = tmp_path / "desktop"
    mine.mkdir()
    (mine / "tax-return.pdf").write_text("not a report")
    with pytest.raises(site_publish.ReportsFolderError, match=r"holds files the reports did not write \(tax-return"):
        site_publish.publish(mine, _site(1))
    assert (mine / "tax-return.pdf").read_text() == "not a report" and not mine.is_symlink()
    assert not site_publish.builds_dir(mine).exists()  # nothing written beside it either


def test_unchanged_files_are_shared_with_the_previous_build(tmp_path):
    reports = tmp_path / "reports"
    site_publish.publish(reports, _site(1))
    before = (reports / "assets" / "plotly.min.js").stat()
    site_publish.publish(reports, _site(2))
    after = (reports / "assets" / "plotly.min.js").stat()
    assert after.st_ino == before.st_ino
    assert (reports / "index.html").read_bytes() == b"Generated build 2"


def test_a_link_to_the_reports_folder_is_followed_not_replaced(tmp_path):
    shared = tmp_path / "share" / "reports"
    site_publish.publish(shared, _site(1))
    mine = tmp_path / "reports"
    mine.symlink_to(shared)
    site_publish.publish(mine, _site(2))
    assert Path(os.readlink(mine)) == shared
    assert (mine / "index.html").read_bytes() == b"Generated build 2"
    assert json.loads((shared / site_publish.MANIFEST).read_text())["files"].keys() == _site(2).keys()
    site_publish.remove_site(mine)
    assert not os.path.lexists(shared) and not site_publish.builds_dir(shared).exists() and mine.is_symlink()


# --- the warehouse resource, in-process -----------------------------------------------------------------------------


def test_damage_found_during_a_step_becomes_a_clear_failure(tmp_path, monkeypatch):
    import dagster as dg

    from pipelines.defs import resources

    warehouse = resources.Warehouse(database=str(tmp_path / "warehouse.duckdb"), wait_seconds=0)
    with warehouse.connect() as conn:  # outside a run, connect() holds the warehouse for the block only
        assert "pid" in access.run_in_progress(warehouse.path)
        conn.execute("create table core.t as select 1 as x")
    assert access.run_in_progress(warehouse.path) is None

    def broken(conn):
        raise duckdb.Error("Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at "
                           "location 8192")

    monkeypatch.setattr(resources, "setup_warehouse", broken)
    with pytest.raises(dg.Failure, match=r"warehouse.duckdb is damaged or is not a DuckDB database \(DuckDB said: "
                                         r"Corrupt database file"):
        with warehouse.connect():
            pass
    monkeypatch.undo()
    with pytest.raises(duckdb.CatalogException):  # an ordinary SQL error stays what it is
        with warehouse.connect() as conn:
            conn.execute("select * from core.no_such_table")
