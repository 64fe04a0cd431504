"""How well the linker finds partner agencies: scores against hand-labelled sets of texts.

A set is JSON Lines, one labelled text per line; `tests/linking/README.md` gives the format and
the labelling guidelines. Two sets are bundled (`LABELLED_SETS`): texts we wrote ourselves
(`evaluation_set.jsonl`) and real ILO texts of the i-eval export sample (`real_set.jsonl`). A
mention found counts as correct only if its organization and its exact character span are those
labelled; precision, recall and F1 are given per organization, per language, per kind of text
and overall. The same run checks that every labelled country spelling resolves to its ISO code,
that no hard negative is linked and that no mention is found inside a word.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from kg.errors import EvalKGError
from kg.iris import Iris
from kg.linking.countries import CountryResolver
from kg.linking.organizations import OrganizationMatcher, gazetteer_quads, slug_of

TARGET_PRECISION = 0.97
TARGET_RECALL = 0.95
# The sets live in tests/linking/ and are shipped as package data through the kg/linking/sets link.
SETS_DIR = Path(str(files("kg.linking"))) / "sets"


@dataclass(frozen=True)
class LabelledSet:
    """A bundled labelled set: the name reports give it, and its file."""

    name: str
    path: Path


LABELLED_SETS = (
    LabelledSet("ours (invented)", SETS_DIR / "evaluation_set.jsonl"),
    LabelledSet("real (ILO export sample)", SETS_DIR / "real_set.jsonl"),
)
DEFAULT_SET = LABELLED_SETS[0].path


class EvaluationSetError(EvalKGError):
    """The labelled set cannot be read: a line is not JSON, lacks a field, or an offset is wrong."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Span:
    """A labelled stretch of text: an organization's slug (None for a hard negative) and why."""

    organization: str | None
    surface: str
    start: int
    end: int
    note: str = ""


@dataclass(frozen=True)
class CountrySpelling:
    name: str
    iso_alpha3: str


@dataclass(frozen=True)
class LabelledText:
    """One text of the set with its mentions, its hard negatives and its country spellings.

    Texts taken from records also say where they come from: the kind of record
    (`recommendation`, `lesson`, `good-practice`), its id and the field holding the text.
    """

    id: str
    language: str
    text: str
    mentions: tuple[Span, ...]
    negatives: tuple[Span, ...] = ()
    countries: tuple[CountrySpelling, ...] = ()
    kind: str = ""
    record: str = ""
    field: str = ""


def load_evaluation_set(path: Path | None = None) -> list[LabelledText]:
    """The labelled texts of a JSON Lines file; every span is checked against its text."""
    path = Path(path or DEFAULT_SET)
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as error:
        raise EvaluationSetError(path, 0, f"cannot read the labelled set ({error.strerror or error}); "
                                          "name one with --set") from error
    texts = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            texts.append(_labelled_text(path, number, line))
    if not texts:
        raise EvaluationSetError(path, 0, "the labelled set holds no text")
    return texts


def _labelled_text(path: Path, number: int, line: str) -> LabelledText:
    try:
        item = json.loads(line)
        text = item["text"]
        mentions = tuple(_span(text, m, m["organization"]) for m in item["mentions"])
        negatives = tuple(_span(text, n, None) for n in item.get("negatives", []))
        countries = tuple(CountrySpelling(c["name"], c["iso_alpha3"]) for c in item.get("countries", []))
        return LabelledText(item["id"], item["language"], text, mentions, negatives, countries,
                            item.get("kind", ""), str(item.get("record", "")), item.get("field", ""))
    except json.JSONDecodeError as error:
        raise EvaluationSetError(path, number, f"not JSON ({error.msg})") from error
    except KeyError as error:
        raise EvaluationSetError(path, number, f"missing field {error}") from error
    except ValueError as error:
        raise EvaluationSetError(path, number, str(error)) from error


def _span(text: str, item: dict, organization: str | None) -> Span:
    start, end, surface = item["start"], item["end"], item["surface"]
    if text[start:end] != surface:
        raise ValueError(f"text[{start}:{end}] is {text[start:end]!r}, not the labelled {surface!r}")
    return Span(organization, surface, start, end, item.get("note", ""))


