"""Plots for docs/benchmarks.md: `python -m benchmarks.plot [INGEST.json...] [options] --out docs/`.

Options: `--endpoint ENDPOINT.json` and `--memory-log LOG.jsonl` for issue 7's plots beside the
ingest results', `--floor-results RESULT.json...` and `--endpoint-ratios ENDPOINT.json...` for
issue 20's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import NullLocator  # noqa: E402

from benchmarks.ingest import FLOOR  # noqa: E402

NAMED_FLOOR_TARGETS = {"json": 2.0, "text": 3.0, "html": 3.0, "export": 2.0}
"""Issue 20's bound on `kg build`'s time over the named-graph floor's, by form."""
ENDPOINT_RATIO_TARGET = 1.0
"""Issue 20: kg serve's throughput at least oxigraph serve-read-only's, in the same run."""
LOOKUP_P50_TARGET_MS = 5.0
"""Issue 20: a lookup's median latency under load."""


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


@dataclass(frozen=True)
class FloorRatio:
    """One `kg build` of a result file against the named-graph floor of the same corpus."""

    form: str
    records: int
    ratio: float
    ended_utc: str | None
    run: str


def named_floor_ratios(rows: list[dict], run: str) -> list[FloorRatio]:
    """`kg build`'s seconds over the named-graph floor's at the same size, for the rows of one
    ingest or export result (an export's rows have no form: "export"); none without that floor."""
    floors = {row["records"]: row["seconds"] for row in rows if row["contender"] == FLOOR}
    return [FloorRatio(row.get("form") or "export", row["records"], row["seconds"] / floors[row["records"]],
                       row.get("ended_utc"), run)
            for row in rows if row["contender"] == "kg build" and row["records"] in floors]


def load_floor_ratios(paths: list[Path]) -> list[FloorRatio]:
    """The named-floor ratios of every given result file, each named by its file."""
    return [ratio for path in paths
            for ratio in named_floor_ratios(json.loads(path.read_text(encoding="utf-8")), path.stem)]


def _run_name(run: str) -> str:
    """A result file's name without its kind, size and issue (`ingest-10k-issue20-`), which the
    tick and the title already give."""
    return re.sub(r"^(?:(?:ingest|export|\d+[km]?|issue\d+)-)+", "", run) or run


