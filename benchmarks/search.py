"""The text index against SPARQL filters: the same 20 searches, on the real export sample repeated.

`python -m benchmarks.search --repeat 1 46 --out benchmarks/results/search.json`

For each size: `kg build` of the sample repeated N times (`benchmarks.export_corpus`); then
each search is run `--runs` times as an index search (`SearchIndex.search`: the top 20 with
snippets, the total and every facet's counts, as `/search` and `kg search` ask) and as the
SPARQL filter that comes nearest without an index, over the same texts of the same resources:
`CONTAINS(LCASE(?text), ...)` for each word or phrase, and `REGEX(?text, ..., "i")`. Filters
know no stems, accents or ranking, so they find other (mostly fewer) resources; the hit counts
are reported beside the times. Also: the index's build time from nothing and its size, against
the build's and the store's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import Store

from benchmarks.export import disk_mib, timed_runs
from benchmarks.export_corpus import write_export
from kg.namespaces import PREFIXES
from kg.search.index import KINDS, TEXT_PROPERTIES, index_path, update_index
from kg.search.searching import SearchIndex, SearchRequest
from kg.store import StoreDirectory

# (search as typed, the lowercase words or phrases a filter requires of one text)
SEARCHES: list[tuple[str, list[str]]] = [
    ("social protection", ["social", "protection"]),
    ('"social dialogue"', ["social dialogue"]),
    ("child labour", ["child", "labour"]),
    ("migración laboral", ["migración", "laboral"]),
    ("dialogue social", ["dialogue", "social"]),
    ("emploi des jeunes", ["emploi", "jeunes"]),
    ("gender equality", ["gender", "equality"]),
    ("covid", ["covid"]),
    ("tripartite constituents", ["tripartite", "constituents"]),
    ("sustainability", ["sustainab"]),
    ("monitoring evaluation", ["monitoring", "evaluation"]),
    ("capacity building", ["capacity", "building"]),
    ("youth employment", ["youth", "employment"]),
    ("trabajo infantil", ["trabajo", "infantil"]),
    ("protection sociale", ["protection", "sociale"]),
    ("skills", ["skills"]),
    ("domestic workers", ["domestic", "workers"]),
    ("refugees", ["refugee"]),
    ("green jobs", ["green", "jobs"]),
    ("occupational safety health", ["occupational", "safety", "health"]),
]


@dataclass
class Timing:
    search: str
    index_ms: float
    contains_ms: float
    regex_ms: float
    index_hits: int
    contains_hits: int
    regex_hits: int


@dataclass
class Size:
    repeat: int
    texts: int
    resources: int
    build_seconds: float
    index_seconds: float
    store_mib: float
    index_mib: float
    timings: list[Timing] = field(default_factory=list)
    median_index_ms: float = 0.0
    median_contains_ms: float = 0.0
    median_regex_ms: float = 0.0
    median_x_contains: float = 0.0
    median_x_regex: float = 0.0
    least_x: float = 0.0
    ended_utc: str = ""


def filter_query(required: list[str], regex: bool) -> str:
    kinds = " ".join(f"<{cls.value}>" for cls in KINDS)
    properties = " ".join(f"<{prop.value}>" for prop in TEXT_PROPERTIES)
    if regex:
        tests = " && ".join(f'REGEX(?text, "{word}", "i")' for word in required)
    else:
        tests = " && ".join(f'CONTAINS(LCASE(?text), "{word}")' for word in required)
    return (f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ VALUES ?kind {{ {kinds} }} VALUES ?p {{ {properties} }}"
            f" ?r a ?kind ; ?p ?text . FILTER({tests}) }}")


def _median_ms(work, runs: int) -> tuple[float, object]:
    times, answer = [], None
    for _ in range(runs):
        started = time.perf_counter()
        answer = work()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2), answer


def time_searches(store: Store, index: SearchIndex, runs: int, repeat: int) -> list[Timing]:
    """Each search's median time as an index search and as CONTAINS and REGEX filters."""
    timings = []
    for text, required in SEARCHES:
        index_ms, result = _median_ms(lambda: index.search(SearchRequest(text)), runs)
        contains_ms, contains = _median_ms(
            lambda: next(iter(store.query(filter_query(required, False), prefixes=PREFIXES)))[0], runs)
        regex_ms, regexed = _median_ms(
            lambda: next(iter(store.query(filter_query(required, True), prefixes=PREFIXES)))[0], runs)
        timings.append(Timing(text, index_ms, contains_ms, regex_ms, result.total,  # type: ignore[attr-defined]
                              int(contains.value), int(regexed.value)))  # type: ignore[attr-defined]
        print(f"{repeat:>3} {text!r:32} index {index_ms:8.2f} ms  contains {contains_ms:9.1f} ms"
              f"  regex {regex_ms:9.1f} ms", file=sys.stderr)
    return timings


