"""Run a command as a child process and measure its wall time and peak resident memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.2


@dataclass(frozen=True)
class Run:
    """One measured child process."""

    command: list[str]
    seconds: float
    peak_rss_mib: float
    returncode: int
    stdout: str
    stderr: str
    peak_tree_pss_mib: float = 0.0

    def check(self) -> "Run":
        """Self, or a RuntimeError carrying the command and its stderr if it failed."""
        if self.returncode != 0:
            raise RuntimeError(f"{' '.join(self.command)} exited {self.returncode}:\n{self.stderr[-3000:]}")
        return self


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(child) for child in f.read().split()]
    except OSError:
        return []


def process_tree(pid: int) -> list[int]:
    """A process and all its live descendants, parents before their children."""
    tree: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        tree.append(current)
        stack.extend(reversed(_children(current)))
    return tree


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process and its live descendants have used so far."""
    ticks = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
        except OSError:  # gone meanwhile
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return ticks / os.sysconf("SC_CLK_TCK")


def smaps_rollup_kib(pid: int) -> dict[str, int]:
    """The memory totals of a process from `/proc/PID/smaps_rollup` (kB), empty once it has gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            lines = [line.split() for line in f]
    except OSError:
        return {}
    return {fields[0].rstrip(":"): int(fields[1]) for fields in lines if len(fields) == 3 and fields[2] == "kB"}


def tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and all its descendants (pages shared by fork counted once)."""
    return sum(smaps_rollup_kib(member).get("Pss", 0) for member in process_tree(pid))


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `command` to completion.

    Peak RSS is the kernel's rusage of that child (the largest single process among it and its
    waited-for children); peak tree PSS samples the memory of the child and all its worker
    processes together every `SAMPLE_SECONDS`.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(SAMPLE_SECONDS):
                peak[0] = max(peak[0], tree_pss_kib(child.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(command, seconds, usage.ru_maxrss / 1024, child.returncode, out.read(), err.read(),
                   peak[0] / 1024)
