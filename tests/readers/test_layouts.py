"""HTML layouts read by their structure, not by our samples: header rows of keys (one item a
row), section rows, captions and headings naming keys, lists of items, and any nesting of lists,
definition lists and tables, at several depths. Nothing is lost silently."""

from __future__ import annotations

import pytest

from kg.errors import ReadError
from kg.readers import read_records
from kg.readers.html import parse_page
from kg.records import GoodPracticeRecord, LessonRecord, Location, RecommendationRecord, ThemeRecord

THEMES = (ThemeRecord("A", "B"), ThemeRecord("C", "D"))
TWO = (
    RecommendationRecord(url="https://x.example/recommendations/1", title="First", themes=THEMES),
    RecommendationRecord(url="https://x.example/recommendations/2", comments="Second, other keys"),
)
HEADER_TABLE = "<table><tr><th>theme</th><th>category</th></tr><tr><td>A</td><td>B</td></tr><tr><td>C</td><td>D</td></tr></table>"
THEAD_TABLE = ("<table><thead><tr><th>Theme</th><th>Category</th></tr></thead>"
               "<tbody><tr><td>A</td><td>B</td></tr><tr><td>C</td><td>D</td></tr></tbody></table>")


def _page(body: str) -> bytes:
    return f"<html><body><main>{body}</main></body></html>".encode()


def _read(body: str):
    record = parse_page("p.html", _page(body))
    assert record.unknown_keys == ()
    return record


@pytest.mark.parametrize("themes", [HEADER_TABLE, THEAD_TABLE], ids=["header-row", "thead"])
def test_a_header_row_table_in_a_table_of_tables_keeps_its_themes(themes):
    record = _read(f"""<table><tr><th>eval_number</th><td>12</td></tr>
    <tr><th>recommendations</th><td><table><tr><th>title</th><td>First</td></tr>
    <tr><th>themes</th><td>{themes}</td></tr>
    <tr><th>url</th><td>https://x.example/recommendations/1</td></tr></table></td></tr></table>""")
    assert record.eval_number == "12" and record.recommendations == TWO[:1]


@pytest.mark.parametrize("section", [
    '<tr><td colspan="2">Recommendation 2</td></tr>',
    '<tr><th colspan=2>Recommendation 2</th></tr>',
    '<tr><th colspan="2">recommendations</th></tr>',
    '<tr><td colspan="2">Item two</td></tr>',
], ids=["td-colspan", "th-colspan", "list-key-again", "unnamed"])
def test_a_section_row_starts_the_next_item_even_when_it_shares_no_key(section):
    record = _read(f"""<table><tr><th>eval_number</th><td>12</td></tr>
    <tr><th colspan="2">recommendations</th></tr>
    <tr><th>title</th><td>First</td></tr><tr><th>themes</th><td>{HEADER_TABLE}</td></tr>
    <tr><th>url</th><td>https://x.example/recommendations/1</td></tr>
    {section}
    <tr><th>comments</th><td>Second, other keys</td></tr>
    <tr><th>url</th><td>https://x.example/recommendations/2</td></tr></table>""")
    assert record.recommendations == TWO


def test_column_wise_items_under_a_caption_with_header_tables_inside():
    record = _read(f"""<dl><dt>eval_number</dt><dd>12</dd></dl>
    <table><caption>Recommendations</caption>
    <thead><tr><th></th><th>title</th><th>comments</th><th>themes</th><th>url</th></tr></thead>
    <tbody><tr><th>1</th><td>First</td><td></td><td>{THEAD_TABLE}</td><td>https://x.example/recommendations/1</td></tr>
    <tr><th>2</th><td></td><td>Second, other keys</td><td></td><td>https://x.example/recommendations/2</td></tr></tbody></table>""")
    assert record.recommendations == TWO


def test_a_heading_names_the_list_a_column_wise_table_holds():
    record = _read("""<h1>An evaluation</h1><ul><li>eval_number:<ul><li>12</li></ul></li></ul>
    <h2>Lessons learned</h2>
    <table><tr><th>description</th><th>context</th><th>url</th></tr>
    <tr><td>L1</td><td>C1</td><td>https://x.example/lessons/1</td></tr>
    <tr><td>L2</td><td></td><td>https://x.example/lessons/2</td></tr></table>
    <h2>Good practice</h2><dl><dt>description</dt><dd>G1</dd><dt>links</dt><dd>https://docs.example/g</dd></dl>""")
    assert record.lessons == (
        LessonRecord(url="https://x.example/lessons/1", description="L1", context="C1"),
        LessonRecord(url="https://x.example/lessons/2", description="L2"),
    )
    assert record.good_practices == (GoodPracticeRecord(description="G1", links="https://docs.example/g"),)


