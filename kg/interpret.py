"""Typed values from the strings of a record: dates, numbers, ordinals, conclusion references."""

from __future__ import annotations

import re
from datetime import date

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s.*)?$")
_ORDINAL = re.compile(r"^\s*(?:recommendation|recomendaci[oó]n|recommandation)?\s*(\d{1,3})\s*[.)\-:]\s*\S", re.I)
_CONCLUSION_REF = re.compile(
    r"(?:vinculad[oa]s?|relacionad[oa]s?|linked|related|li[ée]e?s?|reli[ée]e?s?|see|ver|voir)"
    r"[\w\s]{0,12}?\bconclusi(?:ón|ones|on|ons)\s*(?:n[°ºo.]*\s*)?"
    r"(\d+(?:\s*(?:,|;|&|\by\b|\be\b|\band\b|\bet\b)\s*\d+)*)",
    re.I,
)


def parse_date(text: str) -> date | None:
    """`2023-04-20 00:00:00.0`, `2023-04-20` and day-first `20/04/2023` give 2023-04-20."""
    text = text.strip()
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DAY_FIRST.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_integer(text: str) -> int | None:
    """`3471`, ` 3471 ` and `3471.0` give 3471; anything else gives None."""
    match = re.fullmatch(r"\s*(\d+)(?:\.0+)?\s*", text)
    return int(match.group(1)) if match else None


def trailing_integer(url: str) -> int | None:
    """The id that ends an i-eval URL: `.../recommendations/16089` gives 16089."""
    match = re.search(r"(\d+)/?(?:[?#].*)?$", url.strip())
    return int(match.group(1)) if match else None


def parse_ordinal(text: str) -> int | None:
    """The number a recommendation's text starts with: `2. Deben ...` gives 2."""
    match = _ORDINAL.match(text)
    return int(match.group(1)) if match else None


def parse_related_conclusions(text: str) -> list[int]:
    """Conclusion numbers referred to: `Vinculado a Conclusión 7, 10 y 11` gives [7, 10, 11]."""
    numbers: list[int] = []
    for match in _CONCLUSION_REF.finditer(text):
        numbers.extend(int(n) for n in re.findall(r"\d+", match.group(1)))
    return sorted(set(numbers))


def split_list(text: str) -> list[str]:
    """Items of a comma-, semicolon- or line-separated field, stripped, without duplicates."""
    seen: dict[str, None] = {}
    for item in re.split(r"[,;\n]", text):
        if item := item.strip():
            seen.setdefault(item, None)
    return list(seen)


def split_semicolons(text: str) -> list[str]:
    """Items of a `; `-separated export field, whose items may hold commas themselves
    (`USA, United States Department of Labor`; `Manager1, Evaluation`)."""
    seen: dict[str, None] = {}
    for item in text.split(";"):
        if item := " ".join(item.split()):
            seen.setdefault(item, None)
    return list(seen)
