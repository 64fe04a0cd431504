"""ILO project symbols (`RLA/19/03/USA`): their parts, and the donor their last part names."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from kg.resources import ontology_file

_SYMBOL = re.compile(r"^([A-Z]{3})/(\d{2})/(\d{2,3})/([A-Z0-9]{2,4})$")
_PLACEHOLDER = re.compile(r"^NO_DC_SYMBOL(?:_\d+)?$", re.I)


@dataclass(frozen=True)
class ProjectSymbol:
    """A project symbol and, when it has the usual four parts, their meaning."""

    symbol: str
    area_code: str | None = None
    year: int | None = None
    serial: str | None = None
    donor_code: str | None = None


def decode_symbol(symbol: str) -> ProjectSymbol:
    """`RLA/19/03/USA` gives area RLA, year 2019, serial 03, donor USA; other shapes stay whole."""
    symbol = symbol.strip()
    match = _SYMBOL.match(symbol.upper())
    if not match:
        return ProjectSymbol(symbol)
    area, yy, serial, donor = match.groups()
    year = 1900 + int(yy) if int(yy) >= 70 else 2000 + int(yy)
    return ProjectSymbol(symbol.upper(), area, year, serial, donor)


def is_placeholder(symbol: str) -> bool:
    """`NO_DC_SYMBOL_75` and the like: the export's way of saying "no project symbol"."""
    return bool(_PLACEHOLDER.match(symbol.strip()))


@dataclass(frozen=True)
class Donor:
    """Who a donor code denotes: an organization of the gazetteer and/or a country."""

    code: str
    organization_slug: str | None
    country_alpha3: str | None
    label: str


def load_donors(path: Path | None = None) -> dict[str, Donor]:
    """Known donor codes (`ontology/donor-codes.csv`); unknown codes are kept as codes, never guessed."""
    with open(path or ontology_file("donor-codes.csv"), encoding="utf-8", newline="") as f:
        return {
            row["code"].strip().upper(): Donor(
                row["code"].strip().upper(),
                (row.get("organization_slug") or "").strip() or None,
                (row.get("country_iso3") or "").strip().upper() or None,
                (row.get("label") or "").strip(),
            )
            for row in csv.DictReader(f)
        }
