"""Run a command as a child process and measure its wall time and peak resident memory."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """One measured child process."""

    command: list[str]
    seconds: float
    peak_rss_mib: float
    returncode: int
    stdout: str
    stderr: str

    def check(self) -> "Run":
        """Self, or a RuntimeError carrying the command and its stderr if it failed."""
        if self.returncode != 0:
            raise RuntimeError(f"{' '.join(self.command)} exited {self.returncode}:\n{self.stderr[-3000:]}")
        return self


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run `command` to completion; peak RSS is the kernel's rusage of that child (and its waited-for children)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(command, seconds, usage.ru_maxrss / 1024, child.returncode, out.read(), err.read())
