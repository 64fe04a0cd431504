"""The text index inside SPARQL: `ek:score`, `ek:matches` and `ek:snippet`, joined with any graph pattern.

    SELECT ?lesson ?score WHERE {
      ?lesson a ek:LessonLearned ; ek:ofEvaluation/ek:coversRegion <https://w3id.org/evalkg/id/region/africa> .
      BIND(ek:score(?lesson, "social protection") AS ?score)
      FILTER(BOUND(?score))
    } ORDER BY DESC(?score)

`ek:score(?resource, "search")` is the resource's BM25 score for the search (unbound when the
search does not find it), `ek:matches(?resource, "search")` whether it finds it, and
`ek:snippet(?resource, "search")` the HTML fragment of its best text with the matched words
marked. An optional third argument keeps texts of one language (`"es"`). The search runs once
per query, whatever the number of resources the functions are asked about.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.errors import EvalKGError
from kg.namespaces import EK, XSD
from kg.search.index import index_path
from kg.search.searching import SearchError, SearchIndex

SCORE, MATCHES, SNIPPET = EK.score, EK.matches, EK.snippet
Term = NamedNode | BlankNode | Literal | Triple


class SearchFunctions:
    """The functions for one query, over the index `index()` gives (opened when first needed).

    The first error met (a search that does not parse, no index) is kept in `error`: Oxigraph
    takes a function's exception for an unbound value, and the query would silently find nothing.
    """

    def __init__(self, index: Callable[[], SearchIndex]) -> None:
        self._index = index
        self._found: dict[tuple[str, str], dict[str, tuple[float, int]]] = {}
        self.error: str | None = None

    @classmethod
    def of_generation(cls, generation: Path) -> SearchFunctions:
        """The functions over a store generation's index, opened on first use."""
        return cls(cache(lambda: SearchIndex(index_path(generation))))

    def as_custom_functions(self) -> dict[NamedNode, Callable[..., Term | None]]:
        return {SCORE: self.score, MATCHES: self.matches, SNIPPET: self.snippet}

    def score(self, resource: Term, search: Term, language: Term | None = None) -> Literal | None:
        found = self._lookup(resource, search, language)
        return Literal(repr(found[0]), datatype=XSD.double) if found else None

    def matches(self, resource: Term, search: Term, language: Term | None = None) -> Literal | None:
        if self.error is not None:
            return None
        found = self._lookup(resource, search, language)
        return None if self.error is not None else Literal("true" if found else "false", datatype=XSD.boolean)

    def snippet(self, resource: Term, search: Term, language: Term | None = None) -> Literal | None:
        found = self._lookup(resource, search, language)
        return Literal(self._index().snippet_of(found[1], search.value)) if found else None  # type: ignore[attr-defined]

    def _lookup(self, resource: Term, search: Term, language: Term | None) -> tuple[float, int] | None:
        if not isinstance(search, Literal) or (language is not None and not isinstance(language, Literal)):
            self._fail("the search of ek:score, ek:matches and ek:snippet is a string, and so is the language")
            return None
        key = (search.value, language.value if language is not None else "")
        if key not in self._found:
            try:
                self._found[key] = self._index().scores(key[0], (key[1],) if key[1] else ())
            except (EvalKGError, ValueError) as error:
                self._fail(str(error))
                self._found[key] = {}
        return self._found[key].get(resource.value) if isinstance(resource, NamedNode) else None

    def raise_error(self) -> None:
        """Raise the error met, if any, once the query's results have been read."""
        if self.error is not None:
            raise SearchError(f"a search in the query failed: {self.error}")

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = message
