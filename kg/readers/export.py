"""Reader for the i-eval Discovery export: the site's Excel workbook, or its sheets saved as CSV.

The export holds five datasets, one per sheet, told apart by their columns (the sheet names are
only `Data`, `Data (2)`, ...): planned evaluations, completed evaluations, recommendations,
lessons learned and good practices. Every item row repeats its evaluation's columns, and a
record is repeated once per country it covers. Rows are read one at a time and folded: the
consecutive rows of one item become one item, the consecutive items of one evaluation one
`EvaluationRecord`, so Python objects exist for one evaluation's rows at a time (a workbook's
sheet is held as calamine's native cells). A broken row is an error naming its sheet and row;
the rest is read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from pathlib import PurePosixPath
from typing import Any

from kg.errors import ReadError
from kg.interpret import parse_integer
from kg.readers.decoding import decode_text
from kg.records import (
    EvaluationRecord,
    GoodPracticeRecord,
    LessonRecord,
    Location,
    RecommendationRecord,
    ThemeRecord,
)

SITE = "https://webapps.ilo.org/ievaldiscovery/"
NO_VALUE = frozenset({"", "-", ".", "- not specified", "not specified"})
_ESCAPED_CHARACTER = re.compile(r"_x([0-9A-Fa-f]{4})_")

Row = dict[str, str | None]
Item = RecommendationRecord | LessonRecord | GoodPracticeRecord

EVALUATION_COLUMNS = {
    "Evaluation number": "eval_number",
    "Evaluation title": "eval_title",
    "Url": "eval_url",
    "Theme(s)": "themes",
    "Evaluation type": "evaluation_type",
    "Evaluation timing": "evaluation_timing",
    "Evaluation nature": "evaluation_nature",
    "Evaluation document type": "document_type",
    "Completion date": "completion_date",
    "Planned completion date": "planned_completion_date",
    "Evaluation manager(s)": "managers",
    "Administrative unit(s)": "admin_units",
    "Technical unit(s)": "technical_units",
    "Funding source(s)": "funding_sources",
    "Project symbol(s)": "project_symbols",
}
LOCATION_COLUMNS = ("Country(ies)", "Region(s)")


def clean(value: Any) -> str | None:
    """A cell as text: `-`, `.` and blanks are no value, `_x000d_` and other escaped characters
    are the characters they stand for (a carriage return ends up as a line break), dates are
    ISO dates and whole numbers lose the `.0` spreadsheets give them."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _ESCAPED_CHARACTER.sub(lambda m: chr(int(m.group(1), 16)), str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return None if text.lower() in NO_VALUE else text


def _joined(values: Iterable[str | None]) -> str | None:
    """Distinct values of a column over an item's rows, as one `; `-separated field."""
    distinct = dict.fromkeys(part.strip() for value in values if value for part in value.split(";"))
    return "; ".join(part for part in distinct if part) or None


def _themes(value: str | None) -> tuple[ThemeRecord, ...]:
    return tuple(ThemeRecord(theme=part.strip()) for part in (value or "").split(";") if part.strip())


def _recommendation(rows: list[Row]) -> RecommendationRecord:
    first = rows[0]
    number = first["Recommendation ID"]
    return RecommendationRecord(
        id=number,
        url=f"{SITE}recommendations/{number}",
        title=first.get("Recommendation description"),
        date=first.get("Recommendation date"),
        themes=_themes(_joined(row.get("Recommendation theme") for row in rows)),
        action_plan=first.get("Action plan"),
        management_response=first.get("Management response"),
        progress=first.get("Progress"),
        comments=first.get("Comments"),
        admin_units=_joined(row.get("Recommendation administrative unit") for row in rows),
        project_symbols=_joined(row.get("Recommendation project symbol") for row in rows),
        information_source=first.get("Information source"),
    )


def _lesson(rows: list[Row]) -> LessonRecord:
    first = rows[0]
    number = first["Lessons learned ID"]
    return LessonRecord(
        id=number,
        url=f"{SITE}lessons/{number}",
        description=first.get("Lessons learned description"),
        themes=_themes(_joined(row.get("Lessons learned theme") for row in rows)),
    )


