"""Searching one generation's text index: ranked hits with snippets, and facet counts.

A hit is a resource (an evaluation, recommendation, lesson learned or good practice), ranked by
the BM25 score of its best-matching text; its snippet is cut from that text around the words
that matched, which are marked `<mark>…</mark>` in an otherwise HTML-escaped fragment.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.errors import EvalKGError
from kg.search.analysis import STEMMED_LANGUAGES, fold, query_stems, stems, word_spans
from kg.search.expression import ParsedSearch, SearchSyntaxError, Term, parse
from kg.search.index import FACETS, SCHEMA_VERSION

SNIPPET_WORDS = 40  # words a snippet shows
LABEL_CHARACTERS = 160
_BEFORE_FIRST_MATCH = 8  # words shown before the first match


class SearchError(EvalKGError):
    """The index is missing, unreadable or of another version."""


@dataclass(frozen=True)
class SearchRequest:
    """A search: its text, kinds and languages to keep (none: all), facet values every hit must
    have (one of each facet's values), and the page of hits wanted."""

    text: str
    kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    score: float
    label: str
    language: str  # the language of the text the snippet comes from
    field: str  # and its field: title, text, actionPlan...
    snippet: str


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    labels: dict[str, str]  # language ("" for none) → label; empty for values that are not resources

    def label(self, language: str) -> str:
        """Its label in `language`, else in English, else any; the value itself for a year or kind."""
        return (self.labels.get(language) or self.labels.get("en") or self.labels.get("")
                or next(iter(self.labels.values()), self.value))


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]


class SearchIndex:
    """A generation's index, opened read-only.

    Searches have no time limit of their own: like queries, they run in a process that is
    stopped at its limit (`kg.deadline` for the CLI, `server.pool` for the server).
    """

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise SearchError(f"{path.parent}: this store generation has no text index; rebuild it with `kg build`")
        # A published generation never changes: SQLite need not lock or look for changes.
        self.connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        self.connection.execute("PRAGMA temp_store = MEMORY")
        version = self.connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if not version or version[0] != SCHEMA_VERSION:
            raise SearchError(f"{path}: the text index is of another version; rebuild it with `kg build --force`")

    def close(self) -> None:
        self.connection.close()

    def search(self, request: SearchRequest, facet_values: int = 20) -> SearchResult:
        """The page of hits `request` asks for, the number of all hits, and the `facet_values`
        commonest values of each facet among all hits, with their counts.

        A facet with values chosen is counted among the hits of every other choice: its other
        values show how many hits choosing them as well would add (as in every faceted search).
        """
        parsed = parse(request.text)
        with _errors_in_words():
            self._match(parsed, request)
            total = self.connection.execute("SELECT COUNT(*) FROM hits").fetchone()[0]
            page = self.connection.execute(
                "SELECT d.iri, d.kind, h.rank, d.label, t.lang, t.field, t.text"
                " FROM (SELECT * FROM hits ORDER BY rank, doc LIMIT ? OFFSET ?) h"
                " JOIN docs d ON d.id = h.doc JOIN texts t ON t.id = h.best ORDER BY h.rank, h.doc",
                (request.limit, request.offset)).fetchall()
            facets = self._facet_counts(facet_values)
            chosen = {**request.filters, "kind": request.kinds}
            for facet in (name for name, values in chosen.items() if values):
                others = {name: values for name, values in request.filters.items() if name != facet}
                self._match(parsed, replace(request, filters=others, kinds=() if facet == "kind" else request.kinds))
                facets[facet] = self._facet_counts(facet_values, facet)[facet]
        hits = [Hit(iri, kind, round(-rank, 6), short(label or ""), lang, field_name, snippet(text, lang, parsed))
                for iri, kind, rank, label, lang, field_name, text in page]
        return SearchResult(total, hits, facets)

    def scores(self, text: str, languages: Sequence[str] = ()) -> dict[str, tuple[float, int]]:
        """Every resource `text` finds → its score and its best text's id (for SPARQL's `ek:score`)."""
        with _errors_in_words():
            self._match(parse(text), SearchRequest(text, languages=tuple(languages)))
            return {iri: (round(-rank, 6), best) for iri, rank, best in self.connection.execute(
                "SELECT d.iri, h.rank, h.best FROM hits h JOIN docs d ON d.id = h.doc")}

    def snippet_of(self, text_id: int, text: str) -> str:
        """The snippet of the text `text_id` for the search `text`."""
        row = self.connection.execute("SELECT text, lang FROM texts WHERE id = ?", (text_id,)).fetchone()
        return snippet(row[0], row[1], parse(text)) if row else ""

    def _match(self, parsed: ParsedSearch, request: SearchRequest) -> None:
        """Fill the temporary table `hits` (doc id, rank, best text id) with the resources found."""
        languages = [lang for lang in request.languages if lang in STEMMED_LANGUAGES] or list(STEMMED_LANGUAGES)
        conditions: list[str] = []
        parameters = [parsed.match(languages)]
        if request.languages:
            conditions.append("(" + " OR ".join("o.lang = ? OR o.lang LIKE ?" for _ in request.languages) + ")")
            for language in request.languages:
                parameters += [language, language + "-%"]
        if request.kinds:
            conditions.append("o.doc_id IN (SELECT id FROM docs WHERE kind IN ("
                              + ", ".join("?" * len(request.kinds)) + "))")
            parameters += request.kinds
        for facet, values in request.filters.items():
            if facet not in FACETS:
                raise SearchSyntaxError(f"no facet {facet!r}; the facets are {', '.join(FACETS)}")
            if values:
                conditions.append("o.doc_id IN (SELECT doc_id FROM facets WHERE value_id IN (SELECT id FROM"
                                  " facet_values WHERE facet = ? AND value IN (" + ", ".join("?" * len(values)) + ")))")
                parameters += [facet, *values]
        self.connection.execute("DROP TABLE IF EXISTS temp.hits")
        # bm25() is lower for better matches, and only for the match itself; with MIN(), SQLite takes
        # `m.id` from the row of the minimum.
        self.connection.execute(
            "CREATE TEMP TABLE hits AS WITH m AS MATERIALIZED"
            " (SELECT rowid AS id, bm25(fts) AS score FROM fts WHERE fts MATCH ?)"
            " SELECT o.doc_id AS doc, MIN(m.score) AS rank, m.id AS best"
            " FROM m JOIN owners o ON o.text_id = m.id"
            + "".join(" AND " + condition for condition in conditions) + " GROUP BY o.doc_id", parameters)

    def _facet_counts(self, facet_values: int, facet: str | None = None) -> dict[str, list[FacetValue]]:
        """The commonest values of each facet (or of `facet` only) among the hits, with their counts."""
        # CROSS JOIN keeps SQLite from scanning every facet row: it looks up those of each hit.
        rows = self.connection.execute(
            "SELECT facet, value, n FROM (SELECT v.facet, v.value, c.n,"
            " ROW_NUMBER() OVER (PARTITION BY v.facet ORDER BY c.n DESC, v.value) AS place"
            " FROM (SELECT f.value_id, COUNT(*) AS n FROM hits h CROSS JOIN facets f ON f.doc_id = h.doc"
            " GROUP BY f.value_id) c JOIN facet_values v ON v.id = c.value_id"
            + (" WHERE v.facet = ?" if facet else "") + ") WHERE place <= ? ORDER BY facet, n DESC, value",
            (facet, facet_values) if facet else (facet_values,)).fetchall()
        values = sorted({value for _, value, _ in rows})
        labels: dict[str, dict[str, str]] = {}
        for iri, lang, label in self.connection.execute(
                "SELECT iri, lang, label FROM labels WHERE iri IN (" + ", ".join("?" * len(values)) + ")", values):
            labels.setdefault(iri, {}).setdefault(lang, label)
        facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        for facet, value, count in rows:
            facets[facet].append(FacetValue(value, count, labels.get(value, {})))
        return facets


