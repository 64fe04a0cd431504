"""Browsing the dataset by kind of resource: counts, ordered pages of members, per-member tallies.

Queries read the default graph (the merge of all sources). IRIs put into query text are
`NamedNode`s, which pyoxigraph has validated, and language tags are checked by
`language.valid_tag`, so nothing a reader sends can change a query's shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode, Store

from kg.namespaces import EK, RDF, RDFS

PAGE_SIZE = 50


@dataclass(frozen=True)
class Kind:
    """A set of resources with a browse page: the instances of `cls` (only those that are the
    object of `via`, when given); `tally` counts what links to (or from) each member."""

    slug: str
    cls: NamedNode
    number: NamedNode | None = None
    tally: NamedNode | None = None
    tally_outgoing: bool = False
    tally_label: str = "recommendations"
    via: NamedNode | None = None


KINDS = (
    Kind("evaluations", EK.Evaluation, EK.evaluationNumber, EK.hasRecommendation, True),
    Kind("recommendations", EK.Recommendation, EK.recommendationNumber, EK.mentions, True, "organizations"),
    Kind("lessons", EK.LessonLearned, EK.lessonNumber, EK.mentions, True, "organizations"),
    Kind("good-practices", EK.GoodPractice, EK.goodPracticeNumber, EK.mentions, True, "organizations"),
    Kind("countries", EK.Country, None, EK.coversCountry, tally_label="evaluations"),
    Kind("regions", EK.Region, None, EK.coversRegion, tally_label="evaluations"),
    Kind("projects", EK.Project, None, EK.project),
    Kind("organizations", EK.Organization, None, EK.mentions, tally_label="named_in"),
    Kind("funders", EK.Organization, None, EK.fundedBy, tally_label="evaluations", via=EK.fundedBy),
    Kind("persons", EK.Person, None, EK.manager, tally_label="evaluations"),
    Kind("units", EK.AdminUnit, None, EK.adminUnit, tally_label="evaluations_and_recommendations"),
    Kind("technical-units", EK.TechnicalUnit, None, EK.technicalUnit, tally_label="evaluations"),
    Kind("themes", EK.Theme, None, EK.theme, tally_label="classified"),
    Kind("categories", EK.Category, None, EK.category, tally_label="classified"),
    Kind("evaluation-types", EK.EvaluationType, None, EK.evaluationType, tally_label="evaluations"),
    Kind("evaluation-timings", EK.EvaluationTiming, None, EK.evaluationTiming, tally_label="evaluations"),
    Kind("evaluation-natures", EK.EvaluationNature, None, EK.evaluationNature, tally_label="evaluations"),
    Kind("response-statuses", EK.ResponseStatus, None, EK.managementResponse),
    Kind("progress-statuses", EK.ProgressStatus, None, EK.progress),
)
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}
# The page of a class is the list of all its instances, not of a subset such as the funders.
KINDS_BY_CLASS = {kind.cls: kind for kind in KINDS if kind.via is None}


@dataclass(frozen=True)
class LinkFilter:
    """Only the resources that state `predicate` with `target` as its value."""

    predicate: NamedNode
    target: NamedNode


def _pattern(kind: Kind | None, link: LinkFilter | None) -> str:
    parts = []
    if kind is not None:
        parts.append(f"?s <{RDF.type.value}> <{kind.cls.value}> .")
        if kind.via is not None:
            parts.append(f"?member_of <{kind.via.value}> ?s .")
    if link is not None:
        parts.append(f"?s <{link.predicate.value}> <{link.target.value}> .")
    return " ".join(parts) or "?s ?p ?o ."


def count(store: Store, kind: Kind | None, link: LinkFilter | None = None) -> int:
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {_pattern(kind, link)} }}"
    return int(next(iter(store.query(query)))["n"].value)


def _label_key(languages: Sequence[str]) -> str:
    """A SPARQL expression ranking ?l by the reader's languages, then its lower-cased text."""
    rank = '"8"'
    rank = f'IF(LANG(?l) = "", "7", {rank})'
    for position, tag in reversed(list(enumerate(languages[:7]))):
        rank = f'IF(LANGMATCHES(LANG(?l), "{tag}"), "{position}", {rank})'
    return f"COALESCE(CONCAT({rank}, LCASE(STR(?l))), CONCAT(\"9\", STR(?s)))"


def members(
    store: Store, kind: Kind | None, languages: Sequence[str], page: int,
    link: LinkFilter | None = None, size: int = PAGE_SIZE,
) -> list[NamedNode]:
    """One page of members, by number where the kind has one, else by name in the reader's language.

    A member's name is its label in the language it has that the reader prefers most; members
    are then ordered by those names alone, so untagged names (a funder's own) sort among the
    others rather than after them."""
    pattern = _pattern(kind, link)
    if kind is not None and kind.number is not None:
        key, order = f"OPTIONAL {{ ?s <{kind.number.value}> ?k }}", "?key"
    else:
        key = f"OPTIONAL {{ ?s <{RDFS.label.value}> ?l }} BIND({_label_key(languages)} AS ?k)"
        order = "SUBSTR(?key, 2)"
    query = (f"SELECT ?s (MIN(?k) AS ?key) WHERE {{ {pattern} FILTER(isIRI(?s)) {key} }} "
             f"GROUP BY ?s ORDER BY {order} ?s LIMIT {int(size)} OFFSET {int(size) * (page - 1)}")
    return [row["s"] for row in store.query(query)]


def tallies(store: Store, kind: Kind, resources: Sequence[NamedNode]) -> dict[NamedNode, int]:
    """For each resource, how many distinct resources its kind's tally property connects it to."""
    if kind.tally is None or not resources:
        return {}
    values = " ".join(f"<{r.value}>" for r in resources)
    link = f"?s <{kind.tally.value}> ?x" if kind.tally_outgoing else f"?x <{kind.tally.value}> ?s"
    query = f"SELECT ?s (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?s {{ {values} }} {link} }} GROUP BY ?s"
    return {row["s"]: int(row["n"].value) for row in store.query(query)}


def pages(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))
