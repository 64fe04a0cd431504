"""Reader for HTML record pages, driven by a small table of layout rules.

A record page holds its key/value structure as nested `<ul><li>` lists, as `<dl><dt><dd>`
definition lists, or as tables (nested or flat, a row per key or a header row of keys and a row
per item), nested in any way. The reader strips page chrome, turns every top-level list or table
that contains record keys into key/value tokens in document order (item boundaries the markup
shows, such as rows and section rows, as `Break`s), and hands them to the schema
(`kg.readers.schema`), which restores the nesting. When the site's markup changes, adapt
`HtmlRules` (which elements are chrome, where the record lives) rather than the code: see
docs/crawling.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag

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


def _outside_containers(element: Tag) -> Iterator[PageElement]:
    """The descendants of `element` in document order, not looking inside nested lists and
    tables (those are yielded themselves)."""
    stack = [iter(element.contents)]
    while stack:
        for node in stack[-1]:
            yield node
            if isinstance(node, Tag) and node.name not in CONTAINERS:
                stack.append(iter(node.contents))
                break
        else:
            stack.pop()


def _own_text(element: Tag) -> str:
    """Text of an element, leaving out what nested lists and tables hold."""
    parts = [
        str(node)
        for node in _outside_containers(element)
        if isinstance(node, NavigableString) and not isinstance(node, Comment)
    ]
    return " ".join("".join(parts).split())


def _children(element: Tag, names: Collection[str]) -> list[Tag]:
    """Children (looking through wrappers such as `<div>` and `<tbody>`, not into nested lists
    and tables) named `names`."""
    return [node for node in _outside_containers(element) if isinstance(node, Tag) and node.name in names]


def _nested_containers(element: Tag) -> list[Tag]:
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


def _tokens_of_cell(cell: Tag) -> Iterator[Token]:
    """The value of a cell (`<td>`, `<dd>`): its text, then what its lists and tables hold;
    several tables or definition lists side by side are several items."""
    text = _own_text(cell)
    if text:
        yield Value(text)
    nested = _nested_containers(cell)
    items = len(nested) > 1 and nested[0].name in ("table", "dl") and all(n.name == nested[0].name for n in nested)
    for container in nested:
        if items:
            yield Break()
        yield from tokenize(container)


def _tokens_of_list(element: Tag) -> Iterator[Token]:
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


def _tokens_of_definitions(element: Tag) -> Iterator[Token]:
    terms = _children(element, {"dt", "dd"})
    for index, child in enumerate(terms):
        if child.name == "dd":
            yield from _tokens_of_cell(child)
            continue
        label = _own_text(child)
        following = terms[index + 1] if index + 1 < len(terms) else None
        key = _key(label)
        if key is not None:
            yield Key(key)
        elif following is not None and following.name == "dd" and not _own_text(following) and _nested_containers(following):
            yield Break()  # `<dt>` labelling an item whose fields its `<dd>` holds
        else:
            yield Key(normalize_key(label))


def _cells(row: Tag) -> list[Tag]:
    return [c for c in row.children if isinstance(c, Tag) and c.name in ("th", "td")]


def _header(row: Tag, cells: list[Tag]) -> list[str | None] | None:
    """The keys of a header row (column-wise records: one row per item below it), or None.

    A header row has several cells and no nested lists or tables; its cells are `<th>` (or it
    sits in `<thead>`) and name keys, at least one known, or they are `<td>`s that all name
    known keys.
    """
    if len(cells) < 2 or any(_nested_containers(c) for c in cells):
        return None
    labels = [_own_text(c) for c in cells]
    keys = [_key(label) for label in labels]
    if row.parent.name == "thead" or all(c.name == "th" for c in cells):
        if any(keys) and all(_is_key_shaped(label) for label in labels if label):
            return [k or (normalize_key(label) if label else None) for k, label in zip(keys, labels)]
        return None
    return keys if all(k is not None for k, label in zip(keys, labels) if label) and any(keys) else None


def _tokens_of_table(element: Tag) -> Iterator[Token]:
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
        if row.parent.name == "thead":
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
        if header is not None and not (key is not None and first.name == "th"):
            yield from _column_row(header, cells)
            continue
        yield Key(key or normalize_key(label))
        for cell in rest:
            yield from _tokens_of_cell(cell)


def _spans(cell: Tag) -> bool:
    return str(cell.get("colspan", "1")).strip() not in ("", "1")


def _single_cell_key(cell: Tag, label: str, awaiting_value: bool) -> str | None:
    """The key a row of one cell names, if it is a key rather than a value (of the key above,
    or going on with the value before)."""
    written = _written_key(label)
    if written or (awaiting_value and cell.name == "td"):
        return written
    heading = cell.name == "th" or _spans(cell) or bool(_nested_containers(cell))
    return _key(label) if heading else None


def _single_cell_row(cell: Tag, key: str | None, awaiting_value: bool) -> Iterator[Token]:
    """A row of one cell: a key, a value (of the key above, or going on with the value before),
    or a section row (a `<th>` or a cell spanning columns) heading the next item."""
    if key is not None:
        yield Key(key)
        for container in _nested_containers(cell):
            yield from tokenize(container)
    elif not awaiting_value and (cell.name == "th" or _spans(cell)):
        yield Break()
        for container in _nested_containers(cell):
            yield from tokenize(container)
    else:
        yield from _tokens_of_cell(cell)


def _column_row(header: list[str | None], cells: list[Tag]) -> Iterator[Token]:
    """One item of a column-wise table: each cell the value of its column's key. A `<th>`
    without a column key is the row's label; the text of a `<td>` without one is reported
    under its column's number."""
    yield Break()
    for index, cell in enumerate(cells):
        name = header[index] if index < len(header) else None
        if name is not None:
            yield Key(name)
            yield from _tokens_of_cell(cell)
        elif cell.name == "td":
            if text := _own_text(cell):
                yield Key(f"column {index + 1}")
                yield Value(text)
            for container in _nested_containers(cell):
                yield from tokenize(container)


