"""The machine's load around a benchmark: the 1-minute load average and the CPU used outside the benchmark's tree.

outside CPU seconds = the machine's busy CPU time (/proc/stat) minus this process's own CPU and that of the
children it reaped (os.times), over the same interval; `outside_cores` is that divided by the interval.
"""

from __future__ import annotations

import os
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
# runs whose load differs by more than this are not compared without --force
TOLERANCE = {"outside_cores": 0.25, "load1_before": 0.5}


def load1() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def machine_busy_s() -> float:
    """CPU seconds the whole machine spent busy since boot (every state but idle and iowait)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / CLK_TCK


def own_cpu_s() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class Interval:
    """Start with `Interval()`, end with `.stop()`: load at both ends and the CPU used outside our tree."""

    def __init__(self) -> None:
        self.began, self.load1_start = time.perf_counter(), load1()
        self._busy, self._own = machine_busy_s(), own_cpu_s()

    def stop(self) -> dict:
        seconds = time.perf_counter() - self.began
        outside = max(0.0, (machine_busy_s() - self._busy) - (own_cpu_s() - self._own))
        return {"seconds": round(seconds, 3), "load1_start": self.load1_start, "load1_end": load1(),
                "outside_cpu_s": round(outside, 2), "outside_cores": round(outside / max(seconds, 1e-9), 3)}


def before(window_s: float = 3.0) -> dict:
    """The load with nothing of ours running, over window_s seconds."""
    interval = Interval()
    time.sleep(window_s)
    return interval.stop()


def differences(a: dict, b: dict, tolerance: dict = TOLERANCE) -> list[str]:
    """Why two results' loads cannot be compared (empty when they can)."""
    out = []
    for name, key, get in (("a", "x", a), ("b", "y", b)):
        if "load" not in get:
            out.append(f"run {name} has no load recorded (made before the benchmark measured it)")
    if out:
        return out
    for field, get in (("outside_cores", lambda r: r["load"]["during"]["outside_cores"]),
                       ("load1_before", lambda r: r["load"]["before"]["load1_start"])):
        x, y = get(a), get(b)
        if abs(x - y) > tolerance[field]:
            out.append(f"{field} differs by {abs(x - y):.2f} ({x:.2f} vs {y:.2f}; tolerance {tolerance[field]})")
    return out