def _good_practice(rows: list[Row]) -> GoodPracticeRecord:
    first = rows[0]
    return GoodPracticeRecord(
        id=first["Good practices ID"],
        description=first.get("Good practices description"),
        themes=_themes(_joined(row.get("Good practices theme") for row in rows)),
        context=first.get("Context"),
        cause_effect=first.get("Cause/effect"),
        indicators=first.get("Indicators"),
        replication=first.get("Replication"),
        links=first.get("Links"),
    )


@dataclass(frozen=True)
class Dataset:
    """One of the export's datasets: the column that identifies its rows' item (None for the
    evaluation sheets), the item each group of rows becomes, and the columns only it has."""

    name: str
    item_column: str | None
    item: Callable[[list[Row]], Item] | None
    attribute: str | None
    columns: frozenset[str]


DATASETS = (
    Dataset("recommendations", "Recommendation ID", _recommendation, "recommendations", frozenset({
        "Recommendation description", "Management response", "Action plan", "Progress", "Comments",
        "Information source", "Recommendation date", "Recommendation theme",
        "Recommendation administrative unit", "Recommendation project symbol"})),
    Dataset("lessons learned", "Lessons learned ID", _lesson, "lessons", frozenset({
        "Lessons learned description", "Lessons learned theme"})),
    Dataset("good practices", "Good practices ID", _good_practice, "good_practices", frozenset({
        "Good practices description", "Context", "Cause/effect", "Indicators", "Replication", "Links",
        "Good practices theme"})),
    Dataset("planned evaluations", None, None, None, frozenset({"Planned completion date"})),
    Dataset("completed evaluations", None, None, None, frozenset()),
)


def identify(header: Iterable[str]) -> Dataset | None:
    """The dataset a sheet holds, by its columns: an item id column, or the planned date."""
    columns = set(header)
    if "Evaluation number" not in columns:
        return None
    for dataset in DATASETS:
        if dataset.item_column in columns or (dataset.item_column is None and dataset.columns <= columns):
            return dataset
    return None


@dataclass
class _NumberedRow:
    number: int
    values: Row


class _Sheet:
    """One sheet (or CSV file) of the export, read row by row into records."""

    def __init__(self, source: str, name: str, rows: Iterator[tuple[Any, ...]]) -> None:
        self.source = source
        self.name = name
        self._rows = rows

    def where(self, row: int) -> str:
        return f"{self.source} [sheet {self.name!r}, row {row}]"

    def records(self) -> Iterator[EvaluationRecord | ReadError]:
        header, first_row = self._header()
        if header is None:
            return
        dataset = identify(header)
        if dataset is None:
            yield ReadError(
                f"{self.source} [sheet {self.name!r}]",
                "its columns match none of the export's datasets (an `Evaluation number` column, "
                f"and `Recommendation ID`, `Lessons learned ID`, `Good practices ID` or neither): {', '.join(header)}",
            )
            return
        known = set(EVALUATION_COLUMNS) | set(LOCATION_COLUMNS) | dataset.columns | {dataset.item_column}
        unknown = tuple(f"column {name!r}" for name in header if name and name not in known)
        valid = self._valid_rows(header, dataset, first_row)
        for _, rows in groupby(valid, key=lambda row: _number(row, "Evaluation number")):
            yield from self._evaluation(list(rows), dataset, unknown)

    def _header(self) -> tuple[list[str] | None, int]:
        for number, cells in enumerate(self._rows, start=1):
            header = [" ".join(str(cell).split()) if cell is not None else "" for cell in cells]
            if any(header):
                return header, number
        return None, 0

    def _valid_rows(
        self, header: list[str], dataset: Dataset, header_row: int
    ) -> Iterator[_NumberedRow | ReadError]:
        for number, cells in enumerate(self._rows, start=header_row + 1):
            values = {name: clean(cell) for name, cell in zip(header, cells) if name}
            if not any(values.values()):
                continue
            problem = self._problem(values, dataset)
            if problem:
                yield ReadError(self.where(number), problem)
            else:
                yield _NumberedRow(number, values)

    @staticmethod
    def _problem(values: Row, dataset: Dataset) -> str | None:
        for column in ("Evaluation number", dataset.item_column):
            if column is None:
                continue
            value = values.get(column)
            if value is None:
                return f"no {column}"
            if parse_integer(value) is None:
                return f"{column} {value!r} is not a whole number"
        return None

    def _evaluation(
        self, rows: list[_NumberedRow | ReadError], dataset: Dataset, unknown: tuple[str, ...]
    ) -> Iterator[EvaluationRecord | ReadError]:
        """The record of one evaluation's consecutive rows (an error row is its own group)."""
        if isinstance(rows[0], ReadError):
            yield from rows  # type: ignore[misc]
            return
        good: list[_NumberedRow] = rows  # type: ignore[assignment]
        first = good[0].values
        fields = {attribute: _joined(row.values.get(column) for row in good)
                  if attribute in _MULTIVALUED else first.get(column)
                  for column, attribute in EVALUATION_COLUMNS.items()}
        items: dict[str, tuple[Item, ...]] = {}
        if dataset.item is not None and dataset.attribute is not None and dataset.item_column is not None:
            column = dataset.item_column
            items[dataset.attribute] = tuple(
                dataset.item([row.values for row in group])
                for _, group in groupby(good, key=lambda row: _number(row, column))
            )
        yield EvaluationRecord(
            source=self.where(good[0].number),
            locations=_locations(row.values for row in good),
            unknown_keys=unknown,
            **fields,  # type: ignore[arg-type]
            **items,  # type: ignore[arg-type]
        )


