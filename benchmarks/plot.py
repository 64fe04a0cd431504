"""Scaling plots for docs/benchmarks.md: `python -m benchmarks.plot RESULTS.json... --out docs/`."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(paths: list[Path]) -> list[dict]:
    """Every row of the given ingest result files."""
    return [row for path in paths for row in json.loads(path.read_text(encoding="utf-8"))]


def plot(rows: list[dict], out: Path) -> list[Path]:
    """One PNG each for records/s and peak memory against corpus size, a line per contender."""
    series: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        series[f"{row['contender']} ({row['form']})"].append(row)
    written = []
    for column, label, name in (("records_per_s", "records per second", "bench-ingest-throughput.png"),
                                ("peak_rss_mib", "peak RSS (MiB)", "bench-ingest-memory.png")):
        figure, axes = plt.subplots(figsize=(7, 4.2))
        for key, points in sorted(series.items()):
            points.sort(key=lambda r: r["records"])
            axes.plot([p["records"] for p in points], [p[column] for p in points], marker="o", label=key)
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("evaluation records in the corpus")
        axes.set_ylabel(label)
        axes.set_title(f"Ingest: {label} vs. corpus size (2 shared cores)")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=7)
        figure.tight_layout()
        path = out / name
        figure.savefig(path, dpi=110)
        plt.close(figure)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    for path in plot(load(args.results), args.out):
        print(path)


if __name__ == "__main__":
    main()
