"""What RDF/XML cannot say: a property whose IRI does not end in an XML name (`.../1`, `.../p/`,
`urn:x:1`) has no element name, and Oxigraph then writes XML that is not well-formed."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import Triple

# An XML NCName at the end of an IRI: the local name an RDF/XML element needs (ASCII and Latin
# letters here; the rarer Unicode name characters are refused rather than risk bad XML).
_ENDS_IN_NAME = re.compile(r"[A-Za-z_\u00C0-\u02FF\u0370-\u1FFF][\w.\-\u00B7\u00C0-\u02FF\u0370-\u1FFF]*$")


def writable(predicate: str) -> bool:
    """Whether RDF/XML can write a property of this IRI: its IRI ends in an XML name."""
    match = _ENDS_IN_NAME.search(predicate)
    return match is not None and match.start() > 0


def unwritable_property(triples: Iterable[Triple]) -> str | None:
    """The first property IRI of these triples that RDF/XML cannot write, if any."""
    return next((t.predicate.value for t in triples if not writable(t.predicate.value)), None)