def tokenize(element: Tag) -> Iterator[Token]:
    """Key/value tokens of one list, definition list or table, in document order."""
    if element.name == "dl":
        yield from _tokens_of_definitions(element)
    elif element.name == "table":
        yield from _tokens_of_table(element)
    else:
        yield from _tokens_of_list(element)


def parse_page(source: str, content: bytes, rules: HtmlRules = DEFAULT_RULES) -> EvaluationRecord:
    """Parse one record page; the declared encoding (meta charset, BOM) is honoured."""
    check_content(source, content)
    soup = BeautifulSoup(content, "lxml")
    for element in soup.select(", ".join(rules.chrome)):  # one pass over the page for all of them
        if not element.decomposed:  # (not inside chrome removed already)
            element.decompose()
    root = next((found for sel in rules.root if (found := soup.select_one(sel))), None)
    root = root or soup.body or soup
    tokens = list(_record_tokens(root))
    if not tokens:
        raise ReadError(source, "no record found in the page (no list, definition list or table with record keys)")
    record = record_from_tokens(tokens, source)
    if record.eval_number is None and record.eval_title is None and not record.items:
        keys = ", ".join(dict.fromkeys(t.name for t in tokens if isinstance(t, Key)))
        raise ReadError(source, f"no evaluation and no recommendation, lesson or good practice in the page; found only {keys}")
    return record


def _record_tokens(root: Tag) -> Iterator[Token]:
    """The tokens of every list, definition list and table of the root that holds record keys,
    each after the heading (`<h2>Lessons learned</h2>`) that names its key, if one does."""
    heading: str | None = None
    for element in _children(root, CONTAINERS | HEADINGS) if root.name not in CONTAINERS else [root]:
        if element.name in HEADINGS:
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
