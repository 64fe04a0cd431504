"""Every IRI of the dataset is minted here, following CONTRACT.md."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from pyoxigraph import NamedNode

DEFAULT_BASE_IRI = "https://w3id.org/evalkg/id/"
ONTOLOGY_IRI = "https://w3id.org/evalkg/ontology"


def slugify(label: str) -> str:
    """Lower-cased label with accents removed and every run of other characters as `-`."""
    decomposed = unicodedata.normalize("NFKD", label)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")


@dataclass(frozen=True)
class Iris:
    """Mints the IRIs of resources, graphs and concept schemes under one dataset base."""

    base: str = DEFAULT_BASE_IRI

    def _node(self, path: str) -> NamedNode:
        return NamedNode(self.base + path)

    def evaluation(self, eval_number: int) -> NamedNode:
        return self._node(f"evaluation/{eval_number}")

    def recommendation(self, recommendation_id: int) -> NamedNode:
        return self._node(f"recommendation/{recommendation_id}")

    def lesson(self, lesson_id: int) -> NamedNode:
        return self._node(f"lesson/{lesson_id}")

    def good_practice(self, good_practice_id: int) -> NamedNode:
        return self._node(f"good-practice/{good_practice_id}")

    def mention(self, item: NamedNode, field: str, start: int) -> NamedNode:
        """An agency named in one field of an item (recommendation, lesson, good practice)."""
        return NamedNode(f"{item.value}/mention/{field}-{start}")

    def person(self, name: str) -> NamedNode:
        return self._node(f"person/{slugify(name)}")

    def country(self, iso_alpha3: str) -> NamedNode:
        return self._node(f"country/{iso_alpha3.upper()}")

    def region(self, label: str) -> NamedNode:
        return self._node(f"region/{slugify(label)}")

    def project(self, symbol: str) -> NamedNode:
        return self._node("project/" + quote(symbol.strip().replace("/", "-"), safe="-._~"))

    def organization(self, acronym: str) -> NamedNode:
        return self._node(f"organization/{slugify(acronym)}")

    def unit(self, label: str) -> NamedNode:
        return self._node(f"unit/{slugify(label)}")

    def theme(self, label: str) -> NamedNode:
        return self._node(f"theme/{slugify(label)}")

    def category(self, label: str) -> NamedNode:
        return self._node(f"category/{slugify(label)}")

    def response_status(self, label: str) -> NamedNode:
        return self._node(f"response-status/{slugify(label)}")

    def progress_status(self, label: str) -> NamedNode:
        return self._node(f"progress-status/{slugify(label)}")

    def concept(self, scheme: str, label: str) -> NamedNode:
        """A concept of one of the record vocabularies: `evaluation-timing/final`."""
        return self._node(f"{scheme}/{slugify(label)}")

    def scheme(self, name: str) -> NamedNode:
        """The SKOS concept scheme of a vocabulary (`region`, `theme`, `response-status`...)."""
        return self._node(f"{name}/")

    def source_graph(self, source_key: str) -> NamedNode:
        """The named graph holding the triples read from one source (file path or URL)."""
        return self._node("source/" + quote(source_key, safe="/-._~"))

    @property
    def metadata_graph(self) -> NamedNode:
        """The graph recording, for each source graph, where it came from and when (PROV-O)."""
        return self._node("graph/metadata")

    @property
    def reference_graph(self) -> NamedNode:
        """The graph of the bundled reference data: the ontology and the gazetteers."""
        return self._node("graph/reference")

    @property
    def dataset(self) -> NamedNode:
        return self._node("dataset")