def _number(row: _NumberedRow | ReadError, column: str) -> object:
    """What rows are grouped by: the number in a column (an error row is a group of its own)."""
    return parse_integer(row.values[column] or "") if isinstance(row, _NumberedRow) else row


_MULTIVALUED = frozenset({"themes", "managers", "admin_units", "technical_units", "funding_sources", "project_symbols"})


def _locations(rows: Iterable[Row]) -> tuple[Location, ...]:
    """The distinct country/region pairs of an evaluation's rows. A row naming one region pairs
    it with each of its countries; with several regions, pairs cannot be told and each is
    kept on its own."""
    pairs: dict[Location, None] = {}
    for row in rows:
        countries = _parts(row.get("Country(ies)"))
        regions = _parts(row.get("Region(s)"))
        if len(regions) == 1:
            for country in countries or [None]:
                pairs.setdefault(Location(country, regions[0]), None)
        else:
            for country in countries:
                pairs.setdefault(Location(country, None), None)
            for region in regions:
                pairs.setdefault(Location(None, region), None)
    return tuple(pairs)


def _parts(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if clean(part)]


def read_workbook(source: str, content: bytes) -> Iterator[EvaluationRecord | ReadError]:
    """Records of every worksheet of an export workbook (.xlsx), read with calamine (Rust): one
    sheet's cells at a time are held, as compact native values, and rows become Python values
    as they are read. A sheet that cannot be read is an error naming it; the others are read."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except CalamineError as error:
        raise ReadError(source, f"not a readable Excel workbook ({type(error).__name__}: {error})") from error
    with workbook:
        for sheet in workbook.sheets_metadata:
            if sheet.typ != SheetTypeEnum.WorkSheet:
                continue
            try:
                cells = workbook.get_sheet_by_name(sheet.name)
            except CalamineError as error:
                yield ReadError(f"{source} [sheet {sheet.name!r}]",
                                f"not a readable sheet ({type(error).__name__}: {error})")
                continue
            # Rows come from the sheet's first row (leading blank rows included, so row numbers
            # are the sheet's), columns from its first non-blank one.
            yield from _Sheet(source, sheet.name, cells.iter_rows()).records()


def read_csv(source: str, content: bytes) -> Iterator[EvaluationRecord | ReadError]:
    """Records of one export sheet saved as CSV, separated by commas, semicolons or tabs (the
    header line, which holds no quoted text, tells which)."""
    text = decode_text(source, content)
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    yield from _Sheet(source, PurePosixPath(source).name, iter(rows)).records()
