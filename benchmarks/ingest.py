"""Ingest benchmark: `kg build` per input form, side by side with the floor and Morph-KGC.

`python -m benchmarks.ingest --records 1000 10000 --work /tmp/kg-bench --out results/ingest.json`

For each size the corpus is generated in every form (not timed). Each contender runs as a
child process whose wall time and peak RSS are measured (`benchmarks.measure`):
- `kg build` of each form into a fresh store;
- the floor (issue 20's): pyoxigraph `bulk_load` into a fresh store of the named graphs of the
  first form's build (the sources, the metadata, the reference data: what `kg dump` publishes),
  without the default-graph copies `kg build` also writes (`x_floor_time` is against this one);
- the floor of every quad: the same with the default-graph copies, so exactly the build's quads
  (issue 7's floor);
- Morph-KGC materialising `benchmarks/morph/mapping.ttl` from the same records as one JSON array,
  run with the Python given by --morph-python (Morph-KGC pins pyoxigraph<0.4 and rdflib<7.3, so
  it cannot share evalkg's environment).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from collections.abc import Iterator

from pyoxigraph import DefaultGraph, Quad, RdfFormat, serialize

from benchmarks.corpus import records
from benchmarks.generate import generate
from benchmarks.measure import Run, measure
from benchmarks.report import markdown_table
from kg.store import StoreDirectory

DEFAULT_FORMS = ("json", "jsonl", "text", "html")
MAPPING = Path(__file__).parent / "morph" / "mapping.ttl"
DEFAULT_MORPH_PYTHON = Path("/work/bench-venvs/morph-kgc/bin/python")
COLUMNS = ("records", "contender", "form", "seconds", "records_per_s", "peak_rss_mib",
           "peak_tree_pss_mib", "quads",
           "triples", "triples_per_s", "store_mib", "store_bytes_per_record", "indexing_s", "x_floor_time")
FLOOR = "floor: bulk_load of the named graphs"
FLOOR_ALL = "floor: bulk_load of every quad"


@dataclass
class Row:
    """One measured contender at one size."""

    records: int
    contender: str
    form: str
    seconds: float
    records_per_s: float
    peak_rss_mib: float
    peak_tree_pss_mib: float
    quads: int
    triples: int
    triples_per_s: float
    store_mib: float = 0.0
    store_bytes_per_record: int = 0
    indexing_s: float | None = None  # kg build's "indexing texts" phase (the text index)
    x_floor_time: float | None = None
    phases: dict[str, float] = field(default_factory=dict)
    ended_utc: str = ""
    load_average: str = ""


def _kg_executable() -> str:
    return str(Path(sys.executable).with_name("kg"))


def store_quads(store_dir: Path) -> int:
    """Quads in the live generation of an evalkg store (named graphs and the default graph)."""
    return len(StoreDirectory(store_dir).open_read_only())


def store_triples(store_dir: Path) -> int:
    """Distinct triples of an evalkg store: its default graph, the merge of the named graphs."""
    store = StoreDirectory(store_dir).open_read_only()
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)


def disk_bytes(path: Path) -> int:
    """Space a folder takes on disk (allocated blocks of its files)."""
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file())


def build_phases(stderr: str) -> dict[str, float]:
    """Seconds of each phase `kg build` named on standard error (`build: loading (41.2 s)` gives
    when it started; a phase lasts until the next one, the last until the build's end)."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^build: (.+?) \((\d+(?:\.\d+)?) s\)$", stderr, re.M)}


def indexing_seconds(lasted: dict[str, float]) -> float | None:
    """The text index's phase ("indexing texts", or "indexing texts and compacting" when the
    store's compaction runs alongside it)."""
    return next((seconds for name, seconds in lasted.items() if name.startswith("indexing texts")), None)


def _row(count: int, contender: str, form: str, run: Run, quads: int, triples: int, store: Path | None = None) -> Row:
    size = disk_bytes(store) if store is not None else 0
    phases = build_phases(run.stderr)
    starts = sorted(phases.items(), key=lambda item: item[1]) + [("end", run.seconds)]
    lasted = {name: round(later - start, 2) for (name, start), (_, later) in zip(starts, starts[1:])}
    return Row(count, contender, form, round(run.seconds, 3), round(count / run.seconds, 1),
               round(run.peak_rss_mib, 1), round(run.peak_tree_pss_mib, 1), quads, triples, round(triples / run.seconds),
               round(size / 2**20, 1), round(size / count), indexing_seconds(lasted), phases=lasted,
               ended_utc=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
               load_average=" ".join(f"{load:.2f}" for load in os.getloadavg()))


def dump_nquads(store_dir: Path, target: Path) -> None:
    """Write every quad of the live generation of an evalkg store to an N-Quads file."""
    StoreDirectory(store_dir).open_read_only().dump(output=str(target), format=RdfFormat.N_QUADS)


def dump_named_nquads(store_dir: Path, target: Path) -> int:
    """Write the quads of the named graphs of an evalkg store (not the default graph, their merge)
    to an N-Quads file; return how many."""
    store = StoreDirectory(store_dir).open_read_only()
    count = 0

    def named() -> Iterator[Quad]:
        nonlocal count
        for quad in store.quads_for_pattern(None, None, None, None):
            if not isinstance(quad.graph_name, DefaultGraph):
                count += 1
                yield quad

    with open(target, "wb") as out:
        serialize(named(), out, RdfFormat.N_QUADS)
    return count


def write_json_array(seed: int, count: int, target: Path) -> None:
    """The same records as one JSON array, streamed, for Morph-KGC."""
    with open(target, "w", encoding="utf-8") as out:
        out.write("[")
        for index, data in enumerate(records(seed, count)):
            out.write(("," if index else "") + json.dumps(data, ensure_ascii=False))
        out.write("]\n")


def best_of(repeat: int, command: list[str], cwd: Path, fresh: Path | None = None) -> Run:
    """The fastest of `repeat` runs of `command` (removing `fresh`, its output store, before each)."""
    runs = []
    for _ in range(repeat):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        runs.append(measure(command, cwd=cwd).check())
    return min(runs, key=lambda run: run.seconds)


def run_size(count: int, seed: int, work: Path, forms: tuple[str, ...], morph_python: Path | None,
             one_worker: bool = False, keep: bool = False, repeat: int = 1) -> list[Row]:
    """Measure every contender on `count` records (best of `repeat` runs); return one row each."""
    root = work / f"n{count}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    rows: list[Row] = []
    for form in forms:
        generate(root / form, count, form, seed)
        store = root / f"store-{form}"
        run = best_of(repeat, [_kg_executable(), "build", "--store", str(store), form], root, store)
        rows.append(_row(count, "kg build", form, run, store_quads(store), store_triples(store), store))
        if one_worker and form == forms[0]:
            single = root / f"store-{form}-1"
            run = best_of(repeat, [_kg_executable(), "build", "--workers", "1", "--store", str(single), form],
                          root, single)
            rows.append(_row(count, "kg build --workers 1", form, run, store_quads(single), store_triples(single)))
            shutil.rmtree(single)
    floor_source = root / f"store-{forms[0]}"
    named, every = root / "floor-named.nq", root / "floor.nq"
    named_quads = dump_named_nquads(floor_source, named)
    run = best_of(repeat, [sys.executable, "-m", "benchmarks.floor", str(named), str(root / "store-floor")],
                  Path(__file__).parent.parent, root / "store-floor")
    floor = _row(count, FLOOR, forms[0], run, int(run.stdout.strip()), store_triples(floor_source),
                 root / "store-floor")
    if floor.quads != named_quads:
        raise RuntimeError(f"the floor loaded {floor.quads} quads of the {named_quads} in its file")
    rows.append(floor)
    named.unlink()
    dump_nquads(floor_source, every)
    run = best_of(repeat, [sys.executable, "-m", "benchmarks.floor", str(every), str(root / "store-floor-all")],
                  Path(__file__).parent.parent, root / "store-floor-all")
    rows.append(_row(count, FLOOR_ALL, forms[0], run, int(run.stdout.strip()), store_triples(floor_source),
                     root / "store-floor-all"))
    every.unlink()
    shutil.rmtree(root / "store-floor-all")
    if morph_python is not None:
        write_json_array(seed, count, root / "records.json")
        config = root / "morph.ini"
        config.write_text(f"[CONFIGURATION]\noutput_file={root / 'morph.nt'}\n"
                          f"[DataSource]\nmappings={MAPPING}\n", encoding="utf-8")
        run = best_of(repeat, [str(morph_python), "-m", "morph_kgc", str(config)], root)
        with open(root / "morph.nt", "rb") as lines:
            triples = sum(1 for _ in lines)
        rows.append(_row(count, "Morph-KGC (RML)", "json", run, triples, triples))
    for row in rows:
        row.x_floor_time = round(row.seconds / floor.seconds, 2)
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000])
    parser.add_argument("--forms", nargs="+", choices=DEFAULT_FORMS, default=list(DEFAULT_FORMS),
                        help="forms for kg build; the first one's store is dumped for the floor")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--out", type=Path, default=None, help="write the rows as JSON here")
    parser.add_argument("--morph-python", type=Path, default=DEFAULT_MORPH_PYTHON,
                        help="Python with morph-kgc installed")
    parser.add_argument("--no-morph", action="store_true", help="leave Morph-KGC out")
    parser.add_argument("--one-worker", action="store_true",
                        help="also time kg build --workers 1 on the first form")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (corpora and stores)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per contender; the fastest is reported")
    args = parser.parse_args(argv)
    morph = None if args.no_morph else args.morph_python
    if morph is not None and not morph.exists():
        parser.error(f"{morph}: no such Python; install Morph-KGC in its own venv (see benchmarks/README.md)"
                     " or pass --no-morph")
    rows: list[Row] = []
    for count in args.records:
        rows += run_size(count, args.seed, args.work, tuple(args.forms), morph, args.one_worker, args.keep,
                         args.repeat)
        print(markdown_table((asdict(r) for r in rows if r.records == count), COLUMNS), flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