def plot_named_floor(ratios: list[FloorRatio], out: Path) -> Path:
    """A bar per run: `kg build` ÷ the named-graph floor, grouped by form, green where within the
    form's target, red where over it, the target drawn over each group."""
    order = list(NAMED_FLOOR_TARGETS)
    ratios = sorted(ratios, key=lambda r: (order.index(r.form) if r.form in order else len(order), r.form,
                                           r.records, r.ended_utc or ""))
    positions, ticks, x = [], [], 0.0
    for i, ratio in enumerate(ratios):
        if i and ratio.form != ratios[i - 1].form:
            x += 0.8
        positions.append(x)
        when = ratio.ended_utc[5:16].replace("T", " ") if ratio.ended_utc else "?"
        ticks.append(f"{ratio.records:,}\n{when}\n{_run_name(ratio.run)}")
        x += 1
    figure, axes = plt.subplots(figsize=(max(7.0, 0.62 * len(ratios) + 1.5), 5.2))
    colours = []
    for ratio in ratios:
        target = NAMED_FLOOR_TARGETS.get(ratio.form)
        colours.append("grey" if target is None else "tab:green" if ratio.ratio <= target else "tab:red")
    axes.bar(positions, [r.ratio for r in ratios], width=0.7, color=colours)
    for position, ratio in zip(positions, ratios):
        axes.text(position, ratio.ratio, f"{ratio.ratio:.2f}×", ha="center", va="bottom", fontsize=7,
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.8})
    top = max([r.ratio for r in ratios] + list(NAMED_FLOOR_TARGETS.values())) * 1.12
    for form in dict.fromkeys(r.form for r in ratios):
        group = [p for p, r in zip(positions, ratios) if r.form == form]
        left, right = group[0] - 0.45, group[-1] + 0.45
        axes.text((left + right) / 2, top * 0.97, form, ha="center", va="top", fontsize=9, fontweight="bold")
        target = NAMED_FLOOR_TARGETS.get(form)
        if target is not None:
            axes.hlines(target, left, right, colors="black", linestyles="--", linewidth=1.2)
            axes.text(right, target, f" {target:g}×", va="center", ha="left", fontsize=7)
    axes.set_ylim(0, top)
    axes.set_xlim(positions[0] - 0.7, positions[-1] + 0.9)
    axes.set_xticks(positions, ticks, fontsize=6.5)
    axes.set_xlabel("records · end of the run (UTC, month-day) · its result file, short "
                    "(ingest-10k-issue20-before → before)")
    axes.set_ylabel("kg build time ÷ named-graph floor time")
    days = sorted({r.ended_utc[:10] for r in ratios if r.ended_utc})
    corpus = ["generated records"]
    if "export" in {r.form for r in ratios}:
        corpus = ["json, text, html: generated records", "export: the site's export sample repeated"]
    if days:
        corpus.append(f"runs of {' to '.join(dict.fromkeys((days[0], days[-1])))}")
    axes.set_title("Issue 20: ingest against the named-graph floor, one bar per run (2 cores)\n" + "; ".join(corpus),
                   fontsize=10)
    axes.grid(True, axis="y", alpha=0.3)
    axes.legend(handles=[Patch(color="tab:green", label="within the target"),
                         Patch(color="tab:red", label="over the target"),
                         plt.Line2D([], [], color="black", linestyle="--", linewidth=1.2,
                                    label="target: 2× JSON and export, 3× text and HTML")],
                fontsize=7, loc="upper left", bbox_to_anchor=(0, 0.93))
    figure.tight_layout()
    path = out / "bench-issue20-ingest-floor.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _level(row: dict) -> tuple[str, str, int]:
    """The level of an endpoint result's row: its mix, repeats and concurrency."""
    return row["mix"], row["repeats"], row["concurrency"]


def endpoint_ratios(result: dict) -> dict[tuple[str, str, int], float]:
    """kg serve's throughput over oxigraph's in the same run, by (mix, repeats, concurrency)."""
    oxigraph = {_level(r): r["throughput"] for r in result["rows"] if r["server"] != "kg serve"}
    return {_level(r): r["throughput"] / oxigraph[_level(r)] for r in result["rows"] if r["server"] == "kg serve"}


def lookup_p50s(result: dict, server: str) -> dict[tuple[str, str, int], float]:
    """A server's median lookup latency (ms) by (mix, repeats, concurrency)."""
    return {_level(r): r["lookup_p50_ms"] for r in result["rows"]
            if r["server"] == server and r.get("lookup_p50_ms") is not None}