@dataclass
class Counts:
    """Mentions found and labelled, and the scores they give."""

    correct: int = 0
    found: int = 0
    labelled: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def add(self, correct: int, found: int, labelled: int) -> None:
        self.correct += correct
        self.found += found
        self.labelled += labelled


@dataclass(frozen=True)
class Miss:
    """A mention found but not labelled ("false positive"), or labelled but not found ("missed")."""

    text_id: str
    kind: str
    span: Span


@dataclass
class LinkingReport:
    """Scores over a labelled set, and every problem found with the text it is in."""

    texts: int = 0
    overall: Counts = field(default_factory=Counts)
    by_organization: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_language: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    misses: list[Miss] = field(default_factory=list)
    inside_words: list[Miss] = field(default_factory=list)
    negatives_linked: list[Miss] = field(default_factory=list)
    countries: list[tuple[CountrySpelling, str | None]] = field(default_factory=list)

    @property
    def unresolved_countries(self) -> list[tuple[CountrySpelling, str | None]]:
        return [(spelling, found) for spelling, found in self.countries if found != spelling.iso_alpha3]

    @property
    def targets_met(self) -> bool:
        return (self.overall.precision >= TARGET_PRECISION and self.overall.recall >= TARGET_RECALL
                and not self.inside_words and not self.unresolved_countries)


def evaluate_set(path: Path | None = None, base_iri: str | None = None) -> LinkingReport:
    """Score the bundled gazetteer and country aliases on a labelled set (the default one if None)."""
    matcher = OrganizationMatcher.from_quads(gazetteer_quads(base_iri or Iris().base))
    return evaluate(load_evaluation_set(path), matcher, CountryResolver.from_csv())


def evaluate_sets(base_iri: str | None = None) -> list[tuple[LabelledSet, LinkingReport]]:
    """Score the bundled gazetteer on every bundled labelled set, each with its own report."""
    matcher = OrganizationMatcher.from_quads(gazetteer_quads(base_iri or Iris().base))
    countries = CountryResolver.from_csv()
    return [(labelled, evaluate(load_evaluation_set(labelled.path), matcher, countries))
            for labelled in LABELLED_SETS]


def evaluate(texts: Iterable[LabelledText], matcher: OrganizationMatcher, countries: CountryResolver) -> LinkingReport:
    """Run the matcher and the country resolver over the labelled texts and score them."""
    report = LinkingReport()
    for item in texts:
        report.texts += 1
        found = {Span(slug_of(m.organization), m.surface_form, m.start, m.end) for m in matcher.find(item.text)}
        labelled = set(item.mentions)
        correct = found & labelled
        report.overall.add(len(correct), len(found), len(labelled))
        report.by_language[item.language].add(len(correct), len(found), len(labelled))
        if item.kind:
            report.by_kind[item.kind].add(len(correct), len(found), len(labelled))
        for slug in {s.organization for s in found | labelled}:
            report.by_organization[slug].add(  # type: ignore[index]
                sum(s.organization == slug for s in correct),
                sum(s.organization == slug for s in found),
                sum(s.organization == slug for s in labelled))
        report.misses += [Miss(item.id, "false positive", s) for s in sorted(found - labelled, key=_order)]
        report.misses += [Miss(item.id, "missed", s) for s in sorted(labelled - found, key=_order)]
        report.inside_words += [Miss(item.id, "inside a word", s) for s in sorted(found, key=_order)
                                if _inside_word(item.text, s)]
        report.negatives_linked += [Miss(item.id, "hard negative linked", s) for s in sorted(found, key=_order)
                                    if any(s.start < n.end and n.start < s.end for n in item.negatives)]
        for spelling in item.countries:
            country = countries.resolve(spelling.name)
            report.countries.append((spelling, country.alpha3 if country else None))
    report.by_organization = dict(sorted(report.by_organization.items()))
    report.by_language = dict(sorted(report.by_language.items()))
    report.by_kind = dict(sorted(report.by_kind.items()))
    return report


def _order(span: Span) -> tuple[int, int]:
    return span.start, span.end


def _inside_word(text: str, span: Span) -> bool:
    before = text[span.start - 1] if span.start > 0 else " "
    after = text[span.end] if span.end < len(text) else " "
    return before.isalnum() or before == "_" or after.isalnum() or after == "_"
