"""Dump benchmark: `kg dump` against `oxigraph dump` on the same store, one after the other.

`python -m benchmarks.dump --store STORE --out results/dump.json`

- `kg dump --store STORE --out DIR`: the reproducible dumps (gzip -9 Turtle and N-Quads,
  canonical blank nodes, VoID, checksums; see kg/dump.py);
- `oxigraph dump --location COPY --file dump.nq`: every quad of a copy of the live generation
  (`oxigraph dump` opens the store for writing), unsorted, uncompressed N-Quads;
- the same `oxigraph dump` piped to `gzip -9`, the closest to what `kg dump` publishes.
Each runs as a measured child process (wall time, peak RSS).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.measure import Run, measure
from benchmarks.report import markdown_table
from kg.store import StoreDirectory

COLUMNS = ("contender", "seconds", "peak_rss_mib", "output_mib", "x_oxigraph_time")


@dataclass
class Row:
    contender: str
    seconds: float
    peak_rss_mib: float
    output_mib: float
    x_oxigraph_time: float | None = None


def _size_mib(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def _row(contender: str, run: Run, output: Path) -> Row:
    return Row(contender, round(run.seconds, 3), round(run.peak_rss_mib, 1), _size_mib(output))


def run(store_dir: Path, work: Path) -> list[Row]:
    """Measure the three dumps of the store; `work` holds the copy and the outputs, removed after."""
    work.mkdir(parents=True, exist_ok=True)
    copy, kg_out, nquads, gzipped = work / "copy", work / "kg-dumps", work / "dump.nq", work / "dump.nq.gz"
    bin_dir = Path(sys.executable).parent
    try:
        shutil.copytree(StoreDirectory(store_dir).live_generation(), copy)
        run_kg = measure([str(bin_dir / "kg"), "dump", "--store", str(store_dir), "--out", str(kg_out)]).check()
        run_ox = measure([str(bin_dir / "oxigraph"), "dump", "--location", str(copy), "--file", str(nquads)]).check()
        run_gz = measure(["sh", "-c", f'"{bin_dir / "oxigraph"}" dump --location "{copy}" --format nq'
                          f' | gzip -9 > "{gzipped}"']).check()
        rows = [_row("kg dump (ttl.gz + nq.gz, gzip -9, VoID)", run_kg, kg_out),
                _row("oxigraph dump (.nq)", run_ox, nquads),
                _row("oxigraph dump piped to gzip -9", run_gz, gzipped)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for row in rows:
        row.x_oxigraph_time = round(row.seconds / rows[1].seconds, 2)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="an evalkg store directory (kg build --store)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=None, help="write the rows as JSON here")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-dump-bench-"))
    rows = run(args.store, work)
    print(markdown_table(map(asdict, rows), COLUMNS))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps([asdict(r) for r in rows], indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