def plot_endpoint_ratios(results: dict[str, dict], out: Path) -> Path:
    """For each run (name → endpoint result): kg serve ÷ oxigraph per mix, repeats and
    concurrency against the 1.0× target, and below it kg serve's lookup p50 against 5 ms."""
    keys = list(dict.fromkeys(key for result in results.values() for key in endpoint_ratios(result)))
    groups = list(dict.fromkeys((mix, repeats) for mix, repeats, _ in keys))
    levels = sorted({concurrency for _, _, concurrency in keys})
    position = {(mix, repeats, c): g * (len(levels) + 1) + i
                for g, (mix, repeats) in enumerate(groups) for i, c in enumerate(levels)}
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7.2), sharex=True, height_ratios=(3, 2))
    prefix = os.path.commonprefix(list(results)) if len(results) > 1 else ""
    runs = f"{prefix}{{{', '.join(r[len(prefix):] for r in results)}}}" if prefix else ", ".join(results)
    markers = "osD^v<>p"
    spread = 0.5 / max(1, len(results))
    for n, (run, result) in enumerate(results.items()):
        offset = (n - (len(results) - 1) / 2) * spread
        style = {"marker": markers[n % len(markers)], "color": f"C{n}", "linewidth": 0.8, "markersize": 6}
        for panel, values in ((top, endpoint_ratios(result)), (bottom, lookup_p50s(result, "kg serve"))):
            for g, (mix, repeats) in enumerate(groups):
                points = [(position[mix, repeats, c] + offset, values[mix, repeats, c])
                          for c in levels if (mix, repeats, c) in values]
                panel.plot([p for p, _ in points], [v for _, v in points],
                           label=run[len(prefix):] if g == 0 and panel is top else None, **style)
        oxigraph = lookup_p50s(result, "oxigraph serve-read-only")
        bottom.plot([position[key] + offset for key in oxigraph if key in position],
                    [value for key, value in oxigraph.items() if key in position], linestyle="none",
                    marker="_", markersize=9, color="grey",
                    label="oxigraph serve-read-only, each run" if n == 0 else None)
    top.axhline(ENDPOINT_RATIO_TARGET, color="black", linestyle="--", linewidth=1.2, label="target: 1.0×")
    bottom.axhline(LOOKUP_P50_TARGET_MS, color="black", linestyle="--", linewidth=1.2, label="target: 5 ms")
    for panel, ticks in ((top, [0.1, 0.2, 0.5, 1, 2]), (bottom, [0.2, 0.5, 1, 2, 5, 10, 20, 50])):
        panel.set_yscale("log")
        panel.set_yticks(ticks, [f"{t:g}" for t in ticks])
        panel.yaxis.set_minor_locator(NullLocator())
        panel.grid(True, axis="y", alpha=0.3)
        for g in range(1, len(groups)):
            panel.axvline(g * (len(levels) + 1) - 1, color="grey", linewidth=0.6)
    for g, (mix, repeats) in enumerate(groups):
        top.text(g * (len(levels) + 1) + (len(levels) - 1) / 2, 1.01, f"{mix} mix, {repeats}", ha="center",
                 va="bottom", fontsize=9, fontweight="bold", transform=top.get_xaxis_transform())
    top.set_ylabel("kg serve ÷ oxigraph throughput")
    bottom.set_ylabel("lookup p50, kg serve (ms)")
    bottom.set_xticks([position[key] for key in keys], [f"c={c}" for _, _, c in keys], fontsize=8)
    bottom.set_xlabel("concurrent clients")
    handles = [h for panel in (top, bottom) for h in panel.get_legend_handles_labels()[0]]
    figure.legend(handles=handles, fontsize=8, loc="lower center", ncols=len(handles))
    figure.suptitle(f"Issue 20: endpoint, kg serve against oxigraph serve-read-only in the same run\n"
                    f"sample store, 2 cores; a marker per run of {runs}", fontsize=10)
    figure.tight_layout(rect=(0, 0.04, 1, 1))
    path = out / "bench-issue20-endpoint.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, nargs="*", help="ingest results for the throughput and memory plots")
    parser.add_argument("--endpoint", type=Path, default=None, help="an endpoint benchmark result")
    parser.add_argument("--memory-log", type=Path, default=None, help="a benchmarks.memlog log of a kg build")
    parser.add_argument("--floor-results", type=Path, nargs="+", default=[],
                        help="ingest or export results with the named-graph floor (issue 20), a bar per run")
    parser.add_argument("--endpoint-ratios", type=Path, nargs="+", default=[],
                        help="endpoint results, each a run, for kg serve ÷ oxigraph and the lookup p50 (issue 20)")
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args(argv)
    if args.results:
        for path in plot(load(args.results), args.out):
            print(path)
    if args.endpoint:
        print(plot_endpoint(json.loads(args.endpoint.read_text(encoding="utf-8")), args.out))
    if args.memory_log:
        lines = [json.loads(line) for line in args.memory_log.read_text(encoding="utf-8").splitlines()]
        print(plot_memory_log(lines, args.out))
    if args.floor_results:
        ratios = load_floor_ratios(args.floor_results)
        if not ratios:
            parser.error("--floor-results: none of these results has a row of the named-graph floor")
        print(plot_named_floor(ratios, args.out))
    if args.endpoint_ratios:
        print(plot_endpoint_ratios({path.stem: json.loads(path.read_text(encoding="utf-8"))
                                    for path in args.endpoint_ratios}, args.out))


if __name__ == "__main__":
    main()
