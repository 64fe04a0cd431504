"""The typed records every reader produces and the mapper consumes.

Readers know nothing of RDF; the mapper knows nothing of HTML or Excel. Field names follow the
keys of the i-eval Discovery pages (`eval_number`, `admin_units`, ...), values are kept as read
(strings), and the mapper interprets them. An evaluation carries the items published with it:
recommendations, lessons learned and good practices, each a record type of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """One country/region pair of an evaluation's `location` list.

    The export's country column also holds regional coverage (`Africa - regional`, `Global`):
    the mapper tells the two apart, readers keep what they read.
    """

    country: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class ThemeRecord:
    """One theme/category pair of a `themes` list."""

    theme: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class RecommendationRecord:
    """One recommendation with its management response, as published.

    `id` is the recommendation's number where a source gives it apart from its `url`.
    """

    url: str | None = None
    id: str | None = None
    title: str | None = None
    date: str | None = None
    themes: tuple[ThemeRecord, ...] = ()
    action_plan: str | None = None
    management_response: str | None = None
    progress: str | None = None
    comments: str | None = None
    admin_units: str | None = None
    project_symbols: str | None = None
    information_source: str | None = None


@dataclass(frozen=True)
class LessonRecord:
    """One lesson learned, with the keys of the site's lesson pages."""

    url: str | None = None
    id: str | None = None
    description: str | None = None
    themes: tuple[ThemeRecord, ...] = ()
    context: str | None = None
    challenges: str | None = None
    success: str | None = None
    administrative_issues: str | None = None
    comments: str | None = None


@dataclass(frozen=True)
class GoodPracticeRecord:
    """One good practice: its description and the site's structured account of it."""

    url: str | None = None
    id: str | None = None
    description: str | None = None
    themes: tuple[ThemeRecord, ...] = ()
    context: str | None = None
    cause_effect: str | None = None
    indicators: str | None = None
    replication: str | None = None
    links: str | None = None


@dataclass(frozen=True)
class EvaluationRecord:
    """One evaluation as seen in one place: its fields and the items published there with it.

    Multi-valued fields of the export (`themes`, `managers`, units, funding sources, project
    symbols) are kept as the `; `-separated strings they were read as. `unknown_keys` lists keys
    the reader met that the record schema does not know, so that they are reported rather than
    silently lost.
    """

    source: str
    eval_number: str | None = None
    eval_url: str | None = None
    eval_title: str | None = None
    locations: tuple[Location, ...] = ()
    themes: str | None = None
    evaluation_type: str | None = None
    evaluation_timing: str | None = None
    evaluation_nature: str | None = None
    document_type: str | None = None
    completion_date: str | None = None
    planned_completion_date: str | None = None
    managers: str | None = None
    admin_units: str | None = None
    technical_units: str | None = None
    funding_sources: str | None = None
    project_symbols: str | None = None
    recommendations: tuple[RecommendationRecord, ...] = ()
    lessons: tuple[LessonRecord, ...] = ()
    good_practices: tuple[GoodPracticeRecord, ...] = ()
    unknown_keys: tuple[str, ...] = field(default=(), compare=False)

    @property
    def items(self) -> tuple[RecommendationRecord | LessonRecord | GoodPracticeRecord, ...]:
        """Every item published with the evaluation, of every kind."""
        return self.recommendations + self.lessons + self.good_practices
