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
RESOLVED_NAMES_KEPT = 4096  # a source's country field can hold any text: the memo must not grow with it


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


def name_key(name: str) -> str:
    """A country name compared without case, accents, hyphens or a footnote mark ("Kosovo*")."""
    return fold(name.strip().rstrip("*").replace("-", " "))


def translated_names() -> dict[str, str]:
    """Folded en/es/fr names of every ISO country (and their inverted forms) → alpha-3.

    pycountry's own lookup knows only English names; its locale files give the Spanish and
    French short, official and common names. Inverted forms ("Tanzanie, République unie de")
    also give their natural order and the UN's bracketed order ("République unie de Tanzanie",
    "Tanzanie (République unie de)"). A name that would point to two countries is left out.
    """
    found: dict[str, set[str]] = {}
    for language in LABEL_LANGUAGES:
        translation = _translation(language)
        for entry in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                english = getattr(entry, attribute, None)
                if english is None:
                    continue
                for form in _word_orders(translation.gettext(english)):
                    found.setdefault(name_key(form), set()).add(entry.alpha_3)
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1 and name}


def _word_orders(name: str) -> list[str]:
    """A name, and for "Head, qualifier" also "qualifier Head" and "Head (qualifier)"."""
    head, comma, qualifier = name.partition(", ")
    if not comma or "," in qualifier:
        return [name]
    joiner = "" if qualifier.endswith(("'", "’")) else " "
    return [name, f"{qualifier}{joiner}{head}", f"{head} ({qualifier})"]


class CountryResolver:
    """Resolves names through the alias table, pycountry's own names and codes, then its es/fr names."""

    def __init__(self, aliases: dict[str, str], translations: dict[str, str] | None = None) -> None:
        self._aliases = {name_key(name): code for name, code in aliases.items()}
        self._alias_names = {code: name for name, code in aliases.items()}
        self._translations = translations or {}
        self._cache: dict[str, Country | None] = {}

    @classmethod
    def from_csv(cls, path: Path | None = None) -> "CountryResolver":
        with open(path or ontology_file("country-aliases.csv"), encoding="utf-8", newline="") as f:
            aliases = {row["name"]: row["iso_alpha3"].strip().upper() for row in csv.DictReader(f)}
        return cls(aliases, translated_names())

    def resolve(self, name: str) -> Country | None:
        """The country a name denotes, or None when it cannot be resolved."""
        if name not in self._cache:
            if len(self._cache) >= RESOLVED_NAMES_KEPT:
                del self._cache[next(iter(self._cache))]  # the oldest name goes
            self._cache[name] = self._resolve(name.strip())
        return self._cache[name]

    def _resolve(self, name: str) -> Country | None:
        key = name_key(name)
        code = self._aliases.get(key)
        if code is None:
            try:
                code = pycountry.countries.lookup(name.rstrip("* ")).alpha_3
            except LookupError:
                code = self._translations.get(key)
        if code is None:
            return None
        return self._country(code, name)

    def every_country(self) -> list[Country]:
        """Every country a name can resolve to: pycountry's, and those only the alias table knows."""
        codes = {entry.alpha_3 for entry in pycountry.countries} | set(self._aliases.values())
        return [self._country(code, code) for code in sorted(codes)]

    def _country(self, code: str, name: str) -> Country:
        entry = pycountry.countries.get(alpha_3=code)
        if entry is None:
            return Country(code, None, {"en": self._alias_names.get(code, name)})
        return Country(code, entry.alpha_2, _names(entry))
