"""Export benchmark: `kg build` of the i-eval export workbook against the floor, at several sizes.

`python -m benchmarks.export --repeat 1 8 --runs 3 --work /tmp/kgx --out benchmarks/results/export.json`

For each size the workbook is the real sample repeated (`benchmarks.export_corpus`, not timed).
Each contender runs `--runs` times as a child process (`benchmarks.measure`: wall time, peak RSS
of the largest process, peak PSS of the whole process tree), into a fresh store each time:
- `kg build --store STORE export.xlsx`: the workbook is one source;
- the floor (issue 20's): pyoxigraph `bulk_load` into a fresh store of the named graphs of the
  build's store (`benchmarks.floor`; the workbook's graph, the reference data, the metadata: what
  `kg dump` publishes), without the default-graph copies; the ratios are to this one;
- the floor of every quad: the N-Quads dump of the build's whole store, so exactly the same
  quads (issue 7's floor);
- the floor in pieces: that file bulk-loaded 16 MB at a time, as `kg build` loads to keep
  its memory flat (`benchmarks.floor_pieces`).
Records are the evaluations, recommendations, lessons learned and good practices the workbook
holds (830 per copy of the sample). A row reports the fastest run, with every run's seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.export_corpus import SAMPLE, write_export
from benchmarks.ingest import build_phases, dump_named_nquads, dump_nquads, indexing_seconds, store_quads
from benchmarks.measure import Run, measure
from benchmarks.report import markdown_table
from kg.readers import read_records
from kg.records import EvaluationRecord

COLUMNS = ("repeat", "records", "contender", "runs", "seconds", "median_seconds", "records_per_s",
           "peak_rss_mib", "peak_tree_pss_mib", "store_mib", "store_bytes_per_record", "quads", "indexing_s",
           "x_floor_time", "x_floor_median")
KINDS = ("recommendations", "lessons", "good_practices")
FLOOR = "floor: bulk_load of the named graphs"
FLOOR_ALL = "floor: bulk_load of every quad"
FLOOR_PIECES = "floor of every quad in 16 MB pieces"


@dataclass
class Row:
    """One contender at one size: its fastest run, and every run's seconds."""

    repeat: int
    records: int
    contender: str
    runs: int
    seconds: float
    median_seconds: float
    records_per_s: float
    peak_rss_mib: float
    peak_tree_pss_mib: float
    store_mib: float
    quads: int
    store_bytes_per_record: int = 0
    indexing_s: float | None = None  # kg build's "indexing texts" phase (the text index), fastest run
    x_floor_time: float | None = None
    x_floor_median: float | None = None
    workbook_mib: float = 0.0
    every_run_seconds: list[float] = field(default_factory=list)
    ended_utc: str = ""
    load_average: str = ""


def sample_records(sample: Path = SAMPLE) -> dict[str, int]:
    """Evaluations and items of one copy of the sample, as the export reader reads them."""
    read = [r for r in read_records(sample.name, sample.read_bytes(), "xlsx") if isinstance(r, EvaluationRecord)]
    return {"evaluations": len({r.eval_number for r in read})} | {
        kind: len({item.id for r in read for item in getattr(r, kind)}) for kind in KINDS}