def measure_size(repeat: int, runs: int, work: Path) -> Size:
    root = work / f"repeat-{repeat}"
    shutil.rmtree(root, ignore_errors=True)
    workbook, store_path = root / "export.xlsx", root / "store"
    write_export(workbook, repeat)
    kg = str(Path(sys.executable).with_name("kg"))
    build = timed_runs(1, [kg, "build", "--store", str(store_path), str(workbook)], store_path)[0]
    generation = StoreDirectory(store_path).live_generation()
    store = Store.read_only(str(generation))
    started = time.perf_counter()
    fresh = update_index(store, root / "fresh.sqlite", None)
    index_seconds = time.perf_counter() - started
    index = SearchIndex(index_path(generation))
    resources = index.connection.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
    size = Size(repeat, fresh.total, resources, round(build.seconds, 2), round(index_seconds, 2),
                round(disk_mib(generation) - index_path(generation).stat().st_size / 2**20, 1),
                round(index_path(generation).stat().st_size / 2**20, 1))
    size.timings = time_searches(store, index, runs, repeat)
    timings = size.timings
    size.median_index_ms = statistics.median(t.index_ms for t in timings)
    size.median_contains_ms = statistics.median(t.contains_ms for t in timings)
    size.median_regex_ms = statistics.median(t.regex_ms for t in timings)
    size.median_x_contains = round(statistics.median(t.contains_ms / t.index_ms for t in timings), 1)
    size.median_x_regex = round(statistics.median(t.regex_ms / t.index_ms for t in timings), 1)
    size.least_x = round(min(min(t.contains_ms, t.regex_ms) / t.index_ms for t in timings), 1)
    size.ended_utc = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    index.close()
    shutil.rmtree(root, ignore_errors=True)
    return size


def table(sizes: list[Size]) -> str:
    lines = ["| copies | texts | resources | median index search | median CONTAINS | median REGEX | "
             "CONTAINS ÷ index (median) | REGEX ÷ index (median) | least ratio | index build | kg build | "
             "index size | store size |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in sizes:
        lines.append(f"| {s.repeat} | {s.texts:,} | {s.resources:,} | {s.median_index_ms:.2f} ms | "
                     f"{s.median_contains_ms:.1f} ms | {s.median_regex_ms:.1f} ms | {s.median_x_contains}x | "
                     f"{s.median_x_regex}x | {s.least_x}x | {s.index_seconds} s | {s.build_seconds} s | "
                     f"{s.index_mib} MiB | {s.store_mib} MiB |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, nargs="+", default=[1], help="copies of the sample, one size each")
    parser.add_argument("--runs", type=int, default=5, help="runs of each search; the median is reported")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-search"))
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)
    sizes = [measure_size(repeat, args.runs, args.work) for repeat in args.repeat]
    print(table(sizes))
    if args.out:
        args.out.write_text(json.dumps([asdict(s) for s in sizes], indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
