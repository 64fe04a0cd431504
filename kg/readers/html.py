"""Reader for HTML record pages, driven by a small table of layout rules.

A record page holds its key/value structure as nested `<ul><li>` lists, as `<dl><dt><dd>`
definition lists, or as tables (nested or flat, a row per key or a header row of keys and a row
per item), nested in any way. The reader strips page chrome, turns every top-level list or table
that contains record keys into key/value tokens in document order (item boundaries the markup
shows, such as rows and section rows, as `Break`s), and hands them to the schema
(`kg.readers.schema`), which restores the nesting. When the site's markup changes, adapt
`HtmlRules` (which elements are chrome, where the record lives) rather than the code: see
docs/crawling.md.

Pages are parsed by lxml (libxml2) into its own tree, and the rules' CSS selectors run as XPath
(translated by cssselect): Beautiful Soup's tree and soupsieve's selectors, in Python, took two
thirds of the reading time. Only Beautiful Soup's choice of encoding is kept (`_parse`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache

from bs4.dammit import EncodingDetector
from cssselect import HTMLTranslator
from lxml import etree

from kg.errors import ReadError
from kg.readers.decoding import check_content
from kg.readers.schema import (
    EVALUATION,
    GOOD_PRACTICE,
    KNOWN_KEYS,
    LESSON,
    RECOMMENDATION,
    Break,
    Key,
    ListOf,
    Token,
    Value,
    looks_like_key,
    normalize_key,
    record_from_tokens,
)
from kg.records import EvaluationRecord

CONTAINERS = frozenset({"ul", "ol", "dl", "table"})
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
LIST_KEYS: frozenset[str] = frozenset(
    key for schema in (EVALUATION, RECOMMENDATION, LESSON, GOOD_PRACTICE) for key, spec in schema.items()
    if isinstance(spec, ListOf)
)
SECTION_KEYS = {
    "recommendation": "recommendations",
    "lesson": "lessons_learned",
    "lessons": "lessons_learned",
    "lesson_learned": "lessons_learned",
    "good_practice": "good_practices",
    "locations": "location",
}
"""Section headings that name a list by its item (`Recommendation 2`), and their list key."""
_SECTION_NUMBER = re.compile(r"_*(no\.?|n°|#)?_*\d+(_of_\d+)?\W*$")


@dataclass(frozen=True)
class HtmlRules:
    """Where a record lives in a page.

    `chrome`: CSS selectors of elements that are never part of a record (navigation, header,
    footer, scripts). `root`: CSS selectors tried in order for the element that holds the
    record; the first that matches wins, and the whole body is searched when none does.
    """

    chrome: tuple[str, ...] = (
        "nav", "header", "footer", "aside", "script", "style", "noscript", "form",
        "template", "[role=navigation]", "[role=banner]", "[role=contentinfo]",
    )
    root: tuple[str, ...] = ("[data-record]", ".record", "main", "article", "#content")


DEFAULT_RULES = HtmlRules()

Element = etree._Element


def _own_text(element: Element) -> str:
    """Text of an element, leaving out comments and what nested lists and tables hold.

    lxml keeps the text after a node (its tail) on the node: a stack of the open elements'
    children and tails walks the tree without recursing: libxml2 nests elements 2,048 deep.
    """
    parts = [element.text or ""]
    stack: list[tuple[Iterator[Element], str | None]] = [(iter(element), None)]
    while stack:
        children, tail = stack[-1]
        for child in children:
            tag = child.tag  # (lxml builds the string anew on each read)
            if isinstance(tag, str) and tag not in CONTAINERS:  # a comment's tag is not a str
                parts.append(child.text or "")
                stack.append((iter(child), child.tail))
                break
            parts.append(child.tail or "")
        else:
            stack.pop()
            parts.append(tail or "")
    return " ".join("".join(parts).split())


def _children(element: Element, names: Collection[str]) -> list[Element]:
    """Descendants in document order (looking through wrappers such as `<div>` and `<tbody>`,
    not into nested lists and tables) named `names`."""
    found: list[Element] = []
    stack = [iter(element)]
    while stack:
        for child in stack[-1]:
            tag = child.tag
            if tag in names:
                found.append(child)
            if isinstance(tag, str) and tag not in CONTAINERS:
                stack.append(iter(child))
                break
        else:
            stack.pop()
    return found


def _nested_containers(element: Element) -> list[Element]:
    return _children(element, CONTAINERS)


def _key(label: str) -> str | None:
    """The record key a label names (`Eval number`, `eval_number:`), or the list a section
    heading names (`Recommendation 2`, `Lessons learned`); None for any other text."""
    name = normalize_key(label)
    if name in KNOWN_KEYS:
        return name
    section = _SECTION_NUMBER.sub("", name)
    return SECTION_KEYS.get(section, section if section in LIST_KEYS else None)


def _is_key_shaped(label: str) -> bool:
    return looks_like_key(normalize_key(label) + ":")


def _written_key(label: str) -> str | None:
    """A label written as a key (`eval_number:`, `Colour:`), known or not: the schema reports
    the keys it does not know."""
    stripped = label.strip()
    return normalize_key(stripped) if stripped.endswith(":") and _is_key_shaped(stripped) else None


def _tokens_of_cell(cell: Element) -> Iterator[Token]:
    """The value of a cell (`<td>`, `<dd>`): its text, then what its lists and tables hold;
    several tables or definition lists side by side are several items."""
    text = _own_text(cell)
    if text:
        yield Value(text)
    nested = _nested_containers(cell)
    items = len(nested) > 1 and nested[0].tag in ("table", "dl") and all(n.tag == nested[0].tag for n in nested)
    for container in nested:
        if items:
            yield Break()
        yield from tokenize(container)


def _tokens_of_list(element: Element) -> Iterator[Token]:
    for item in _children(element, {"li"}):
        text = _own_text(item)
        nested = _nested_containers(item)
        key = _written_key(text) or (_key(text) if nested else None)
        if key is not None:
            yield Key(key)
        elif nested:
            yield Break()  # an item of a list of items, its text (if any) a label
        elif text:
            yield Value(text)
        for container in nested:
            yield from tokenize(container)


def _tokens_of_definitions(element: Element) -> Iterator[Token]:
    terms = _children(element, {"dt", "dd"})
    for index, child in enumerate(terms):
        if child.tag == "dd":
            yield from _tokens_of_cell(child)
            continue
        label = _own_text(child)
        following = terms[index + 1] if index + 1 < len(terms) else None
        key = _key(label)
        if key is not None:
            yield Key(key)
        elif following is not None and following.tag == "dd" and not _own_text(following) and _nested_containers(following):
            yield Break()  # `<dt>` labelling an item whose fields its `<dd>` holds
        else:
            yield Key(normalize_key(label))


def _cells(row: Element) -> list[Element]:
    return [c for c in row if c.tag in ("th", "td")]


def _header(row: Element, cells: list[Element]) -> list[str | None] | None:
    """The keys of a header row (column-wise records: one row per item below it), or None.

    A header row has several cells and no nested lists or tables; its cells are `<th>` (or it
    sits in `<thead>`) and name keys, at least one known, or they are `<td>`s that all name
    known keys.
    """
    if len(cells) < 2 or any(_nested_containers(c) for c in cells):
        return None
    labels = [_own_text(c) for c in cells]
    keys = [_key(label) for label in labels]
    if row.getparent().tag == "thead" or all(c.tag == "th" for c in cells):
        if any(keys) and all(_is_key_shaped(label) for label in labels if label):
            return [k or (normalize_key(label) if label else None) for k, label in zip(keys, labels)]
        return None
    return keys if all(k is not None for k, label in zip(keys, labels) if label) and any(keys) else None


def _tokens_of_table(element: Element) -> Iterator[Token]:
    """Rows of keys and values, header rows naming the keys of the rows below (one item a row),
    section rows (one cell across the table) starting the next item, and a caption naming the
    key the table is the value of."""
    for caption in _children(element, {"caption"}):
        if (key := _key(_own_text(caption))) is not None:
            yield Key(key)
    header: list[str | None] | None = None
    awaiting_value = False  # the row before was a key alone, its value in the rows below
    for row in _children(element, {"tr"}):
        cells = _cells(row)
        if not cells:
            continue
        if (keys := _header(row, cells)) is not None:
            header, awaiting_value = keys, False
            continue
        if row.getparent().tag == "thead":
            continue  # a heading of the table (`Field | Value`), not a record's
        first, rest = cells[0], cells[1:]
        label = _own_text(first)
        if not rest:
            key = _single_cell_key(first, label, awaiting_value)
            yield from _single_cell_row(first, key, awaiting_value)
            if key is not None:
                awaiting_value = key not in LIST_KEYS and not _nested_containers(first)
            continue
        awaiting_value = False
        key = _written_key(label) or _key(label)
        if header is not None and not (key is not None and first.tag == "th"):
            yield from _column_row(header, cells)
            continue
        yield Key(key or normalize_key(label))
        for cell in rest:
            yield from _tokens_of_cell(cell)


def _spans(cell: Element) -> bool:
    return cell.get("colspan", "1").strip() not in ("", "1")


def _single_cell_key(cell: Element, label: str, awaiting_value: bool) -> str | None:
    """The key a row of one cell names, if it is a key rather than a value (of the key above,
    or going on with the value before)."""
    written = _written_key(label)
    if written or (awaiting_value and cell.tag == "td"):
        return written
    heading = cell.tag == "th" or _spans(cell) or bool(_nested_containers(cell))
    return _key(label) if heading else None


def _single_cell_row(cell: Element, key: str | None, awaiting_value: bool) -> Iterator[Token]:
    """A row of one cell: a key, a value (of the key above, or going on with the value before),
    or a section row (a `<th>` or a cell spanning columns) heading the next item."""
    if key is not None:
        yield Key(key)
        for container in _nested_containers(cell):
            yield from tokenize(container)
    elif not awaiting_value and (cell.tag == "th" or _spans(cell)):
        yield Break()
        for container in _nested_containers(cell):
            yield from tokenize(container)
    else:
        yield from _tokens_of_cell(cell)


def _column_row(header: list[str | None], cells: list[Element]) -> Iterator[Token]:
    """One item of a column-wise table: each cell the value of its column's key. A `<th>`
    without a column key is the row's label; the text of a `<td>` without one is reported
    under its column's number."""
    yield Break()
    for index, cell in enumerate(cells):
        name = header[index] if index < len(header) else None
        if name is not None:
            yield Key(name)
            yield from _tokens_of_cell(cell)
        elif cell.tag == "td":
            if text := _own_text(cell):
                yield Key(f"column {index + 1}")
                yield Value(text)
            for container in _nested_containers(cell):
                yield from tokenize(container)


