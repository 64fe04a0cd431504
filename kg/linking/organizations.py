"""Partner agencies named in free text, found through the gazetteer `ontology/organizations.ttl`.

Acronyms (`ek:acronym`, `ek:altAcronym`) match case-sensitively as whole words, subject to the
context rules of `kg.linking.ambiguity` for the few that also mean something else. Names
(`skos:prefLabel`, `skos:altLabel`, `skos:hiddenLabel`) match ignoring case, accents, spacing
and line breaks, hyphens written as spaces, articles added or left out ("Programa de Naciones
Unidas para el Desarrollo"), "de/del/des/du" used for one another, and a plural ending on any
word ("UN Country Teams", "équipes de pays des Nations Unies"). Where matches overlap the
longest wins, so "ONU Mujeres" is UN Women and not the UN. Nothing is found inside a word, a
project symbol, a domain name or an e-mail address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg.linking.ambiguity import ACRONYM_RULES, TextContext, in_code_or_address
from kg.linking.text import fold, fold_with_offsets
from kg.namespaces import EK, RDFS, SKOS
from kg.resources import ontology_file

ACRONYM_PROPERTIES = (EK.acronym, EK.altAcronym)
NAME_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.label)
ORGANIZATION_PATH = "/organization/"

_ARTICLES = frozenset({"the", "el", "la", "los", "las", "le", "les"})
_OF = frozenset({"de", "del", "des", "du"})
_SEPARATOR = r"(?: ?- ?| )(?:(?:the|el|la|los|las|le|les) |l')?"
_PLURAL = "(?:s|es)?"
_PLURAL_MIN_LENGTH = 4
NAMES_KEPT = 4096  # folded names remembered with the organization they name


@dataclass(frozen=True)
class Mention:
    """One organization named in a text: where, and in what words."""

    organization: NamedNode
    surface_form: str
    start: int
    end: int


def slug_of(organization: NamedNode) -> str:
    """The slug that ends an organization's IRI (`unhcr` for `.../organization/unhcr`)."""
    return organization.value.rsplit(ORGANIZATION_PATH, 1)[-1]


def _name_tokens(name: str) -> list[str]:
    """The words of a folded name that must be present, leading articles and elisions removed."""
    tokens = []
    for token in re.split(r"[ -]+", fold(name)):
        if not token or token in _ARTICLES:
            continue
        tokens.append(token[2:] if token.startswith("l'") and len(token) > 2 else token)
    return tokens


def name_pattern(name: str) -> str:
    """The regular expression, over folded text, that finds a name in its usual variations."""
    parts: list[str] = []
    for token in _name_tokens(name):
        if token in _OF:
            parts.append("(?:de|del|des|du)")
        elif token in ("and", "&"):
            parts.append("(?:and|&)")
        else:
            plural = _PLURAL if len(token) >= _PLURAL_MIN_LENGTH and token[-1].isalpha() else ""
            parts.append(re.escape(token) + plural)
    return _SEPARATOR.join(parts)


def _leading_forms(token: str) -> tuple[str, ...]:
    """What a match of a name whose first word is token starts with (see `name_pattern`)."""
    if token in _OF:
        return tuple(_OF)
    if token in ("and", "&"):
        return ("and", "&")
    return (token,)


def _alternation(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=lambda f: (-len(f), f)))


