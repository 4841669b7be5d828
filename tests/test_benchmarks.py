"""The benchmark's tooling: load measured and runs with different loads refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from benchmarks import load
from benchmarks.table import main as table_main

RESULT = json.loads(
    '{"inputs": {"posts": 2000}, "machine": {"cores": 2}, "shape": "social", "reports": {"largest_page_bytes": 1024},'
    ' "build": {"wall_s": 10.0, "cpu_s": 12.0, "posts_per_s": 200, "peak_rss_bytes": 1048576}}')


def with_load(outside_cores: float, load1: float) -> dict:
    return {**RESULT, "load": {"before": {"load1_start": load1}, "during": {"outside_cores": outside_cores}}}


def test_runs_with_different_loads_are_refused_and_within_tolerance_compared(tmp_path, capsys):
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    a.write_text(json.dumps(with_load(0.10, 0.5)))
    b.write_text(json.dumps(with_load(0.20, 0.7)))
    c.write_text(json.dumps(with_load(0.90, 0.6)))
    assert table_main([str(a), str(b)]) == 0
    assert "| 2,000 | social |" in capsys.readouterr().out
    assert table_main([str(a), str(c)]) == 2
    err = capsys.readouterr().err
    assert "refusing" in err and "outside_cores differs by 0.80" in err and str(c) in err
    assert table_main([str(a), str(c), "--force"]) == 0
    assert "warning" in capsys.readouterr().err
    old = tmp_path / "old.json"
    old.write_text(json.dumps(RESULT))
    assert table_main([str(a), str(old)]) == 2 and "no load recorded" in capsys.readouterr().err


def test_outside_cpu_counts_other_processes_not_our_children():
    code = "import time\nt = time.process_time()\nwhile time.process_time() - t < 1.0: pass\n"
    own = load.own_cpu_s()
    subprocess.run([sys.executable, "-c", code], check=True)  # our child, reaped: its CPU is ours
    assert load.own_cpu_s() - own >= 1.0
    other = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    theirs = load.Interval()
    # wait for its end without reaping it: os.times counts a child only once reaped, so it looks like a stranger
    os.waitid(os.P_PID, other.pid, os.WEXITED | os.WNOWAIT)
    seen = theirs.stop()
    other.wait()
    assert seen["outside_cpu_s"] >= 0.8, seen  # the child's 1 s burn, seen from /proc/stat (other load adds to it)
    assert seen["outside_cores"] > 0 and seen["load1_start"] >= 0


def test_cpu_between_times_of_a_real_process_tree_burning_cpu(tmp_path):
    from benchmarks.proctree import run_measured
    # the child burns 1 s, sleeps 1 s, then a grandchild it reaps burns 1 s: CPU lands in the windows it was used
    code = ("import subprocess, sys, time\n"
            "def burn():\n t = time.process_time()\n while time.process_time() - t < 1.0: pass\n"
            "print(time.time(), flush=True); burn(); print(time.time(), flush=True); time.sleep(1.0)\n"
            "print(time.time(), flush=True)\n"
            "subprocess.run([sys.executable, '-c', 'import time\\nt = time.process_time()\\n"
            "while time.process_time() - t < 1.0: pass'])\nprint(time.time(), flush=True)\n")
    log = tmp_path / "log"
    with log.open("w") as f:
        outside, tree = run_measured([sys.executable, "-c", code], log=f)
    t0, t1, t2, t3 = (float(v) for v in log.read_text().split())
    assert outside["exit_code"] == 0 and outside["cpu_s"] >= 2.0
    assert 0.7 <= tree.cpu_between(t0, t1) <= 1.5
    assert tree.cpu_between(t1 + 0.3, t2 - 0.3) < 0.3  # asleep
    assert 0.7 <= tree.cpu_between(t2, t3) <= 1.5  # the grandchild's, while alive and once reaped
