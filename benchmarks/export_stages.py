"""Where a build of an export workbook spends its CPU, stage by stage, in one process.

`python -m benchmarks.export_stages /tmp/kgx/repeat-8/export.xlsx`

`kg build` of one workbook reads and maps it in its own process while the worker processes
analyse its records' texts (`Mapper.analyse`: language detection, agencies named), so its CPU is
the sum of these stages plus the store's (bulk loads, compaction): loading the gazetteers and
language models, reading the workbook (the export reader), mapping the records (`Mapper.map`,
here with the analysis in the same process) and serialising their quads as N-Quads. Prints the
process CPU seconds of each stage.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pyoxigraph import NamedNode, RdfFormat, serialize

from kg.iris import Iris
from kg.mapping import Linkers, Mapper
from kg.readers import read_records
from kg.records import EvaluationRecord

T = TypeVar("T")


def timed(stage: Callable[[], T]) -> tuple[T, float]:
    """What `stage` returns, and the CPU seconds this process spent on it."""
    start = time.process_time()
    result = stage()
    return result, time.process_time() - start


def stages(workbook: Path) -> dict[str, float]:
    """CPU seconds per stage of reading and mapping `workbook`, and the size of its N-Quads."""
    iris = Iris()

    def load() -> Mapper:
        mapper = Mapper(iris, Linkers.load(iris))
        mapper.load_models()
        return mapper

    mapper, loading = timed(load)
    content = workbook.read_bytes()
    records, reading = timed(lambda: [r for r in read_records(workbook.name, content, "xlsx")
                                      if isinstance(r, EvaluationRecord)])
    graph, described = iris.source_graph(workbook.name), set[NamedNode]()
    mapped, mapping = timed(lambda: [mapper.map(record, graph, described) for record in records])
    size, serialising = timed(lambda: sum(len(serialize(m.quads, format=RdfFormat.N_QUADS)) for m in mapped))
    return {"evaluation_records": len(records), "gazetteers_and_models_s": round(loading, 2),
            "reading_s": round(reading, 2), "mapping_s": round(mapping, 2), "serialising_s": round(serialising, 2),
            "quads": sum(len(m.quads) for m in mapped), "nquads_mib": round(size / 2**20, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path, help="an export workbook (benchmarks.export_corpus writes one)")
    args = parser.parse_args(argv)
    print(", ".join(f"{name} {value}" for name, value in stages(args.workbook).items()))


if __name__ == "__main__":
    main()
