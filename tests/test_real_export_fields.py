"""Every published field of the real export sample is in the graph, checked row by row.

The rows are read here with openpyxl alone, not with evalkg's reader, and each cell is looked up
in the store built from the same workbook: a field the reader or the mapping drops or changes
fails the test with its sheet, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pycountry
import pytest
from openpyxl import load_workbook

from kg.iris import Iris
from kg.namespaces import DCTERMS, EK, RDF, RDFS, SCHEMA, SKOS
from tests.conftest import REAL_EXPORT

ID = Iris().base
NO_VALUE = {"", "-", ".", "- Not specified"}
PLACEHOLDER = re.compile(r"^NO_DC_SYMBOL_\d+$")
REGIONS = {"Inter-Regional": "Interregional"}
UN_SPELLINGS = {"Democratic Republic of the Congo": "COD", "Bolivia (Plurinational State of)": "BOL",
                "Republic of Korea": "KOR", "East Timor": "TLS", "Occupied Palestinian Territory": "PSE"}


def _text(cell: object) -> str | None:
    """A cell as the site means it (the export's escapes undone), or None for no value."""
    if cell is None:
        return None
    text = str(cell).replace("_x000d_", "\r").replace("\r\n", "\n").replace("\r", "\n").strip()
    return None if text in NO_VALUE else text


def _list(cell: object) -> list[str]:
    return [part.strip() for part in (_text(cell) or "").split(";") if part.strip()]


def _alpha3(name: str) -> str | None:
    """The ISO code of a country name by pycountry and a few UN spellings it lacks (an oracle apart
    from evalkg's resolver)."""
    if name in UN_SPELLINGS:
        return UN_SPELLINGS[name]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


def _rows() -> Iterator[tuple[str, int, dict[str, object]]]:
    book = load_workbook(REAL_EXPORT, read_only=True)
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = next(rows)
        for number, cells in enumerate(rows, start=2):
            yield sheet.title, number, dict(zip(header, cells))
    book.close()


class Graph:
    """The real store's default graph, as sets of objects per subject and predicate."""

    def __init__(self, store) -> None:
        self._objects: dict[tuple[str, str], set[str]] = {}
        for quad in store.open_read_only().quads_for_pattern(None, None, None, None):
            self._objects.setdefault((quad.subject.value, quad.predicate.value), set()).add(quad.object.value)

    def objects(self, subject: str, predicate) -> set[str]:
        return self._objects.get((subject, predicate.value), set())

    def labels(self, subject: str, predicate) -> set[str]:
        """The labels (skos:prefLabel) of the objects of a property."""
        return {label for node in self.objects(subject, predicate) for label in self.objects(node, SKOS.prefLabel)}


@pytest.fixture(scope="module")
def graph(real_store) -> Graph:
    return Graph(real_store)


def _date(cell: object) -> str:
    assert isinstance(cell, datetime)
    return cell.date().isoformat()


def _check_evaluation(graph: Graph, row: dict[str, object], problems: list[str]) -> str:
    evaluation = f"{ID}evaluation/{row['Evaluation number']}"

    def expect(what: str, found: set[str], wanted: set[str]) -> None:
        if not wanted <= found:
            problems.append(f"{what}: {sorted(wanted - found)} not in {sorted(found)[:5]}")

    expect("Evaluation", graph.objects(evaluation, RDF.type), {EK.Evaluation.value})
    expect("Evaluation title", graph.objects(evaluation, DCTERMS.title), {_text(row["Evaluation title"])})
    expect("Url", graph.objects(evaluation, SCHEMA.url), {_text(row["Url"])})
    for column, prop in (("Evaluation type", EK.evaluationType), ("Evaluation timing", EK.evaluationTiming),
                         ("Evaluation nature", EK.evaluationNature)):
        expect(column, graph.labels(evaluation, prop), {" ".join(_text(row[column]).split())})
    for column, prop in (("Completion date", EK.completionDate), ("Planned completion date", EK.plannedCompletionDate)):
        if row.get(column) is not None:
            expect(column, graph.objects(evaluation, prop), {_date(row[column])})
    if "Theme(s)" in row:
        expect("Theme(s)", graph.labels(evaluation, EK.theme), set(_list(row["Theme(s)"])))
    expect("Evaluation manager(s)", {n for p in graph.objects(evaluation, EK.manager)
                                     for n in graph.objects(p, SCHEMA.name)}, set(_list(row["Evaluation manager(s)"])))
    if "Administrative unit(s)" in row:
        expect("Administrative unit(s)", graph.labels(evaluation, EK.adminUnit), set(_list(row["Administrative unit(s)"])))
    expect("Technical unit(s)", graph.labels(evaluation, EK.technicalUnit), set(_list(row["Technical unit(s)"])))
    funders = graph.objects(evaluation, EK.fundedBy) | graph.objects(evaluation, EK.donor)
    for source in _list(row["Funding source(s)"]):
        names = {label for node in funders for label in graph.objects(node, RDFS.label)}
        codes = {code for node in funders for code in graph.objects(node, EK.isoAlpha3)}
        if not any(name in source for name in names) and _alpha3(source) not in codes:
            problems.append(f"Funding source(s): nothing of {source!r} in {sorted(names)}")
    if "Project symbol(s)" in row:
        symbols = {s.strip() for s in _list(row["Project symbol(s)"]) if not PLACEHOLDER.match(s.strip())}
        expect("Project symbol(s)", {s for p in graph.objects(evaluation, EK.evaluatesProject)
                                     for s in graph.objects(p, EK.projectSymbol)}, symbols)
    place = _text(row["Country(ies)"])
    if place:
        covered = graph.objects(evaluation, EK.coversCountry) | graph.objects(evaluation, EK.coversRegion)
        names = {label for node in covered for label in graph.objects(node, RDFS.label)}
        codes = {code for node in covered for code in graph.objects(node, EK.isoAlpha3)}
        if not names & {place, place.removesuffix(" - regional"), REGIONS.get(place)} and _alpha3(place) not in codes:
            problems.append(f"Country(ies): {place!r} covered by none of {sorted(names)[:6]}")
    return evaluation


def _check_item(graph: Graph, sheet_kind: str, row: dict[str, object], evaluation: str, problems: list[str]) -> None:
    columns = {
        "recommendation": ("Recommendation ID", "recommendation", EK.hasRecommendation, {
            "Recommendation description": EK.text, "Action plan": EK.actionPlan, "Comments": EK.comments}),
        "lesson": ("Lessons learned ID", "lesson", EK.hasLesson, {"Lessons learned description": EK.text}),
        "good practice": ("Good practices ID", "good-practice", EK.hasGoodPractice, {
            "Good practices description": EK.text, "Context": EK.context, "Cause/effect": EK.causeEffect,
            "Indicators": EK.indicators, "Replication": EK.replication, "Links": EK.links}),
    }
    id_column, path, link, texts = columns[sheet_kind]
    item = f"{ID}{path}/{row[id_column]}"
    if item not in graph.objects(evaluation, link):
        problems.append(f"{id_column}: {item} is not an item of {evaluation}")
    for column, prop in texts.items():
        if (value := _text(row[column])) is not None and value not in graph.objects(item, prop):
            problems.append(f"{column}: text of {item} differs")
    theme_column = {"recommendation": "Recommendation theme", "lesson": "Lessons learned theme",
                    "good practice": "Good practices theme"}[sheet_kind]
    if not set(_list(row[theme_column])) <= graph.labels(item, EK.theme):
        problems.append(f"{theme_column}: {_list(row[theme_column])} not themes of {item}")
    if sheet_kind == "recommendation":
        for column, prop in (("Management response", EK.managementResponse), ("Progress", EK.progress)):
            if _text(row[column]) and _text(row[column]) not in graph.labels(item, prop):
                problems.append(f"{column}: {row[column]!r} not on {item}")
        if row["Recommendation date"] is not None and _date(row["Recommendation date"]) not in graph.objects(item, DCTERMS.date):
            problems.append(f"Recommendation date of {item}")
        if _text(row["Information source"]) not in graph.objects(item, EK.informationSource) | {None}:
            problems.append(f"Information source of {item}")
        if not set(_list(row["Recommendation administrative unit"])) <= graph.labels(item, EK.adminUnit):
            problems.append(f"Recommendation administrative unit of {item}")
        symbols = {s for s in _list(row["Recommendation project symbol"]) if not PLACEHOLDER.match(s)}
        if not symbols <= {s for p in graph.objects(item, EK.project) for s in graph.objects(p, EK.projectSymbol)}:
            problems.append(f"Recommendation project symbol {symbols} of {item}")


def test_every_cell_of_every_row_of_the_real_export_is_in_the_graph(graph):
    problems: list[str] = []
    rows = 0
    for sheet, number, row in _rows():
        rows += 1
        before = len(problems)
        evaluation = _check_evaluation(graph, row, problems)
        kind = next((k for column, k in (("Recommendation ID", "recommendation"), ("Lessons learned ID", "lesson"),
                                         ("Good practices ID", "good practice")) if column in row), None)
        if kind:
            _check_item(graph, kind, row, evaluation, problems)
        problems[before:] = [f"{sheet} row {number}: {problem}" for problem in problems[before:]]
    assert rows == 11 + 348 + 183 + 298 + 294
    assert problems == []


def test_the_integers_and_dates_are_typed(graph):
    evaluation = f"{ID}evaluation/2467"
    assert graph.objects(evaluation, EK.evaluationNumber) == {"2467"}
    assert graph.objects(evaluation, EK.completionDate) == {"2016-06-01"}
    assert graph.objects(f"{ID}recommendation/11077", DCTERMS.date) == {"2017-06-01"}