class OrganizationMatcher:
    """Finds the organizations of a gazetteer in text."""

    def __init__(self, acronyms: dict[str, NamedNode], names: dict[str, NamedNode]) -> None:
        self._acronyms = acronyms
        self._by_slug = {slug_of(org): org for org in [*acronyms.values(), *names.values()]}
        self._acronym_re = re.compile(rf"(?<!\w)(?:{_alternation(acronyms)})(?!\w)") if acronyms else None
        # Names are tried only where a word starts with a letter one of them can start with, and
        # then only those names (Python's `re` would try every name at every word). Within a
        # first letter, names keep the gazetteer's order, longest first, as one alternation;
        # capturing groups would slow it twentyfold, so the name found is told by trying the
        # same patterns one by one (`_find_organization_named`), each compiled only then.
        patterns: set[str] = set()
        self._name_patterns: dict[str, list[tuple[str, tuple[str, ...], NamedNode]]] = {}
        for name in sorted(names, key=lambda n: (-len(fold(n)), n)):
            tokens = _name_tokens(name)
            pattern = name_pattern(name)
            if tokens and pattern not in patterns:
                patterns.add(pattern)
                leading = _leading_forms(tokens[0])
                for first in {form[0] for form in leading}:
                    self._name_patterns.setdefault(first, []).append((pattern, leading, names[name]))
        self._names_from: dict[str, re.Pattern[str]] = {
            first: re.compile(rf"(?:{'|'.join(p for p, _, _ in candidates)})(?!\w)")
            for first, candidates in self._name_patterns.items()
        }
        firsts = "".join(re.escape(first) for first in self._names_from)
        self._name_start_re = re.compile(rf"(?<!\w)[{firsts}]") if firsts else None
        self._organization_named = lru_cache(maxsize=NAMES_KEPT)(self._find_organization_named)

    @classmethod
    def from_quads(cls, quads: Iterable[Quad]) -> "OrganizationMatcher":
        acronyms: dict[str, NamedNode] = {}
        names: dict[str, NamedNode] = {}
        for quad in quads:
            subject = quad.subject
            if not isinstance(subject, NamedNode) or not isinstance(quad.object, Literal):
                continue
            if ORGANIZATION_PATH not in subject.value:
                continue
            if quad.predicate in ACRONYM_PROPERTIES:
                acronyms.setdefault(quad.object.value, subject)
            elif quad.predicate in NAME_PROPERTIES:
                names.setdefault(quad.object.value, subject)
        return cls(acronyms, names)

    def find(self, text: str) -> list[Mention]:
        """Mentions in text order; overlapping candidates resolved in favour of the longest."""
        candidates = [*self._acronym_mentions(text), *self._name_mentions(text)]
        taken = bytearray(len(text))
        chosen: list[Mention] = []
        for mention in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
            if not any(taken[mention.start:mention.end]):
                taken[mention.start:mention.end] = b"\x01" * (mention.end - mention.start)
                chosen.append(mention)
        return sorted(chosen, key=lambda c: c.start)

    def _acronym_mentions(self, text: str) -> Iterator[Mention]:
        if self._acronym_re is None:
            return
        context = TextContext(text, self._acronyms)
        for match in self._acronym_re.finditer(text):
            form, start, end = match.group(), match.start(), match.end()
            if in_code_or_address(text, start, end):
                continue
            organization: NamedNode | None = self._acronyms[form]
            rule = ACRONYM_RULES.get(form)
            if rule is not None:
                slug = rule.decide(context, start, end, slug_of(self._acronyms[form]))
                organization = self._by_slug.get(slug) if slug is not None else None
            if organization is not None:
                yield Mention(organization, form, start, end)

    def _name_mentions(self, text: str) -> Iterator[Mention]:
        if self._name_start_re is None:
            return
        folded, offsets = fold_with_offsets(text)
        for match in self._name_matches(folded):
            start, end = offsets[match.start()], offsets[match.end() - 1] + 1
            if not in_code_or_address(text, start, end):
                yield Mention(self._organization_named(match.group()), text[start:end], start, end)

    def _name_matches(self, folded: str) -> Iterator[re.Match[str]]:
        """Non-overlapping names in folded text, left to right, as one big alternation would find."""
        assert self._name_start_re is not None
        position = 0
        while word := self._name_start_re.search(folded, position):
            match = self._names_from[word.group()].match(folded, word.start())
            if match:
                yield match
                position = match.end()
            else:
                position = word.start() + 1

    def _find_organization_named(self, folded_name: str) -> NamedNode:
        """The organization of a name found by `_name_matches` (remembered: see `__init__`).

        Patterns are tried only for names it starts like: compiling the others would cost more
        than everything else this does.
        """
        candidates = self._name_patterns[folded_name[0]]
        return next(
            org for pattern, leading, org in candidates
            if folded_name.startswith(leading) and re.fullmatch(pattern, folded_name)
        )


def gazetteer_quads(base_iri: str, path: Path | None = None) -> Iterator[Quad]:
    """The gazetteer's triples, its relative IRIs resolved against the dataset base."""
    yield from parse(
        path=path or ontology_file("organizations.ttl"), format=RdfFormat.TURTLE, base_iri=base_iri
    )
