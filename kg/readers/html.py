"""Reader for HTML record pages, driven by a small table of layout rules.

A record page holds its key/value structure as nested `<ul><li>` lists, as `<dl><dt><dd>`
definition lists, or as tables (nested or flat). The reader strips page chrome, turns every
top-level list or table that contains record keys into key/value tokens in document order, and
hands them to the schema (`kg.readers.schema`), which restores the nesting. When the site's
markup changes, adapt `HtmlRules` (which elements are chrome, where the record lives) rather
than the code: see docs/crawling.md.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag

from kg.errors import ReadError
from kg.readers.decoding import check_content
from kg.readers.schema import (
    KNOWN_KEYS,
    Key,
    Token,
    Value,
    looks_like_key,
    normalize_key,
    record_from_tokens,
)
from kg.records import EvaluationRecord

CONTAINERS = frozenset({"ul", "ol", "dl", "table"})


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


def _tokens_of_cell(cell: Tag) -> Iterator[Token]:
    text = _own_text(cell)
    if text:
        yield Value(text)
    for nested in _nested_containers(cell):
        yield from tokenize(nested)


def _tokens_of_list(element: Tag) -> Iterator[Token]:
    for item in _children(element, {"li"}):
        text = _own_text(item)
        nested = _nested_containers(item)
        if looks_like_key(text) or (nested and normalize_key(text) in KNOWN_KEYS):
            yield Key(normalize_key(text))
        elif text:
            yield Value(text)
        for container in nested:
            yield from tokenize(container)


def _tokens_of_definitions(element: Tag) -> Iterator[Token]:
    for child in _children(element, {"dt", "dd"}):
        if child.name == "dt":
            yield Key(normalize_key(_own_text(child)))
        else:
            yield from _tokens_of_cell(child)


def _tokens_of_table(element: Tag) -> Iterator[Token]:
    for row in _children(element, {"tr"}):
        if row.find_parent("thead") is not None:
            continue
        cells = [c for c in row.children if isinstance(c, Tag) and c.name in ("th", "td")]
        if not cells:
            continue
        first, rest = cells[0], cells[1:]
        label = _own_text(first)
        if rest or first.name == "th" or looks_like_key(label):
            yield Key(normalize_key(label))
            for cell in rest:
                yield from _tokens_of_cell(cell)
        else:
            yield from _tokens_of_cell(first)


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
    tokens: list[Token] = []
    for container in _nested_containers(root) if root.name not in CONTAINERS else [root]:
        found = list(tokenize(container))
        if any(isinstance(t, Key) and t.name in KNOWN_KEYS for t in found):
            tokens.extend(found)
    if not tokens:
        raise ReadError(source, "no record found in the page (no list, definition list or table with record keys)")
    return record_from_tokens(tokens, source)


def read_html(source: str, content: bytes) -> Iterator[EvaluationRecord]:
    """Yield the one record of an HTML page."""
    yield parse_page(source, content)