def test_a_list_of_items_each_a_definition_list_or_table():
    record = _read(f"""<dl><dt>Eval number</dt><dd>12</dd><dt>Recommendations</dt><dd><ol>
    <li><dl><dt>title</dt><dd>First</dd><dt>themes</dt><dd>{HEADER_TABLE}</dd>
        <dt>url</dt><dd>https://x.example/recommendations/1</dd></dl></li>
    <li><table><tr><th>comments</th><td>Second, other keys</td></tr>
        <tr><th>url</th><td>https://x.example/recommendations/2</td></tr></table></li>
    </ol></dd></dl>""")
    assert record.recommendations == TWO


def test_items_side_by_side_in_one_cell_and_labelled_terms():
    record = _read("""<table><tr><th>eval_number</th><td>12</td></tr>
    <tr><th>recommendations</th><td>
      <table><tr><th>title</th><td>First</td></tr><tr><th>themes</th><td><dl>
        <dt>1.</dt><dd><dl><dt>theme</dt><dd>A</dd><dt>category</dt><dd>B</dd></dl></dd>
        <dt>2.</dt><dd><dl><dt>category</dt><dd>D</dd><dt>theme</dt><dd>C</dd></dl></dd></dl></td></tr>
        <tr><th>url</th><td>https://x.example/recommendations/1</td></tr></table>
      <table><tr><th>comments</th><td>Second, other keys</td></tr>
        <tr><th>url</th><td>https://x.example/recommendations/2</td></tr></table>
    </td></tr></table>""")
    assert record.recommendations == TWO


def test_three_levels_of_header_tables_and_nested_lists():
    inner = f"<ul><li>themes:{THEAD_TABLE}</li></ul>"
    record = _read(f"""<table><tr><th>eval_number</th><th>location</th><th>recommendations</th></tr>
    <tr><td>12</td>
    <td><table><tr><th>country</th><th>region</th></tr><tr><td>Peru</td><td>Americas</td></tr><tr><td>Chile</td><td></td></tr></table></td>
    <td><table><thead><tr><th>title</th><th></th><th>url</th></tr></thead>
      <tr><td>First</td><td>{inner}</td><td>https://x.example/recommendations/1</td></tr></table></td></tr></table>""")
    assert record.locations == (Location("Peru", "Americas"), Location("Chile", None))
    assert record.recommendations == (TWO[0],)


def test_a_key_row_and_its_value_row_stacked():
    record = _read("""<table><tr><th colspan="2">eval_number</th></tr><tr><td colspan="2">12</td></tr>
    <tr><th colspan="2">eval_title</th></tr><tr><td colspan="2">Recommendation 2 of the board</td></tr>
    <tr><td colspan="2">and a second line</td></tr></table>""")
    assert (record.eval_number, record.eval_title) == ("12", "Recommendation 2 of the board\nand a second line")


def test_a_decorative_table_head_is_not_a_record_key():
    record = _read("""<table><thead><tr><th>Field</th><th>Value</th></tr></thead>
    <tbody><tr><th>eval_number</th><td>12</td></tr><tr><th>eval_title</th><td>T</td></tr></tbody></table>""")
    assert (record.eval_number, record.eval_title) == ("12", "T")


def test_what_cannot_be_placed_is_reported():
    record = parse_page("p.html", _page("""<table><tr><th>eval_number</th><td>12</td></tr>
    <tr><th>recommendations</th><td><table><tr><th>title</th><th>weight</th></tr>
    <tr><td>First</td><td>3</td><td>stray cell</td></tr></table></td></tr></table>"""))
    assert record.recommendations == (RecommendationRecord(title="First"),)
    assert record.unknown_keys == ("column 3", "weight")


def test_a_page_with_keys_but_no_evaluation_and_no_item_says_what_it_found():
    (error,) = read_records("p.html", _page("<dl><dt>location</dt><dd><dl><dt>country</dt><dd>Peru</dd></dl></dd></dl>"), "html")
    assert isinstance(error, ReadError)
    assert error.reason == ("no evaluation and no recommendation, lesson or good practice in the page; "
                            "found only location, country")


@pytest.mark.parametrize("heading", ["Lessons learned", "Lesson learned 1", "Lesson #2", "LESSONS", "lesson no. 3 of 4"])
def test_a_heading_may_name_a_list_or_one_item_of_it(heading):
    record = _read(f"<dl><dt>eval_number</dt><dd>12</dd></dl><h3>{heading}</h3><dl><dt>description</dt><dd>L</dd></dl>")
    assert record.lessons == (LessonRecord(description="L"),)
