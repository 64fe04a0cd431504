"""A SPARQL tokenizer: enough of the grammar to tell code from strings, IRIs and comments.

The server reads queries and updates before Oxigraph does for two jobs that must not be fooled
by text inside literals or comments: finding the targets of SERVICE and LOAD (server-side
request forgery) and placing the USING clauses of `using-graph-uri`. The token rules are the
SPARQL 1.1 terminals; anything outside them is a `LexError`, never silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_LOCAL = rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

_TOKEN = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in [
            ("WS", r"[ \t\r\n]+"),
            ("COMMENT", r"#[^\r\n]*"),
            ("IRI", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"),
            ("STRING", r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
                       r'|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
                       r"|'(?:[^'\\\n\r]|\\.)*'"
                       r'|"(?:[^"\\\n\r]|\\.)*"'),
            ("VAR", rf"[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"),
            ("BNODE", rf"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
            ("LANGTAG", r"@[a-zA-Z]+(?:--?[a-zA-Z0-9]+)*"),
            ("PNAME", rf":(?:{_PN_LOCAL})?"),  # with an empty prefix; the others: _prefixed_name
            ("WORD", r"[A-Za-z][A-Za-z0-9_]*"),
            ("NUMBER", r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+"),
            ("PUNCT", r"<<\(|\)>>|<<|>>|\{\||\|\}|\^\^|\|\||&&|!=|<=|>=|[{}()\[\];,.+\-*/!=<>|^?~@$]"),
        ]
    ),
    re.DOTALL,
)
# A prefix and everything that may continue it: a name starting here is prefixed exactly when this
# run ends at a `:` and not at a `.` (PN_PREFIX cannot end with one).
_PREFIX_RUN = re.compile(rf"[{_PN_CHARS_BASE}][{_PN_CHARS}.]*")
_LOCAL_PART = re.compile(rf"(?:{_PN_LOCAL})?")
_ESCAPED_CODEPOINT = re.compile(_UCHAR)
_LOCAL_ESCAPE = re.compile(r"\\(.)")


class LexError(ValueError):
    """The text holds something that is no SPARQL token (so no valid query or update either)."""

    def __init__(self, text: str, position: int) -> None:
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        super().__init__(f"unexpected {text[position]!r} at line {line}, column {column}")
        self.position = position


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        """Whether this is one of the keywords `words` (lower case), compared as SPARQL does."""
        return self.kind == "WORD" and self.text.lower() in words

    @property
    def iri(self) -> str:
        """The IRI of an IRI token, its `\\u` escapes decoded."""
        return _ESCAPED_CODEPOINT.sub(lambda m: chr(int(m.group(0)[2:], 16)), self.text[1:-1])

    @property
    def prefix(self) -> str:
        """The prefix of a prefixed name (`ex` of `ex:thing`)."""
        return self.text.partition(":")[0]

    @property
    def local(self) -> str:
        """The local part of a prefixed name, its backslash escapes decoded."""
        return _LOCAL_ESCAPE.sub(r"\1", self.text.partition(":")[2])


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, whitespace and comments left out; time linear in the text.

    Prefixed names are matched outside the one regular expression: a prefix may hold dots, so a
    regular expression would scan `a.a.a.a...` to its end from every `a`, in time quadratic in the
    text. The end of a run of prefix characters is the same from every point inside it, so each
    run is scanned once.
    """
    position, run_end = 0, -1
    while position < len(text):
        if position >= run_end and (run := _PREFIX_RUN.match(text, position)):
            run_end = run.end()
        if position < run_end and _is_prefix_start(text, position, run_end):
            end = _LOCAL_PART.match(text, run_end + 1).end()  # type: ignore[union-attr]
            yield Token("PNAME", text[position:end], position, end)
            position = end
            continue
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise LexError(text, position)
        kind = match.lastgroup or ""
        if kind not in ("WS", "COMMENT"):
            yield Token(kind, match.group(), position, match.end())
        position = match.end()


def _is_prefix_start(text: str, position: int, run_end: int) -> bool:
    """Whether a prefixed name starts at `position`, inside a run of prefix characters ending at `run_end`."""
    return (run_end < len(text) and text[run_end] == ":" and text[run_end - 1] != "."
            and _PREFIX_RUN.match(text, position, position + 1) is not None)


def operations(tokens: list[Token]) -> Iterator[list[Token]]:
    """The operations of an update: runs of tokens between `;` outside any braces."""
    depth = 0
    current: list[Token] = []
    for token in tokens:
        if token.kind == "PUNCT" and token.text in ("{", "{|"):
            depth += 1
        elif token.kind == "PUNCT" and token.text in ("}", "|}"):
            depth -= 1
        if depth == 0 and token.kind == "PUNCT" and token.text == ";":
            yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def top_level(tokens: list[Token]) -> Iterator[tuple[int, Token]]:
    """The tokens (with their index) that stand outside every brace block."""
    depth = 0
    for index, token in enumerate(tokens):
        if token.kind == "PUNCT" and token.text in ("{", "{|"):
            depth += 1
        elif token.kind == "PUNCT" and token.text in ("}", "|}"):
            depth -= 1
        elif depth == 0:
            yield index, token


def matching_brace(tokens: list[Token], opening: int) -> int:
    """The index of the `}` closing the `{` at `opening` (or the last token if it is not closed)."""
    depth = 0
    for index in range(opening, len(tokens)):
        token = tokens[index]
        if token.kind == "PUNCT" and token.text in ("{", "{|"):
            depth += 1
        elif token.kind == "PUNCT" and token.text in ("}", "|}"):
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1
