"""The forms a resource's description takes: HTML and four RDF syntaxes, by media type or extension."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import RdfFormat

from server.negotiation import choose, parse_accept


@dataclass(frozen=True)
class Format:
    """One representation of a description, with the media types and extension that select it."""

    name: str
    label: str
    media_type: str
    extension: str
    rdf: RdfFormat | None = None
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.media_type == "application/n-triples"
        return f"{self.media_type}; charset=utf-8" if text else self.media_type


HTML = Format("html", "HTML", "text/html", "html", None, ("application/xhtml+xml",))
TURTLE = Format("turtle", "Turtle", "text/turtle", "ttl", RdfFormat.TURTLE, ("application/x-turtle",))
JSON_LD = Format("jsonld", "JSON-LD", "application/ld+json", "jsonld", RdfFormat.JSON_LD, ("application/json",))
N_TRIPLES = Format("ntriples", "N-Triples", "application/n-triples", "nt", RdfFormat.N_TRIPLES)
RDF_XML = Format("rdfxml", "RDF/XML", "application/rdf+xml", "rdf", RdfFormat.RDF_XML)

RDF_FORMATS = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
# The server's preference among equals: a client that accepts anything (`*/*`) is a program.
FORMATS = (TURTLE, HTML, JSON_LD, N_TRIPLES, RDF_XML)
_BY_EXTENSION = {f.extension: f for f in FORMATS}


def negotiate(accept: str | None, offered: tuple[Format, ...] = FORMATS) -> Format | None:
    """The format an Accept header prefers (q-values honoured), or None when it accepts none.

    Aliases (`application/json` for JSON-LD) count only when the client names them: a wildcard
    reaches a format through its own media type.
    """
    named = {f"{r.type}/{r.subtype}" for r in parse_accept(accept)}
    media_types = [media for f in offered for media in (f.media_type, *(a for a in f.aliases if a in named))]
    chosen = choose(accept, media_types)
    return next(f for f in offered if chosen in (f.media_type, *f.aliases)) if chosen else None


def split_extension(path: str) -> tuple[str, Format] | None:
    """`evaluation/3471.ttl` → (`evaluation/3471`, Turtle); None when the path has no known extension."""
    stem, dot, extension = path.rpartition(".")
    if not dot or not stem or "/" in extension or extension not in _BY_EXTENSION:
        return None
    return stem, _BY_EXTENSION[extension]
