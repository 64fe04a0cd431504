"""Plots for docs/benchmarks.md: `python -m benchmarks.plot INGEST.json... [--endpoint ENDPOINT.json] [--memory-log LOG.jsonl] --out docs/`."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(paths: list[Path]) -> list[dict]:
    """The rows of the given ingest result files; a later file's row replaces an earlier one of
    the same contender, form and size (a rerun)."""
    rows = {}
    for path in paths:
        for row in json.loads(path.read_text(encoding="utf-8")):
            rows[(row["contender"], row["form"], row["records"])] = row
    return list(rows.values())


def plot(rows: list[dict], out: Path) -> list[Path]:
    """One PNG each for records/s and peak memory (the whole process tree) against corpus size,
    a line per contender."""
    series: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        series[f"{row['contender']} ({row['form']})"].append(row)
    written = []
    for column, label, name in (("records_per_s", "records per second", "bench-ingest-throughput.png"),
                                ("peak_tree_pss_mib", "peak memory, PSS of all processes (MiB)",
                                 "bench-ingest-memory.png")):
        figure, axes = plt.subplots(figsize=(7, 4.2))
        for key, points in sorted(series.items()):
            points.sort(key=lambda r: r["records"])
            axes.plot([p["records"] for p in points], [p[column] for p in points], marker="o", label=key)
        if column == "peak_tree_pss_mib":
            axes.axhline(1024, color="grey", linestyle="--", linewidth=1, label="target: 1 GiB")
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("evaluation records in the corpus")
        axes.set_ylabel(label)
        axes.set_title(f"Ingest: {label} vs. corpus size (2 cores)")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=7)
        figure.tight_layout()
        path = out / name
        figure.savefig(path, dpi=110)
        plt.close(figure)
        written.append(path)
    return written


def plot_endpoint(result: dict, out: Path) -> Path:
    """Throughput against concurrency, a line per server."""
    series: dict[str, list[dict]] = defaultdict(list)
    for row in result["rows"]:
        series[row["server"]].append(row)
    figure, axes = plt.subplots(figsize=(7, 4.2))
    for server, points in sorted(series.items()):
        points.sort(key=lambda r: r["concurrency"])
        axes.plot([p["concurrency"] for p in points], [p["throughput"] for p in points], marker="o", label=server)
    axes.set_xscale("log", base=2)
    axes.set_xlabel("concurrent clients")
    axes.set_ylabel("requests per second (query mix)")
    axes.set_title("Endpoint throughput vs. concurrency (2 cores)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    path = out / "bench-endpoint-throughput.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_memory_log(lines: list[dict], out: Path) -> Path:
    """PSS of each process of a `benchmarks.memlog` log (the first is the command's own, the
    others its workers) and of the whole tree over time, with the store's size on disk."""
    samples = [line for line in lines if "processes" in line]
    seconds = [s["seconds"] for s in samples]
    figure, axes = plt.subplots(figsize=(7, 4.2))
    axes.plot(seconds, [s["tree_pss_mib"] for s in samples], label="all processes")
    axes.plot(seconds, [s["processes"][0]["pss_mib"] for s in samples], label="main process")
    for worker in range(1, max(len(s["processes"]) for s in samples)):
        axes.plot(seconds, [s["processes"][worker]["pss_mib"] if len(s["processes"]) > worker else None
                            for s in samples], linewidth=1, label=f"worker {worker}")
    axes.axhline(1024, color="grey", linestyle="--", linewidth=1, label="target: 1 GiB")
    axes.set_ylim(bottom=0)
    axes.set_xlabel("seconds since the start")
    axes.set_ylabel("PSS (MiB)")
    axes.grid(True, alpha=0.3)
    store = axes.twinx()
    store.plot(seconds, [s.get("store_mib", 0) / 1024 for s in samples], color="black", linestyle=":",
               label="store on disk (GiB, right)")
    store.set_ylim(bottom=0)
    store.set_ylabel("store on disk (GiB)")
    handles = [h for a in (axes, store) for h in a.get_legend_handles_labels()[0]]
    axes.legend(handles, [h.get_label() for h in handles], fontsize=7, loc="center right")
    axes.set_title("kg build: memory over a whole build (2 cores)")
    figure.tight_layout()
    path = out / "bench-ingest-memory-over-time.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, nargs="+")
    parser.add_argument("--endpoint", type=Path, default=None, help="an endpoint benchmark result")
    parser.add_argument("--memory-log", type=Path, default=None, help="a benchmarks.memlog log of a kg build")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    for path in plot(load(args.results), args.out):
        print(path)
    if args.endpoint:
        print(plot_endpoint(json.loads(args.endpoint.read_text(encoding="utf-8")), args.out))
    if args.memory_log:
        lines = [json.loads(line) for line in args.memory_log.read_text(encoding="utf-8").splitlines()]
        print(plot_memory_log(lines, args.out))


if __name__ == "__main__":
    main()
