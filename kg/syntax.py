"""SPARQL syntax errors in words: what Oxigraph's parser reports (`error at 1:8: expected one of
VERSION, [_]`), said as a person would (`unknown keyword SELEC at line 1, column 1`), with the
position always given as line and column."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

KEYWORDS = frozenset("""
    BASE PREFIX VERSION SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE ORDER BY ASC
    DESC LIMIT OFFSET VALUES GROUP HAVING OPTIONAL GRAPH SERVICE SILENT BIND UNDEF MINUS UNION FILTER
    NOT IN EXISTS A TRUE FALSE LOAD CLEAR DROP CREATE ADD MOVE COPY INSERT DELETE DATA WITH INTO TO
    USING DEFAULT ALL LATERAL STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR
    ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR
    MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE
    IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN
    MAX AVG SAMPLE GROUP_CONCAT SEPARATOR TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR HASLANG
    HASLANGDIR STRLANGDIR ADJUST
""".split())
_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|<[^<>"{}|^`\\\s]*>|[?$]\w+|\s+"""
    r"""|_:[\w.-]+|@[A-Za-z]+(?:-[A-Za-z0-9]+)*|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"""
    r"|(?P<name>[A-Za-z_][\w.-]*)(?P<local>:[\w.%\\:-]*)?"  # a run of name characters, matched once
    r"|(?P<bare>:[\w.%\\:-]*)"
    r"|(?P<other>.)",
    re.S,
)
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.I)


@dataclass(frozen=True)
class _Word:
    kind: str
    text: str
    offset: int
    prefix: str | None = None


def explain(query: str, message: str, prefixes: Mapping[str, str] = {}) -> str:
    """Oxigraph's syntax error message for `query`, in words; a message that names no position
    is returned as it was."""
    match = _POSITION.match(message.strip())
    if not match:
        return message
    line, column, expected = int(match.group(1)), int(match.group(2)), match.group(3)
    declared = set(prefixes) | {m.group(1) or "" for m in _DECLARED.finditer(query)}
    error_offset = _offset(query, line, column)
    opened: list[_Word] = []
    for word in _words(query):
        if word.offset > error_offset:
            break
        if word.kind == "prefixed" and (word.prefix or "") not in declared:
            return (f"unknown prefix {_quoted(word.prefix or '')}: in {_quoted(word.text)} at {_where(query, word.offset)}; "
                    f"declare it with PREFIX {word.prefix or ''}: <...>" + _known(prefixes))
        if word.kind == "word" and word.text.upper() not in KEYWORDS:
            return f"unknown keyword {_quoted(word.text)} at {_where(query, word.offset)}"
        if word.text in "\"'":
            return f"the string opened at {_where(query, word.offset)} is not closed"
        if word.text in _CLOSING.values():
            opened.append(word)
        elif word.text in _CLOSING:
            if not opened or _CLOSING[word.text] != opened[-1].text:
                return f"{word.text!r} at {_where(query, word.offset)} closes nothing" + (
                    f" ({opened[-1].text!r} at {_where(query, opened[-1].offset)} is still open)" if opened else "")
            opened.pop()
    if not query[error_offset:].strip():
        if opened:
            return (f"the query ends too early, at {_where(query, error_offset)}; {opened[-1].text!r} at "
                    f"{_where(query, opened[-1].offset)} is not closed: {_expected(expected)}")
        return f"syntax error at the end of the query ({_where(query, error_offset)}): {_expected(expected)}"
    found = query[error_offset]
    return f"syntax error at line {line}, column {column}, at {found!r}: {_expected(expected)}"


_CLOSING = {")": "(", "}": "{", "]": "["}


QUOTED = 60  # characters of a word a message quotes: a query may hold a word of any length


def _quoted(word: str) -> str:
    return word if len(word) <= QUOTED else f"{word[:QUOTED]}… ({len(word) - QUOTED:,} more characters)"


def _words(query: str) -> Iterator[_Word]:
    """The words, prefixed names, brackets and stray quotes of a query, outside strings,
    IRIs, variables, numbers and comments."""
    for token in _TOKEN.finditer(query):
        name, start = token.group("name"), token.start()
        if token.group("local") is not None or token.group("bare") is not None:
            yield _Word("prefixed", token.group(), start, name)
        elif name is not None:
            yield _Word("word", name.rstrip("."), start)
        elif token.group("other") is not None and token.group() in "(){}[]\"'":
            yield _Word("other", token.group(), start)


def _offset(query: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column (Oxigraph counts characters)."""
    lines = query.split("\n")
    return min(sum(len(text) + 1 for text in lines[: line - 1]) + column - 1, len(query))


def _where(query: str, offset: int) -> str:
    before = query[:offset]
    return f"line {before.count(chr(10)) + 1}, column {offset - (before.rfind(chr(10)) + 1) + 1}"


def _expected(text: str) -> str:
    """Oxigraph's list of expected tokens without its character classes."""
    listed = text.removeprefix("expected one of ").removeprefix("expected ")
    items = re.findall(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[^,\s][^,]*', listed)
    words = [item.strip() for item in items if not item.startswith("[") and item.strip() != "Prefix not found"]
    return "expected " + " or ".join(words) if words else "unexpected text here"


def _known(prefixes: Mapping[str, str]) -> str:
    return f" (predeclared: {', '.join(sorted(prefixes))})" if prefixes else ""
