"""Linkers loaded once for all linking tests (compiling the gazetteer takes a moment)."""

from __future__ import annotations

import pytest

from kg.iris import Iris
from kg.linking.countries import CountryResolver
from kg.linking.organizations import OrganizationMatcher, gazetteer_quads, slug_of


@pytest.fixture(scope="session")
def matcher() -> OrganizationMatcher:
    return OrganizationMatcher.from_quads(gazetteer_quads(Iris().base))


@pytest.fixture(scope="session")
def countries() -> CountryResolver:
    return CountryResolver.from_csv()


@pytest.fixture(scope="session")
def found(matcher):
    """(slug, surface form) of each mention the matcher finds in a text, in text order."""
    def find(text: str) -> list[tuple[str, str]]:
        return [(slug_of(m.organization), m.surface_form) for m in matcher.find(text)]
    return find
