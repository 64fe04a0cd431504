"""The RDF dataset a request names: `default-graph-uri`/`named-graph-uri` for queries,
`using-graph-uri`/`using-named-graph-uri` for updates (SPARQL 1.1 Protocol 2.1.4 and 2.2.3).

pyoxigraph takes a query's dataset as arguments but has none for updates, so the update's
dataset becomes USING and USING NAMED clauses written into each DELETE/INSERT operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.errors import BadRequest
from server.lexer import LexError, Token, matching_brace, operations, tokenize, top_level


@dataclass(frozen=True)
class Dataset:
    """Graph IRIs a request names as its default graph and its named graphs."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


def apply_update_dataset(update: str, dataset: Dataset) -> str:
    """The update with the protocol's dataset as USING clauses in every DELETE/INSERT ... WHERE.

    An operation with its own USING or WITH cannot also take the protocol's dataset: 400.
    """
    try:
        tokens = list(tokenize(update))
    except LexError as error:
        raise BadRequest(f"update syntax error: {error}") from error
    using = " ".join([f"USING <{iri}>" for iri in dataset.default] + [f"USING NAMED <{iri}>" for iri in dataset.named])
    edits: list[tuple[int, int, str]] = []
    for operation in operations(tokens):
        edit = _edit_operation(update, operation, using)
        if edit:
            edits.append(edit)
    for start, end, text in reversed(edits):
        update = update[:start] + text + update[end:]
    return update


def _edit_operation(update: str, operation: list[Token], using: str) -> tuple[int, int, str] | None:
    index = _skip_prologue(operation)
    if index >= len(operation):
        return None
    first = operation[index]
    following = operation[index + 1] if index + 1 < len(operation) else None
    if not first.is_word("with", "delete", "insert") or (following and following.is_word("data")):
        return None
    if first.is_word("delete") and following and following.is_word("where"):
        opening = index + 2
        closing = matching_brace(operation, opening)
        pattern = update[operation[opening].start: operation[closing].end]
        return first.start, operation[closing].end, f"DELETE {pattern} {using} WHERE {pattern}"
    words = [token for _, token in top_level(operation)]
    if any(token.is_word("using", "with") for token in words):
        raise BadRequest("using-graph-uri and using-named-graph-uri cannot be given for an update that has "
                         "its own USING or WITH clause; drop one of the two")
    where = next((token for token in words if token.is_word("where")), None)
    if where is None:
        return None
    return where.start, where.start, f"{using} "


def _skip_prologue(operation: list[Token]) -> int:
    index = 0
    while index < len(operation):
        if operation[index].is_word("base"):
            index += 2
        elif operation[index].is_word("prefix"):
            index += 3
        else:
            break
    return index
