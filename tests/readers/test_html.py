from lxml import etree

from kg.errors import ReadError
from kg.readers import read_records
from kg.readers.html import HtmlRules, parse_page, tokenize
from kg.readers.schema import Key, Value
from kg.records import Location, ThemeRecord

NESTED = """<html><body><nav><ul><li>eval_number:<ul><li>999</li></ul></li></ul></nav>
<main><h1>T</h1><ul class="record">
<li>eval_number:<ul><li>12</li></ul></li>
<li>location:<ul><li>country:<ul><li>Peru</li></ul></li><li>region:<ul><li>Americas</li></ul></li>
<li>country:<ul><li>Chile</li></ul></li></ul></li>
<li>recommendations:<ul><li>title:<ul><li>1. Hacer <a href="#">algo</a></li></ul></li>
<li>themes:<ul><li>theme:<ul><li>A</li></ul></li><li>category:<ul><li>B</li></ul></li></ul></li>
<li>url:<ul><li>https://x/recommendations/5</li></ul></li></ul></li>
</ul></main><footer><dl><dt>eval_number</dt><dd>998</dd></dl></footer></body></html>"""

DEFINITIONS = """<html><body><header>Site</header><dl>
<dt>eval_number</dt><dd>12</dd>
<dt>location</dt><dd><dl><dt>country</dt><dd>Peru</dd><dt>region</dt><dd>Americas</dd>
<dt>country</dt><dd>Chile</dd></dl></dd>
<dt>recommendations</dt><dd><dl><dt>title</dt><dd>1. Hacer algo</dd>
<dt>themes</dt><dd><dl><dt>theme</dt><dd>A</dd><dt>category</dt><dd>B</dd></dl></dd>
<dt>url</dt><dd>https://x/recommendations/5</dd></dl></dd></dl></body></html>"""

TABLE = """<html><body><table>
<tr><th>Eval number</th><td>12</td></tr>
<tr><th>location</th><td><table><tr><th>country</th><td>Peru</td></tr><tr><th>region</th><td>Americas</td></tr>
<tr><th>country</th><td>Chile</td></tr></table></td></tr>
<tr><th>recommendations</th><td><table><tr><th>title</th><td>1. Hacer algo</td></tr>
<tr><th>themes</th><td><table><tr><th>theme</th><td>A</td></tr><tr><th>category</th><td>B</td></tr></table></td></tr>
<tr><th>url</th><td>https://x/recommendations/5</td></tr></table></td></tr></table></body></html>"""


def _check(record):
    assert record.eval_number == "12"
    assert record.locations == (Location("Peru", "Americas"), Location("Chile", None))
    (rec,) = record.recommendations
    assert rec.title == "1. Hacer algo"
    assert rec.themes == (ThemeRecord("A", "B"),)
    assert rec.url == "https://x/recommendations/5"


def test_nested_list_layout_ignores_navigation_and_footer():
    _check(parse_page("n.html", NESTED.encode()))


def test_definition_list_layout():
    _check(parse_page("d.html", DEFINITIONS.encode()))


def test_table_layout_with_human_labels():
    _check(parse_page("t.html", TABLE.encode()))


def test_declared_windows_1252_encoding_is_honoured():
    page = ('<html><head><meta charset="windows-1252"></head><body><dl><dt>eval_number</dt><dd>3</dd>'
            "<dt>eval_title</dt><dd>\u201cÉvaluation\u201d \u2013 Côte d\u2019Ivoire</dd></dl></body></html>")
    record = parse_page("w.html", page.encode("cp1252"))
    assert record.eval_title == "\u201cÉvaluation\u201d \u2013 Côte d\u2019Ivoire"


def test_page_without_record_is_a_read_error():
    (error,) = read_records("x.html", b"<html><body><nav><ul><li>Home</li></ul></nav><p>Hi</p></body></html>", "html")
    assert isinstance(error, ReadError)
    assert error.source == "x.html" and "no record found" in error.reason


def test_rules_choose_the_record_root():
    page = "<html><body><div id='r'><dl><dt>eval_number</dt><dd>4</dd></dl></div><dl><dt>eval_number</dt><dd>5</dd></dl></body></html>"
    assert parse_page("p.html", page.encode(), HtmlRules(root=("#r",))).eval_number == "4"


def test_script_text_in_a_value_stays_text():
    page = "<html><body><dl><dt>eval_number</dt><dd>4</dd><dt>eval_title</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd></dl></body></html>"
    assert parse_page("p.html", page.encode()).eval_title == "<script>alert(1)</script>"


def test_tokens_look_through_wrappers_but_not_into_nested_lists_header_rows_or_comments():
    page = """<table><thead><tr><th>eval_title</th><td>header row</td></tr></thead><tbody>
    <tr><th>eval_number</th><td>12 <!-- draft --><b>a</b></td></tr>
    <tr><td><div><span>note</span><ul><li>eval_title:<div><ul><li>X <!-- c -->Y</li></ul></div></li></ul></div></td></tr>
    </tbody></table>"""
    table = etree.HTML(page).find(".//table")
    assert list(tokenize(table)) == [
        Key("eval_number"), Value("12 a"), Value("note"), Key("eval_title"), Value("X Y"),
    ]
