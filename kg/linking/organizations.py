"""Partner agencies named in free text, found through the gazetteer `ontology/organizations.ttl`.

Acronyms (`ek:acronym`, `ek:altAcronym`) match case-sensitively as whole words; names
(`skos:prefLabel`, `skos:altLabel`, `skos:hiddenLabel`) match ignoring case, accents and
spacing, line breaks included. Where matches overlap the longest wins, so "ONU Mujeres" is
UN Women and not the UN.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg.linking.text import fold, fold_with_offsets
from kg.namespaces import EK, RDFS, SKOS
from kg.resources import ontology_file

ACRONYM_PROPERTIES = (EK.acronym, EK.altAcronym)
NAME_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.label)


@dataclass(frozen=True)
class Mention:
    """One organization named in a text: where, and in what words."""

    organization: NamedNode
    surface_form: str
    start: int
    end: int


def _alternation(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=lambda f: (-len(f), f)))


class OrganizationMatcher:
    """Finds the organizations of a gazetteer in text."""

    def __init__(self, acronyms: dict[str, NamedNode], names: dict[str, NamedNode]) -> None:
        self._acronyms = acronyms
        self._names = {fold(name): org for name, org in names.items() if fold(name)}
        self._acronym_re = re.compile(rf"(?<!\w)(?:{_alternation(acronyms)})(?!\w)") if acronyms else None
        self._name_re = re.compile(rf"(?<!\w)(?:{_alternation(self._names)})(?!\w)") if self._names else None

    @classmethod
    def from_quads(cls, quads: Iterable[Quad]) -> "OrganizationMatcher":
        acronyms: dict[str, NamedNode] = {}
        names: dict[str, NamedNode] = {}
        for quad in quads:
            if not isinstance(quad.subject, NamedNode) or not isinstance(quad.object, Literal):
                continue
            if quad.predicate in ACRONYM_PROPERTIES:
                acronyms.setdefault(quad.object.value, quad.subject)
            elif quad.predicate in NAME_PROPERTIES and "/organization/" in quad.subject.value:
                names.setdefault(quad.object.value, quad.subject)
        return cls(acronyms, names)

    def find(self, text: str) -> list[Mention]:
        """Mentions in text order; overlapping candidates resolved in favour of the longest."""
        candidates: list[Mention] = []
        if self._acronym_re:
            candidates += [
                Mention(self._acronyms[m.group()], m.group(), m.start(), m.end())
                for m in self._acronym_re.finditer(text)
            ]
        if self._name_re:
            folded, offsets = fold_with_offsets(text)
            for m in self._name_re.finditer(folded):
                start, end = offsets[m.start()], offsets[m.end() - 1] + 1
                candidates.append(Mention(self._names[m.group()], text[start:end], start, end))
        chosen: list[Mention] = []
        for mention in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
            if all(mention.end <= kept.start or mention.start >= kept.end for kept in chosen):
                chosen.append(mention)
        return sorted(chosen, key=lambda c: c.start)


def gazetteer_quads(base_iri: str, path: Path | None = None) -> Iterator[Quad]:
    """The gazetteer's triples, its relative IRIs resolved against the dataset base."""
    yield from parse(
        path=path or ontology_file("organizations.ttl"), format=RdfFormat.TURTLE, base_iri=base_iri
    )