def disk_mib(path: Path) -> float:
    """Space a folder takes on disk (allocated blocks of its files)."""
    return round(sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def _kg_executable() -> str:
    return str(Path(sys.executable).with_name("kg"))


def timed_runs(runs: int, command: list[str], store: Path) -> list[Run]:
    """`runs` runs of `command`, the store it writes removed before each (the last one is kept)."""
    measured = []
    for _ in range(runs):
        shutil.rmtree(store, ignore_errors=True)
        measured.append(measure(command, cwd=Path(__file__).parent.parent).check())
    return measured


def _row(repeat: int, records: int, contender: str, runs: list[Run], store: Path, quads: int,
         workbook: Path) -> Row:
    best = min(runs, key=lambda run: run.seconds)
    seconds = [round(run.seconds, 3) for run in runs]
    phases = sorted(build_phases(best.stderr).items(), key=lambda item: item[1]) + [("end", best.seconds)]
    lasted = {name: later - start for (name, start), (_, later) in zip(phases, phases[1:])}
    indexing = indexing_seconds({name: round(seconds, 2) for name, seconds in lasted.items()})
    size = disk_mib(store)
    return Row(repeat, records, contender, len(runs), round(best.seconds, 3), round(statistics.median(seconds), 3),
               round(records / best.seconds, 1), round(best.peak_rss_mib, 1), round(best.peak_tree_pss_mib, 1),
               size, quads, round(size * 2**20 / records), indexing,
               workbook_mib=round(workbook.stat().st_size / 2**20, 1), every_run_seconds=seconds,
               ended_utc=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
               load_average=" ".join(f"{load:.2f}" for load in os.getloadavg()))


def run_size(repeat: int, runs: int, work: Path, per_copy: int, keep: bool = False) -> list[Row]:
    """Measure `kg build` of the sample repeated `repeat` times, and the floor of its quads."""
    root = work / f"repeat-{repeat}"
    shutil.rmtree(root, ignore_errors=True)
    workbook = root / "export.xlsx"
    write_export(workbook, repeat)
    records = per_copy * repeat
    store, floor_store, nquads = root / "store", root / "store-floor", root / "floor.nq"
    build = timed_runs(runs, [_kg_executable(), "build", "--store", str(store), str(workbook)], store)
    quads = store_quads(store)
    built = _row(repeat, records, "kg build", build, store, quads, workbook)
    named = root / "floor-named.nq"
    named_quads = dump_named_nquads(store, named)
    floor_runs = timed_runs(runs, [sys.executable, "-m", "benchmarks.floor", str(named), str(floor_store)],
                            floor_store)
    floor = _row(repeat, records, FLOOR, floor_runs, floor_store, int(floor_runs[-1].stdout.strip()), workbook)
    dump_nquads(store, nquads)
    every_store = root / "store-floor-all"
    every_runs = timed_runs(runs, [sys.executable, "-m", "benchmarks.floor", str(nquads), str(every_store)],
                            every_store)
    every = _row(repeat, records, FLOOR_ALL, every_runs, every_store, int(every_runs[-1].stdout.strip()), workbook)
    pieces_store = root / "store-floor-pieces"
    pieces_runs = timed_runs(runs, [sys.executable, "-m", "benchmarks.floor_pieces", str(nquads), str(pieces_store)],
                             pieces_store)
    pieces = _row(repeat, records, FLOOR_PIECES, pieces_runs, pieces_store, int(pieces_runs[-1].stdout.strip()),
                  workbook)
    if not every.quads == pieces.quads == quads or floor.quads != named_quads:
        raise RuntimeError(f"the floors loaded {floor.quads} of {named_quads} named quads, and {every.quads} and"
                           f" {pieces.quads} quads, the build wrote {quads}")
    rows = [built, floor, every, pieces]
    for row in rows:
        row.x_floor_time = round(row.seconds / floor.seconds, 2)
        row.x_floor_median = round(row.median_seconds / floor.median_seconds, 2)
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, nargs="+", default=[1], help="copies of the sample, one size each")
    parser.add_argument("--runs", type=int, default=3, help="runs per contender; the fastest is reported")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-export"))
    parser.add_argument("--out", type=Path, default=None, help="write the rows as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (workbooks, stores, N-Quads)")
    args = parser.parse_args(argv)
    per_copy = sum(sample_records().values())
    rows: list[Row] = []
    for repeat in args.repeat:
        rows += run_size(repeat, args.runs, args.work, per_copy, args.keep)
        print(markdown_table((asdict(r) for r in rows if r.repeat == repeat), COLUMNS), flush=True)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