def tokenize(element: Element) -> Iterator[Token]:
    """Key/value tokens of one list, definition list or table, in document order."""
    if element.tag == "dl":
        yield from _tokens_of_definitions(element)
    elif element.tag == "table":
        yield from _tokens_of_table(element)
    else:
        yield from _tokens_of_list(element)


def parse_page(source: str, content: bytes, rules: HtmlRules = DEFAULT_RULES) -> EvaluationRecord:
    """Parse one record page; the declared encoding (meta charset, BOM) is honoured."""
    check_content(source, content)
    page = _parse(source, content)
    root = _record_root(page, rules) if page is not None else None
    tokens = list(_record_tokens(root)) if root is not None else []
    if not tokens:
        raise ReadError(source, "no record found in the page (no list, definition list or table with record keys)")
    record = record_from_tokens(tokens, source)
    if record.eval_number is None and record.eval_title is None and not record.items:
        keys = ", ".join(dict.fromkeys(t.name for t in tokens if isinstance(t, Key)))
        raise ReadError(source, f"no evaluation and no recommendation, lesson or good practice in the page; found only {keys}")
    return record


def _parse(source: str, content: bytes) -> Element | None:
    """The page's root element, None when it has no element.

    The encoding is the BOM's, else the declared one (a declared encoding's undecodable bytes read
    as U+FFFD), else UTF-8 if the page decodes as UTF-8, else Windows-1252, as the text reader
    does; each next candidate is tried only when lxml rejects the one before. `huge_tree` lets
    the tree nest past 256 levels (unclosed `<div>`s get there), as Beautiful Soup's did.
    """
    detector = EncodingDetector(content, is_html=True)
    for encoding in detector.encodings:
        if encoding == "utf-8" and not _declares(detector, encoding) and not _is_utf8(detector.markup):
            continue  # an undeclared guess the bytes refute: on to Windows-1252
        try:  # an unknown encoding's name raises LookupError here
            parser = etree.HTMLParser(recover=True, encoding=encoding, huge_tree=True)
            parser.feed(detector.markup)
            return parser.close()
        except (UnicodeDecodeError, LookupError, etree.ParserError):
            continue
    raise ReadError(source, "the page's encoding is unknown and it decodes neither as UTF-8 nor as Windows-1252")


