"""A search's results as JSON and CSV, the same for `kg search` and the server's `/search`."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

from kg.search.searching import SearchRequest, SearchResult

CSV_COLUMNS = ("rank", "iri", "kind", "score", "label", "language", "field", "snippet")
_MARK = re.compile(r"</?mark>")


def as_json(request: SearchRequest, result: SearchResult, language: str = "en") -> dict[str, Any]:
    """The results as a JSON object: the search, the total, the page of `results` (iri, kind,
    score, label, snippet as an HTML fragment with <mark>, and the language and field of the text
    it comes from) and the `facets` (value, count, label in `language`)."""
    return {
        "query": request.text,
        "total": result.total,
        "offset": request.offset,
        "limit": request.limit,
        "results": [
            {"iri": hit.iri, "kind": hit.kind, "score": hit.score, "label": hit.label, "snippet": hit.snippet,
             "language": hit.language, "field": hit.field}
            for hit in result.hits
        ],
        "facets": {
            facet: [{"value": value.value, "count": value.count, "label": value.label(language)} for value in values]
            for facet, values in result.facets.items()
        },
    }


def as_csv(request: SearchRequest, result: SearchResult) -> str:
    """The page of results as CSV (RFC 4180, a header row), the snippet as plain text."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rank, hit in enumerate(result.hits, start=request.offset + 1):
        writer.writerow((rank, hit.iri, hit.kind, hit.score, hit.label, hit.language, hit.field,
                         plain_snippet(hit.snippet)))
    return out.getvalue()


def plain_snippet(fragment: str) -> str:
    """A snippet's HTML fragment as plain text."""
    return html.unescape(_MARK.sub("", fragment))


def marked_pieces(fragment: str) -> list[tuple[str, bool]]:
    """A snippet as (plain text, whether it is a matched word) pieces, for terminals."""
    pieces = []
    for i, part in enumerate(re.split(r"<mark>(.*?)</mark>", fragment)):
        if part:
            pieces.append((html.unescape(part), i % 2 == 1))
    return pieces