@contextmanager
def _errors_in_words() -> Iterator[None]:
    try:
        yield
    except sqlite3.DatabaseError as error:
        raise SearchError(f"the search failed: {error}") from None


def short(text: str) -> str:
    """A label from a long text: its start, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= LABEL_CHARACTERS:
        return flat
    return flat[:LABEL_CHARACTERS].rsplit(" ", 1)[0] + "…"


def snippet(text: str, language: str, parsed: ParsedSearch) -> str:
    """About `SNIPPET_WORDS` words of `text` from just before its first matched word, as an
    HTML fragment whose matched words are wrapped in `<mark>`."""
    spans = list(word_spans(text))
    marked = _matched(spans, language, parsed.highlighted)
    first = next((i for i, is_match in enumerate(marked) if is_match), 0)
    start = max(0, first - _BEFORE_FIRST_MATCH)
    end = min(len(spans), start + SNIPPET_WORDS)
    if not spans:
        return _escape(short(text))
    begin_char = spans[start].start() if start else 0
    end_char = spans[end - 1].end() if end < len(spans) else len(text)
    pieces, at = [], begin_char
    for i in range(start, end):
        if marked[i]:
            pieces.append(_escape(text[at:spans[i].start()]))
            pieces.append(f"<mark>{_escape(spans[i].group())}</mark>")
            at = spans[i].end()
    pieces.append(_escape(text[at:end_char]))
    body = " ".join("".join(pieces).split())
    return ("…" if start else "") + body + ("…" if end < len(spans) else "")


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _matched(spans: list, language: str, terms: list[Term]) -> list[bool]:
    """Which words of a text the search's terms match, by the index's analysis."""
    base = language.split("-")[0].lower()
    whole: set[str] = set()
    prefixes: list[str] = []
    for term in terms:
        for i, word in enumerate(term.words):
            if term.prefix and i == len(term.words) - 1:
                prefixes.append(fold(word))
                if base in STEMMED_LANGUAGES:
                    prefixes.extend(query_stems(word, base))
            else:
                whole.add(fold(word))
                if base in STEMMED_LANGUAGES:
                    whole |= query_stems(word, base)
    found = [span.group() for span in spans]
    folded_words = [fold(word) for word in found]
    stemmed = stems(found, base) if base in STEMMED_LANGUAGES else folded_words
    return [f in whole or s in whole or any(f.startswith(p) or s.startswith(p) for p in prefixes)
            for f, s in zip(folded_words, stemmed)]
