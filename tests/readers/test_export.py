"""The i-eval export reader: the real workbook, its sheets as CSV, folding, quirks and bad rows."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from kg.errors import ReadError
from kg.interpret import parse_date
from kg.readers import read_records, sniff_form
from kg.readers.export import clean, identify
from kg.records import EvaluationRecord, Location, ThemeRecord
from tests.conftest import REAL_EXPORT

EVALUATION_HEADER = ["Evaluation number", "Evaluation title", "Region(s)", "Country(ies)", "Evaluation type",
                     "Evaluation timing", "Evaluation nature", "Completion date", "Evaluation manager(s)",
                     "Administrative unit(s)", "Technical unit(s)", "Funding source(s)", "Project symbol(s)", "Url"]
LESSON_HEADER = ["Lessons learned description", "Lessons learned theme", *EVALUATION_HEADER, "Lessons learned ID"]


def _workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    """An .xlsx holding the given sheets (name, rows), as openpyxl writes it."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _read(content: bytes, form: str = "xlsx", source: str = "export.xlsx") -> list[EvaluationRecord | ReadError]:
    return list(read_records(source, content, form))


def _lesson_row(eval_number: object, lesson_id: object, country: str, region: str = "Africa",
                text: str = "Involve the constituents early.") -> list[object]:
    return [text, "Social dialogue", eval_number, "Final evaluation of a project", region, country,
            "Project evaluation", "Final", "Independent", datetime(2019, 5, 1), "Manager1, Evaluation",
            "CO-Dar es Salaam", "SOCPRO", "Norway, Ministry of Foreign Affairs", "URT/15/01/NOR",
            f"https://webapps.ilo.org/ievaldiscovery/#eval_id={eval_number}", lesson_id]


@pytest.fixture(scope="module")
def real() -> list[EvaluationRecord | ReadError]:
    return _read(REAL_EXPORT.read_bytes(), source="ieval-export-sample.xlsx")


def test_the_real_export_gives_every_item_of_every_sheet_once(real):
    assert not [item for item in real if isinstance(item, ReadError)]
    records = [r for r in real if isinstance(r, EvaluationRecord)]
    assert len({r.eval_number for r in records}) == 247
    recommendations = [i.id for r in records for i in r.recommendations]
    lessons = [i.id for r in records for i in r.lessons]
    practices = [i.id for r in records for i in r.good_practices]
    assert (len(recommendations), len(set(recommendations))) == (198, 198)
    assert (len(lessons), len(set(lessons))) == (250, 250)
    assert (len(practices), len(set(practices))) == (135, 135)
    planned = {r.eval_number for r in records if r.planned_completion_date}
    assert len(planned) == 9 and "2293637" in planned


def test_a_recommendation_on_nine_country_rows_is_one_item_of_an_evaluation_covering_them_all(real):
    (record,) = [r for r in real if isinstance(r, EvaluationRecord)
                 and any(i.id == "17428" for i in r.recommendations)]
    assert record.eval_number == "3289"
    assert [i.id for i in record.recommendations].count("17428") == 1
    assert record.locations == (
        Location("Algeria", "Africa"), Location("Egypt", "Africa"), Location("Libya", "Africa"),
        Location("Morocco", "Africa"), Location("Tunisia", "Africa"), Location("Jordan", "Arab States"),
        Location("Lebanon", "Arab States"), Location("Occupied Palestinian Territory", "Arab States"),
        Location("Inter-Regional", "Inter-Regional"),
    )
    assert record.source == "ieval-export-sample.xlsx [sheet 'Data (2)', row 237]"


def test_a_real_lesson_is_read_with_its_evaluation(real):
    (record,) = [r for r in real if isinstance(r, EvaluationRecord) and any(i.id == "151079" for i in r.lessons)]
    (lesson,) = [i for i in record.lessons if i.id == "151079"]
    assert lesson.description.startswith("The cooperatives' group members are highly motivated")
    assert lesson.themes == (ThemeRecord("Cooperative"),)
    assert lesson.url == "https://webapps.ilo.org/ievaldiscovery/lessons/151079"
    assert (record.eval_number, record.completion_date, record.managers) == ("648", "2010-04-01", None)
    assert record.funding_sources == "Netherlands, Ministry of Foreign Affairs"
    assert record.eval_title.endswith("au Cameroun - Final Evaluation")  # the trailing space is gone


