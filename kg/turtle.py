"""Deterministic Turtle, written statement by statement from terms in N-Triples form.

The order is canonical: statements sorted by the code points of their N-Triples form, except
that `rdf:type` comes first in each subject. Callers sort (see `statement_key`); the writer only
groups consecutive statements by subject and predicate and abbreviates IRIs with the prefixes,
so it streams whatever the size of the graph.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from typing import IO

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_TYPE_SORTS_FIRST = "!"
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_FLUSH_AT = 1 << 16


def term_text(term: NamedNode | BlankNode | Literal) -> str:
    """A term in N-Triples form: `<iri>`, `_:label`, or a literal with its escapes."""
    return str(term)


def statement_key(subject: str, predicate: str, obj: str) -> str:
    """One statement as a line whose code-point order is the canonical order (rdf:type first).

    Subjects and predicates never contain spaces, so `split_statement_key` recovers the terms.
    """
    return f"{subject} {_TYPE_SORTS_FIRST if predicate == RDF_TYPE else predicate} {obj}"


def split_statement_key(key: str) -> tuple[str, str, str]:
    subject, predicate, obj = key.split(" ", 2)
    return subject, RDF_TYPE if predicate == _TYPE_SORTS_FIRST else predicate, obj


class TurtleWriter:
    """Writes sorted statements as Turtle with prefixes, one subject block after another."""

    def __init__(self, out: IO[bytes], prefixes: Mapping[str, str]) -> None:
        self._out = out
        by_namespace = {iri: name for name, iri in sorted(prefixes.items(), reverse=True)}
        self._prefix_of = by_namespace
        alternation = "|".join(re.escape(iri) for iri in sorted(by_namespace, key=len, reverse=True))
        self._prefixed = re.compile(f"<({alternation})({_LOCAL_NAME.pattern})>") if by_namespace else None
        self._buffer: list[str] = [f"@prefix {name}: <{iri}> .\n" for name, iri in sorted(prefixes.items())]
        self._size = 0
        self._subject: str | None = None
        self._predicate: str | None = None

    def _abbreviate(self, iri_text: str) -> str:
        match = self._prefixed.fullmatch(iri_text) if self._prefixed else None
        return f"{self._prefix_of[match.group(1)]}:{match.group(2)}" if match else iri_text

    def _object(self, text: str) -> str:
        if text.startswith("<"):
            return self._abbreviate(text)
        if text.startswith('"') and text.endswith(">"):
            cut = text.rfind('"^^<')
            return text[: cut + 3] + self._abbreviate(text[cut + 3:])
        return text

    def write(self, subject: str, predicate: str, obj: str) -> None:
        """Add a statement given in N-Triples terms; calls must come in canonical order."""
        if subject != self._subject:
            if self._subject is not None:
                self._emit(" .\n")
            self._emit(f"\n{self._object(subject)} ")
            self._subject, self._predicate = subject, None
        if predicate != self._predicate:
            if self._predicate is not None:
                self._emit(" ;\n    ")
            self._emit("a " if predicate == RDF_TYPE else f"{self._abbreviate(predicate)} ")
            self._predicate = predicate
        else:
            self._emit(" ,\n        ")
        self._emit(self._object(obj))

    def _emit(self, text: str) -> None:
        self._buffer.append(text)
        self._size += len(text)
        if self._size >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        self._out.write("".join(self._buffer).encode("utf-8"))
        self._buffer, self._size = [], 0

    def close(self) -> None:
        """End the last statement and flush; the output stream stays open."""
        if self._subject is not None:
            self._emit(" .\n")
        self.flush()


def turtle_bytes(triples: Iterable[Triple], prefixes: Mapping[str, str], first: str | None = None) -> bytes:
    """A small graph as canonical Turtle (sorted in memory), the statements of `first` (a term in
    N-Triples form) at the top."""
    keys = sorted({statement_key(term_text(t.subject), term_text(t.predicate), term_text(t.object)) for t in triples},
                  key=lambda key: (first is None or not key.startswith(first + " "), key))
    out = io.BytesIO()
    writer = TurtleWriter(out, prefixes)
    for key in keys:
        writer.write(*split_statement_key(key))
    writer.close()
    return out.getvalue()
