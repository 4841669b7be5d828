"""Peak resident memory of a process and all its descendants, sampled from /proc by a background thread."""

from __future__ import annotations

import os
import threading
import time

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """user+sys of a process and of the children it has reaped (/proc/<pid>/stat fields 14-17); 0 once gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
        fields = stat[stat.rindex(b")") + 2 :].split()
        return sum(int(v) for v in fields[11:15]) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return 0.0


def _children() -> dict[int, list[int]]:
    """parent pid -> child pids, from every /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:  # the process ended between the listing and the read
            continue
        # the command name may hold spaces and parentheses, so fields are counted after the last ")"
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree(root: int) -> list[int]:
    """root and every process below it."""
    children, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_BYTES
    except (OSError, IndexError):
        return 0


class PeakRSS:
    """Samples the summed RSS of root's process tree every `interval` seconds until stopped.

    A sum of RSS counts pages shared between processes (libraries, copy-on-write) once per process, so it
    over-states rather than under-states; a spike shorter than the interval can be missed.
    """

    def __init__(self, root: int, interval: float = 0.2) -> None:
        self.root, self.interval = root, interval
        self.peak_bytes = self.peak_root_bytes = self.peak_processes = self.samples = 0
        self.timeline: list[tuple[float, int]] = []  # (epoch seconds, tree RSS), to find each step's peak
        self.cpu_timeline: list[tuple[float, float]] = []  # (epoch seconds, tree CPU seconds), for each step's CPU
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-rss", daemon=True)

    def _sample(self) -> None:
        pids = tree(self.root)
        sizes = [rss_bytes(pid) for pid in pids]
        self.peak_bytes = max(self.peak_bytes, sum(sizes))
        now = time.time()
        self.timeline.append((now, sum(sizes)))
        self.cpu_timeline.append((now, sum(cpu_seconds(pid) for pid in pids)))
        self.peak_root_bytes = max(self.peak_root_bytes, sizes[0])
        self.peak_processes = max(self.peak_processes, sum(1 for s in sizes if s))
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak_between(self, start: float, end: float) -> int:
        """The highest tree RSS sampled between two epoch times (0 if no sample fell inside)."""
        return max((rss for t, rss in self.timeline if start <= t <= end), default=0)

    def cpu_at(self, when: float) -> float:
        """The tree's CPU seconds at an epoch time, interpolated between the samples around it."""
        line = self.cpu_timeline
        if not line:
            return 0.0
        before = max((p for p in line if p[0] <= when), default=line[0])
        after = min((p for p in line if p[0] >= when), default=line[-1])
        if after[0] == before[0]:
            return before[1]
        return before[1] + (after[1] - before[1]) * (when - before[0]) / (after[0] - before[0])

    def cpu_between(self, start: float, end: float) -> float:
        """CPU seconds the tree used between two epoch times (accurate to about one sampling interval x cores)."""
        return max(0.0, self.cpu_at(end) - self.cpu_at(start))

    def to_dict(self) -> dict:
        return {
            "peak_rss_bytes": self.peak_bytes,
            "peak_rss_mib": round(self.peak_bytes / 2**20, 1),
            "peak_rss_main_process_mib": round(self.peak_root_bytes / 2**20, 1),
            "peak_processes": self.peak_processes,
            "rss_samples": self.samples,
        }


def run_measured(cmd: list[str], *, log, cwd=None, env=None, interval: float = 0.2) -> tuple[dict, PeakRSS]:
    """Run a command to the end, output to the open file `log`; its wall time, CPU time (with reaped
    children) and the tree's peak RSS, and the sampler (for peaks within time windows)."""
    import subprocess

    began = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    with PeakRSS(proc.pid, interval) as rss:
        # wait4 rather than Popen.wait: its rusage adds up the CPU of the pool workers the child reaped
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "exit_code": proc.returncode,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "cpu_busy_share": round(cpu / (wall * (os.cpu_count() or 1)), 3),
        **rss.to_dict(),
    }, rss