def test_escaped_carriage_returns_become_line_breaks(real):
    texts = {i.id: i.title for r in real if isinstance(r, EvaluationRecord) for i in r.recommendations if i.title}
    assert not [t for t in texts.values() if "_x000d_" in t or "\r" in t]
    assert texts["12428"].startswith("ILO should consider transferring the responsibility and oversight of "
                                     "activities not completed by the MCB Project to the BWH Programme. \nGiven ")


def test_sheets_are_told_apart_by_their_columns_not_their_names_or_order():
    book = load_workbook(REAL_EXPORT, read_only=True)
    sheets = [(f"Sheet {n}", [list(row) for row in sheet.iter_rows(values_only=True)])
              for n, sheet in reversed(list(enumerate(book.worksheets)))]
    book.close()
    renamed = _read(_workbook(*sheets))
    original = _read(REAL_EXPORT.read_bytes())
    key = lambda r: (r.eval_number, r.recommendations, r.lessons, r.good_practices, r.locations)  # noqa: E731
    assert sorted(map(key, renamed)) == sorted(map(key, original))


@pytest.mark.parametrize(("header", "dataset"), [
    (["Evaluation number", "Recommendation ID"], "recommendations"),
    (["Lessons learned ID", "Evaluation number"], "lessons learned"),
    (["Evaluation number", "Good practices ID", "Context"], "good practices"),
    (["Evaluation number", "Planned completion date"], "planned evaluations"),
    (["Evaluation number", "Completion date"], "completed evaluations"),
])
def test_identify(header, dataset):
    assert identify(header).name == dataset


def test_a_sheet_of_other_columns_is_an_error_naming_it():
    (error,) = _read(_workbook(("Notes", [["Remark", "Author"], ["x", "y"]])))
    assert isinstance(error, ReadError)
    assert error.source == "export.xlsx [sheet 'Notes']"
    assert "match none of the export's datasets" in error.reason and "Remark, Author" in error.reason


@pytest.mark.parametrize(("value", "expected"), [
    ("-", None), (".", None), ("  ", None), (None, None), ("- Not specified", None),
    ("a_x000d_\nb", "a\nb"), ("a_x000D_b", "a\nb"), ("x_x0009_y", "x\ty"),
    (" Project\u00a0-\u00a0Joint evaluation\u00a0", "Project\u00a0-\u00a0Joint evaluation"),
    (datetime(2017, 6, 1), "2017-06-01"), (2467.0, "2467"), (2467, "2467"),
    ("text\u2028with a line separator", "text\u2028with a line separator"),
])
def test_cells(value, expected):
    assert clean(value) == expected


def test_rows_of_one_lesson_fold_and_consecutive_lessons_share_their_evaluation():
    rows = [LESSON_HEADER, _lesson_row("10", "501", "Kenya"), _lesson_row("10", "501", "Uganda"),
            _lesson_row("10", "502", "Kenya", text="Plan the exit."), _lesson_row("10", "502", "Uganda", text="Plan the exit."),
            _lesson_row("11", "601", "Africa - regional")]
    first, second = _read(_workbook(("Data (4)", rows)))
    assert [lesson.id for lesson in first.lessons] == ["501", "502"]
    assert first.locations == (Location("Kenya", "Africa"), Location("Uganda", "Africa"))
    assert (first.managers, first.funding_sources, first.completion_date) == (
        "Manager1, Evaluation", "Norway, Ministry of Foreign Affairs", "2019-05-01")
    assert second.locations == (Location("Africa - regional", "Africa"),)
    assert first.source == "export.xlsx [sheet 'Data (4)', row 2]" and second.source.endswith("row 6]")


def test_a_broken_row_is_reported_with_sheet_row_and_reason_and_the_rest_is_read():
    rows = [LESSON_HEADER, _lesson_row("10", "501", "Kenya"), _lesson_row("-", "502", "Kenya"),
            _lesson_row("10", "five hundred", "Kenya"), _lesson_row("12", "503", "Ghana")]
    items = _read(_workbook(("Data (4)", rows)))
    assert [(type(i).__name__, getattr(i, "source", "")) for i in items] == [
        ("EvaluationRecord", "export.xlsx [sheet 'Data (4)', row 2]"),
        ("ReadError", "export.xlsx [sheet 'Data (4)', row 3]"),
        ("ReadError", "export.xlsx [sheet 'Data (4)', row 4]"),
        ("EvaluationRecord", "export.xlsx [sheet 'Data (4)', row 5]"),
    ]
    assert items[1].reason == "no Evaluation number"
    assert items[2].reason == "Lessons learned ID 'five hundred' is not a whole number"


