"""Country names, in the spellings the ILO, the UN and en/es/fr texts use, to ISO 3166-1 alpha-3."""

from __future__ import annotations

import csv
import gettext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from kg.linking.text import fold
from kg.resources import ontology_file

LABEL_LANGUAGES = ("en", "es", "fr")


@dataclass(frozen=True)
class Country:
    """A resolved country: its codes and its names by language."""

    alpha3: str
    alpha2: str | None
    names: dict[str, str]


@lru_cache(maxsize=None)
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _names(entry: object) -> dict[str, str]:
    english = getattr(entry, "common_name", None) or entry.name  # type: ignore[attr-defined]
    names = {"en": english}
    for language in LABEL_LANGUAGES[1:]:
        names[language] = _translation(language).gettext(entry.name)  # type: ignore[attr-defined]
    return names


class CountryResolver:
    """Resolves names through the alias table first, then pycountry's own names and codes."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self._aliases = {fold(name): code for name, code in aliases.items()}
        self._alias_names = {code: name for name, code in aliases.items()}
        self._cache: dict[str, Country | None] = {}

    @classmethod
    def from_csv(cls, path: Path | None = None) -> "CountryResolver":
        with open(path or ontology_file("country-aliases.csv"), encoding="utf-8", newline="") as f:
            return cls({row["name"]: row["iso_alpha3"].strip().upper() for row in csv.DictReader(f)})

    def resolve(self, name: str) -> Country | None:
        """The country a name denotes, or None when it cannot be resolved."""
        if name not in self._cache:
            self._cache[name] = self._resolve(name.strip())
        return self._cache[name]

    def _resolve(self, name: str) -> Country | None:
        code = self._aliases.get(fold(name))
        if code is None:
            try:
                code = pycountry.countries.lookup(name).alpha_3
            except LookupError:
                return None
        entry = pycountry.countries.get(alpha_3=code)
        if entry is None:
            return Country(code, None, {"en": self._alias_names.get(code, name)})
        return Country(code, entry.alpha_2, _names(entry))
