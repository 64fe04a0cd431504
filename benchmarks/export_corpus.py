"""An i-eval export workbook of any size: the real sample repeated, each copy's numbers shifted.

`python -m benchmarks.export_corpus --repeat 8 --out /tmp/kgx/export-8.xlsx`
`python -m benchmarks.export_corpus --repeat 1205 --per-file 25 --out /tmp/kgx/export-1m/` (a folder of
workbooks, as many exports: 1,205 copies of the sample's 830 records are 1,000,150 records)

The output has the sample's five sheets and columns, in the same order. Copy k (from 0) adds
k × `shift` to every evaluation number, to the `eval_id` in the `Url` column, and to every
recommendation, lesson and good-practice id, so the copies stay apart; `shift` is the first
power of ten above every number of the sample. Texts, dates and project symbols are left as
they are, so copies link to the same projects, countries and agencies as the sample does.
Rows are written with openpyxl's write-only mode, so memory holds the sample, not the output.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from kg.readers.export import DATASETS, EVALUATION_COLUMNS
from kg.resources import sample_dir

SAMPLE = sample_dir() / "ieval-export-sample.xlsx"
NUMBER_COLUMNS = frozenset({"Evaluation number"} | {d.item_column for d in DATASETS if d.item_column})
URL_COLUMN = next(column for column, attribute in EVALUATION_COLUMNS.items() if attribute == "eval_url")
_EVAL_ID = re.compile(r"(eval_id=)(\d+)")


@dataclass(frozen=True)
class Sheet:
    """One sheet of the sample: its title, its header and its rows, as the workbook holds them."""

    title: str
    header: tuple[Any, ...]
    rows: list[tuple[Any, ...]]


def read_sample(path: Path = SAMPLE) -> list[Sheet]:
    """Every sheet of an export workbook, header and rows (a sample's size: it is held in memory)."""
    workbook = load_workbook(path, read_only=True)
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True)
            header = next(rows, ())
            sheets.append(Sheet(worksheet.title, header, [row for row in rows if any(c is not None for c in row)]))
        return sheets
    finally:
        workbook.close()


def _numbers(sheet: Sheet) -> Iterator[int]:
    for index, name in enumerate(sheet.header):
        for row in sheet.rows:
            value = row[index] if index < len(row) else None
            if name in NUMBER_COLUMNS and value is not None:
                yield int(value)
            elif name == URL_COLUMN and isinstance(value, str):
                yield from (int(match.group(2)) for match in _EVAL_ID.finditer(value))


def shift_for(sheets: list[Sheet]) -> int:
    """The first power of ten above every evaluation number, eval_id and item id of the sheets."""
    largest = max((n for sheet in sheets for n in _numbers(sheet)), default=0)
    return 10 ** len(str(largest))


def shifted_row(header: tuple[Any, ...], row: tuple[Any, ...], by: int) -> list[Any]:
    """A row with its numbers (evaluation, item, the Url's eval_id) raised by `by`, written as the
    sample writes them (text stays text)."""
    if not by:
        return list(row)
    cells = []
    for name, value in zip(header, row):
        if name in NUMBER_COLUMNS and value is not None:
            value = type(value)(int(value) + by)
        elif name == URL_COLUMN and isinstance(value, str):
            value = _EVAL_ID.sub(lambda match: f"{match.group(1)}{int(match.group(2)) + by}", value)
        cells.append(value)
    return cells


def write_export(out: Path, repeat: int, sample: Path = SAMPLE, first_copy: int = 0) -> dict[str, int]:
    """Write the sample `repeat` times over as one workbook, its copies numbered from
    `first_copy`; return the data rows per sheet."""
    sheets = read_sample(sample)
    shift = shift_for(sheets)
    workbook = Workbook(write_only=True)
    written: dict[str, int] = {}
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.append(list(sheet.header))
        for copy in range(first_copy, first_copy + repeat):
            for row in sheet.rows:
                worksheet.append(shifted_row(sheet.header, row, copy * shift))
        written[sheet.title] = len(sheet.rows) * repeat
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, required=True, help="copies of the sample in the workbook")
    parser.add_argument("--out", type=Path, required=True,
                        help="the .xlsx file to write; with --per-file, the folder of workbooks")
    parser.add_argument("--per-file", type=int, default=None,
                        help="copies per workbook: write a folder of workbooks, each its own copies")
    parser.add_argument("--sample", type=Path, default=SAMPLE,
                        help="the export to repeat [default: the bundled sample]")
    args = parser.parse_args(argv)
    if args.repeat < 1 or (args.per_file is not None and args.per_file < 1):
        parser.error("--repeat and --per-file must be 1 or more")
    per_file = args.per_file or args.repeat
    for first in range(0, args.repeat, per_file):
        out = args.out / f"export-{first // per_file:05d}.xlsx" if args.per_file else args.out
        written = write_export(out, min(per_file, args.repeat - first), args.sample, first)
        print(f"{out}: " + ", ".join(f"{title} {rows} rows" for title, rows in written.items()))


if __name__ == "__main__":
    main()