def test_columns_the_reader_does_not_know_are_reported_not_dropped_silently():
    rows = [[*LESSON_HEADER, "Donor priority"], [*_lesson_row("10", "501", "Kenya"), "high"]]
    (record,) = _read(_workbook(("Data (4)", rows)))
    assert record.unknown_keys == ("column 'Donor priority'",)


def test_a_sheet_saved_as_csv_reads_as_the_workbook_does():
    book = load_workbook(REAL_EXPORT, read_only=True)
    rows = [list(row) for row in book.worksheets[2].iter_rows(values_only=True)]  # good practices
    book.close()
    for delimiter in (",", ";"):
        text = io.StringIO()
        csv.writer(text, delimiter=delimiter).writerows(
            [[v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, datetime) else v for v in row] for row in rows])
        from_csv = _read(text.getvalue().encode("utf-8-sig"), "csv", "good-practices.csv")
        from_xlsx = _read(_workbook(("Data (3)", rows)))
        assert [(r.eval_number, r.good_practices, r.locations, parse_date(r.completion_date)) for r in from_csv] == [
            (r.eval_number, r.good_practices, r.locations, parse_date(r.completion_date)) for r in from_xlsx]
        assert sum(len(r.good_practices) for r in from_csv) == 135


def test_a_file_that_is_not_a_workbook_is_one_clear_error():
    (error,) = _read(REAL_EXPORT.read_bytes()[:5000])
    assert isinstance(error, ReadError) and error.reason.startswith("not a readable Excel workbook")


def test_rows_are_numbered_as_in_the_sheet_whatever_blank_rows_and_columns_come_first():
    book = Workbook()
    sheet = book.active
    sheet.title = "Data (4)"
    for number, row in enumerate([LESSON_HEADER, _lesson_row("10", "501", "Kenya"), _lesson_row("x", "502", "Kenya")]):
        for column, value in enumerate(row):
            sheet.cell(row=4 + number, column=3 + column, value=value)
    out = io.BytesIO()
    book.save(out)
    record, error = _read(out.getvalue())
    assert record.source == "export.xlsx [sheet 'Data (4)', row 5]" and record.lessons[0].id == "501"
    assert (error.source, error.reason) == ("export.xlsx [sheet 'Data (4)', row 6]",
                                            "Evaluation number 'x' is not a whole number")


def test_cells_of_every_type_read_as_openpyxl_reads_them():
    """Numbers (whole ones as spreadsheets store them, as floats), dates with and without a
    time, blank cells and formulas' cached values: each the same text through `clean`."""
    values = [2467, 2467.5, -0.0, datetime(2017, 6, 1), datetime(2017, 6, 1, 9, 30), True, "a_x000d_\nb", None, "-"]
    content = _workbook(("Data", [["Evaluation number", *(f"c{i}" for i in range(len(values)))], [1, *values]]))
    from python_calamine import CalamineWorkbook

    (calamine_row,) = list(CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("Data").iter_rows())[1:]
    (openpyxl_row,) = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))[1:]
    assert [clean(v) for v in calamine_row] == [clean(v) for v in openpyxl_row] == [
        "1", "2467", "2467.5", "0", "2017-06-01", "2017-06-01T09:30:00", "True", "a\nb", None, None]


def test_a_sheet_that_cannot_be_read_is_an_error_naming_it_and_the_other_sheets_are_read():
    rows = [LESSON_HEADER, _lesson_row("10", "501", "Kenya")]
    good = _workbook(("Data (4)", rows), ("Data (5)", rows))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            target.writestr(entry, data[: len(data) // 2] if entry.filename == "xl/worksheets/sheet1.xml" else data)
    error, record = _read(broken.getvalue())
    assert error.source == "export.xlsx [sheet 'Data (4)']" and error.reason.startswith("not a readable sheet (XmlError")
    assert record.source == "export.xlsx [sheet 'Data (5)', row 2]"


def test_a_workbook_is_recognised_by_its_content():
    assert sniff_form(REAL_EXPORT.read_bytes()) == "xlsx"
