"""ILO regions as a small controlled vocabulary (`ontology/regions.csv`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kg.iris import slugify
from kg.linking.text import fold
from kg.resources import ontology_file


NON_GEOGRAPHIC = frozenset({"interregional", "global"})


@dataclass(frozen=True)
class Region:
    """A region: its slug, its labels by language, and the slug of the region it lies in."""

    slug: str
    labels: dict[str, str]
    broader: str | None = None

    @property
    def contains_its_countries(self) -> bool:
        """False for "Interregional": its evaluations' countries lie in other regions."""
        return self.slug not in NON_GEOGRAPHIC


class RegionResolver:
    """Known regions by any of their labels or aliases; an unknown region keeps its own label."""

    def __init__(self, regions: list[tuple[Region, list[str]]]) -> None:
        self._by_name: dict[str, Region] = {}
        for region, aliases in regions:
            for name in [region.slug, *region.labels.values(), *aliases]:
                self._by_name[fold(name)] = region

    @classmethod
    def from_csv(cls, path: Path | None = None) -> "RegionResolver":
        rows: list[tuple[Region, list[str]]] = []
        with open(path or ontology_file("regions.csv"), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                labels = {lang: row[f"label_{lang}"] for lang in ("en", "es", "fr") if row.get(f"label_{lang}")}
                aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
                rows.append((Region(row["slug"], labels, row.get("broader") or None), aliases))
        return cls(rows)

    def every_region(self) -> list[Region]:
        """The regions of the vocabulary, in its order."""
        return list({region.slug: region for region in self._by_name.values()}.values())

    def known(self, name: str) -> Region | None:
        """The region a name denotes, if it is one of the vocabulary's names or aliases."""
        return self._by_name.get(fold(name))

    def resolve(self, name: str) -> Region:
        return self.known(name) or Region(slugify(name), {"en": name.strip()})