def _declares(detector: EncodingDetector, encoding: str) -> bool:
    """Whether the page's BOM or its markup names `encoding` (the detector has met both by the time
    it offers its guesses)."""
    return encoding in (detector.sniffed_encoding, detector.declared_encoding)


def _is_utf8(markup: bytes) -> bool:
    try:
        markup.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@cache
def _selector(css: str) -> etree.XPath:
    """A CSS selector (or a group of them) compiled once, as XPath matching the element it is
    applied to and its descendants, in document order."""
    return etree.XPath(HTMLTranslator().css_to_xpath(css))


def _record_root(page: Element, rules: HtmlRules) -> Element | None:
    """The element holding the record once the chrome is removed: the first element the first
    matching root selector finds, else the body, else the whole page; None when the whole page
    is chrome."""
    for element in _selector(", ".join(rules.chrome))(page):  # one XPath for all of them
        if element.getparent() is None:
            return None
        _remove(element)
    for css in rules.root:
        if found := _selector(css)(page):
            return found[0]
    return next(page.iter("body"), page)


def _remove(element: Element) -> None:
    """Detach an element from its parent, leaving the text that follows it (its tail, which lxml
    would take along) in place."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _record_tokens(root: Element) -> Iterator[Token]:
    """The tokens of every list, definition list and table of the root that holds record keys,
    each after the heading (`<h2>Lessons learned</h2>`) that names its key, if one does."""
    heading: str | None = None
    for element in _children(root, CONTAINERS | HEADINGS) if root.tag not in CONTAINERS else [root]:
        if element.tag in HEADINGS:
            heading = _key(_own_text(element))
            continue
        found = list(tokenize(element))
        if any(isinstance(t, Key) and t.name in KNOWN_KEYS for t in found):
            if heading is not None:
                yield Key(heading)
            yield from found
        heading = None


def read_html(source: str, content: bytes) -> Iterator[EvaluationRecord]:
    """Yield the one record of an HTML page."""
    yield parse_page(source, content)
