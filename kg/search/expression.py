"""A search as people type it, parsed and compiled to an SQLite FTS5 match over the text index.

The syntax is the one search boxes taught everyone: words are all required (`social protection`),
`"a phrase"` keeps its words in order, `prefix*` matches words starting so, `OR` between words
or groups offers alternatives, `-word` or `NOT word` excludes, and parentheses group. Every word
is matched through the analysis of `kg.search.analysis`, in each text's own language.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.errors import EvalKGError
from kg.search.analysis import STEMMED_LANGUAGES, fold, query_stems, words

MAX_TERMS = 64  # words in one search; a search is typed by a person, and each word costs a scan
_MAX_VARIANTS = 16  # phrases tried for a phrase whose words have several stems each
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?\*?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')


class SearchSyntaxError(EvalKGError, ValueError):
    """A search that cannot be run as written; the message says why and how to write it."""


@dataclass(frozen=True)
class Term:
    """Words to match in order (one word, or a phrase); `prefix`: the last word may go on."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class AllOf:
    """Every one of `required`, none of `excluded`."""

    required: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Node, ...]


Node = Term | AllOf | AnyOf


@dataclass
class ParsedSearch:
    """A parsed search: its tree, and the terms whose matches a snippet highlights."""

    tree: Node
    highlighted: list[Term] = field(default_factory=list)

    def match(self, languages: Iterable[str] = ()) -> str:
        """The FTS5 match expression, stems looked up in `languages` (none given: all three)."""
        return _compile(self.tree, tuple(languages) or tuple(STEMMED_LANGUAGES))


def parse(text: str) -> ParsedSearch:
    """The search `text` parsed; `SearchSyntaxError` names what is wrong with it."""
    tokens = _tokens(text)
    parser = _Parser(tokens)
    tree = parser.any_of()
    if parser.position < len(tokens):
        raise SearchSyntaxError("a ')' closes no '(': remove it or add the '(' it closes")
    if tree is None:
        raise SearchSyntaxError("the search has no word to look for")
    terms = list(_positive_terms(tree))
    if sum(len(term.words) for term in terms) > MAX_TERMS:
        raise SearchSyntaxError(f"the search has more than {MAX_TERMS} words; ask for fewer")
    return ParsedSearch(tree, terms)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is not None:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    """Recursive descent: any_of := all_of (OR all_of)*; all_of := unary+; unary := [-|NOT] primary."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def any_of(self) -> Node | None:
        options = []
        while True:
            if (node := self.all_of()) is not None:
                options.append(node)
            if self._peek() == ("word", "OR"):
                self.position += 1
                continue
            break
        if not options:
            return None
        return options[0] if len(options) == 1 else AnyOf(tuple(options))

    def all_of(self) -> Node | None:
        required: list[Node] = []
        excluded: list[Node] = []
        while (token := self._peek()) is not None and token[0] != "close" and token != ("word", "OR"):
            if token == ("word", "AND"):
                self.position += 1
                continue
            negated = token == ("word", "NOT") or (token[0] == "word" and token[1].startswith("-"))
            if token == ("word", "NOT"):
                self.position += 1
            elif negated:
                self.tokens[self.position] = ("word", token[1][1:])
            node = self.primary()
            if node is not None:
                (excluded if negated else required).append(node)
        if excluded and not required:
            raise SearchSyntaxError("a search cannot only exclude: add a word to look for beside '-' or NOT")
        if not required:
            return None
        if len(required) == 1 and not excluded:
            return required[0]
        return AllOf(tuple(required), tuple(excluded))

    def primary(self) -> Node | None:
        token = self._peek()
        if token is None:
            return None
        kind, value = token
        self.position += 1
        if kind == "open":
            node = self.any_of()
            if self._peek() != ("close", ")"):
                raise SearchSyntaxError("a '(' is not closed: add the ')'")
            self.position += 1
            return node
        if kind == "close":
            raise SearchSyntaxError("a ')' closes no '(': remove it or add the '(' it closes")
        prefix = value.endswith("*")
        found = tuple(words(value.rstrip("*").strip('"')))
        return Term(found, prefix) if found else None


def _positive_terms(node: Node) -> Iterable[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, AnyOf):
        for option in node.options:
            yield from _positive_terms(option)
    else:
        for required in node.required:
            yield from _positive_terms(required)


def _compile(node: Node, languages: tuple[str, ...]) -> str:
    if isinstance(node, Term):
        return _compile_term(node, languages)
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_compile(option, languages) for option in node.options) + ")"
    expression = "(" + " AND ".join(_compile(required, languages) for required in node.required) + ")"
    if node.excluded:
        expression += " NOT (" + " OR ".join(_compile(excluded, languages) for excluded in node.excluded) + ")"
    return "(" + expression + ")"


def _compile_term(term: Term, languages: tuple[str, ...]) -> str:
    """A term as phrases in the columns that may hold it: the folded words of texts in languages
    not stemmed, and each language's stems. A prefix is looked for as written and as stemmed
    (`protection*` finds `protecting`, whose stem `protect` is the prefix's)."""
    columns: dict[str, list[str]] = {" ".join(fold(word) for word in term.words): ["words"]}  # phrase → columns
    for language in languages:
        options = [sorted(query_stems(word, language)) for word in term.words]
        if term.prefix:
            options[-1] = sorted({*options[-1], fold(term.words[-1])})
        for variant in itertools.islice(itertools.product(*options), _MAX_VARIANTS):
            columns.setdefault(" ".join(variant), []).append(f"stems_{language}")
    star = " *" if term.prefix else ""
    return "(" + " OR ".join(f'{{{" ".join(names)}}} : "{phrase}"{star}' for phrase, names in columns.items()) + ")"
