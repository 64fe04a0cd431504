"""Memory over time of a long command, its worker processes and the store it writes.

`python -m benchmarks.memlog --every 20 --store DIR --out LOG.jsonl -- kg build --store DIR SOURCES`

Every `--every` seconds one JSON line: the seconds since the start; each process of the
command's tree, parents first (pid, RSS, PSS and private memory in MiB, from
`/proc/PID/smaps_rollup`); the whole tree's PSS (pages shared by `fork` counted once); and with
`--store`, the folder's size on disk, its RocksDB table files (`.sst`) and how many of them the
command's own process holds open. The last line gives the exit code, the wall time and the
peaks. The command's output goes to this process's output.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from benchmarks.measure import process_tree, smaps_rollup_kib

MIB = 1024


def _process_memory(pid: int) -> dict[str, Any] | None:
    rollup = smaps_rollup_kib(pid)
    if not rollup:
        return None
    private = rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0)
    return {"pid": pid, "rss_mib": round(rollup.get("Rss", 0) / MIB, 1),
            "pss_mib": round(rollup.get("Pss", 0) / MIB, 1), "private_mib": round(private / MIB, 1)}


def store_on_disk(store: Path) -> dict[str, Any]:
    """Bytes of every file under a store folder (MiB) and the number of its table files."""
    size, tables = 0, 0
    for folder, _, files in os.walk(store):
        for name in files:
            try:
                size += os.stat(os.path.join(folder, name)).st_size
            except FileNotFoundError:  # compacted away while we walked
                continue
            tables += name.endswith(".sst")
    return {"store_mib": round(size / MIB / MIB), "table_files": tables}


def open_table_files(pid: int) -> int:
    """How many `.sst` files a process holds open."""
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return 0
    count = 0
    for descriptor in descriptors:
        try:
            count += os.readlink(f"/proc/{pid}/fd/{descriptor}").endswith(".sst")
        except OSError:  # closed meanwhile
            continue
    return count


def sample(pid: int, seconds: float, store: Path | None) -> dict[str, Any]:
    """One line of the log: the memory of a process tree now, and of its store."""
    processes = [m for m in map(_process_memory, process_tree(pid)) if m is not None]
    line: dict[str, Any] = {"seconds": round(seconds, 1), "processes": processes,
                            "tree_pss_mib": round(sum(p["pss_mib"] for p in processes), 1)}
    if store is not None:
        line |= store_on_disk(store) | {"open_table_files": open_table_files(pid)}
    return line


def log(command: list[str], every: float, store: Path | None, out: TextIO) -> int:
    """Run `command` to completion, writing a sample to `out` every `every` seconds; its exit code."""
    start = time.perf_counter()
    child = subprocess.Popen(command)
    peak_tree, peak_store = 0.0, 0
    while True:
        try:
            child.wait(timeout=every)
            break
        except subprocess.TimeoutExpired:
            line = sample(child.pid, time.perf_counter() - start, store)
            peak_tree = max(peak_tree, line["tree_pss_mib"])
            peak_store = max(peak_store, line.get("store_mib", 0))
            out.write(json.dumps(line) + "\n")
            out.flush()
    out.write(json.dumps({"seconds": round(time.perf_counter() - start, 1), "returncode": child.returncode,
                          "peak_tree_pss_mib": peak_tree, "peak_store_mib": peak_store}) + "\n")
    return child.returncode


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     usage="python -m benchmarks.memlog [options] -- COMMAND ...")
    parser.add_argument("--every", type=float, default=20.0, help="seconds between samples (default 20)")
    parser.add_argument("--store", type=Path, help="the store folder the command writes, to log its size")
    parser.add_argument("--out", type=Path, required=True, help="the JSON Lines log to write")
    parser.add_argument("command", nargs="+", help="the command to run, after --")
    args = parser.parse_args(argv)
    if shutil.which(args.command[0]) is None:
        parser.error(f"no such command: {args.command[0]}")
    with args.out.open("w", encoding="utf-8") as out:
        sys.exit(log(args.command, args.every, args.store, out))


if __name__ == "__main__":
    main()
