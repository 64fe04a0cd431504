"""The typed records every reader produces and the mapper consumes.

Readers know nothing of RDF; the mapper knows nothing of HTML. Field names follow the keys of
the i-eval Discovery pages (`eval_number`, `admin_units`, ...), values are kept as read
(strings), and the mapper interprets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """One country/region pair of an evaluation's `location` list."""

    country: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class ThemeRecord:
    """One theme/category pair of a recommendation's `themes` list."""

    theme: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class RecommendationRecord:
    """One recommendation with its management response, as published."""

    url: str | None = None
    title: str | None = None
    date: str | None = None
    themes: tuple[ThemeRecord, ...] = ()
    action_plan: str | None = None
    management_response: str | None = None
    progress: str | None = None
    admin_units: str | None = None
    project_symbols: str | None = None
    information_source: str | None = None


@dataclass(frozen=True)
class EvaluationRecord:
    """One evaluation as seen on one page: its fields and the recommendations shown there.

    `unknown_keys` lists keys the reader met that the record schema does not know, so that
    they are reported rather than silently lost.
    """

    source: str
    eval_number: str | None = None
    eval_url: str | None = None
    eval_title: str | None = None
    locations: tuple[Location, ...] = ()
    recommendations: tuple[RecommendationRecord, ...] = ()
    unknown_keys: tuple[str, ...] = field(default=(), compare=False)
