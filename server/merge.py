"""Keeping the store's default graph the merge of its named graphs through SPARQL Update.

The store keeps its default graph as the set union of the named graphs (kg.store), and queries
read it. An update may change the named graphs in any way; afterwards the default graph is made
their merge again. An update that writes the default graph itself (INSERT DATA without GRAPH,
CLEAR DEFAULT, LOAD without INTO GRAPH, ...) would be undone by that, so it is refused before it
runs, with the fix (an update whose braces do not even balance is left to the parser's message).
"""

from __future__ import annotations

from pyoxigraph import DefaultGraph, Quad, Store

from server.errors import BadRequest
from server.lexer import LexError, Token, matching_brace, operations, tokenize

# Statements in the default graph that no named graph makes, and the reverse.
_UNSTATED = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
_UNCOPIED = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }"


class DefaultGraphWrite(BadRequest):
    """An update writes the default graph directly, which only the named graphs may change."""

    def __init__(self, what: str) -> None:
        super().__init__(f"the update {what}, but this store keeps its default graph as the merge of its named "
                         "graphs; write into a named graph instead (GRAPH <...> { ... }, INTO GRAPH <...>, "
                         "TO GRAPH <...>), and the default graph follows")


def refuse_default_graph_writes(update: str) -> None:
    """Raise `DefaultGraphWrite` (400) if an operation of the update writes the default graph itself."""
    try:
        tokens = list(tokenize(update))
    except LexError:
        return  # not an update at all: the parser will say why
    if _unbalanced(tokens):
        return  # likewise
    for operation in operations(tokens):
        _check(operation)


def _unbalanced(tokens: list[Token]) -> bool:
    depth = 0
    for token in tokens:
        if token.kind == "PUNCT" and token.text in ("{", "}"):
            depth += 1 if token.text == "{" else -1
            if depth < 0:
                return True
    return depth != 0


def _check(operation: list[Token]) -> None:
    index = 0
    while index < len(operation) and operation[index].is_word("base", "prefix"):
        index += 2 if operation[index].is_word("base") else 3
    words = operation[index:]
    if not words:
        return
    first, rest = words[0], words[1:]
    if rest and rest[0].is_word("silent"):
        rest = rest[1:]
    if first.is_word("clear", "drop") and rest and rest[0].is_word("default"):
        raise DefaultGraphWrite(f"clears the default graph ({first.text.upper()} DEFAULT)")
    if first.is_word("load") and not any(token.is_word("into") for token in rest):
        raise DefaultGraphWrite("loads into the default graph (LOAD without INTO GRAPH)")
    if first.is_word("add", "move", "copy"):
        target = next((i for i, token in enumerate(rest) if token.is_word("to")), len(rest))
        if any(token.is_word("default") for token in rest[target:]) or (
                first.is_word("move") and any(token.is_word("default") for token in rest[:target])):
            raise DefaultGraphWrite(f"changes the default graph ({first.text.upper()} ... DEFAULT)")
    if first.is_word("insert", "delete"):
        for opening, token in enumerate(words):
            if token.kind == "PUNCT" and token.text == "{" and _is_template(words, opening):
                if _states_default_triples(words, opening):
                    raise DefaultGraphWrite("writes triples outside GRAPH, into the default graph")


def _is_template(words: list[Token], opening: int) -> bool:
    """Whether the `{` at `opening` starts a DATA block or a DELETE/INSERT template (not a WHERE pattern)."""
    before = words[opening - 1] if opening else None
    if before is None or not before.is_word("data", "where", "insert", "delete"):
        return False
    return not before.is_word("where") or (opening >= 2 and words[opening - 2].is_word("delete"))


def _states_default_triples(words: list[Token], opening: int) -> bool:
    closing = matching_brace(words, opening)
    index = opening + 1
    while index < closing:
        token = words[index]
        if token.is_word("graph") and index + 2 < closing and words[index + 2].text == "{":
            index = matching_brace(words, index + 2) + 1
        elif token.kind == "PUNCT" and token.text == ".":
            index += 1
        else:
            return True
    return False


def reconcile_default_graph(store: Store) -> None:
    """Make `store`'s default graph the merge of its named graphs again, after an update."""
    default = DefaultGraph()
    unstated = [Quad(r["s"], r["p"], r["o"], default) for r in store.query(_UNSTATED)]  # type: ignore[index]
    uncopied = [Quad(r["s"], r["p"], r["o"], default) for r in store.query(_UNCOPIED)]  # type: ignore[index]
    for quad in unstated:
        store.remove(quad)
    store.extend(uncopied)
