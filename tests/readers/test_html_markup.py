"""Markup the HTML reader meets in the wild, read on lxml's tree as it was on Beautiful Soup's:
text after removed chrome and comments, entities, broken nesting, encodings, deep nesting."""

import codecs

import pytest

from kg.errors import ReadError
from kg.readers.html import HtmlRules, parse_page
from kg.records import EvaluationRecord

NO_RECORD = "no record found in the page (no list, definition list or table with record keys)"


def test_text_around_removed_chrome_and_comments_stays_in_place():
    page = (b"<body><dl><dt>eval_number</dt><dd><script>var n = 1;</script>7<!-- draft --></dd>"
            b"<dt>eval_title</dt><dd>A<style>p {}</style>B<nav>menu</nav> C<!-- x -->D <form>F</form>E</dd></dl></body>")
    assert parse_page("p.html", page) == EvaluationRecord("p.html", eval_number="7", eval_title="AB CD E")


def test_script_and_style_are_text_when_the_rules_do_not_call_them_chrome():
    page = b"<body><dl><dt>eval_number</dt><dd>7</dd><dt>eval_title</dt><dd>A<style>p {}</style>B<nav>N</nav></dd></dl></body>"
    record = parse_page("p.html", page, HtmlRules(chrome=("nav",)))
    assert record == EvaluationRecord("p.html", eval_number="7", eval_title="Ap {}B")


def test_entities_and_no_break_spaces():
    page = (b"<body><dl><dt>eval&nbsp;number</dt><dd>&#55;&nbsp;</dd>"
            b"<dt>eval_title</dt><dd>a&nbsp;b &amp; c&lt;d &bogus; &#x2013; &eacute;t&eacute;&copy</dd></dl></body>")
    assert parse_page("p.html", page) == EvaluationRecord("p.html", eval_number="7", eval_title="a b & c<d &bogus; – été©")


def test_unclosed_and_misnested_tags():
    page = (b"<body><dl><dt>eval_number<dd>7<dt>eval_title<dd>T <b>x <i>y</b> z</i></dl>"
            b"<table><tr><th>eval_url<td>u</table></div></span>")
    assert parse_page("p.html", page) == EvaluationRecord("p.html", eval_number="7", eval_title="T x y z", eval_url="u")


def test_a_key_split_over_inline_elements_and_values_split_by_whitespace_between_them():
    page = b"<body><ul><li><b>eval</b>_<i>number</i>:<ul><li><b>1</b> <i>2</i>\n<u>3</u></li></ul></li></ul></body>"
    assert parse_page("p.html", page) == EvaluationRecord("p.html", eval_number="1 2 3")


@pytest.mark.parametrize("content", [
    codecs.BOM_UTF16_LE + "<dl><dt>eval_number</dt><dd>7</dd><dt>eval_title</dt><dd>Côte d’Ivoire</dd></dl>".encode("utf-16-le"),
    codecs.BOM_UTF8 + "<dl><dt>eval_number</dt><dd>7</dd><dt>eval_title</dt><dd>Côte d’Ivoire</dd></dl>".encode(),
    # an encoding lxml does not know: the next candidate, UTF-8, reads the page
    '<head><meta charset="x-unknown"></head><dl><dt>eval_number</dt><dd>7</dd><dt>eval_title</dt><dd>Côte d’Ivoire</dd></dl>'.encode(),
], ids=["utf-16-bom", "utf-8-bom", "unknown-charset"])
def test_encodings(content):
    assert parse_page("p.html", content) == EvaluationRecord("p.html", eval_number="7", eval_title="Côte d’Ivoire")


UNDECLARED = "<body><dl><dt>eval_number</dt><dd>7</dd><dt>eval_title</dt><dd>Migración – “Côte d’Ivoire”</dd></dl></body>"


def test_a_page_that_declares_no_encoding_and_is_not_utf8_reads_as_windows_1252():
    assert parse_page("p.html", UNDECLARED.encode("cp1252")).eval_title == "Migración – “Côte d’Ivoire”"


def test_a_declared_utf8_page_keeps_its_encoding_and_marks_the_bytes_it_cannot_decode():
    page = b'<head><meta charset="utf-8"></head>' + UNDECLARED.encode("cp1252")
    assert parse_page("p.html", page).eval_title == "Migraci\ufffdn \ufffd \ufffdC\ufffdte d\ufffdIvoire\ufffd"


@pytest.mark.parametrize("content", [
    b'<html role="banner"><body><dl><dt>eval_number</dt><dd>7</dd></dl></body></html>',
    b"<!-- <dl><dt>eval_number</dt><dd>7</dd></dl> -->",
], ids=["the-whole-page-is-chrome", "no-element"])
def test_pages_with_nothing_to_read(content):
    with pytest.raises(ReadError) as raised:
        parse_page("p.html", content)
    assert raised.value.reason == NO_RECORD


def test_nesting_deeper_than_libxml2s_default_limit_is_read():
    page = b"<body>" + b"<div>" * 400 + b"<dl><dt>eval_number</dt><dd>7</dd></dl>" + b"</div>" * 400 + b"</body>"
    assert parse_page("p.html", page) == EvaluationRecord("p.html", eval_number="7")


def test_the_root_is_never_inside_chrome_and_may_be_a_table():
    page = (b"<body><nav><main><dl><dt>eval_number</dt><dd>1</dd></dl></main></nav>"
            b"<table data-record><tr><th>eval_number</th><td>2</td></tr></table><dl><dt>eval_title</dt><dd>t</dd></dl></body>")
    assert parse_page("p.html", page) == EvaluationRecord("p.html", eval_number="2")
